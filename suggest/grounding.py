"""Is every named thing and number in a draft supported by what we know?

The guard's grounding check (suggest.guard): a name must come from the post, the person's
recent posts, their names or the business's knowledge; a number too, unless it is everyday
know-how (a round "30 minutes", "220°C", "500 g") on a topic the business helps with, in a
sentence that is not about the business and not contradicted by its knowledge. Words are
compared by lemma (simplemma: offline, multilingual, maintained; spaCy's English model is not
available to us), so "Saturdays" matches "Saturday" and "Leith Loaves" the product "Leith Loaf".
Names are judged by language: after a greeting ("Morning Jamie", "Hola Ana") a name is the
person's, and outside English a capital letter at a sentence start names nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import simplemma
from pydantic import BaseModel

from analysis import text as text_signals
from suggest.need import read_need

# Words that make a sentence talk about the business ("we", "our"...), in the languages the
# guard knows; "let us know" is about them.
SELF = re.compile(
    r"\b(we|we're|we've|we'd|we'll|our|ours|us|nosotros|nuestr[oa]s?|nós|noss[oa]s?|nous|notre|"
    r"nos)\b",
    re.I,
)
LET_US_KNOW = re.compile(r"\b(let us know|keep us posted|tell us how)\b", re.I)


class Grounds(BaseModel):
    """What a draft may draw on: the post, the person, and the business's own knowledge."""

    post_text: str
    recent_texts: list[str] = []
    knowledge_texts: list[str] = []
    person_names: list[str] = []
    own_products: list[str] = []
    # The draft's language when the caller knows it; else it is detected from the draft.
    language: str | None = None
    # Topics the business can advise on (Workspace.helps_with): everyday know-how there
    # ("rest it 30 minutes") needs no source.
    helps_with: list[str] = []
    # The business's own names: a sentence naming it talks about the business.
    business_names: list[str] = []
    # The post addressed the business or asked for a place or business like it: then the
    # reply may talk about the business ("we are open...") as much as about the person, and
    # what it says of the business must be known.
    asked_about_us: bool = False


# --- words and lemmas -------------------------------------------------------------------------

TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
# Abbreviations a lemmatiser cannot know ("Sat" is "sit" to it); only when capitalised.
ABBREVIATIONS = {
    "Mon": "monday", "Tue": "tuesday", "Tues": "tuesday", "Wed": "wednesday",
    "Thu": "thursday", "Thur": "thursday", "Thurs": "thursday", "Fri": "friday",
    "Sat": "saturday", "Sun": "sunday", "Jan": "january", "Feb": "february", "Mar": "march",
    "Apr": "april", "Jun": "june", "Jul": "july", "Aug": "august", "Sep": "september",
    "Sept": "september", "Oct": "october", "Nov": "november", "Dec": "december",
}  # fmt: skip


@lru_cache(maxsize=65536)
def _lemma(word: str, language: str) -> str:
    word = re.sub(r"['’]s$", "", word)  # "Saturday's market", "Jamie's"
    if word in ABBREVIATIONS:
        return ABBREVIATIONS[word]
    lower = word.lower()
    langs = ("en",) if language == "en" else (language, "en")
    try:
        lemma = str(simplemma.lemmatize(lower, lang=langs)).lower()
    except ValueError:  # a language simplemma does not know
        lemma = str(simplemma.lemmatize(lower, lang="en")).lower()
    # simplemma's one gap that matters here: "loaves" -> "loave" (and halves, shelves).
    if lower.endswith("ves") and lemma == lower[:-1] and simplemma.is_known(lower[:-3] + "f", "en"):
        return lower[:-3] + "f"
    return lemma


@lru_cache(maxsize=4096)
def _lemmas(text: str, language: str = "en") -> tuple[str, ...]:
    return tuple(_lemma(t, language) for t in TOKEN.findall(text.replace("&", " and ")))


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def mentions(phrase: str, text: str, language: str) -> bool:
    return _contains(_lemmas(text, language), _lemmas(phrase, language))


# --- grounding --------------------------------------------------------------------------------

GREETINGS = set(
    """hi hey hello hiya heya howdy morning evening afternoon night good ah aw aww oh ooh wow yay
    cheers thanks thank welcome congrats congratulations dear sorry happy ha haha well right so
    och aye oi hola buenas buenos buen días dia día tardes noches gracias felicidades
    enhorabuena querida querido ay oye vaya olá ola oi bom boa tarde noite obrigado obrigada
    parabéns bonjour bonsoir salut coucou merci bravo félicitations chère cher hallo moin servus
    guten morgen tag abend danke glückwunsch liebe lieber ciao buongiorno buonasera grazie
    complimenti auguri cześć dzień dobry witaj madainn mhath halò""".split()
)
FAMILY = set(
    """mum mom mam dad gran granny grandma grandpa grandad granddad nan nana nanna papa aunt
    auntie uncle""".split()
)
# Capitalised in English, but they describe rather than name.
DEMONYMS = set(
    """scottish scots british english irish welsh french italian spanish portuguese german
    european american swedish danish polish indian chinese japanese greek turkish""".split()
)
NOT_NAMES = (
    text_signals.STOPWORDS["en"] | text_signals.STARTERS | GREETINGS | FAMILY | DEMONYMS | {"i"}
)
# "well done Sam", "thank you Sam", "nice one Sam", "thanks so much Sam"
VOCATIVE_AFTER = GREETINGS | {"done", "luck", "you", "one", "much"}
# Days and holidays in a wish ("have a lovely Wednesday") state no fact.
DATES = set(ABBREVIATIONS.values()) | set(
    "christmas easter hogmanay ramadan eid diwali hanukkah halloween new".split()
)
WISHES = set("happy merry lovely great good nice wonderful relaxing restful cosy lazy your".split())
CONNECTORS = set("of the de del da do dos das du la le van von &".split())
WEEK = "monday tuesday wednesday thursday friday saturday sunday".split()
DAYS = set(WEEK)
DAY_RANGE = re.compile(
    rf"\b({'|'.join(WEEK)})s? (to|until|till|through|-|–) ({'|'.join(WEEK)})s?\b", re.I
)
TITLES = re.compile(r"\b(Dr|Mr|Mrs|Ms|Mx|St|Sr|Sra|Prof|Mme|Mlle)\.", re.U)
# Where a capital letter may come from position rather than name: sentence starts, and after a
# colon, a dash, a bracket or an opening quote.
SENTENCE = re.compile(r"(?<=[.!?…:;])\s+|[¡¿\n—–(\"“]|\s-\s")
WORD_SPAN = re.compile(r"[^\W\d_][\w'’&-]*|&", re.UNICODE)


def ungrounded(draft: str, context: Grounds) -> list[str]:
    """Named things and numbers in the draft that no source supports."""
    language = context.language or text_signals.detect_language(draft, "en") or "en"
    sources = [context.post_text, *context.recent_texts, *context.knowledge_texts]
    sources = [every_day_named(s) for s in sources]
    # The business's own products are real names (whether naming one is a sell is the
    # guard's question, not grounding's).
    source_text = " ".join([*sources, *context.person_names, *context.own_products])
    source_lemmas = _lemmas(source_text, language)
    person_tokens = {w.lower() for n in context.person_names for w in TOKEN.findall(n)}
    reasons = []
    for entity in text_signals.entities(draft):
        if entity["kind"] in ("mention", "hashtag") and entity["text"].lower() not in (
            source_text.lower()
        ):
            reasons.append(f"ungrounded {entity['kind']} '{entity['text']}'")
    their_text = " ".join([context.post_text, *context.recent_texts])
    their_words = set(_lemmas(their_text, language))
    their_text = their_text.lower()
    knowledge = [s for k in sources[1 + len(context.recent_texts) :] for s in SENTENCES.split(k)]
    for name, vocative, sentence in _names(draft, language):
        if vocative and (not person_tokens or name.lower() in person_tokens):
            continue  # greeting them by their name (unknown names cannot be checked)
        lemmas = _lemmas(name, language)
        if len(lemmas) == 1 and lemmas[0] in DAYS:
            day = lemmas[0]
            # their own words, or the knowledge, unless it gives the same thing other days
            # ("is the market on Sundays too?" "Yes, Saturday and Sunday": it is Saturdays);
            # said of two words of what it gives other days for, their word does not ground it
            other = _other_days(day, sentence, knowledge, language)
            if (day in their_words and not (other >= 2 and not NEGATION.search(sentence))) or (
                day in source_lemmas and not other
            ):
                continue
            # "so Saturdays become feeding day": their week, said of nothing else named (their
            # own names and days are not places: "before your Sunday bake", "Crumbledore")
            named = [
                w
                for w in PLACE_NAME.findall(sentence.replace(name, ""))
                if w.lower().rstrip("s") not in DAYS and w.lower() not in their_text
            ]
            if not SELF.search(sentence) and not named and other < 2:
                continue
        elif set(lemmas) <= DATES:
            continue  # "the Christmas hours": a holiday, no fact in itself
        elif name.lower() in source_text.lower() or _contains(source_lemmas, lemmas):
            continue
        reasons.append(f"ungrounded name '{name}'")
    reasons.extend(_ungrounded_numbers(draft, context, language))
    # The sources' lemmas without the person's names: what is known of the business and the post.
    known = set(_lemmas(" ".join(sources), language))
    reasons.extend(_ungrounded_claims(draft, known))
    if language == "en":
        # their own name ("Wednesday's a normal day, Ruth") is no fact about anything
        names = set(_lemmas(" ".join(context.person_names), language))
        reasons.extend(
            _unknown_facts(draft, sources, known | names, knowledge, asked=context.asked_about_us)
        )
    reasons.extend(_ungrounded_days(draft, context.knowledge_texts, language))
    reasons.extend(_yes_to_the_unknown(draft, context, language))
    known_nths = {n for text in sources for n in _nth_days(text)}
    reasons.extend(f"ungrounded day '{n}'" for n in _nth_days(draft) if n not in known_nths)
    return reasons


# "We do, Jamal", "Yes!", "Of course": a yes to what they asked whether the business has
YES = re.compile(
    r"^\W*(?:yes|yep|yeah|aye|of course|absolutely|sure|certainly|definitely|we do|we have|"
    r"we've got|we sure do)\b|\bwe (?:do|have|sure do)\W*$",
    re.I,
)


def _yes_to_the_unknown(draft: str, context: Grounds, language: str) -> list[str]:
    """A yes to "do you have wifi?" when nothing the business knows names wifi."""
    if language != "en" or not YES.search(WHOLE_SENTENCES.split(draft.strip())[0]):
        return []
    known = set(_lemmas(" ".join(context.knowledge_texts), language))
    return [
        f"ungrounded yes: nothing known says the business has or does '{thing}'"
        for thing in read_need(context.post_text).offered
        if not set(_lemmas(thing, language)) & known
    ]


# "the second Saturday": which day of the month a monthly thing is on
NTH_DAY = re.compile(
    r"\b(first|1st|second|2nd|third|3rd|fourth|4th|last) "
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b",
    re.I,
)
NTH_WORDS = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth"}


def _nth_days(text: str) -> list[str]:
    """The nth weekdays a text names ("second saturday"), the ordinal in words."""
    return [
        f"{NTH_WORDS.get(m[1].lower(), m[1].lower())} {m[2].lower()}"
        for m in NTH_DAY.finditer(text)
    ]


def _other_days(day: str, sentence: str, knowledge: list[str], language: str) -> int:
    """How surely the knowledge about what the sentence talks of gives it other days ("Leith
    Market runs on Sundays" when the market runs on Saturdays): the words the sentence shares
    with the knowledge that names other days, or 0 when it does not."""
    about = {w for w in _lemmas(sentence, language) if _content(w) and w not in NOT_SUBJECTS}
    about -= DAYS | CLOSED | {"open"}
    this, other = 0, 0
    for k in knowledge:
        words = set(_lemmas(k))
        if words & DAYS:
            overlap = len(about & words)
            if day in words:
                this = max(this, overlap)
            else:
                other = max(other, overlap)
    return other if other > this else 0


def every_day_named(text: str) -> str:
    """'Tuesday to Sunday' named as each day it covers, so a Saturday question finds it."""
    return DAY_RANGE.sub(_all_days, text)


def _all_days(m: re.Match[str]) -> str:
    """'Tuesday to Sunday' -> 'Tuesday, Wednesday, ..., Sunday'."""
    order = [d.capitalize() for d in WEEK]
    first, last = order.index(m.group(1).capitalize()), order.index(m.group(3).capitalize())
    span = order[first : last + 1] if first <= last else order[first:] + order[: last + 1]
    return ", ".join(span)


def _names(draft: str, language: str) -> list[tuple[str, bool, str]]:
    """(name, is it a vocative, its sentence) for every capitalised run that reads as a name."""
    found: list[tuple[str, bool, str]] = []
    for sentence in SENTENCE.split(TITLES.sub(r"\1", draft)):
        tokens = list(WORD_SPAN.finditer(sentence))
        i = 0
        while i < len(tokens):
            if not tokens[i].group()[0].isupper():
                i += 1
                continue
            j = i + 1
            # A name runs over spaces only: "on Saturday, the Water of Leith" is two.
            while (
                j < len(tokens)
                and not sentence[tokens[j - 1].end() : tokens[j].start()].strip()
                and (
                    tokens[j].group()[0].isupper()
                    or (
                        tokens[j].group().lower() in CONNECTORS
                        and j + 1 < len(tokens)
                        and tokens[j + 1].group()[0].isupper()
                    )
                )
            ):
                j += 1
            run = [t.group() for t in tokens[i:j]]
            before = tokens[i - 1].group().lower() if i else ""
            # "That's huge, Callum!": a name set off by commas at the end of a sentence.
            set_off = sentence[: tokens[i].start()].rstrip().endswith(",") and (
                sentence[tokens[j - 1].end() :].lstrip()[:1] in ("", ",", ".", "!", "?")
            )
            lower = [w.lower() for w in run]
            wish = (before in WISHES and lower[0] in DATES) or (
                lower[0] in WISHES and 1 < len(run) <= 3 and set(lower[1:]) <= DATES | {"year"}
            )
            if not wish:
                greeted = before in VOCATIVE_AFTER or set_off
                for name, vocative in _judge_run(
                    run, start=i == 0, greeted=greeted, language=language
                ):
                    found.append((name, vocative, sentence))
            i = j
    return found


SELF_PRONOUNS = {"I", "I'm", "I've", "I'd", "I'll", "I’m", "I’ve", "I’d", "I’ll"}


def _judge_run(
    run: list[str], *, start: bool, greeted: bool, language: str
) -> list[tuple[str, bool]]:
    if start:
        while run and run[0].lower() in GREETINGS:
            run, greeted = run[1:], True
        if not run:
            return []
        if not greeted:
            if len(run) == 1:
                return []  # capitalised by its position
            first = run[0].lower()
            if language != "en" or first in NOT_NAMES or simplemma.is_known(first, "en"):
                run = run[1:]  # "Try Leith Market" -> "Leith Market"
    while run and run[0].lower() in CONNECTORS:
        run = run[1:]
    if not run:
        return []
    name = " ".join(run)
    if name in SELF_PRONOUNS:
        return []  # "Hi Steph, I'll check": the writer, not a name
    if greeted:
        return [(name, True)]
    if len(run) == 1:
        word = run[0]
        if word.lower() in NOT_NAMES:
            return []
        if language == "de" and simplemma.is_known(word.lower(), "de"):
            return []  # German capitalises every noun
    return [(name, False)]


# --- numbers ----------------------------------------------------------------------------------

UNIT_SURFACES = {
    "minute": "min mins minute minutes minuto minutos minuten",
    "hour": "h hr hrs hour hours hora horas heure heures stunde stunden",
    "second": "sec secs second seconds segundo segundos seconde secondes sekunden",
    "day": "day days día días dia dias jour jours tag tage",
    "week": "week weeks semana semanas semaine semaines woche wochen",
    "month": "month months mes meses mês mois monat monate",
    "year": "yr yrs year years año años ano anos ans jahr jahre",
    "°c": "°c ºc ° c degree degrees celsius grado grados grau graus degré degrés grad fan",
    "°f": "°f ºf f fahrenheit",
    "gas mark": "gas_mark",
    "spoon": "tsp tbsp teaspoon teaspoons tablespoon tablespoons cup cups",
    "oz": "oz ounce ounces lb lbs",
    "g": "g gr gram grams gramme grammes gramo gramos grama gramas",
    "kg": "kg kilo kilos kilogram kilograms",
    "ml": "ml millilitre millilitres milliliter milliliters",
    "l": "l litre litres liter liters litro litros",
    "cm": "cm centimetre centimetres centimeter centimeters",
    "km": "k km kms kilometre kilometres kilometer kilometers kilómetros quilómetros",
    "mile": "mile miles",
    "%": "% percent per_cent por_ciento por_cento pour_cent prozent",
    "times": "times x veces vezes fois mal",
    "am": "am a.m.",
    "pm": "pm p.m.",
}
UNITS = {s.replace("_", " "): unit for unit, ss in UNIT_SURFACES.items() for s in ss.split()}
# Everyday know-how is measured in these; days, years, prices and counts are facts.
KNOW_HOW_UNITS = {
    *("minute", "hour", "second", "°c", "°f", "gas mark", "g", "kg", "oz", "ml", "l", "spoon"),
    *("cm", "km", "%", "times"),
}
NUMBER = re.compile(r"(?<![\w.,:])\d+(?:[.,:]\d+)*(?:st|nd|rd|th)?")
UNIT_AFTER = re.compile(
    r"\s?-?\s?(°\s?[CF]|º\s?[CF]|°|%|per cent|por ciento|por cento|pour cent|a\.m\.|p\.m\.|"
    r"[^\W\d_]+)",
    re.I,
)
RANGE = re.compile(r"\s*(-|–|—|to|and|or|a|à|y|e|et|ou|o|bis)\s*", re.I)
NUMBER_WORDS = {
    w: n
    for n, ws in {
        2: "two dos dois duas deux zwei", 3: "three tres três trois drei",
        4: "four cuatro quatro quatre vier", 5: "five cinco cinq fünf",
        6: "six seis sechs", 7: "seven siete sete sept sieben", 8: "eight ocho oito huit acht",
        9: "nine nueve nove neuf neun", 10: "ten diez dez dix zehn", 11: "eleven",
        12: "twelve", 15: "fifteen", 20: "twenty veinte vinte vingt", 30: "thirty treinta",
        40: "forty", 45: "forty-five", 50: "fifty", 60: "sixty", 90: "ninety", 100: "hundred",
    }.items()
    for w in ws.split()
}  # fmt: skip
NUMBER_WORD = re.compile(
    rf"\b({'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})\s+(more\s+)?([^\W\d_]+)",
    re.I,
)
FORTNIGHT = re.compile(r"\bfortnight\b", re.I)
# A sentence that reports a statistic, a study or a precise fact is not everyday know-how.
CLAIM = re.compile(
    r"\b(according to|stud(y|ies)|research|scien(ce|tists?)|prove[dn]?|survey|statistics?|"
    r"on average|average|rate|record|exactly|precisely|officially|by law|per year|a year|"
    r"every year|last (year|month|week))\b|%\s+of\b",
    re.I,
)
# The vocabulary of recipes: a percentage next to these is a proportion, not a statistic.
RECIPE_WORDS = set(
    """flour water hydration protein salt sugar butter fat dough starter levain spelt rye
    wholemeal wholewheat cocoa milk yeast honey oil egg cream gluten bran coffee crumb bake
    loaf bread mix fold stretch knead prove proof shape oven tin tray batter whisk crust scone
    cake biscuit cookie pastry croissant sourdough recipe grind brew espresso bean
    harina masa pan horno levadura hornear receta café farinha massa pão forno fermento
    receita farine pâte pain four levain recette""".split()
)
# helps_with words too general to name a topic ("time", "home", "children").
GENERIC = set(
    """home keep simple time spend option food eat fresh child where leith thing way at store
    good free""".split()
)
# Words that say nothing about what a figure measures.
NOT_SUBJECTS = text_signals.STOPWORDS["en"] | set(
    """usually often let long about around just also more less much then once after before
    right try use give take put get sure bit little lot quite still even bring join next
    question work small large safe possible mean means side left extra fast hold ready handle
    equal deep gently slowly somewhere evening morning five twice dead mark test""".split()
)
SENTENCES = re.compile(r"(?<=[.!?;])\s+|\n+")
WHOLE_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(slots=True)
class _Number:
    text: str
    value: str
    unit: str | None
    start: int
    end: int
    spelled: bool = False  # "two days"


@lru_cache(maxsize=4096)
def _numbers(text: str) -> tuple[_Number, ...]:
    """Every number in the text with its unit; cached, so never change what it returns."""
    found: list[_Number] = []
    for m in NUMBER.finditer(text):
        raw = re.sub(r"(st|nd|rd|th)$", "", m.group())
        unit, end = _unit_after(text, m.end())
        if unit is None and re.search(r"gas mark\s?$", text[: m.start()], re.I):
            unit = "gas mark"
        elif unit is None and re.search(r"[£$€]\s?$", text[: m.start()]):
            unit = "money"  # "£5" is a price, never the 5 of "5 km"
        # "-18°C", but not the dash of a range ("24-26°C")
        negative = (
            text[m.start() - 1 : m.start()] == "-" and not text[: m.start() - 1][-1:].isalnum()
        )
        value = _canonical(raw, unit, negative)
        found.append(
            _Number(text=text[m.start() : end], value=value, unit=unit, start=m.start(), end=end)
        )
    for m in NUMBER_WORD.finditer(text):
        if unit := UNITS.get(m.group(3).lower()):
            value = str(NUMBER_WORDS[m.group(1).lower()])
            found.append(
                _Number(
                    text=m.group(),
                    value=value,
                    unit=unit,
                    start=m.start(),
                    end=m.end(),
                    spelled=True,
                )
            )
    for m in FORTNIGHT.finditer(text):
        # "a fortnight at my mum's" is the "two weeks" of a reply
        found.append(_Number(m.group(), "2", "week", m.start(), m.end(), spelled=True))
    found.sort(key=lambda n: n.start)
    # "15 to 20 minutes", "24-26°C": the first number of a range takes the second's unit.
    for a, b in zip(found, found[1:], strict=False):
        if a.unit is None and b.unit and RANGE.fullmatch(text[a.end : b.start]):
            a.unit = b.unit
    for n in found:
        if n.unit in ("am", "pm") or (n.unit is None and ":" in n.value):
            n.value, n.unit = _clock(n.value, n.unit), "time"
        elif n.unit is None and n.value.isdigit() and int(n.value) <= 24:
            if HOUR_BEFORE.search(text[: n.start]):
                n.unit = "hour of day"  # "after 12" is a time, not the £12 of a repair
    return tuple(found)


# Words before a bare number that make it an hour of the day.
HOUR_BEFORE = re.compile(
    r"\b(after|before|until|till|til|between|from|opens? at|closes? at|shuts? at)\s+$", re.I
)


def _unit_after(text: str, at: int) -> tuple[str | None, int]:
    """The unit written right after a number ("30 minutes", "24°C", "36-hour"), and its end."""
    m = UNIT_AFTER.match(text, at)
    if m is None:
        return None, at
    surface = re.sub(r"\s+", " ", m.group(1).lower())
    unit = UNITS.get(surface) or UNITS.get(surface.replace(" ", ""))
    return (unit, m.end()) if unit else (None, at)


def _canonical(raw: str, unit: str | None, negative: bool) -> str:
    if unit in ("am", "pm") or ":" in raw:
        return raw.replace(".", ":")
    if re.fullmatch(r"\d{1,3}(,\d{3})+", raw):
        raw = raw.replace(",", "")
    raw = raw.replace(",", ".")
    try:
        number = float(raw)
    except ValueError:  # "1.2.3"
        return raw
    text = f"{number:g}" if number != int(number) else str(int(number))
    return "-" + text if negative else text


def _clock(value: str, unit: str | None) -> str:
    hours, _, minutes = value.partition(":")
    try:
        h, m = int(hours), int(minutes or 0)
    except ValueError:
        return value
    if unit == "pm" and h < 12:
        h += 12
    if unit == "am" and h == 12:
        h = 0
    return f"{h}:{m:02d}"


def _grounded(n: _Number, known: list[_Number]) -> bool:
    if n.unit == "hour of day":
        hour = int(n.value)
        return any(
            (k.unit == "time" and k.value in (f"{hour}:00", f"{hour + 12}:00"))
            or (k.unit == "hour of day" and k.value == n.value)
            for k in known
        )
    for k in known:
        if n.unit == "money" and k.unit != "money":
            continue  # a price is grounded by a price only
        if k.value == n.value and (
            k.unit == n.unit or k.unit is None or (n.unit is None and not k.spelled)
        ):
            return True
        if n.unit is None and k.unit == "time" and n.value.isdigit():
            hour = int(n.value)
            if k.value in (f"{hour}:00", f"{hour + 12}:00"):
                return True  # "we open at 10" and "10:00"; "after 2" and "14:00"
    return False


def _ungrounded_numbers(draft: str, context: Grounds, language: str) -> list[str]:
    sources = [context.post_text, *context.recent_texts, *context.knowledge_texts]
    known = [n for text in [*sources, *context.person_names] for n in _numbers(text)]
    # A part of a sentence that names too little of its own ("…a radiator; aim for 24 to
    # 26°C") is read with the rest of its sentence, the draft's too.
    knowledge = [
        part if len([w for w in _lemmas(part, language) if _content(w)]) >= 3 else whole
        for k in context.knowledge_texts
        for whole in WHOLE_SENTENCES.split(k)
        for part in SENTENCES.split(whole)
    ]
    topic = _topic_words(tuple(context.helps_with), tuple(context.knowledge_texts))
    on_topic = _on_topic(set(_lemmas(context.post_text + " " + draft, language)), topic)
    asked = set(_lemmas(context.post_text, language))
    reasons = []
    parts = [
        (part, set(_lemmas(whole, language)))
        for whole in WHOLE_SENTENCES.split(draft)
        for part in SENTENCES.split(whole)
    ]
    for sentence, whole_lemmas in parts:
        lemmas = set(_lemmas(sentence, language))
        about_us = bool(SELF.search(LET_US_KNOW.sub("", sentence))) or any(
            mentions(name, sentence, language)
            for name in [*context.business_names, *context.own_products]
        )
        know_how = not about_us and not CLAIM.search(sentence) and on_topic
        numbers = _numbers(sentence)
        for i, n in enumerate(numbers):
            if _grounded(n, known):
                continue
            # "12 to 14 hours": a range that starts as everyday know-how ends as it
            before = numbers[i - 1] if i else None
            in_range = (
                before is not None
                and bool(RANGE.fullmatch(sentence[before.end : n.start]))
                and _everyday(before, lemmas)
            )
            if know_how and (_everyday(n, lemmas) or in_range):
                # what the sentence is about may be named in the post only ("how long is the
                # walk to Dean Village?" "About 12 km"): the knowledge on it says otherwise
                if clash := (
                    _said_otherwise(n, sentence, knowledge, language)
                    or _contradicts(n, whole_lemmas, knowledge, language)
                    or _contradicts(n, whole_lemmas | asked, knowledge, language, at_least=3)
                ):
                    reasons.append(f"ungrounded number '{n.text}' (the knowledge says {clash})")
                continue
            reasons.append(f"ungrounded number '{n.text}'")
    return reasons


@lru_cache(maxsize=64)
def _topic_words(
    helps_with: tuple[str, ...], knowledge: tuple[str, ...]
) -> tuple[frozenset[str], frozenset[str]]:
    """The words of what the business helps with, and the other words of its knowledge
    on those topics ("dough", "crust", "cafetière")."""
    topic = {w for w in _lemmas(" ".join(helps_with)) if _content(w)}
    related: set[str] = set()
    for text in knowledge:
        words = {w for w in _lemmas(text) if _content(w)}
        if words & topic:
            related |= {w for w in words if len(w) > 3 and w not in NOT_SUBJECTS | DATES}
    if topic & RECIPE_WORDS:  # a business that helps with recipes knows their vocabulary
        related |= RECIPE_WORDS
    return frozenset(topic), frozenset(related - topic - set(UNITS))


def _on_topic(words: set[str], topic: tuple[frozenset[str], frozenset[str]]) -> bool:
    """A topic word, or two of its related words ("sticky dough ... shape it")."""
    return bool(words & topic[0]) or len(words & topic[1]) >= 2


def _content(lemma: str) -> bool:
    return len(lemma) > 2 and lemma not in text_signals.STOPWORDS["en"] and lemma not in GENERIC


def _everyday(n: _Number, lemmas: set[str]) -> bool:
    """A round, everyday quantity: "30 minutes", "220°C", "500 g", "70% hydration"."""
    if n.unit not in KNOW_HOW_UNITS or n.value.startswith("-"):
        return False
    if n.unit == "%" and not lemmas & RECIPE_WORDS:
        return False
    try:
        v = float(n.value)
    except ValueError:
        return False
    if v != int(v):
        return v <= 12 and (v * 2).is_integer() and n.unit in ("hour", "kg", "l", "km")
    # Invented figures tend to look precise (23%, 17 minutes, 36 hours); know-how is round.
    return v <= 12 or v % 5 == 0 or (n.unit == "hour" and v in (24, 48, 72))


# What a figure measures: the words right after it ("375 g water", "500 g of strong flour").
MEASURED = re.compile(r"\s*(?:of\s+)?([^\W\d_]+(?:\s+[^\W\d_]+)?)")


def _measures(text: str, n: _Number, language: str) -> set[str]:
    m = MEASURED.match(text, n.end)
    if m is None:
        return set()
    return {w for w in _lemmas(m.group(1), language) if _content(w) and w not in UNITS}


def _said_otherwise(n: _Number, sentence: str, knowledge: list[str], language: str) -> str | None:
    """The knowledge's figure for the very thing this figure measures, when it is another one
    ("300 g water" where the recipe says "375 g water")."""
    what = _measures(sentence, n, language)
    if not what:
        return None
    said = {w for w in _lemmas(sentence, language) if _content(w)} - what
    for known in knowledge:
        # the same recipe or method, not another that also measures water
        if len(said & set(_lemmas(known, language))) < 2:
            continue
        for k in _numbers(known):
            if k.unit == n.unit and k.value != n.value and _measures(known, k, language) == what:
                return k.value
    return None


def _contradicts(
    n: _Number, lemmas: set[str], knowledge: list[str], language: str, *, at_least: int = 2
) -> str | None:
    """The knowledge's figures when a knowledge sentence on the same thing (`at_least` words
    shared) says otherwise."""
    values: list[float] = []
    for sentence in knowledge:
        shared = {
            w
            for w in lemmas & set(_lemmas(sentence, language))
            if len(w) > 2 and w not in NOT_SUBJECTS and w not in UNITS
        }
        if len(shared) >= at_least:
            values += [
                float(k.value)
                for k in _numbers(sentence)
                if k.unit == n.unit and re.fullmatch(r"-?\d+(\.\d+)?", k.value)
            ]
    if values and not min(values) <= float(n.value) <= max(values):
        low, high = min(values), max(values)
        return f"{low:g}" if low == high else f"{low:g} to {high:g}"
    return None


# A claim about what the business makes or does: every thing it names must be known.
ABOUT_US_CLAIM = re.compile(
    r"\bwe(?:'re|'ve|'ll| are| also| now| usually| always| still| often| only| even| just)*\s+"
    r"(?:(?:bak|sell|serv|stock|offer|host|carr|deliver|cater|roast|mill|sourc|import|grow|"
    r"donat|ship|provid)\w*|use|(?:make|making|do|doing|have|got|have got|run|running)"
    r"(?=\s+(?:a|an|some|our|fresh|homemade|plenty|lots|loads|\d))"
    r"(?!\s+an? (soft spot|feeling|think|look|go|chat|word|laugh|lot)\b))\b"
    r"(?P<what>[^.!?;,:]*)"
    # "our vegan brownies are...": what the business has, named as a subject
    r"|\bour\s+(?P<thing>(?:[\w'’-]+\s+){0,3}?[\w'’-]+)\s+(?:is|are|come|comes|use|uses|contain|"
    r"contains|has|have)\b",
    re.I,
)
# Things every business has: naming them invents nothing.
OURS = set(
    """team staff door kettle pleasure heart thought best way place café cafe shop bakery
    kitchen oven baker customer regular neighbour friend love""".split()
)
CLAUSE_END = re.compile(r"\b((for|if|so|when|to|with) you|but|which|that|and you)\b", re.I)
EVALUATIVE = set(
    """lovely fresh good great nice proper simple small big little warm tasty delicious local
    daily every each morning evening day week weekend always really very lot lots plenty loads
    range kind sort bit few homemade""".split()
)


def _ungrounded_claims(draft: str, source_lemmas: set[str]) -> list[str]:
    reasons = []
    for m in ABOUT_US_CLAIM.finditer(draft):
        if m.group("thing") is not None:
            what, claim = m.group("thing"), m.group(0)
            if set(_lemmas(what)) & OURS:
                continue
        else:
            what = CLAUSE_END.split(m.group("what"))[0]
            claim = (m.group(0)[: m.start("what") - m.start()] + what).strip()
        unknown = [
            w
            for w in _lemmas(what)
            if _content(w) and w not in EVALUATIVE and w not in source_lemmas
        ]
        if unknown:
            reasons.append(f"ungrounded claim about the business ('{claim}')")
    return reasons


# Plain-word facts about the business or a place ("there's free parking outside", "the staff
# are trained for it", "no eggs in them at all" to "are the knots vegan?"): a fact the sources
# do not give is invented even without a name or a number. Read clause by clause; what is
# said to or about the person ("you", "your"), the writer's own stance ("I'll check"), a
# question, and courtesies ("Of course", "Sorry for the slow reply") state nothing about the
# business. A clause that names the business, its place or people, or says "there is",
# counts from one unknown word; when the post asked about the business, the reply's other
# statements are about it too, and count from two unknown words in a sentence (one loose word
# is more often a verb of everyday speech: "a good day to settle in").
HOUSE = set("cafe café shop bakery counter staff team baker menu workshop mechanic".split())
# Parts of a place a business may or may not have ("the garden at the back", "the terrace"):
# a clause naming one speaks of the business, and an unknown one is invented.
PREMISES = set(
    """garden terrace patio courtyard entrance toilet loo wifi socket parking upstairs
    downstairs""".split()
)
# Places anyone has ("a warm spot in the kitchen"): named without inventing anything.
SPOTS = set("kitchen table door place spot business".split())
COURTESY = re.compile(
    r"^(sorry|thanks?|thank you|glad|so glad|hope|congrat\w*|well done|happy|enjoy|good luck|"
    r"(?:an? )?honest answer|to be honest|honestly|no luck|not sure|no idea|"
    r"lovely|great|oh|ooh|of course|absolutely|probably|yes|yep|no worries|not dead|really|"
    r"it is|they are|we do|worth|if that helps|do check|hi|hello|morning|that's|that made|"
    r"what a|please|if (another|that|this|a) (day|time|date) (works|suits)|"
    # "Safe trip over the bridge", "we'll pass it on to the bakers"
    r"safe (trip|travels|journey|home)|have a (good|lovely|great|safe)|"
    r"(we'll|i'll|we will|i will) pass (it|that|this|them) on)\b"
    # Advice and remedies are said to them, even without a "you": "mention it at the counter".
    r"|^(?:(?:maybe|perhaps|just|then) )?(ask|bring|call|check|come|drop|feed|give|go|grab|have|"
    r"keep|let|look|mention|pick|pop|press|put|say|see|send|take|tell|try|use|wait|turn|walk|"
    r"ride|head|aim|start|stop|leave|rest|store|wrap|slice|freeze|warm|"
    # the verbs of a method ("roll the dough into strips, twist each one"), not of getting
    # somewhere or buying something ("cut through the garden", "add a coffee")
    r"roll|twist|tie|tuck|shape|knead|fold|mix|stir|pour|weigh|brush|sprinkle|divide|cover|"
    r"cool|preheat|grind|dilute|strain|steep)\b",
    re.I,
)
# Words that state no fact about the business: how the team feels about what they said
# ("chuffed to hear it"), judgements ("best", "fine"), and the hours' verbs, which the day
# and number checks read.
STATES_NOTHING = set(
    """chuff chuffed delighted pleased thrill thrilled proud love happy hear glad excite excited
    whole best fine except open close shut none whatever""".split()
    # telling the time in words: "half seven till four"
    + "half quarter past till til noon midday".split()
)
THERE_IS = re.compile(
    r"\bthere(?:'s|’s| is| are| was)\b(?! no (?:need|harm|rush|hurry|point|shame|way|wrong)\b)",
    re.I,
)
PLACE_NAME = re.compile(r"(?<=\w )[A-Z][a-z]+")
TO_THEM = re.compile(r"\b(you|your|yours|you'll|you're|you've|you'd)\b", re.I)
WRITER = re.compile(r"\b(i|i'm|i'll|i'd|i've|me|my)\b", re.I)
CLAUSE = re.compile(r"[;()—–]|[,:](?!\d)|\s-\s|\b(?:and|but|so|where|which|or)\b", re.I)
STATEMENTS = re.compile(r"(?<=[.!?])\s+")
# "happens to the best of us", "all of us": everyone, not the business
ALL_OF_US = re.compile(r"\b(?:best|rest|all|most|some|any|none|one|few|many|each) of us\b", re.I)
PURPOSE = re.compile(r",?\s+so (?:that )?(?:they|we|someone|the \w+) can [^.;:!?]*", re.I)


# A clause that says again what one known sentence says ("we keep tables free for folk eating"
# for "… we keep tables free for people eating") may use a word of its own for every
# PARAPHRASE words it shares with that sentence.
PARAPHRASE = 2
NEGATION = re.compile(r"\b(not|no|never|nothing|none|nobody|without)\b|n't\b", re.I)


def _unknown_facts(
    draft: str, sources: list[str], known: set[str], knowledge: list[str], *, asked: bool
) -> list[str]:
    # The words as written too: the lemmatiser leaves some plurals ("coeliacs") alone.
    known_words = {w.lower().rstrip("s") for s in sources for w in TOKEN.findall(s)}
    # What the business knows, sentence by sentence, and whether each says "not" or "no".
    said = [(_words(sentence), bool(NEGATION.search(sentence))) for sentence in knowledge]
    reasons = []
    for sentence in STATEMENTS.split(draft):
        if sentence.strip().endswith("?"):
            continue
        if WRITER.search(sentence):
            # "I'll pass this to the bakers so they can find out what went wrong": what the
            # writer will do, and what for; no fact about the business
            sentence = PURPOSE.sub("", sentence)
        about_us: list[str] = []
        loose: list[str] = []
        for clause in CLAUSE.split(sentence):
            clause = (clause or "").strip(" .!…")
            if not clause or TO_THEM.search(clause) or WRITER.search(clause):
                continue
            if COURTESY.match(clause):
                continue
            lemmas = _lemmas(clause)
            unknown = [
                w
                for w in dict.fromkeys(lemmas)
                if _content(w)
                and "'" not in w
                and w not in known
                and w.rstrip("s") not in known_words
                and w
                not in DATES | EVALUATIVE | NOT_SUBJECTS | HOUSE | SPOTS | OURS | STATES_NOTHING
                and w not in GREETINGS
                and w not in NUMBER_WORDS
            ]
            if not unknown:
                continue
            # …saying it the same way round: "completely safe for coeliacs" is no paraphrase
            # of "not safe for people with coeliac disease".
            negated, own = bool(NEGATION.search(clause)), _words(clause)
            shared = max((len(own & words) for words, no in said if no == negated), default=0)
            # (Leeway to help, not to talk about ourselves unasked: then it is said as known.)
            if shared >= PARAPHRASE * len(unknown) and (asked or not SELF.search(clause)):
                continue  # said again in other words
            if (
                SELF.search(ALL_OF_US.sub("", clause))
                or set(lemmas) & (HOUSE | PREMISES)
                # "there's a trick to it" is know-how; "there are bins at the Shore" a fact
                or (THERE_IS.search(clause) and (asked or PLACE_NAME.search(sentence)))
            ):
                about_us.append(clause)
            elif asked:
                loose.extend(unknown)
        if about_us or len(loose) >= 2:
            claim = about_us[0] if about_us else sentence.strip()
            reasons.append(f"ungrounded fact: nothing known says '{claim}'")
    return reasons


def _words(text: str) -> set[str]:
    """The lemmas that say something, everyday ones included ("keep", "free", "table")."""
    return {w for w in _lemmas(text) if len(w) > 2 and w not in text_signals.STOPWORDS["en"]}


CLOSED = {"close", "closed", "shut"}
CLOSING_TIME = re.compile(r"\b(close|closes|closing|shut|shuts)\s+(at|by|around|about)\b", re.I)
EXCEPT = re.compile(r"\b(except|apart from|other than|bar|not|n't|never)\b", re.I)
CLAUSES = re.compile(r"[,;:.!?]|\bbut\b", re.I)


@lru_cache(maxsize=64)
def closed_days(knowledge: tuple[str, ...]) -> frozenset[str]:
    """The days the knowledge says the business is closed ("closed on Mondays")."""
    closed: set[str] = set()
    for clause in (c for text in knowledge for c in CLAUSES.split(text)):
        lemmas = set(_lemmas(clause))
        if lemmas & CLOSED:
            closed |= lemmas & DAYS
    return frozenset(closed)


def _ungrounded_days(draft: str, knowledge: list[str], language: str) -> list[str]:
    """'We're open on Mondays' when the knowledge says closed on Mondays, and the reverse."""
    shut_days = closed_days(tuple(knowledge))
    reasons = []
    for sentence in SENTENCES.split(draft):
        about_us = bool(SELF.search(LET_US_KNOW.sub("", sentence)))
        for clause in CLAUSES.split(sentence):
            lemmas = set(_lemmas(clause, language))
            # "we close at 4 on Saturdays" gives a closing time: open that day
            said_closed = bool(lemmas & CLOSED) and not CLOSING_TIME.search(clause)
            # "we're open on Mondays", or a clause without a subject: "Open Mondays too!"
            if not (about_us or re.match(r"\s*(open|closed|shut)\b", clause, re.I)):
                continue
            if not ("open" in lemmas or lemmas & CLOSED) or EXCEPT.search(clause):
                continue
            for day in sorted(lemmas & DAYS):
                if said_closed != (day in shut_days):
                    state = "closed" if said_closed else "open"
                    reasons.append(f"ungrounded claim about the business ('{state}' on {day})")
    return reasons

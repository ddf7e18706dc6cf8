"""Words turned towards a person: their own words said back to them, and knowledge sentences
said to them. Shared by the composer and the reactions to good news."""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis import text as text_signals

PERSON_SWAP = {
    "i": "you",
    "i'm": "you're",
    "im": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "we": "you",
    "we're": "you're",
    "we've": "you've",
    "our": "your",
    "us": "you",
}
# Verbs that change with the person only after "I" or "we" ("I was" -> "you were"; "it was"
# stays).
VERB_SWAP = re.compile(r"\b(?P<who>I|we)(?P<gap>\s+(?:\w+ly\s+)?)(?P<verb>am|was)\b", re.I)
CUT_BEFORE = set(
    "on at in to for with after since because but and so today tonight yesterday".split()
)
LEAD_FILLERS = re.compile(
    r"^(ok(ay)?|so|well|just|finally|and|but|yes|yay|update|omg|wow)[,:!.]?\s+", re.I
)
EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]+")


def plain(text: str) -> str:
    """A post as sentences: an emoji between words ends one ("SOLD OUT 😭 the tablet went
    first"), and a sentence in capitals is said in small letters ("sold out in 40 minutes")."""
    text = re.sub(rf"\s*(?:{EMOJI.pattern})\s*(?=\w)", ". ", text)
    text = EMOJI.sub("", text).strip()
    said = " ".join(
        sentence.lower()
        if sum(c.isupper() for c in sentence) > 3 and sentence.isupper()
        else sentence
        for sentence in re.split(r"(?<=[.!?])\s+", text)
    )
    # A shouted word too: "We're OPEN again" is "open again" said back.
    return re.sub(r"\b[A-Z]{4,}\b", lambda m: m.group().lower(), said)


# The last word of a display name that makes it a group's, not a person's ("Leith Welcome Group").
GROUP_NAME = re.compile(
    r"\b(?:group|club|society|team|trust|association|council|network|project|collective|"
    r"committee|foundation|charity|school|nursery|ltd|cic)\s*$",
    re.I,
)


def first_name(display_name: str) -> str | None:
    """A first name worth greeting by, or None for brand-like, group or empty display names."""
    token = (display_name or "").split(" ")[0]
    if GROUP_NAME.search(display_name or ""):
        return None
    if re.fullmatch(r"[A-Z][a-zà-ÿ'’-]{1,20}", token):
        return token
    return None


def to_you(text: str) -> str:
    """The person's words turned towards them: "passed my test" -> "passed your test"."""
    text = re.sub(
        r"\b[Mm]y (partner|wife|husband|girlfriend|boyfriend|fianc\w+) and I\b",
        r"you and your \1",
        text,
    )
    text = VERB_SWAP.sub(
        lambda m: m["who"] + m["gap"] + ("are" if m["verb"].lower() == "am" else "were"), text
    )
    out = []
    for token in re.findall(r"[\w'’]+|[^\w\s]|\s+", text):
        key = token.lower().replace("’", "'")
        swapped = PERSON_SWAP.get(key)
        if swapped is None:
            out.append(token)
        else:
            out.append(swapped.capitalize() if token[0].isupper() and out == [] else swapped)
    return "".join(out)


DANGLING = frozenset(
    "by on in at for to with of from about into onto than the a an my your our his her their "
    "and or but".split()
)


def the_thing(text: str, *, max_words: int = 9, longest: int = 6) -> str:
    """The first clause of a post, turned towards its author: what they did or went through
    (at most `longest` of the post's words in a row)."""
    # "UPDATE: filled the crater with strawberries", "Update for anyone wondering: the path is
    # open again": the label is not the thing
    clean = re.sub(
        r"^\W*(?:(?:update|edit|ps|p\.s\.)(?:\s+for\s+(?:anyone|everyone)\s+\w+)?|"
        r"for\s+(?:anyone|everyone)\s+(?:wondering|asking|interested))\W*?[:\-–—]\s*",
        "",
        plain(text),
        flags=re.I,
    )
    # (an aside right after a name is no end of the clause: "Freya (12) cycled to school")
    named = re.match(r"\W*(?:(?:[Mm]y|[Oo]ur) )?([A-Z][\w'-]*)\s+\([^()]{1,20}\)", clean)
    if named:
        clean = clean[: named.start(1)] + named[1] + clean[named.end() :]
    clause = re.split(r"(?<=[.!?])\s+|[.!?]+$|\s[-–—]\s|[;:(]", clean)[0].strip(" .!?,")
    while (stripped := LEAD_FILLERS.sub("", clause)) != clause:
        clause = stripped
    clause = re.sub(r"\s+(just|finally|actually)\s+", " ", clause, flags=re.I)
    clause = re.sub(
        r"^(i|we)\s+(?=\w+ed\b|got|made|ran|won|did|hit|passed|baked)", "", clause, flags=re.I
    )
    # Keep the detail that shows it was read ("at 41", "on the Shore"), but stop before a
    # second clause, and never echo the post: seven of its words in a row at most.
    words = clause.split()
    for i, word in enumerate(words):
        if i >= 3 and word.lower() in ("but", "and", "so", "because", "since", "after"):
            words = words[:i]
            break
    if len(words) > max_words:
        cuts = [i for i in range(3, max_words + 1) if words[i].lower() in CUT_BEFORE]
        words = words[: cuts[-1] if cuts else max_words]
    # "…61 hours commuting by" ends nowhere: a cut never leaves a word that leads into more
    while len(words) > 3 and words[-1].lower() in DANGLING:
        words = words[:-1]
    thing = no_echo(to_you(" ".join(words)), clean, longest=longest)
    # a cut that leaves one word of the next clause ("the walkway is open again, fencing") ends
    # at the comma
    thing = re.sub(r"(?<=\w{3}),\s*[\w'-]+$", "", thing)
    if thing and thing[0].isupper() and not proper(thing.split()[0], clean):
        if not (named and thing.split()[0] == named[1]):
            thing = thing[0].lower() + thing[1:]
    return thing


def with_detail(thing: str, post: str, *, longest_detail: int = 6) -> str:
    """The thing and, when the post adds a short second sentence, that sentence turned to them
    ("first bake with Doughlene, open crumb"), unless together they would echo the post."""
    parts = [p.strip(" .!?") for p in re.split(r"(?<=[.!?])\s+", plain(post))]
    if len(parts) < 2 or not parts[1] or len(parts[1].split()) > longest_detail:
        return thing
    second = parts[1]
    if to_you(second).lower() in thing.lower():
        return thing  # (the news was told second: "OK I lied, I tried one more. IT HAS AN EAR.")
    if not proper(second.split()[0], post):
        second = second[0].lower() + second[1:]
    combined = f"{thing}, {to_you(second)}"
    return combined if no_echo(combined, post, longest=7) == combined else thing


def no_echo(thing: str, post: str, longest: int = 6) -> str:
    """The thing cut so that no more than `longest` of the post's words come in a row (counted
    as the guard counts them, which refuses eight)."""
    said = " " + " ".join(text_signals.words(post)) + " "
    words = thing.split()
    for end in range(1, len(words) + 1):
        tokens = text_signals.words(" ".join(words[:end]))
        for start in range(len(tokens)):
            if len(tokens) - start > longest and f" {' '.join(tokens[start:])} " in said:
                cuts = [j for j in range(3, end - 1) if words[j].lower() in CUT_BEFORE]
                kept = words[: cuts[-1] if cuts else end - 1]
                # ("…wrote a poem about the" ends nowhere either)
                while len(kept) > 3 and kept[-1].lower() in DANGLING:
                    kept = kept[:-1]
                return " ".join(kept)
    return thing


def proper(word: str, text: str) -> bool:
    """A word that keeps its capital mid-sentence in the post (Leith, Doughlene), or "I"."""
    if word == "I":
        return True
    return bool(re.search(rf"(?<![.!?]\s)(?<=\s){re.escape(word)}\b", text))


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def uncap(sentence: str, source: str) -> str:
    """A sentence to follow other words: its first letter small, unless it starts with a name
    that keeps its capital in `source` ("Leith Links is flat")."""
    first, _, rest = sentence.partition(" ")
    named = rest[:1].isupper() and first.lower() not in text_signals.STOPWORDS["en"]
    if proper(first, source) or named:
        return sentence
    return sentence[:1].lower() + sentence[1:]


DAY_NAMES = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekday|weekend)s?\b", re.I
)


def relevant_clauses(sentence: str, days: Sequence[str], *, subject: str = "") -> str:
    """Without the clauses about days nobody asked about: to a Sunday question, "we're open
    Tuesday to Sunday, 7:30 to 16:00", not "and closed on Mondays". Other advice stays whole."""
    if not days:
        return sentence
    wanted = {d.lower().rstrip("s") for d in days}
    wanted |= {"weekend"} if wanted & {"saturday", "sunday"} else {"weekday"}
    clauses = re.split(r";\s+|,\s+and\s+", sentence.rstrip("."))

    subject_words = {w.lower() for w in re.findall(r"\w{4,}", subject)}

    def off_topic(clause: str) -> bool:
        named = {d.lower() for d in DAY_NAMES.findall(clause)}
        if subject_words & {w.lower() for w in re.findall(r"\w{4,}", clause)}:
            return False  # the clause that says what the snippet is about stays
        return bool(named) and not (named & wanted) and " to " not in clause

    def unasked_days_out(clause: str) -> str:
        # "Laptops are welcome on weekdays" to a Sunday question: the laptops stay, the
        # weekdays go ("Laptops are welcome; at weekends … we keep tables free").
        named = {d.lower() for d in DAY_NAMES.findall(clause)}
        if not named or named & wanted or " to " in clause:
            return clause
        return re.sub(rf"\s+(?:on|at|during)\s+{DAY_NAMES.pattern}", "", clause, flags=re.I)

    if windowed := outside_window(sentence, wanted):
        return windowed
    keep = [unasked_days_out(c) for c in clauses if not off_topic(c)]
    if keep and keep != clauses:
        sentence = "; ".join(keep) + "."
    return narrow_days(sentence, days)


# "Laptops are welcome on weekdays; at weekends between 10:00 and 14:00 we keep tables free
# for people eating": something welcome, and a window of the week when it is not.
WINDOW = re.compile(
    r"^(?P<what>[^;]+? (?:is|are) welcome)(?: (?:on|at|during) \w+)?; "
    r"(?:on|at|during) (?P<when>\w+?)s? between (?P<start>\d{1,2}:\d\d) and "
    r"(?P<end>\d{1,2}:\d\d),? (?P<instead>.+?)\.?$",
    re.I,
)


def outside_window(sentence: str, wanted: set[str]) -> str:
    """A welcome with a window when it is not, said for the day they asked about: to "a spot
    to work on Sunday?", "Laptops are welcome on Sundays before 10:00 and after 14:00; in
    between, we keep tables free for people eating". Empty when the sentence has no such
    window or the window is not on their day."""
    found = WINDOW.match(sentence)
    if not found or found["when"].lower() not in wanted:
        return ""
    when = found["when"].lower()
    # The day of theirs the window falls on: to "due Monday… could I work there on Sunday?",
    # Sunday, not the Monday they named for something else.
    window_days = ("saturday", "sunday") if when == "weekend" else (when,)
    day = next((d for d in window_days if d in wanted), when)
    # "on Sundays", but "at weekends"
    on_day = f"on {day.capitalize()}s" if day in WEEK else f"at {day}s"
    return (
        f"{found['what']} {on_day} before {found['start']} and after "
        f"{found['end']}; in between, {found['instead']}."
    )


def day_said_once(sentences: Sequence[str]) -> list[str]:
    """ "On Sundays" said once: "We're open on Sundays, 7:30 to 16:00. Laptops are welcome
    before 10:00 …", not "on Sundays" twice."""
    said: set[str] = set()
    out = []
    for sentence in sentences:
        for day in re.findall(r"\b[Oo]n (\w+days)\b", sentence):
            # (…but "We're open on Saturdays, 7:30 to 16:00" needs its day.)
            if day.lower() in said:
                sentence = re.sub(rf" on {day}(?= \w)", "", sentence, count=1)
            said.add(day.lower())
        out.append(sentence)
    return out


WEEK = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
DAY_RANGE = re.compile(r"\b(?:from )?(?P<first>\w+day) to (?P<last>\w+day)\b", re.I)


def narrow_days(sentence: str, days: Sequence[str]) -> str:
    """A range of days said for the one day they asked about: to a Sunday question, "we're
    open on Sundays, 7:30 to 16:00" rather than "Tuesday to Sunday"."""
    asked = [d.lower().rstrip("s") for d in days if d.lower().rstrip("s") in WEEK]
    match = DAY_RANGE.search(sentence)
    if len(asked) != 1 or not match:
        return sentence
    first, last = match["first"].lower(), match["last"].lower()
    if first not in WEEK or last not in WEEK:
        return sentence
    start, end, day = WEEK.index(first), WEEK.index(last), WEEK.index(asked[0])
    inside = start <= day <= end if start <= end else day >= start or day <= end
    if not inside:
        return sentence
    return sentence[: match.start()] + f"on {asked[0].capitalize()}s" + sentence[match.end() :]


def turn_to_them(sentence: str) -> str:
    """A knowledge sentence as said to a person: contractions, no trailing space."""
    sentence = re.sub(r"\bWe are\b", "We're", sentence)
    sentence = re.sub(r"\bwe are\b", "we're", sentence)
    sentence = re.sub(r"\bit is\b", "it's", sentence)
    sentence = re.sub(r"\bIt is\b", "It's", sentence)
    return sentence.strip()


WELCOME = re.compile(r"^(?P<thing>[A-Z][a-z]+)s are welcome\b")
FACETS = re.compile(r"\b([\w-]+), ([\w-]+),? and ([\w-]+)\b")


def fit_to_them(sentence: str, constraints: Sequence[str]) -> str:
    """A list of what a place is good for, cut to what they said matters: to someone with a
    dog who wants it flat, "a flat, dog-friendly path", not "flat, dog- and buggy-friendly"."""
    welcome = WELCOME.match(sentence)
    if welcome and welcome["thing"].lower() in {c.lower() for c in constraints}:
        # "Laptops are welcome" to someone with a laptop: "Your laptop's welcome".
        sentence = f"Your {welcome['thing'].lower()}'s welcome{sentence[welcome.end() :]}"
    stems = [c.lower().split("-")[0][:4] for c in constraints if c]
    match = FACETS.search(sentence)
    if not stems or not match:
        return sentence
    items = list(match.groups())
    keep = [i for i in items if any(i.lower().startswith(s) for s in stems)]
    dropped = [i for i in items if i not in keep]
    # Only facets ("buggy-friendly", "step-free") are cut, never the things themselves.
    if not keep or not dropped or not all(re.search(r"-(friendly|free)$", i) for i in dropped):
        return sentence
    said = keep[0] if len(keep) == 1 else f"{keep[0]} and {keep[1]}"
    return sentence[: match.start()] + said + sentence[match.end() :]


DEFINED_AS = re.compile(r"^(?:A|An|The) [^:;]+? is (?P<what>(?:a|an) [^:;]+): (?P<how>.+)$")


def retold(sentences: Sequence[str]) -> list[str]:
    """The same knowledge said another way, for a second person this morning: the sentences
    in the other order, a later step first ("Keep it in a cloth bag; after two days, slice and
    freeze it" is "Slice and freeze what you won't eat within two days; until then, keep it in
    a cloth bag"), each without a last clause that adds a further step, or "A good first loaf
    is a simple no-knead bread: 500 g…" told as "Try a simple no-knead bread: 500 g…". A clause
    that limits what was said ("… possible but made in a kitchen that uses wheat") stays."""
    if len(sentences) > 1:
        return [
            then if (then := _then_first(s)) != s else _first_clause(s) for s in reversed(sentences)
        ]
    if sentences and (defined := DEFINED_AS.match(sentences[0])):
        return [f"Try {defined['what']}: {defined['how']}"]
    return list(sentences)


# "Keep it in a cloth bag; after two days, slice and freeze it.": a step for later.
LATER_STEP = re.compile(r"^(?P<first>[^;]+); after (?P<when>[\w ]+?), (?P<then>[^;]+?) it\.?$")


def _then_first(sentence: str) -> str:
    """Advice with a later step, the later step first."""
    step = LATER_STEP.match(sentence)
    if not step:
        return sentence
    first = uncap(step["first"], sentence)
    return f"{cap(step['then'])} what you won't eat within {step['when']}; until then, {first}."


CAVEAT = re.compile(r"\b(but|not|no|never|only|except|unless|without)\b|n't\b", re.I)


def _first_clause(sentence: str) -> str:
    first, _, rest = sentence.partition("; ")
    if not rest or CAVEAT.search(rest):
        return sentence
    return first.rstrip(".,") + "."


# Advice that names a kind of thing as its object: "Keep sourdough cut side down…".
ADVICE_OBJECT = re.compile(
    r"^(?P<verb>Keep|Store|Freeze|Wrap|Slice|Feed|Wash|Rinse|Dry) (?P<noun>[a-z]+)\b"
)
# …or after the cause it follows from: "…go stale faster, so keep sourdough…".
ADVICE_AFTER = re.compile(
    r"(?:, so|; until then,) (?P<verb>keep|store|freeze|wrap|slice|feed) (?P<noun>[a-z]+)\b"
)


def their_kind(sentence: str, post_text: str, titles: Sequence[str]) -> str:
    """Advice said of the kind of thing they asked about: "Keep sourdough cut side down" to
    someone who asked about their bread is "Keep your bread cut side down", when the snippet's
    title names bread and they never said sourdough."""
    # ("Slice and freeze what you won't eat; until then, keep sourdough…": the kind comes
    # after "and")
    found = next(
        (
            m
            for m in (ADVICE_OBJECT.match(sentence), ADVICE_AFTER.search(sentence))
            if m and m["noun"] not in text_signals.STOPWORDS["en"]
        ),
        None,
    )
    if not found:
        return sentence
    said = set(re.findall(r"[a-z]+", post_text.lower()))
    noun = found["noun"]
    if noun in said:
        return sentence
    for title in titles:
        kinds = [w for w in re.findall(r"[a-z]+", title.lower()) if w in said and len(w) > 3]
        if kinds and noun not in title.lower():
            lead = sentence[: found.start("verb")]
            return f"{lead}{found['verb']} your {kinds[-1]}{sentence[found.end() :]}"
    return sentence


# "If you bake once a week, keep…": advice for a case, which may be theirs.
IF_YOU = re.compile(r"^If you (?P<case>[^,;:]+), (?P<then>.+)$")
# "Where does a beginner even start?", "how do I begin"
WHERE_TO_START = re.compile(r"\b(where|how)\b.*\b(start|begin)\b", re.I)


def to_their_case(sentence: str, post_text: str, question: str | None) -> str:
    """Advice said to their case, from their own words: "If you bake once a week, keep the
    starter…" to someone who said they only bake once a week is "Since you bake once a week,
    keep your starter…"; a definition ("A good first loaf is a simple no-knead bread: …") to
    someone asking where to start is "Start with a simple no-knead bread: …"."""
    said = set(text_signals.words(post_text))
    stops = text_signals.STOPWORDS["en"]
    case = IF_YOU.match(sentence)
    # every word of the case theirs ("once" and "week" too: "I bake every day" is another case)
    if case and set(text_signals.words(case["case"])) - {"a", "an", "the"} <= said:
        sentence = f"Since you {case['case']}, {case['then']}"
    for noun in dict.fromkeys(re.findall(r"\bmy ([a-z]{3,})\b", post_text.lower())):
        if noun in stops:
            continue
        sentence = re.sub(rf"\bthe {noun}\b", f"your {noun}", sentence, count=1)
        sentence = re.sub(rf"^The {noun}\b", f"Your {noun}", sentence, count=1)
    defined = DEFINED_AS.match(sentence)
    if defined and question and WHERE_TO_START.search(question):
        sentence = f"Start with {defined['what']}: {defined['how']}"
    return sentence


# "The fridge makes bread go stale faster": a cause, as knowledge says it.
CAUSE = re.compile(r"^The (?P<cause>[a-z]+(?: [a-z]+)?) (?P<verb>makes|causes|keeps) (?P<rest>.+)$")
WHY = re.compile(r"\bwhy\b", re.I)
# What a cause does that is worth keeping something away from.
HARM = re.compile(
    r"\b(stale|staler|dry|hard|harden|soggy|damp|mou?ldy?|sour|flat|sluggish|slow|sweat)\b", re.I
)


def cause_first(sentences: Sequence[str], question: str | None, post_text: str) -> list[str]:
    """To someone asking why, the sentence that names a cause they named comes first, as a
    plain fact. A cause they never named is no guess about their kitchen: the advice leads,
    and the cause follows as something to avoid ("And keep it out of the fridge: it makes
    bread go stale faster.") or, when it is no harm to avoid, as it was said."""
    if not question or not WHY.search(question):
        return list(sentences)
    for i, sentence in enumerate(sentences):
        found = CAUSE.match(sentence)
        if not found:
            continue
        rest = [s for j, s in enumerate(sentences) if j != i]
        said = set(text_signals.words(post_text))
        if set(text_signals.words(found["cause"])) <= said:
            return [sentence, *rest]
        if not rest:
            return [sentence]
        if found["verb"] != "keeps" and HARM.search(found["rest"]):
            because = f"it {found['verb']} {found['rest'].rstrip('.')}"
            last = rest[-1]
            head, semicolon, tail = last.rstrip(".").partition("; ")
            avoid = f", not in the {found['cause']} ({because})"
            if re.match(r"(Keep|Store) ", head):
                # "Keep your bread in a cloth bag, not in the fridge (it makes…); after two
                # days, slice and freeze it."
                return [*rest[:-1], f"{head}{avoid}{semicolon}{tail}."]
            if re.match(r"(until then, )?(keep|store) ", tail):
                # "…; until then, keep it in a cloth bag, not in the fridge (it makes…)."
                return [*rest[:-1], f"{head}{semicolon}{tail}{avoid}."]
            return [*rest, f"And keep it out of the {found['cause']}: {because}."]
        return [*rest, sentence]
    return list(sentences)


# "an easy 5k", "a 10 km run": the distance someone asked for.
ASKED_DISTANCE = re.compile(r"\b(?P<n>\d+(?:\.\d+)?) ?(?:k|km)\b", re.I)
ONE_WAY = re.compile(r"\babout (?P<n>\d+(?:\.\d+)?) km one way\b")


def fit_distance(sentence: str, question: str | None) -> str:
    """A route's length said for the distance they asked for: to "an easy 5k?", a path "about
    5 km one way, so turn back halfway for your 5k"; when it is about half, "there and back is
    about your 5k". No new number is made up."""
    asked = ASKED_DISTANCE.search(question or "")
    route = ONE_WAY.search(sentence)
    if not asked or not route:
        return sentence
    want, one_way = float(asked["n"]), float(route["n"])
    said = asked.group(0)
    if abs(one_way - want) <= 0.2 * want:
        return f"{sentence.rstrip('.')}, so turn back halfway for your {said}."
    if abs(2 * one_way - want) <= 0.2 * want:
        return f"{sentence.rstrip('.')}: there and back is about your {said}."
    return sentence


CLAUSE_SEPARATOR = re.compile(r"(\s*[:;]\s+|,\s+)")


def without(sentence: str, unasked: re.Pattern[str]) -> str:
    """The sentence without its clauses that say what nobody asked (a price to someone who
    asked whether to book): "Repairs are walk-in, no booking: £12 a tube, usually done in 20
    minutes." is "Repairs are walk-in, no booking, usually done in 20 minutes." Empty when
    the whole sentence is such a clause."""
    if not unasked.search(sentence):
        return sentence
    parts = CLAUSE_SEPARATOR.split(sentence.rstrip("."))
    clauses, separators = parts[::2], parts[1::2]
    kept: list[str] = []
    for i, clause in enumerate(clauses):
        if unasked.search(clause):
            continue
        if kept:
            kept.append(separators[i - 1])
        kept.append(clause)
    return cap("".join(kept)) + "." if kept else ""


LIST_LEAD = re.compile(r"^(?P<lead>[^:]{0,40}):\s+(?P<body>.+)$")
LIST_ITEM = re.compile(r",\s+(?:and\s+)?")


def the_one_they_named(sentence: str, post_text: str) -> str:
    """From a list of kinds with their figures ("road tyres 80 to 100 psi, hybrid and commuter
    tyres 50 to 70 psi, mountain bike tyres 25 to 35 psi"), the one kind their post names
    ("a hybrid"): "As a rough guide: hybrid and commuter tyres 50 to 70 psi." Unchanged
    unless exactly one kind is named."""
    match = LIST_LEAD.match(sentence.rstrip("."))
    lead, body = (match["lead"], match["body"]) if match else ("", sentence.rstrip("."))
    items = LIST_ITEM.split(body)
    if len(items) < 3 or not all(re.search(r"\d", item) for item in items):
        return sentence
    # Each kind by its first word and any joined to it: "hybrid and commuter", "road".
    kinds = [re.split(r"\d", item, maxsplit=1)[0].lower() for item in items]
    names = [re.findall(r"(?:^|\b(?:and|or) )([a-z]{3,})", kind) for kind in kinds]
    named = [
        item
        for item, words in zip(items, names, strict=True)
        if any(re.search(rf"\b{w}", post_text, re.I) for w in words)
    ]
    if len(named) != 1:
        return sentence
    return f"{lead}: {named[0]}." if lead else f"{cap(named[0])}."

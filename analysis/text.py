"""Reading signals straight from the words: language, questions, keyphrases, named things,
hostility, instructions aimed at the reply writer, and sensitive news."""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]*")

STOPWORDS = {
    "en": set(
        """a about above after again against all also am an and any anyone are aren't as at be
        because been before being below between both but by can can't could did didn't do does
        doesn't doing don't down during each else even ever every few for from further get gets
        got had has have having he her here hers herself him himself his how i i'd i'll i'm i've
        if in into is isn't it it's its itself just know let's like lot make me more most much
        must my myself need no nor not now of off on once only or other ought our ours ourselves
        out over own really same she should so some someone something still such than that that's
        the their theirs them themselves then there there's these they this those though through
        to too under until up very was wasn't we were what what's when where which while who why
        will with won't would you you're your yours yourself anybody actually always never
        people thing things today tomorrow tonight week day time way one two three first new
        good best great well back going go went come came see want think say said tell told
        apparently honestly literally finally already again ok okay yes yeah lol oh just""".split()
    ),
    "es": set(
        "el la los las de que y en un una es por para con no me mi se lo al del muy hoy".split()
    ),
    "pt": set("o a os as de que e em um uma é para com não me minha meu do da hoje já foi".split()),
    "de": set("der die das und ist nicht ich ein eine zu mit auf für den dem im heute so".split()),
    "fr": set("le la les de et est un une pas je pour avec sur dans que qui ce aujourd".split()),
}

QUESTION_START = re.compile(
    r"(^|[.!?]\s+)(any ?one|does|do|is|are|can|could|should|what|where|when|why|how|which|who|"
    r"any (tips|ideas|advice|recommendations))\b",
    re.IGNORECASE,
)

REQUEST = re.compile(
    r"\b(need|want|looking for|would love) (some |any )?(ideas|advice|help|tips|recommendations|"
    r"suggestions)\b|\bhelp!|\bsend help\b|^looking for\b|\brecommend (me )?(a|an|some)\b",
    re.IGNORECASE,
)

HOSTILE = re.compile(
    r"\b(idiots?|clowns?|morons?|rip-?off|scam(mers)?|useless|pathetic|shut up|get a grip|"
    r"a joke|disgrace|f+u+c+k\w*|shite?|crap|bastards?|hate you|losers?)\b",
    re.IGNORECASE,
)

INJECTION = re.compile(
    r"(ignore|disregard|forget)\s+(all\s+|any\s+|your\s+|the\s+|previous\s+|prior\s+|above\s+)*"
    r"(instructions|rules|prompts?|guidelines)|\bsystem\s*:|\byou are now\b|"
    r"\b(act|pretend) as\b|\bnew instructions\b",
    re.IGNORECASE,
)

SENSITIVE = re.compile(
    r"\b(passed away|died|death|funeral|grief|grieving|bereave\w*|cancer|diagnos\w+|"
    r"miscarriage|suicid\w*|hospice|terminal|intensive care|in hospital|self-harm)\b",
    re.IGNORECASE,
)

SPAMMY = re.compile(
    r"(link in (my )?bio|dm me|click (here|the link)|\d+% off|use (my )?code|giveaway|"
    r"passive income|guaranteed|follow (me|for)|shop now|free (iphone|followers)|🚀|💰|🔥)",
    re.IGNORECASE,
)

MILESTONE = re.compile(
    r"\b(passed(?! away)|got the job|got engaged|engaged|finished|graduat\w*|turned \d+|born|"
    r"first ever|for the first time|my first|first \w+ (without|done)|promot\w*|anniversary|"
    r"birthday|retired|opened|new job|handed in|did it|we did|done!|pb|personal best|"
    r"\d+ years)\b|!!",
    re.IGNORECASE,
)

STARTERS = set(
    """hi hey hello congratulations congrats thanks thank sorry good great happy huge oh yes
    try visit welcome ha ooh sounds bold lovely amazing brilliant wow nice dear""".split()
)

MENTION = re.compile(r"@[\w.]+(?:@[\w.-]+)?")
HASHTAG = re.compile(r"#\w+")
NUMBER = re.compile(r"[£$€]?\d[\d,.:]*\s?(?:%|km|k|kg|g|am|pm|°C|minutes|hours|years)?")
CAPITALISED = re.compile(r"\b([A-Z][\w’'&-]+(?:\s+(?:of|the|de|&)?\s*[A-Z][\w’'&-]+)*)")


def words(text: str) -> list[str]:
    return [w.lower().strip("'’-") for w in WORD.findall(text)]


def detect_language(text: str, default: str | None = None) -> str | None:
    """Guess among a few languages by stopword counts; `default` when unsure."""
    tokens = words(text)
    if not tokens:
        return default
    scores = {lang: sum(t in stops for t in tokens) for lang, stops in STOPWORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] == 0 or list(scores.values()).count(scores[best]) > 1:
        return default or "en"
    return best


def has_question(text: str) -> bool:
    """A direct question or an explicit request for help, ideas or advice."""
    return "?" in text or bool(QUESTION_START.search(text) or REQUEST.search(text))


def keyphrases(text: str, *, limit: int = 5) -> list[str]:
    """Runs of up to three content words, longest first ('sourdough starter')."""
    stops = STOPWORDS["en"]
    runs: list[list[str]] = []
    current: list[str] = []
    for token in re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]*|[^\sA-Za-zÀ-ÿ]", text):
        word = token.lower().strip("'’-")
        if word.isalpha() or "-" in word:
            if word in stops or len(word) < 3 or "'" in word or "’" in word:
                if current:
                    runs.append(current)
                current = []
            else:
                current.append(word)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    phrases: list[str] = []
    for run in runs:
        phrase = " ".join(run[-3:])
        if phrase not in phrases:
            phrases.append(phrase)
    phrases.sort(key=lambda p: (-len(p.split()), -len(p)))
    return phrases[:limit]


def entities(text: str) -> list[dict[str, str]]:
    """Named things a reply must not invent: mentions, hashtags, names, numbers."""
    found: list[dict[str, str]] = []
    for m in MENTION.finditer(text):
        found.append({"kind": "mention", "text": m.group()})
    for m in HASHTAG.finditer(text):
        found.append({"kind": "hashtag", "text": m.group()})
    for m in CAPITALISED.finditer(text):
        start = m.start()
        sentence_start = start == 0 or text[:start].rstrip()[-1:] in ".!?\n"
        name = m.group(1)
        if sentence_start:
            # A common first word is capitalised by position, not because it names something.
            first, *rest = name.split(" ")
            if not rest:
                continue
            if first.lower() not in STOPWORDS["en"] and first.lower() not in STARTERS:
                found.append({"kind": "name", "text": name})  # "Lothian Buses gives..."
                continue
            while rest and rest[0] in ("of", "the", "de", "&"):
                rest = rest[1:]
            if not rest:
                continue
            name = " ".join(rest)
        if name.lower() in STOPWORDS["en"] or name in ("I", "I'm", "I've"):
            continue
        found.append({"kind": "name", "text": name})
    for m in NUMBER.finditer(text):
        found.append({"kind": "number", "text": m.group().strip().rstrip(",.:")})
    return found


def flags(text: str) -> list[str]:
    """Signals that change what we may do with a post."""
    result = []
    if HOSTILE.search(text):
        result.append("hostile")
    if INJECTION.search(text):
        result.append("instructs_writer")
    if SENSITIVE.search(text):
        result.append("sensitive")
    if SPAMMY.search(text):
        result.append("spammy")
    if MILESTONE.search(text):
        result.append("milestone_cue")
    return result

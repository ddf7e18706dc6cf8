"""The `composer` drafting backend: no model needed.

It writes a reply from what the post says and what the business knows, the way a careful
owner would: greet the person, lead with the help (the sentences of the knowledge that answer,
turned towards them) or name the thing they did, and stop. Phrasing follows the post (its
occasion, what it names), never a hash; each candidate opens and closes differently so that the
queue can give every card of a morning its own words. It asks a question back only when it is
about the person's own words, and writes nothing for cards (those are for a person).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel

from analysis import text as text_signals
from core.models import Occasion

VERSION = "composer-2"

# Openers by occasion; {name} is the person's first name. Several per occasion so that a
# morning's queue never repeats one.
GREETINGS = [
    "Morning {name}!",
    "Hi {name}!",
    "Hello {name}!",
    "Hey {name}!",
    "Ah, {name}!",
    "Hiya {name}!",
    "Oh, {name}!",
    "Aye, {name}!",
    "Hello there, {name}!",
    "Good morning, {name}!",
    "Hey there, {name}!",
]
NAMELESS = ["Morning!", "Hello!", "Hi there!", "Hiya!", ""]
CONGRATS = [
    "{Thing}! That's brilliant, {name}.",
    "{name}, {thing}! Congratulations.",
    "What lovely news, {name}. {Thing}!",
    "Many congratulations, {name}. {Thing}!",
    "Well done, {name}! {Thing}.",
    "{Thing}! Fantastic, {name}.",
    "Yes, {name}! {Thing}. Made our morning.",
    "{name}! {Thing}: how brilliant is that.",
]
# A birthday is not an achievement: "Congratulations" on someone turning three reads oddly.
BIRTHDAY = re.compile(
    r"\b(?:(she|he|they|i|my \w+|our \w+)(?: just)? turn(?:ed|s) \w+|(?:my|her|his|their) "
    r"birthday)\b",
    re.I,
)
BIRTHDAY_WISHES = [
    "{Thing}! Happy birthday to {them}, {name}.",
    "Happy birthday to {them}, {name}! {Thing}.",
    "{name}, {thing}! A very happy birthday to {them}.",
]
OUTCOMES = [
    "{Thing}! So glad to hear it, {name}.",
    "{name}, {thing}! That's the news we were hoping for.",
    "Aw, {name}, {thing}! Lovely to read this.",
    "{Thing}: that's lovely to hear, {name}.",
    "That's the best kind of update, {name}: {thing}!",
    "{name}! {Thing}. Love this.",
    "Oh good, {name}: {thing}! Really pleased for you.",
    "{Thing}, {name}! Great to see it come right.",
]
THANKS = [
    "Thank you, {name}! That really made the team's day.",
    "That's so kind, {name}, thank you. We'll pass it on to the whole team.",
    "{name}, thank you! Messages like yours are why we love doing this.",
]
APOLOGIES = [
    "{name}, I'm really sorry about {thing}. That's not good enough, and it's on us.",
    "I'm so sorry, {name}: {thing} isn't what you should get from us.",
    "{name}, thank you for telling us, and I'm sorry about {thing}. We got that wrong.",
]
# One concrete next step the business can always offer: find out, and put it right.
REMEDIES = [
    "Which day was it with {thing}? I'd like to find out what happened and put it right.",
    "I'd like to put {thing} right: when were you in for {thing}?",
    "Could you tell me when it was, so I can look into {thing} and make it right?",
]
# When they said when it happened, asking again would show nobody read it.
REMEDIES_WHEN_SAID = [
    "Leave it with me: I'll find out what happened with {thing} and put it right.",
    "I'll look into {thing} today and make it right.",
    "I'll find out what went wrong with {thing}, and we'll put it right.",
]
WHEN_SAID = re.compile(
    r"\b(today|tonight|this (morning|afternoon|evening)|yesterday|last night|just now|"
    r"(on |last )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b",
    re.I,
)
KIND_WORDS = [
    "{name}, {thing} sounds like a lot. Go gently on yourself this week.",
    "That sounds hard, {name}. Hope the rest of the week is kinder to you.",
]
WISHES = [
    "Good luck with {thing}!",
    "Hope {thing} goes well.",
    "Fingers crossed for {thing}.",
]


class DraftRequest(BaseModel):
    """Everything a drafting backend may use for one post (the same for every backend)."""

    occasion: Occasion
    post_external_id: str
    person_name: str | None = None
    post_text: str = ""
    # The sentences of the business's knowledge that answer, best first.
    knowledge: list[str] = []
    question: str | None = None
    constraints: list[str] = []
    keyphrases: list[str] = []
    earlier_post: str | None = None
    recent_posts: list[str] = []
    interests: list[str] = []
    # Replies the owner approved for similar posts: the owner's voice.
    examples: list[str] = []
    # Good news the same person shared, to open an answer with.
    good_news: str | None = None
    business_name: str = ""
    # What the business is, in its own words (the workspace file's description).
    business_description: str = ""
    voice: str = ""


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
    "am": "are",
    "was": "were",
}
CUT_BEFORE = set(
    "on at in to for with after since because but and so today tonight yesterday".split()
)
LEAD_FILLERS = re.compile(
    r"^(ok(ay)?|so|well|just|finally|and|but|yes|yay|update|omg|wow)[,:!.]?\s+", re.I
)
EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]+")


def first_name(display_name: str) -> str | None:
    """A first name worth greeting by, or None for brand-like or empty display names."""
    token = (display_name or "").split(" ")[0]
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
    out = []
    for token in re.findall(r"[\w'’]+|[^\w\s]|\s+", text):
        key = token.lower().replace("’", "'")
        swapped = PERSON_SWAP.get(key)
        if swapped is None:
            out.append(token)
        else:
            out.append(swapped.capitalize() if token[0].isupper() and out == [] else swapped)
    return "".join(out)


def the_thing(text: str, *, max_words: int = 9) -> str:
    """The first clause of a post, turned towards its author: what they did or went through."""
    clean = EMOJI.sub("", text).strip()
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
    thing = _no_echo(to_you(" ".join(words)), clean)
    if thing and thing[0].isupper() and not _proper(thing.split()[0], clean):
        thing = thing[0].lower() + thing[1:]
    return thing


def with_detail(thing: str, post: str, *, longest_detail: int = 6) -> str:
    """The thing and, when the post adds a short second sentence, that sentence turned to them
    ("first bake with Doughlene, open crumb"), unless together they would echo the post."""
    parts = [p.strip(" .!?") for p in re.split(r"(?<=[.!?])\s+", EMOJI.sub("", post).strip())]
    if len(parts) < 2 or not parts[1] or len(parts[1].split()) > longest_detail:
        return thing
    second = parts[1]
    if not _proper(second.split()[0], post):
        second = second[0].lower() + second[1:]
    combined = f"{thing}, {to_you(second)}"
    return combined if _no_echo(combined, post, longest=7) == combined else thing


def _no_echo(thing: str, post: str, longest: int = 6) -> str:
    """The thing cut so that no more than `longest` of the post's words come in a row (counted
    as the guard counts them, which refuses eight)."""
    said = " " + " ".join(text_signals.words(post)) + " "
    words = thing.split()
    for end in range(1, len(words) + 1):
        tokens = text_signals.words(" ".join(words[:end]))
        for start in range(len(tokens)):
            if len(tokens) - start > longest and f" {' '.join(tokens[start:])} " in said:
                cuts = [j for j in range(3, end - 1) if words[j].lower() in CUT_BEFORE]
                return " ".join(words[: cuts[-1] if cuts else end - 1])
    return thing


def _proper(word: str, text: str) -> bool:
    """A word that keeps its capital mid-sentence in the post (Leith, Doughlene), or "I"."""
    if word == "I":
        return True
    return bool(re.search(rf"(?<![.!?]\s)(?<=\s){re.escape(word)}\b", text))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


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

    keep = [c for c in clauses if not off_topic(c)]
    if not keep or len(keep) == len(clauses):
        return sentence
    return "; ".join(keep) + "."


def turn_to_them(sentence: str) -> str:
    """A knowledge sentence as said to a person: contractions, no trailing space."""
    sentence = re.sub(r"\bWe are\b", "We're", sentence)
    sentence = re.sub(r"\bwe are\b", "we're", sentence)
    sentence = re.sub(r"\bit is\b", "it's", sentence)
    sentence = re.sub(r"\bIt is\b", "It's", sentence)
    return sentence.strip()


def _fill(template: str, *, name: str | None, thing: str = "") -> str:
    text = template
    if not name:
        text = (
            text.replace(", {name}", "")
            .replace("{name}, ", "")
            .replace(" {name}", "")
            .replace("{name}", "")
        )
    text = text.replace("{Thing}", _cap(thing)).replace("{thing}", thing)
    text = text.replace("{name}", name or "")
    return re.sub(r"\s+", " ", text).strip()


def compose(request: DraftRequest, *, max_chars: int) -> list[str]:
    """Candidate replies, best first, each with different opening and closing words."""
    occasion, name = request.occasion, request.person_name
    if occasion.is_card:
        return []
    thing = the_thing(request.post_text)
    drafts: list[str] = []
    if occasion in (Occasion.ANSWER, Occasion.HELP, Occasion.RECOMMEND):
        drafts = _answers(request, max_chars=max_chars)
    elif occasion in (Occasion.CONGRATULATE, Occasion.CELEBRATE_OUTCOME):
        # The detail that shows it was read ("at 41 — better late than never"), when short.
        detailed = with_detail(thing, request.post_text)
        templates = CONGRATS if occasion == Occasion.CONGRATULATE else OUTCOMES
        if occasion == Occasion.CONGRATULATE and (born := BIRTHDAY.search(request.post_text)):
            templates = [t.replace("{them}", _whose(born.group(1))) for t in BIRTHDAY_WISHES]
        drafts = [_fill(t, name=name, thing=detailed) for t in templates]
        drafts += [_fill(t, name=name, thing=thing) for t in templates if detailed != thing]
    elif occasion == Occasion.THANKS:
        drafts = [_fill(t, name=name) for t in THANKS]
    elif occasion == Occasion.COMPLAINT:
        what = _complaint_thing(request.post_text)
        remedies = REMEDIES_WHEN_SAID if WHEN_SAID.search(request.post_text) else REMEDIES
        drafts = [
            f"{_fill(a, name=name, thing=what)} {_fill(remedies[i], name=name, thing=what)}"
            for i, a in enumerate(APOLOGIES)
        ]
    elif occasion == Occasion.EMPATHISE:
        drafts = [_fill(t, name=name, thing=thing) for t in KIND_WORDS]
    out: list[str] = []
    for draft in drafts:
        draft = re.sub(r"\s+([,.!?:])", r"\1", draft).strip()
        if draft and len(draft) <= max_chars and draft not in out:
            out.append(draft)
    return out


def _whose(subject: str | None) -> str:
    """Who the birthday is for, said to the poster: "she" -> "her", "my son" -> "your son"."""
    if not subject:
        return "you"
    word = subject.lower()
    return {"she": "her", "he": "him", "they": "them", "i": "you"}.get(word) or to_you(
        subject
    ).lower()


def _answers(request: DraftRequest, *, max_chars: int) -> list[str]:
    """Greeting, then the sentences that answer, then (sometimes) a short wish. Stop."""
    name = request.person_name
    greetings = GREETINGS if name else NAMELESS
    wish_thing = _wish_thing(request)
    drafts = []
    # Their good news (another post of theirs) comes after the help they asked for: one card,
    # not two, and the help leads.
    cheer = ""
    if request.good_news:
        cheer = f"And {the_thing(request.good_news)}: well done!"
    for i, greeting in enumerate(greetings):
        opener = _fill(greeting, name=name)
        # The sentences that answer, best first, as many as the platform allows.
        sentences = [turn_to_them(s) for s in request.knowledge]
        while len(sentences) > 1 and len(" ".join([opener, *sentences])) > max_chars:
            sentences.pop()
        text = " ".join([opener, *sentences]).strip()
        if cheer and len(text) + len(cheer) + 1 <= max_chars:
            text = f"{text} {cheer}"
        elif wish_thing and i % 2 == 0:
            wish = _fill(WISHES[(i // 2) % len(WISHES)], name=None, thing=wish_thing)
            if len(text) + len(wish) + 1 <= max_chars:
                text = f"{text} {wish}"
        drafts.append(text)
    return drafts


def _wish_thing(request: DraftRequest) -> str:
    """Something from their own post to wish them luck with ("the croissants"), or ''."""
    for phrase in request.keyphrases:
        if 1 <= len(phrase.split()) <= 2 and re.search(
            rf"\bmy {re.escape(phrase)}\b", request.post_text, re.I
        ):
            return f"your {phrase}"
    return ""


COMPLAINED_OF = re.compile(
    r"\b(bread|loaf|loaves|order|coffees?|cakes?|service|wait(ing)?|delivery|croissants?|"
    r"pastr\w+|prices?|queue|food|staff|tables?|phone|call|bill|charge|repair|bike|toilets?|"
    r"music|noise|milk|sandwich\w*|scones?|pies?|buns?|knots?)\b",
    re.I,
)


def _complaint_thing(text: str) -> str:
    """What they complain about, named as they named it ("the coffees"), or "this"."""
    match = COMPLAINED_OF.search(text)
    return f"the {match.group(0).lower()}" if match else "this"


def phrasing(
    draft: str, *, name: str | None, post_text: str, knowledge: Sequence[str] = ()
) -> tuple[str, str]:
    """The stock words a draft opens and closes with: the words of its first and last
    sentences that are not the person's (their name, what they did) nor the knowledge's.
    Two cards of one morning must differ in both."""
    source = " ".join([name or "", with_detail(the_thing(post_text), post_text), *knowledge])
    own = {w.lower() for w in re.findall(r"[\w']+", source)}
    stock = [
        [w.lower() for w in re.findall(r"[\w']+", sentence) if w.lower() not in own]
        for sentence in re.split(r"(?<=[.!?])\s+", draft.strip())
    ]
    stock = [words for words in stock if words]
    if not stock:
        return "", ""
    opening = " ".join(stock[0][:3])
    closing = " ".join(stock[-1][-3:]) if len(stock) > 1 else ""
    return opening, closing

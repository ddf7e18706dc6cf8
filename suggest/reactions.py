"""Good news answered the way a person who read it would: by the detail, not by reading it back.

A congratulation that restates the post ("Baked your first loaf! That's brilliant.") tells the
person nobody read past the first line. What shows it was read is the detail they added: what
someone else made of it ("Wife says it's the best thing I've made in 40 years"), the turn after
a mishap ("the cake collapsed but she thought it was a volcano"), the aside they closed with
("Better late than never"), and, for good news after a worry, the worry itself ("about to give
up on sourdough", "bit scared"). This module finds those details in the person's own words and
says something back about them; the composer adds the name and the congratulation.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from suggest.wording import EMOJI, cap, no_echo, to_you


class DetailKind(enum.StrEnum):
    """What kind of detail shows the post was read."""

    # Someone else's verdict on what they did: "he ate four", "the kids demolished them".
    REVIEW = "review"
    # …said in words they quote ("wife says it's the best thing I've made in 40 years"): whose
    # verdict it is, since their words read back are a parrot.
    VERDICT = "verdict"
    # The good turn after a mishap: "the cake collapsed but she loved it".
    TURN = "turn"
    # A short closing aside in their words: "Better late than never."
    ASIDE = "aside"
    # Pride they poke fun at: "I'm unbearable now."
    SMUG = "smug"
    # It took a few goes: "on the third attempt".
    ATTEMPT = "attempt"
    # A long stretch: "38 years on the buses".
    YEARS = "years"
    # What they have been working at, said to be paying off: "Half-marathon training is
    # actually working".
    WORKING = "working"


@dataclass(frozen=True)
class Detail:
    kind: DetailKind
    # Their words, turned towards them and short enough never to echo the post.
    text: str


PEOPLE = (
    r"(?:(?:my|our|the|her|his) )?(?:wife|husband|partner|fianc\w+|girlfriend|boyfriend|"
    r"mum|mam|mom|dad|son|daughter|kids?|children|boss|gran(?:ny)?|grandson|granddaughter|"
    r"grandad|grandpa|grandma|nan|nana|family|friends?|everyone|everybody|teacher|neighbours?|"
    r"colleagues?|he|she|they)"
)
SAYING = r"(?:says|said|thinks|thought|reckons|reckoned|declared|called it|told me)"
EATING = r"(?:ate|devoured|loved|love|wolfed|demolished|finished|asked for|wants)"
REVIEW = re.compile(rf"\b(?P<who>{PEOPLE})\s+(?P<verb>{SAYING}|{EATING})\b(?P<rest>[^.!?]*)", re.I)
MISHAP_TURN = re.compile(r"\b(?:but|yet|and still|still)\s+(?P<turn>[^.!?]+)", re.I)
SMUG = re.compile(
    r"\bI'?m (?:so |now |officially )?(?P<adj>unbearable|insufferable|smug|showing off)\b", re.I
)
ATTEMPT = re.compile(
    r"\b(second|third|fourth|fifth|sixth|2nd|3rd|4th|5th) (?:attempt|try|go|time)\b", re.I
)
# Asides worth agreeing with: sayings about the effort, not news of their own ("Legs are
# jelly" said back reads as mockery).
ASIDE = re.compile(
    r"(worth (it|the wait)|success|(open|lovely|great) "
    r"crumb|nailed it|get in|result|finally)!*",
    re.I,
)
ORDINALS = {"2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth"}
DISTANCE = re.compile(r"\b\d+(?:\.\d+)?\s?(?:km|k|miles?|mi)\b", re.I)
# How the distance was done, which is the point of it: "16 km without stopping".
WHOLE_WAY = re.compile(r"\b(?:without (?:stopping|a (?:stop|break))|non-?stop)\b", re.I)
YEARS = re.compile(r"\b\d{1,2} years (?:on|at|in|with|of) (?:the |my |our )?[\w'-]+", re.I)
WORKING = re.compile(
    r"^(?:and |so )?(?P<what>(?:the |my |our |all (?:the|my|that) )?[\w' -]{3,30}?) (?:is|are) "
    r"(?:actually |finally |really |definitely |clearly )?(?:working|paying off)$",
    re.I,
)


def sentences(text: str) -> list[str]:
    clean = EMOJI.sub("", text).strip()
    return [s.strip(" .!?") for s in re.split(r"(?<=[.!?])\s+", clean) if s.strip(" .!?")]


def find_detail(post_text: str) -> Detail | None:
    """The detail of a good-news post that shows it was read, best first; None if only the
    news itself is there."""
    parts = sentences(post_text)
    for part in parts:
        turn = MISHAP_TURN.search(part)
        review = REVIEW.search(turn.group("turn") if turn else part)
        if review:
            who = _who(review.group("who"))
            rest = to_you(review.group("rest").strip(" ,"))
            verb = review.group("verb").lower()
            said = re.sub(r"^(it's|it is|it was|that it's|that it was)\s+", "", rest, flags=re.I)
            if verb in ("says", "said", "reckons", "declared") and said and said != rest:
                if not turn:
                    return Detail(DetailKind.VERDICT, who)
                text = f"{cap(said)}, {'says' if verb in ('says', 'reckons') else 'said'} {who}"
            else:
                text = f"{cap(who)} {verb} {rest}".strip()
                # "and loved it" after "thought it was a volcano": the first picture is enough.
                text = re.split(r"\s+and\s+", text)[0]
            text = no_echo(text, post_text, longest=6)
            if len(text.split()) >= 2:
                kind = DetailKind.TURN if turn else DetailKind.REVIEW
                return Detail(kind, text)
    if attempt := ATTEMPT.search(post_text):
        nth = attempt.group(1).lower()
        return Detail(DetailKind.ATTEMPT, ORDINALS.get(nth, nth))
    if years := YEARS.search(post_text):
        return Detail(DetailKind.YEARS, to_you(years.group(0)))
    for part in parts[1:]:
        if smug := SMUG.search(part):
            return Detail(DetailKind.SMUG, smug.group("adj").lower())
        if working := WORKING.match(part):
            what = to_you(working["what"])
            if not re.match(r"(?:the|your|our|all) ", what, re.I):
                what = f"all that {what[0].lower()}{what[1:]}"
            return Detail(DetailKind.WORKING, what)
    if len(parts) >= 2:
        aside = parts[-1]
        if ASIDE.fullmatch(aside.strip()):
            return Detail(DetailKind.ASIDE, cap(aside))
    return None


def _who(words: str) -> str:
    """Who gave the verdict, said to the poster: "Wife" -> "your wife", "he" -> "he"."""
    lowered = words.lower()
    if lowered in ("he", "she", "they", "everyone", "everybody"):
        return lowered
    if re.match(r"(my|our) ", lowered):
        return to_you(lowered)
    if re.match(r"(the|her|his) ", lowered):
        return lowered
    return f"your {lowered}"


# What a milestone is called when you congratulate someone on it.
EVENTS = {
    "engaged": "the engagement",
    "married": "the wedding",
    "graduated": "graduating",
    "retired": "retiring",
    "promoted": "the promotion",
}
OWNED = re.compile(
    r"\b(?:my|our) ((?:[\w'-]+ ){0,3}?[\w'-]+?)"
    r"(?=\s+(?:at|on|in|after|for|with|today|this|last|and|but)\b|[.!?,;:]|$)",
    re.I,
)
NOT_AN_ACHIEVEMENT = re.compile(
    r"\b(partner|wife|husband|son|daughter|mum|dad|kids?|life|day|week|mind|time)\b", re.I
)
# A past-tense verb: what someone did ("baked", "got", "came off"), not a thing they have.
DONE = re.compile(
    r"\b(?:\w+ed|got|made|ran|won|did|hit|took|went|bought|sold|began|came|fell|broke|lost|had|"
    r"cut|spent|left|found|woke|slept|ate|drank|gave|threw|tore|wore|rode|drove)\b",
    re.I,
)
NEGATED = re.compile(r"\b(never|not|no|can't|cannot|didn't|don't|won't|haven't)\b", re.I)


# News about someone close to them: the congratulations are for that person.
RELATION = re.compile(
    r"(?:just\s+)?(?:my|our) (daughter|son|wife|husband|partner|mum|dad|kids|grandson|"
    r"granddaughter|sister|brother|niece|nephew)\b(?! and I)",
    re.I,
)


def achievement(post_text: str) -> str:
    """What to congratulate them on, as a noun phrase said to them ("your first loaf",
    "the engagement"), or '' when the post does not name one plainly."""
    first = sentences(post_text)[:1]
    if not first:
        return ""
    if relation := RELATION.match(first[0]):
        return f"to your {relation.group(1).lower()}"
    for verb, noun in EVENTS.items():
        if re.search(rf"\bgot {verb}\b|\b{verb}\b", first[0], re.I):
            return noun
    if NEGATED.search(first[0]):
        return ""  # "Never baked bread in my life" is not an achievement yet
    owned = OWNED.search(first[0])
    if owned and not NOT_AN_ACHIEVEMENT.search(owned.group(1)) and not DONE.search(owned.group(1)):
        return f"your {owned.group(1)}"
    return ""


# Worries a later good-news post settles, and what a person glad for them would say.
GAVE_UP = re.compile(r"\b(?:give|giving|gave) up on (?P<what>[\w' -]+?)(?=[.!?,;]|$)", re.I)
# A thing of theirs with a mind of its own, misbehaving before the good news: "Doughlene is
# sulking in the cold kitchen" (a starter with a name), "the oven's playing up again".
SULK = re.compile(
    r"\b(?P<who>(?:my|the|our) (?:starter|dough|oven|bike|car|boiler)|[A-Z][a-z]{3,}) "
    r"(?:is|'s|has been) (?:still |properly |really )?(?P<mood>sulking|in a (?:huff|mood|strop)|"
    r"on strike|playing up|misbehaving|acting up)\b"
)
OVER_IT = {
    "sulking": "has stopped sulking",
    "on strike": "is off strike",
    "playing up": "is behaving again",
    "misbehaving": "is behaving again",
    "acting up": "is behaving again",
}
AFRAID = re.compile(r"\b(scared|nervous|worried|anxious|dreading|terrified|bricking it)\b", re.I)
BODY_PARTS = (
    r"knees?|hips?|back|shoulders?|ankles?|wrists?|feet|foot|legs?|arms?|hands?|eyes?|teeth"
)
BODY = re.compile(rf"\b(?:{BODY_PARTS})\b", re.I)


def _that(part: str) -> str:
    """A body part pointed at: "that knee", "those knees"."""
    part = part.lower()
    return f"those {part}" if part.endswith("s") or part in ("feet", "teeth") else f"that {part}"


# Something they got to fix the problem, and were waiting to see if it would help.
TRIAL = re.compile(
    r"\b(?:bought|got|ordered|trying|tried)\s+(?:a|an|my|the|some)?\s*(?:new\s+|proper\s+)?"
    r"(?P<thing>[a-z]{4,}(?: (?!today|tonight|yesterday|again|instead)[a-z]{4,})?)"
    r"(?=[.!?,;])[.!?,;]*\s*"
    r"(?:let'?s see|see if|fingers crossed|hope (?:it|this) (?:helps|works))",
    re.I,
)


SHORT_NEWS = 4


# Something they could not make sense of while the problem lasted ("The poke test makes no
# sense to me"): good news after it may mean it finally clicked.
STRUGGLE = re.compile(
    r"\b(?P<thing>the [a-z]+(?: [a-z]+)?) (?:makes|made) no sense\b|"
    r"\bcan'?t get my head (?:a)?round (?P<other>the [a-z]+(?: [a-z]+)?)\b",
    re.I,
)


# What stood in their way, told in an earlier post: "Leith Walk hill is not my friend", "that
# hill is killing me".
NEMESIS = re.compile(
    r"(?P<what>\b(?:[A-Z][\w']+ ){0,3}(?:hill|climb|brae|stairs|path|road|test|exam|lock|"
    r"starter|oven|knees?|hip)) (?:is|are) (?:not|no|never) (?:my|our) friends?\b|"
    r"(?P<other>\b(?:[A-Z][\w']+ ){0,3}(?:hill|climb|brae|stairs)) (?:is|are) killing me\b",
)


def nemesis(recent_posts: Sequence[str], post_text: str) -> str:
    """What stood in their way on the way to this news, from an earlier post on the same thing
    ("Started cycling to work. Leith Walk hill is not my friend." before the cycling badge), or
    ''."""
    theirs = {w[:5] for w in re.findall(r"[a-z]{5,}", post_text.lower())}
    for text in recent_posts:
        found = NEMESIS.search(text)
        if found and theirs & {w[:5] for w in re.findall(r"[a-z]{5,}", text.lower())}:
            return str(found["what"] or found["other"])
    return ""


def asked_back(recent_posts: Sequence[str], earlier_post: str | None) -> tuple[str, str] | None:
    """For good news after a worry, one easy question about what they did since the worry
    ("Was it the banneton that did it?", "Did the poke test finally click?") and the post it
    asks about; None when they told of nothing since."""
    # Only what they tried after the worry can be what settled it.
    since = list(recent_posts)
    if earlier_post in since:
        since = since[: since.index(earlier_post)]
    for text in since:
        if found := TRIAL.search(text):
            return f"Was it the {found['thing'].lower()} that did it?", text
    for text in since:
        if found := STRUGGLE.search(text):
            return f"Did {(found['thing'] or found['other']).lower()} finally click?", text
    return None


def relief(earlier_post: str | None) -> list[str]:
    """What to say about the worry a good-news post settles, in the words of the earlier post
    ("So glad you didn't give up on sourdough."); empty when the earlier post names none."""
    if not earlier_post:
        return []
    out: list[str] = []
    if sulk := SULK.search(earlier_post):
        who = to_you(sulk["who"])
        over = OVER_IT.get(sulk["mood"].lower(), "is out of the huff")
        out += [f"Glad {who} {over}.", f"Sounds like {who} {over}."]
    if gave_up := GAVE_UP.search(earlier_post):
        what = to_you(gave_up.group("what").strip())
        # ("So glad" is how good news after nerves is met: not two of a morning.)
        out += [f"Good thing you stuck with {what}.", f"So glad you didn't give up on {what}."]
    if AFRAID.search(earlier_post):
        part = BODY.search(earlier_post)
        after = f"Go gently on {_that(part.group(0))}." if part else "Go gently for a bit."
        out += [
            f"What a relief after all the nerves. {after}",
            f"That must be a relief after the nerves. {after}",
        ]
    return out


# What to say back to a detail, by its kind; {detail} is the person's words turned to them.
SAID_BACK = {
    DetailKind.REVIEW: ["{detail}! High praise.", "{detail}: that's quite a review."],
    DetailKind.VERDICT: ["High praise from {detail}.", "That's quite a review from {detail}."],
    DetailKind.TURN: ["{detail}, and that's what counts.", "{detail}, which is all that matters."],
    DetailKind.ASIDE: ["{detail}!", "{detail}, and well earned."],
    DetailKind.SMUG: ["You've earned the right to be {detail}.", "{Detail} is allowed after that."],
    DetailKind.YEARS: ["{Detail}: what a run.", "{Detail} is quite something."],
    DetailKind.ATTEMPT: ["{Detail} time lucky!", "{Detail} time's the charm."],
    DetailKind.WORKING: [
        "{Detail} is clearly paying off.",
        "{Detail} is paying off, and it shows.",
    ],
}
# News that is only a cry of joy: "Success.", "Result!", "Yes!!".
INTERJECTION = re.compile(
    r"(?:success|result|win|yes+|yay|hooray|phew|get in|boom|nailed it)", re.I
)
# When the review is of something eaten or loved, it is the best kind there is.
EATEN = re.compile(rf"\b{EATING}\b", re.I)
EATEN_BACK = ["{detail}! Best compliment there is.", "{detail}: you can't argue with that."]
# Training for an event: "all that half-marathon training" -> "half-marathon".
TRAINING_FOR = re.compile(r"(?:all that |the |your )?(?P<goal>[\w' -]+?) training$", re.I)
TOGETHER = re.compile(
    r"\b(my (partner|wife|husband|girlfriend|boyfriend|fianc\w+) and I|we)\b", re.I
)


def good_news(
    *,
    post_text: str,
    thing: str,
    name: str | None,
    outcome: bool,
    earlier_post: str | None = None,
    birthday_for: str | None = None,
) -> list[str]:
    """Replies to good news that name the detail that shows it was read, best first; empty
    when the post has no detail to name (the composer then names the news itself)."""
    detail = find_detail(post_text)
    said_back: list[str] = []
    if detail:
        lines = SAID_BACK[detail.kind]
        if detail.kind is DetailKind.REVIEW and EATEN.search(detail.text):
            lines = EATEN_BACK
        if detail.kind is DetailKind.WORKING and (goal := TRAINING_FOR.search(detail.text)):
            # Training said to work, said back, is their post again; what it brings within
            # reach is the point of it: "The half-marathon is looking very doable now."
            # ("Well done… well within reach" says "well" twice.)
            lines = [
                f"The {goal['goal']} is looking very doable now.",
                f"That {goal['goal']} is in reach now.",
            ]
        said_back = [
            line.replace("{Detail}", cap(detail.text)).replace("{detail}", detail.text)
            for line in lines
        ]
    if outcome:
        eased = relief(earlier_post)
        settled = list(eased)
        if detail and detail.kind is not DetailKind.ASIDE:
            settled += said_back
        if went := WENT_WELL.match(thing):
            # "Surgery went well" said back is a parrot: "So glad it went well, Morag. …" (a
            # colon after a name reads as a tic, not as speech).
            glad = f"So glad it {went['how']}"
            return [_tidy(f"{_named(glad, name)[:-1]}. {line}") for line in settled]
        # The news leads ("The loaf rose!"), then what it settles or the detail; a news line
        # with no one doing it ("Baked scones together!") reads oddly: leave it out.
        news = f"{cap(thing)}!" if thing and not DONE.match(thing) else ""
        # ("Success." said back is only their word: the detail says more, "He ate four!")
        if said_back and INTERJECTION.fullmatch(thing.strip(" .!")):
            news = ""
        # Best, what it settles alone: their news read back ("The loaf rose!") tells them
        # nothing they don't know (a word on their detail alone would name nothing). Then with
        # the news, for a morning's variety.
        drafts = [_tidy(_named(line, name)) for line in settled if line not in said_back]
        with_news = [
            _tidy(f"{news} {_named(line, name, last=line in said_back)}") for line in settled
        ]
        news_after = [_tidy(f"{_named(line, name)} {news}") for line in settled] if news else []
        # Best of all, the worry it settles and their detail, without their news read back
        # ("Glad Doughlene has stopped sulking, Sam. You've earned the right to be unbearable.").
        if eased and detail and detail.kind is not DetailKind.ASIDE:
            drafts = [
                _tidy(f"{_named(line, name)} {back}") for line in eased for back in said_back
            ] + drafts
        # …except news as short as "The loaf rose!": it is the joy, not a parrot, so it is
        # said first, or (when another card of the morning opens with their words) last.
        elif 0 < len(news.split()) <= SHORT_NEWS:
            return with_news + news_after + drafts
        # Longer news read back first is a parrot: what it means to them comes first ("You've
        # earned the right to be unbearable, Sam. First bake with Doughlene, open crumb!").
        return drafts + news_after + with_news
    achieved = achievement(post_text)
    if detail and detail.kind is DetailKind.WORKING and not birthday_for:
        # What they did, then what it shows: "Well done on the 16 km, Maria! All that
        # half-marathon training is clearly paying off." (Their news said back first is a
        # shape one card a morning may have.)
        what = f"the {distance[0]}" if (distance := DISTANCE.search(thing)) else achieved
        if distance and (whole := WHOLE_WAY.search(post_text)):
            what += f" {whole[0].lower()}"
        done = [f"Well done on {what}", f"Congratulations on {what}"] if what else ["Well done"]
        firsts = [_named(f"{d}!", name) for d in done]
        if thing:
            firsts.append(f"{cap(thing)}, {name}!" if name else f"{cap(thing)}!")
        return [_tidy(f"{first} {line}") for first in firsts for line in said_back]
    both = " to you both" if TOGETHER.search(post_text) else ""
    if birthday_for:
        closers = [f"Happy birthday to {birthday_for}", f"A very happy birthday to {birthday_for}"]
    elif achieved.startswith("to "):
        closers = [f"Congratulations {achieved}", f"Many congratulations {achieved}"]
    elif achieved:
        closers = [
            f"Congratulations{both} on {achieved}",
            f"Well done{both} on {achieved}",
            f"Many congratulations{both} on {achieved}",
        ]
    elif said_back:
        closers = [f"Congratulations{both}", "Well done"]
    else:
        return []
    closers = [_named(f"{c}!", name) for c in closers]
    if not said_back and achieved and (age := AGE.search(sentences(post_text)[0])):
        if int(age.group(1)) < NEVER_TOO_LATE_AGE:
            return closers
        # "Your badge at 41: well done" reads their words back; what the age says is the point.
        return [
            f"Proof it's never too late{', ' + name if name else ''}. Well done on {achieved}!",
            f"{closers[0]} Proof it's never too late.",
        ]
    if not said_back:
        places = PLACE.findall(sentences(post_text)[0]) if achieved in EVENTS.values() else []
        places = [p for p in places if not re.search(WHEN, p, re.I)]
        said_back = [f"{cap(places[0])} is a lovely spot for it."] if places else []
        return [_tidy(f"{c} {line}") for c in closers for line in said_back or [""]]
    drafts = [
        _tidy(f"{line} {closers[(i + j) % len(closers)]}")
        for i, line in enumerate(said_back)
        for j in range(len(closers))
    ]
    if detail and detail.kind is DetailKind.VERDICT and achieved and not birthday_for:
        # Whose verdict, after the congratulation, and the years that make it worth having:
        # "Congratulations on your first loaf, Gus! High praise from your wife, and after 40
        # years of marriage she'd know." (Their verdict read back is a parrot; the verdict's
        # owner alone, without a congratulation, reads dry.)
        if years := YEARS.search(post_text):
            knows = {"your wife": "she", "your husband": "he"}.get(detail.text, "they")
            said_back = [
                f"High praise from {detail.text}, and after {to_you(years[0])} {knows}'d know."
            ] + said_back
        return [_tidy(f"{closer} {line}") for line in said_back for closer in closers]
    if detail and detail.kind is DetailKind.REVIEW and achieved and not birthday_for:
        # Someone's verdict on what they did, and what they did, in one sentence ("…says your
        # wife: that's quite a review for your first loaf, Gus."): no second congratulation.
        one = [
            _tidy(f"{line.rstrip('.!')} for {achieved}{', ' + name if name else ''}.")
            for line in said_back
            if re.search(r"(review|praise)[.!]$", line)
        ]
        drafts = one + drafts
    # The congratulation first, then the detail: not every card opens with their words.
    return drafts + [_tidy(f"{closers[0]} {line}") for line in said_back]


WENT_WELL = re.compile(
    r"^(?:the |my |your )?[\w' -]{2,30}? "
    r"(?P<how>(?:went|is|was|came out) (?:well|fine|great|ok|okay|perfectly))\b",
    re.I,
)
# An achievement at this age or later is worth a word on the age itself.
NEVER_TOO_LATE_AGE = 30
AGE = re.compile(r"\bat (\d{2})\b(?! ?(?:am|pm|%|km|miles|mph|°))")
WHEN = (
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|"
    r"april|may|june|july|august|september|october|november|december|christmas)\b"
)
PLACE = re.compile(r"\b(?:on|at|in) ((?:the )?[A-Z][\w'-]+(?: [A-Z][\w'-]+)*)")


def _named(line: str, name: str | None, *, last: bool = False) -> str:
    """The name at the end of a line's first (or last) sentence: "What a relief after all the
    nerves, Morag. Go gently on that knee."."""
    if not name:
        return line
    parts = re.split(r"(?<=[.!?])\s+", line.strip())
    at = len(parts) - 1 if last else 0
    body, stop = parts[at][:-1], parts[at][-1]
    if stop not in ".!?":
        body, stop = parts[at], "."
    parts[at] = f"{body}, {name}{stop}"
    return " ".join(parts)


def _tidy(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# What someone who read the whole post says at the end of an answer: a word about the thing
# around the question (the flight, the sore knees), never another question.
# A journey of theirs ("before a flight", "catch the early train"), not a street ("the church
# hall off Ferry Road") or training for a race.
TRAVEL = re.compile(
    r"\b(?:(?:my|our|her|his|their|a|an|the|early|late|catch|catching) (?:flight|plane|train|"
    r"ferry)\b(?! (?:road|rd|street|st|terrace|place)\b)|(?:flight|plane|train|ferry)(?:'s| home| "
    r"back| leaves| departs| is at| at \d)|(?:trip|holiday|travels?)\b)",
    re.I,
)
SORE = re.compile(
    rf"\b(?P<part>{BODY_PARTS})\b[^.!?]{{0,25}}"
    r"\b(need|needs|sore|aching|achy|gentle|bad|dodgy|playing up)\b",
    re.I,
)
AHEAD = re.compile(
    r"\b(?:my|the|an?) (?P<event>exam|interview|driving test|race|marathon|half|audition|"
    r"first day|big day|presentation)\b[^.!?]{0,30}\b(tomorrow|on \w+day|next week|this week)",
    re.I,
)


def parting_words(post_text: str, *, late: bool = False) -> list[str]:
    """A short last line for an answer, from what else the post says; empty if nothing. A late
    reply wishes nothing for what has happened since (the flight has gone)."""
    out: list[str] = []
    if sore := SORE.search(post_text):
        part = _that(sore["part"])
        settle = "settle" if part.startswith("those") else "settles"
        out += [f"Go easy on {part}.", f"Hope {part} {settle} down soon."]
    if ahead := AHEAD.search(post_text):
        out += [f"Good luck with the {ahead['event'].lower()}!"]
    if TRAVEL.search(post_text) and not late:
        out += ["Safe travels!", "Have a good trip."]
    return out

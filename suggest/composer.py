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
from datetime import timedelta

from pydantic import BaseModel

from analysis import text as text_signals
from core.models import Occasion
from suggest import guard, knowledge, mentions, reactions, timeline, wording
from suggest.need import BEGINNER

VERSION = "composer-2"

# Openers by occasion; {name} is the person's first name. Several per occasion so that a
# morning's queue never repeats one.
GREETINGS = [
    # No greeting: the name closes the first sentence ("The fridge dries bread out, Dougie.").
    "",
    "Morning {name}!",
    "Hi {name}!",
    "Hello {name}!",
    "Hey {name}!",
    "Hiya {name}!",
    "Good morning, {name}!",
    "Hello there, {name}!",
    "Hey there, {name}!",
]
# A question put to the business that waited this long gets an apology for the wait (a
# question from last night answered this morning is no slow reply, a reader of fresh drafts
# found: "Sorry for the slow reply" there is not true).
LATE_AFTER = timedelta(hours=24)
LATE = ["Sorry for the slow reply, {name}!", "Sorry, {name}, only just seeing this!"]
# Openers for what the post says about the asker: someone who fears a question is daft, or
# a beginner, hears that first.
DAFT = re.compile(
    r"\b(daft|silly|stupid|dumb) (question|to\b)|\bis it (daft|silly|stupid|dumb)\b", re.I
)
# Words before "stolen" that are not what was taken ("just got", "it got"), or say it has not
# happened ("my bike will get nicked").
NOT_TAKEN = frozenset(
    {"got", "get", "gets", "getting", "just", "it", "they", "was", "been", "has", "have", "were"}
)
NOT_DAFT = ["Not a daft question at all, {name}.", "Not daft at all, {name}."]
# Something of theirs taken ("bike nicked from outside the tesco"): sorry comes before help.
TAKEN = re.compile(
    r"\b(?:(?:my|our|his|her|the|their)\s+)?(?P<what>(?:new\s+|old\s+)?[a-z-]{3,})\s+"
    r"(?:got\s+|was\s+|were\s+|has\s+been\s+|have\s+been\s+|been\s+|just\s+got\s+)?"
    r"(?:nicked|stolen|pinched|swiped|knicked)\b",
    re.I,
)
SORRY_TAKEN = [
    "Sorry about the {thing}, {name}: that's gutting.",
    "Gutted for you about the {thing}, {name}.",
]
NEW_TO_IT = ["Lovely thing to learn, {name}!", "Everyone starts somewhere, {name}!"]
# The name at the end of a first sentence only when that sentence is short.
NAME_AFTER_WORDS = 14
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
# What thanks can name: someone of the team they praise ("the young lad who ran after my dad"),
# something of theirs handed back ("he'd left his wallet on the table"), their own news told
# with it ("AND I GOT THE JOB").
STAFF = re.compile(
    r"\b(?:the|your|that|this)\s+(?:young\s+|wee\s+|lovely\s+|nice\s+|kind\s+|older\s+)?"
    r"(?P<who>lad|lassie|girl|guy|boy|man|woman|lady|chap|fella|mechanic|barista|baker|waiter|"
    r"waitress)\b",
    re.I,
)
WHOEVER = re.compile(r"\bwho(?:ever)? (?:rang|called|phoned|served|fixed|helped|sorted)\b", re.I)
SHE = {"lassie", "girl", "woman", "lady", "waitress"}
HE = {"lad", "guy", "boy", "man", "chap", "fella", "waiter"}
HANDED_BACK = re.compile(
    r"\b(?:left|dropped|forgot)\s+(?:his|her|my|their|our)\s+(?P<item>wallet|purse|phone|keys|"
    r"bag|card|glasses|scarf|jacket|coat|umbrella|hat|gloves?|bank card)\b",
    re.I,
)
THEIR_NEWS = re.compile(
    r"\b(?:i|we)\s+(?:got|passed|won|landed)\s+(?:the|my|our|a)\s+(?P<what>job|place|flat|house|"
    r"offer|promotion|contract|apprenticeship|test|driving test|exam|interview|race)\b",
    re.I,
)
APOLOGIES = [
    "{name}, I'm really sorry about {thing}. That's not good enough, and it's on us.",
    "I'm so sorry, {name}: {thing} isn't what you should get from us.",
    "{name}, thank you for telling us, and I'm sorry about {thing}. We got that wrong.",
]
# One concrete next step the business can always offer: find out, and put it right.
REMEDIES = [
    "Which day were you in for {thing}? I'd like to find out what happened and put it right.",
    "I'd like to put {thing} right: which day were you in?",
    "Could you tell me when it was, so I can look into {thing} and make it right?",
]
# After the apology and what should have happened: no promise to look into what is explained.
TOLD_US = [
    "Thank you for telling us.",
    "Thanks for letting us know, and sorry again.",
    "I'm glad you told us.",
]
# When they said when it happened, asking again would show nobody read it.
REMEDIES_WHEN_SAID = [
    "Leave it with me: I'll find out what happened with {thing} and put it right.",
    "I'll look into {thing} today and make it right.",
    "I'll find out what went wrong with {thing}, and we'll put it right.",
]
WHEN_SAID = re.compile(
    r"\b(today|tonight|this (morning|afternoon|evening|week)|yesterday|last (night|week)|"
    r"just now|(\d+|a|two|three|four|five|six|a few) (days?|weeks?|months?) ago|"
    r"(on |last )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b",
    re.I,
)
KIND_WORDS = [
    "{name}, {thing} sounds like a lot. Go gently on yourself this week.",
    "That sounds hard, {name}. Hope the rest of the week is kinder to you.",
]
MISHAP_WORDS = [
    "Oh no, {name}, {what}! What a thing to happen.",
    "Ah no, {name}: {what}, after all that. That's gutting.",
]


def _noun_like(thing: str) -> bool:
    """Can the thing stand as a sentence's subject ("the exam", not "came off on the ice": a
    past-tense verb opening it makes no subject)?"""
    return bool(thing) and not reactions.DONE.match(thing)


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
    # The sentences of the business's knowledge that answer, best first, and the titles of
    # their snippets ("Feeding a starter for weekly baking").
    knowledge: list[str] = []
    knowledge_titles: list[str] = []
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
    # They asked the business directly and the reply comes long after: say sorry first.
    late: bool = False
    # The post speaks to the business (its handle, its name), not only of it or to others.
    addressed: bool = False


def _fill(template: str, *, name: str | None, thing: str = "") -> str:
    text = template
    if not name:
        text = (
            text.replace(", {name}", "")
            .replace("{name}, ", "")
            .replace(" {name}", "")
            .replace("{name}", "")
        )
    text = text.replace("{Thing}", wording.cap(thing)).replace("{thing}", thing)
    text = text.replace("{name}", name or "")
    return re.sub(r"\s+", " ", text).strip()


def compose(request: DraftRequest, *, max_chars: int) -> list[str]:
    """Candidate replies, best first, each with different opening and closing words."""
    occasion, name = request.occasion, request.person_name
    if occasion.is_card:
        return []
    drafts: list[str] = []
    if occasion in (Occasion.ANSWER, Occasion.HELP, Occasion.RECOMMEND):
        drafts = _answers(request, max_chars=max_chars)
    elif occasion in (Occasion.CONGRATULATE, Occasion.CELEBRATE_OUTCOME):
        # The news is the sentence that tells it ("I'm 61 and until this February I had never
        # ridden a bike. … Today I rode the whole Warriston path … without stopping"), named
        # whole: "seven years on the council waiting list", not "…the council waiting".
        thing = wording.the_thing(_the_news(request.post_text), longest=7)
        # The detail that shows it was read ("at 41 — better late than never"), when short.
        detailed = wording.with_detail(thing, request.post_text)
        outcome = occasion == Occasion.CELEBRATE_OUTCOME
        templates = OUTCOMES if outcome else CONGRATS
        born = BIRTHDAY.search(request.post_text) if not outcome else None
        if born:
            templates = [t.replace("{them}", _whose(born.group(1))) for t in BIRTHDAY_WISHES]
        # Best: say something about the detail they added, or the worry the news settles.
        drafts = reactions.good_news(
            post_text=request.post_text,
            thing=_news(thing, detailed),
            name=name,
            outcome=outcome,
            earlier_post=request.earlier_post,
            birthday_for=_whose(born.group(1)) if born else None,
        )
        # Good news after trying something, or after something that made no sense to them:
        # one easy question about it.
        if outcome and (back := reactions.asked_back(request.recent_posts, request.earlier_post)):
            drafts = [f"{d} {back[0]}" for d in drafts] + drafts
        drafts += [_fill(t, name=name, thing=detailed) for t in templates]
        drafts += [_fill(t, name=name, thing=thing) for t in templates if detailed != thing]
        achieved = reactions.achievement(request.post_text)
        if achieved.startswith("your ") and (
            beaten := reactions.nemesis(request.recent_posts, request.post_text)
        ):
            # What stood in their way, from their own earlier post, rather than their news
            # read back: "Well done on your cycling proficiency badge, Ravi! Leith Walk hill
            # doesn't stand a chance now."
            beaten = wording.cap(beaten if beaten[:1].isupper() else f"that {beaten}")
            drafts = [
                _fill(
                    f"Well done on {achieved}, {{name}}! {beaten} doesn't stand a chance now.",
                    name=name,
                ),
                _fill(
                    f"{beaten} doesn't stand a chance now, {{name}}. Well done on {achieved}!",
                    name=name,
                ),
                _fill(f"{{name}}, {achieved}! {beaten} doesn't stand a chance now.", name=name),
                *drafts,
            ]
        if not outcome and _thanks_us(request):
            # "…got FIRST at the village show!! Huge thanks to the folk at Crumb & Kettle": the
            # congratulation, and the thanks taken in a word
            headline = _news_first(request.post_text)
            drafts = [
                *(
                    [
                        _fill(
                            f"{headline}: congratulations, {{name}}! And thank you, {t}", name=name
                        )
                        for t in THANKED
                    ]
                    if headline
                    else []
                ),
                *(f"{d} And thank you, {THANKED[i % len(THANKED)]}" for i, d in enumerate(drafts)),
            ]
    elif occasion == Occasion.THANKS:
        drafts = [*_thanks_for(request.post_text, name), *[_fill(t, name=name) for t in THANKS]]
    elif occasion == Occasion.COMPLAINT:
        what = _complaint_thing(request.post_text, request.knowledge_titles)
        # When it was is said in the post, or in the one just before ("brunch tomorrow")
        said_when = bool(WHEN_SAID.search(request.post_text)) or any(
            text_signals.RELATIVE_DAY.search(t) for t in request.recent_posts[:1]
        )
        remedies = REMEDIES_WHEN_SAID if said_when else REMEDIES
        if what in ("this", "finding us shut", "being sent outside"):
            # "…what happened with this…" reads garbled: only the remedies that name nothing
            remedies = [r for r in remedies if "{thing}" not in r] or [
                "I'd like to find out what happened and put it right."
            ]
        # What should have happened, from the knowledge, between the apology and the remedy
        # ("Dogs are welcome inside; there is a water bowl by the door."), when they asked; to
        # someone who found us shut, the hours they needed.
        # (or a complaint told, with what the business says should have happened)
        asked_or_shut = (
            request.question
            or what == "finding us shut"
            or any(knowledge.REMEDY.search(k) for k in request.knowledge)
        )
        facts = _turned(request) if asked_or_shut else []
        drafts = []
        for i, apology in enumerate(APOLOGIES):
            sorry = _fill(apology, name=name, thing=what)
            # With what should have happened told, there is nothing left to find out: a short
            # word of thanks for telling us closes it.
            told = list(facts)
            remedy = TOLD_US[i % len(TOLD_US)] if told else ""
            # As many of the facts as the platform allows, the first (best) kept longest.
            while told and len(" ".join([sorry, *told, remedy])) > max_chars:
                told.pop()
            if not told:
                remedy = _fill(remedies[i % len(remedies)], name=name, thing=what)
            drafts.append(" ".join([sorry, *told, remedy]))
    elif occasion == Occasion.EMPATHISE:
        thing = wording.the_thing(request.post_text)
        kind_words = KIND_WORDS
        mishap = text_signals.MISHAP.search(request.post_text)
        if mishap and mishap["what"]:
            # "Oh no, Dot, the entire tray!": what went wrong, and nothing heavier
            what = wording.to_you(mishap["what"].strip().lower())
            kind_words = [t.replace("{what}", what) for t in MISHAP_WORDS]
        elif not _noun_like(thing):
            # "Mhairi, came off on black ice sounds like a lot" is no sentence
            kind_words = [t for t in KIND_WORDS if "{thing}" not in t]
        drafts = [_fill(t, name=name, thing=thing) for t in kind_words]
    out: list[str] = []
    for draft in drafts:
        draft = re.sub(r"\s+([,.!?:])", r"\1", draft).strip()
        if draft and len(draft) <= max_chars and draft not in out:
            out.append(draft)
    return out


THANKED = ("that really made the team's day.", "it means a lot to the team.")


def _thanks_us(request: DraftRequest) -> bool:
    """Do they thank the business, by handle or by name, in their good news? (Not "@callum got
    there, sorted in 10 mins, thank you!!": thanks to someone else.)"""
    text = request.post_text
    named = request.addressed or guard.names_business(text, [request.business_name])
    return named and bool(THANKING.search(text))


def _thanks_for(text: str, name: str | None) -> list[str]:
    """Thanks that names what they thanked for, when the post says it; else none."""
    parts = []
    if handed := HANDED_BACK.search(text):
        parts.append(f"So glad the {handed['item'].lower()} made it back.")
    if staff := STAFF.search(text):
        who = staff["who"].lower()
        pronoun = "she" if who in SHE else "he" if who in HE else "they"
        parts.append(f"I'll make sure {pronoun} {'hear' if pronoun == 'they' else 'hears'} this.")
    elif WHOEVER.search(text):
        # "big thanks to whoever rang me yesterday"
        parts.append("I'll make sure they hear this.")
    if news := THEIR_NEWS.search(text):
        parts.append(f"And congratulations on the {news['what'].lower()}!")
    elif headline := _news_first(text):
        # "HIGHLY COMMENDED 🥖 … big thanks to the folk at crumb and kettle": the news first
        return [
            _fill(f"{headline}: congratulations, {{name}}! And thank you, {thanked}", name=name)
            for thanked in THANKED
        ]
    if not parts:
        return []
    body = " ".join(parts)
    return [
        _fill(f"Thank you so much, {{name}}! {body}", name=name),
        _fill(f"{{name}}, thank you for this. {body}", name=name),
    ]


THANKING = re.compile(r"\b(thank|thanks|cheers|grateful|shout ?out|appreciate)", re.I)


# A first sentence this short is a headline: the news itself.
NEWS_HEADLINE = 6
# …and one up to this long, with no news in it, leads in to the news.
LEAD_IN = 8
# A sentence longer than this tells its news from the clause that has it.
LONG_SENTENCE = 12
CLAUSE_START = re.compile(
    r"[:;,]\s+(?:(?:and|then|but)\s+)?|"
    # (a new subject: "and the whole lot sold out", not "and back without stopping")
    r"\s+(?:and|then|but)\s+(?=(?:the|it|they|we|she|he|i|my|our|everyone|everybody|all)\b)",
    re.I,
)


# A headline that announces news without telling it.
ANNOUNCES = re.compile(
    r"^\W*(?:(?:a |some )?(?:wee |little |small |big |huge |good |great |exciting )?(?:bit of )?"
    r"(?:news|update)|guess what|had to tell (?:you|you lot|you all|someone|somebody)|"
    r"you (?:will not|won'?t|will never) believe (?:this|it|what happened)|"
    r"(?:i )?(?:can'?t|cannot|still can'?t) believe (?:this|it)|omg|wow|"
    + text_signals.PROUD_HEADLINE
    + r")"
    r"(?:\s*[^\w\s'’]+)+\s*(?=[A-Z])",
    re.I,
)


def _the_news(text: str) -> str:
    """The sentence of a good-news post that tells the news, and what follows it: the first,
    unless it is a long sentence with no milestone in it and a later one has one (a headline as
    short as "DONE." or "HANDED IT IN." is the news, whatever numbers follow it); in a long
    sentence, from the clause that tells it."""
    # "Wee bit of news 🏆 My sourdough got FIRST…": the news is what the headline announces
    if (announced := ANNOUNCES.match(text)) and text[announced.end() :].strip():
        text = text[announced.end() :].strip()
    # (an aside in brackets is no part of the news: "a poem about the Shore (the swans, the
    # boats…) and it's been picked")
    text = re.sub(r"\s*\([^()]*\)", "", text)
    said = re.split(r"(?<=[.!?])\s+", text.strip())
    if len(said[0].split()) < NEWS_HEADLINE:
        return text
    # (or, after a short lead-in, the good news itself: "OK I lied, I tried one more. IT HAS
    # AN EAR.")
    told = (
        next((i for i, s in enumerate(said) if timeline.GOOD_NEWS.search(s)), 0)
        if len(said[0].split()) <= LEAD_IN
        else 0
    )
    first = next((i for i, s in enumerate(said) if text_signals.MILESTONE.search(s)), told)
    news = said[first]
    # In a long sentence, from the clause that tells it ("Bake sale update for anyone who
    # witnessed my meltdown last night: made a second batch…, and the whole lot sold out in
    # 15 minutes")
    milestone = text_signals.MILESTONE.search(news)
    if milestone and len(news.split()) > LONG_SENTENCE:
        # (not from "it's been picked…": what "it" is was said before)
        clauses = [
            b.end()
            for b in CLAUSE_START.finditer(news[: milestone.start()])
            if not re.match(r"it\b", news[b.end() :], re.I)
        ]
        news = news[clauses[-1] :] if clauses else news
    return " ".join([news, *said[first + 1 :]])


def _news_first(text: str) -> str:
    """Their news, when thanks comes after it in a headline of its own ("HIGHLY COMMENDED 🥖🥖
    eighteen months ago … big thanks to …"); else ''."""
    said = reactions.sentences(wording.plain(text))
    if len(said) < 2 or THANKING.search(said[0]) or not THANKING.search(" ".join(said[1:])):
        return ""
    headline = said[0]
    if len(headline.split()) > 5 or not re.search(r"[A-Za-z]", headline):
        return ""
    # News, not a remark: shouted ("HIGHLY COMMENDED"), or something done ("Passed my test!")
    shouted = re.match(r"\W*([A-Z][A-Z\s'!-]{5,})", text)
    done = reactions.DONE.match(headline) and re.match(r"[^.!?]*!", text)
    return wording.cap(wording.to_you(headline)) if shouted or done else ""


FIRST = re.compile(r"^(?:your |my )?first ", re.I)


def _news(thing: str, detailed: str) -> str:
    """The news with its short second sentence ("first bake with Doughlene, open crumb"),
    unless that sentence only says it again ("the loaf rose, it actually rose")."""
    added = set(re.findall(r"\w{3,}", detailed.lower()[len(thing) :]))
    return thing if added & set(re.findall(r"\w{3,}", thing.lower())) else detailed


def _whose(subject: str | None) -> str:
    """Who the birthday is for, said to the poster: "she" -> "her", "my son" -> "your son"."""
    if not subject:
        return "you"
    word = subject.lower()
    return {"she": "her", "he": "him", "they": "them", "i": "you"}.get(word) or wording.to_you(
        subject
    ).lower()


def _answers(request: DraftRequest, *, max_chars: int) -> list[str]:
    """Greeting, then the sentences that answer, then (sometimes) a short wish. Stop."""
    name = request.person_name
    greetings = GREETINGS if name else NAMELESS
    # What the post says about them comes before a plain hello.
    if request.late:
        greetings = LATE + greetings
    elif (taken := TAKEN.search(request.post_text)) and taken["what"].lower() not in NOT_TAKEN:
        what = taken["what"].lower()
        greetings = [t.replace("{thing}", what) for t in SORRY_TAKEN]
    elif DAFT.search(request.post_text):
        greetings = NOT_DAFT + greetings
    elif BEGINNER.search(request.post_text) and not request.good_news:
        greetings = NEW_TO_IT + greetings
    wish_thing = _wish_thing(request)
    parting = reactions.parting_words(request.post_text, late=request.late)
    drafts = []
    # Their good news (another post of theirs) comes after the help they asked for: one card,
    # not two, and the help leads.
    cheer = ""
    if request.good_news:
        news = wording.the_thing(request.good_news)
        achieved = reactions.achievement(request.good_news)
        if born := BIRTHDAY.search(request.good_news):
            # "And your mum turned 60 today: well done!" congratulates the wrong person
            cheer = f"And happy birthday to {_whose(born.group(1))}!"
        elif reactions.DONE.match(news) and achieved and not achieved.startswith("to "):
            # "And got your badge: well done!" reads oddly: name what they did instead.
            cheer = f"And well done on {achieved}!"
        elif FIRST.match(news):
            # "And first 16 km run without stopping: well done!" reads like a telegram.
            cheer = f"And well done on your {FIRST.sub('first ', news, count=1)}!"
        else:
            cheer = f"And {news}: well done!"
    for i, greeting in enumerate(greetings):
        opener = _fill(greeting, name=name)
        # The sentences that answer, best first, as many as the platform allows.
        sentences = _turned(request)
        if sentences and _we_do(request):
            # "Does anyone know if local bakeries donate unsold bread?" "Our unsold bread goes
            # to…": what we do, said as ours (a "yes" could claim more than the knowledge says)
            sentences[0] = _as_ours(
                sentences[0], " ".join(request.knowledge), request.business_description
            )
        if not greeting and name:
            first = sentences[0].rstrip(".!") if sentences else ""
            # "…7:30 to 16:00, Jamie." reads like a form: the name after words only.
            if not first or len(first.split()) > NAME_AFTER_WORDS or first[-1].isdigit():
                continue
            end = "?" if sentences[0].endswith("?") else "."
            sentences[0] = f"{sentences[0].rstrip('.!?')}, {name}{end}"
        while len(sentences) > 1 and len(" ".join([opener, *sentences])) > max_chars:
            sentences.pop()
        text = " ".join([opener, *sentences]).strip()
        if cheer and len(text) + len(cheer) + 1 <= max_chars:
            text = f"{text} {cheer}"
        elif parting:
            last = parting[i % len(parting)]
            if len(text) + len(last) + 1 <= max_chars:
                text = f"{text} {last}"
        elif wish_thing and i % 2 == 0:
            wish = _fill(WISHES[(i // 2) % len(WISHES)], name=None, thing=wish_thing)
            if len(text) + len(wish) + 1 <= max_chars:
                text = f"{text} {wish}"
        drafts.append(text)
    return drafts


# Asking whether businesses like this one do something: "do any local bakeries donate…?"
DOES_ANY_BUSINESS = re.compile(
    r"\b(do|does)\b(?: anyone know (?:if|whether))?(?: any)?(?: local| nearby)? (bakery|bakeries|"
    r"bakers?|caf[eé]s?|coffee shops?|shops|places|businesses|workshops?|bike shops?)\b",
    re.I,
)
SAYS_WE = re.compile(r"\b(we|us|our)\b", re.I)


def _we_do(request: DraftRequest) -> bool:
    """They asked whether businesses like this one do something, and what answers says we do."""
    return (
        request.occasion == Occasion.RECOMMEND
        and bool(DOES_ANY_BUSINESS.search(request.question or request.post_text))
        and any(SAYS_WE.search(k) for k in request.knowledge)
    )


def _as_ours(sentence: str, source: str, description: str) -> str:
    """A sentence about what the business makes said as ours: "Unsold bread goes to…" is "Our
    unsold bread goes to…" for a business whose description names bread; one that starts with
    a name, "we" or "the", or with what is not the business's ("Laptops are welcome"), stays."""
    first, *rest = sentence.split(" ", 2)
    if wording.proper(first, source) or first.lower() in text_signals.STOPWORDS["en"]:
        return sentence
    made = set(re.findall(r"[a-z]+", description.lower()))
    if not any(w.lower().rstrip("s") in made for w in [first, *rest[:1]]):
        return sentence
    return f"Our {wording.uncap(sentence, source)}"


# "Does it actually matter for bread?" answered by knowledge that says what to use for it.
DOES_IT_MATTER = re.compile(
    r"\b(?:does|do) (?:it|that|the \w+|which \w+) (?:actually |really |even )?(?:matter|make a "
    r"difference)\b",
    re.I,
)
RECOMMENDS = re.compile(r"^(?:for [\w\s-]+, )?(?:use|choose|go for|pick)\b", re.I)
ANY_WILL_DO = re.compile(r"\b(any|either|whichever|no difference|doesn't matter)\b", re.I)


def _turned(request: DraftRequest) -> list[str]:
    """The knowledge sentences turned to the person: "you", what they said matters, the kind
    of thing they asked about; to "does it matter?", when the knowledge says what to use, a
    plain yes first."""
    sentences = _turned_sentences(request)
    if sentences and (kind := _other_kind(request)):
        # "Any classes for learning to bake bread?" answered with the bread clinic: say it is
        # not what they asked for, then what it is
        sentences[0] = (
            f"It's not a {kind}, but {wording.uncap(sentences[0], ' '.join(request.knowledge))}"
        )
    if (
        sentences
        and DOES_IT_MATTER.search(request.post_text)
        and RECOMMENDS.match(sentences[0])
        and not ANY_WILL_DO.search(" ".join(request.knowledge))
    ):
        return ["Yes, it matters.", *sentences]
    return sentences


# The kind of session someone asks for, and the kinds knowledge may offer instead.
ASKED_KIND = re.compile(r"\b(class|(?<!\bof )course|lesson|workshop)(?:es|s)?\b", re.I)
OFFERED_KIND = re.compile(r"\b(clinic|drop-in|session|surgery|night|meet-?up)s?\b", re.I)


def _other_kind(request: DraftRequest) -> str:
    """The kind of session they asked for ("class") when what answers offers another kind
    (a clinic) and never names theirs; else ''."""
    asked = ASKED_KIND.search(request.post_text)
    knowledge = " ".join(request.knowledge)
    if not asked or not OFFERED_KIND.search(knowledge):
        return ""
    kind = asked.group(1).lower()
    return "" if re.search(rf"\b{kind}", knowledge, re.I) else kind


def _turned_sentences(request: DraftRequest) -> list[str]:
    return [
        wording.their_kind(
            wording.fit_to_them(
                wording.to_their_case(wording.turn_to_them(s), request.post_text, request.question),
                request.constraints,
            ),
            request.post_text,
            request.knowledge_titles,
        )
        for s in request.knowledge
    ]


TAGS = {"either", "too", "though", "anyway", "again", "also"}
# "Never baked bread in my life": a figure of speech, nothing to wish anyone luck with.
NOT_A_THING = {"life", "time", "mind", "head", "heart", "god", "days", "years", "whole life"}
# "is my bike ready": a state, not a thing ("Good luck with your bike ready!").
STATES = {"ready", "done", "fixed", "finished", "back", "sorted", "broken", "gone", "working"}


# Something ahead of them to wish luck with: "my first croissants this weekend", "trying again
# tomorrow" (not the chain they asked about: "Good luck with your chain!" is stock).
LOOKS_AHEAD = re.compile(
    r"\b(tomorrow|tonight|this (?:weekend|week|morning|afternoon|evening)|next (?:week|weekend)|"
    r"going to|gonna|about to|plan(?:ning)? to|trying (?:again|it|to)|first time|later today|"
    r"(?:on|this|next) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b",
    re.I,
)


def _wish_thing(request: DraftRequest) -> str:
    """Something from their own post to wish them luck with ("the croissants"), or ''."""
    ahead = [m.start() for m in LOOKS_AHEAD.finditer(request.post_text)]
    if not ahead:
        return ""
    for phrase in request.keyphrases:
        words = phrase.lower().split()
        # "never made bread in my life either": no "Good luck with your life either!"; "the
        # recipe my mum gave" names no thing ("Good luck with your mum gave!")
        if phrase.lower() in NOT_A_THING or set(words) & NOT_A_THING or words[-1] in TAGS | STATES:
            continue
        if reactions.DONE.match(words[-1]):
            continue
        # What they bring along ("work on my laptop at yours tomorrow") is no event ahead.
        if set(words) & {c.split()[0] for c in request.constraints}:
            continue
        mine = re.search(rf"\bmy {re.escape(phrase)}\b", request.post_text, re.I)
        # The thing that lies ahead, said near the words that say so ("my first croissants this
        # weekend"), not any thing of theirs ("my bank card got cloned … on Thursday").
        if (
            1 <= len(words) <= 2
            and mine
            and any(_one_clause(request.post_text, a, mine.start()) for a in ahead)
        ):
            return f"your {phrase}"
    return ""


CLAUSE_BREAK = re.compile(r"[,.;:!?]|\b(?:but|and|because|cos|so|though)\b", re.I)


def _one_clause(text: str, a: int, b: int) -> bool:
    """Are two places of a post in one clause (nothing like ", but" between them)?"""
    return not CLAUSE_BREAK.search(text[min(a, b) : max(a, b)])


COMPLAINED_OF = re.compile(
    r"\b(bread|loaf|loaves|order|coffees?|cakes?|service|wait(ing|ed)?|delivery|croissants?|"
    r"flat whites?|lattes?|cappuccinos?|teas?(?! towels?)|brunch|breakfast|lunch|"
    r"pastr\w+|prices?|queue|food|staff|tables?|phone|call|bill|charge|repair|bike|toilets?|"
    r"music|noise|milk|sandwich\w*|scones?|pies?|buns?|knots?|gears?|brakes?|chain|wheels?|saddle|"
    r"tyres?)\b",
    re.I,
)

# How it came, not what they had (the wait, the staff, the bill).
FINE = re.compile(
    r"(?:\s+and\s+\w+)?\s+(?:itself\s+)?(?:was|were|is|are)\s+"
    r"(?:fine|great|good|lovely|perfect|grand|spot on)\b",
    re.I,
)
HOW_IT_CAME = re.compile(
    r"service|wait(?:ing|ed)?|queue|staff|tables?|phone|call|bill|charge|music|noise|toilets?|"
    r"prices?",
    re.I,
)
# "to look at a locked shutter at 17:25 on a saturday": what went wrong is that we were shut.


# "asked to pack my laptop away on Saturday at half 11"
LAPTOP_AWAY = re.compile(
    r"\b(?:asked|told) (?:me |us |him |her )?to (?:pack|put|move|close) (?:my|our|his|her|the) "
    r"laptops? (?:away|up)\b",
    re.I,
)


# "the lad at the till said dogs had to wait outside": turned away at the door.
SENT_OUTSIDE = re.compile(
    r"\b(?:had|have|has|'d have|would have|told (?:me|us|her|him) to|asked (?:me|us) to)"
    r"(?: to)? (?:wait|sit|stay|go) outside\b|\bnot allowed in(?:side)?\b",
    re.I,
)


# "chairs were already going up on the tables round us, the mop was out": closing up on them.
PACKED_UP = re.compile(
    r"\b(?:chairs|stools) (?:were |was )?(?:already )?(?:going|put|being put|stacked) (?:up|on)\b|"
    r"\bmop(?:ping)? (?:was )?(?:out|round)\b|\b(?:packing|closing) up (?:around|round) us\b|"
    r"\b(?:rushed|hurried|ushered) (?:us )?out\b",
    re.I,
)


def _complaint_thing(text: str, titles: Sequence[str] = ()) -> str:
    """What they complain about, named as they named it ("the coffees"), or "this": the last
    thing named, as what went wrong comes after what they bought ("bought a bike from you and
    the gears jump")."""
    if mentions.FOUND_SHUT.search(text):
        return "finding us shut"
    if SENT_OUTSIDE.search(text):
        return "being sent outside"
    if PACKED_UP.search(text):
        return "the early pack-up"
    if LAPTOP_AWAY.search(text):
        return "being asked to put your laptop away"
    # "your page says monthly bread clinic on a saturday. where was it??": the thing the
    # knowledge is about, named as they named it
    for title in titles:
        if len(title.split()) > 1 and title.lower() in text.lower():
            return f"the mix-up over the {title.lower()}"
    # (not what they say was fine: "the repair itself was fine", "waited 55 minutes")
    found = [
        re.sub(r"^wait(?:ed|ing)$", "wait", m.group(0), flags=re.I)
        for m in COMPLAINED_OF.finditer(text)
        if not FINE.match(text, m.end())
    ]
    # What they had beats how it came: "two flat whites, waiting 25 minutes" is the flat whites.
    had = [f for f in found if not HOW_IT_CAME.fullmatch(f)]
    return f"the {(had or found)[-1].lower()}" if found else "this"


def phrasing(
    draft: str, *, name: str | None, post_text: str, knowledge: Sequence[str] = ()
) -> tuple[str, str]:
    """The stock words a draft opens and closes with: the words of its first and last
    sentences that are not the person's (their name, what they did) nor the knowledge's.
    Two cards of one morning must differ in both."""
    source = " ".join([name or "", wording.to_you(post_text), post_text, *knowledge])
    own = {w.lower() for w in re.findall(r"[\w']+", source)}
    stock = [
        [w.lower() for w in re.findall(r"[\w']+", sentence) if w.lower() not in own]
        for sentence in re.split(r"(?<=[.!?])\s+", draft.strip())
    ]
    sentences = re.split(r"(?<=[.!?])\s+", draft.strip())
    theirs = {w.lower() for w in re.findall(r"[\w']+", f"{name} {wording.to_you(post_text)}")}
    first = re.findall(r"[\w']+", sentences[0])
    if stock and len(first) > reactions.SHORT_NEWS and {w.lower() for w in first} <= theirs:
        # Opening with their own words said back is a shape too: once a morning is enough.
        # (News as short as "The loaf rose!" is the joy itself, not a shape.)
        stock[0] = ["(their words)"]
    stock = [words for words in stock if words]
    if not stock:
        return "", ""
    # The first stock word is the opening as a reader hears it: "Congratulations on your…" and
    # "Congratulations to you both…" open alike.
    opening = stock[0][0]
    closing = " ".join(stock[-1][-3:]) if len(stock) > 1 else ""
    return opening, closing

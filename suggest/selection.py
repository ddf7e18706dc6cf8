"""Which posts deserve a reply, and of what kind: a draft, a card for a person, or nothing.

Read in order: what must never be answered (spam, people who opted out, instructions to the
writer); a possible crisis or grief, always for a person; requests whose day is over
(nothing: too late); what else only a person should answer (another language, requests that
need a decision); the person's timeline (good news after a worry); the people who address
the business (always a draft or a card: `mentions`); then questions, problems and milestones
of everyone else. A question the business cannot answer from its knowledge is a card, never an empty
question back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from analysis import text as text_signals
from core.models import Occasion
from suggest import grounding, guard, mentions, places, recurring
from suggest.knowledge import IN_SCOPE, MATCH, KnowledgeBase, Match
from suggest.lapse import wanted_until
from suggest.need import Need, names_specific, read_need
from suggest.schemas import Candidate
from suggest.timeline import Moment, asked, calls_off, cosine, new_problem

WEIGHT = {
    Occasion.CRISIS: 3.0,
    Occasion.PERSONAL_NOTE: 2.0,
    Occasion.NEEDS_PERSON: 1.3,
    Occasion.COMPLAINT: 1.3,
    Occasion.KNOWLEDGE_GAP: 1.0,
    Occasion.ANSWER: 1.1,
    Occasion.HELP: 1.05,
    Occasion.RECOMMEND: 1.0,
    Occasion.OTHER_LANGUAGE: 1.0,
    Occasion.CELEBRATE_OUTCOME: 0.95,
    Occasion.THANKS: 0.9,
    Occasion.CONGRATULATE: 0.75,
    Occasion.EMPATHISE: 0.6,
}
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Spanish",
    "pt": "Portuguese",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "nl": "Dutch",
    "pl": "Polish",
}
ANSWERING = (Occasion.ANSWER, Occasion.HELP, Occasion.RECOMMEND)
# Congratulations, relief and kind words belong to the day: after this long, nothing.
MOMENTS = {
    Occasion.CONGRATULATE,
    Occasion.CELEBRATE_OUTCOME,
    Occasion.EMPATHISE,
    Occasion.THANKS,
}
MOMENT_DAYS = 1.5
# A problem told without a question gets help only when the knowledge fits this well.
SURE_HELP = 0.55
# A question nobody's knowledge answers is a card only when some snippet comes this close:
# then it is the business's kind of question (rye flour to a bakery; not an accountant).
NEAR_MISS = 0.4
# How long something lasts, or when it ends: "10:00 to 12:00", "until 4", "about an hour".
UNTIL_GIVEN = re.compile(
    r"\b(?:until|till|to)\s+\d|\b\d{1,2}(?::\d\d)?\s*(?:-|–|to)\s*\d|\bfinish\w*|\bends?\b|"
    r"\blasts?\b|\bkeeps? (?:for )?(?:up to )?(?:\d+|a|one|two|three|six) (?:days?|weeks?|months?)|"
    r"\b(?:\d+|an?|one|two|three) (?:minutes?|hours?|mins|hrs)\b",
    re.I,
)
# Asking who could make or do a number of something ("somewhere that could do 30 mince pies",
# "anyone cater for 40?", "service 12 bikes for the school"): an order only the owner can take.
ORDER_ENQUIRY = re.compile(
    r"\b(do|make|bake|cater|supply|provide|service|fix)\b[^.?!]{0,20}?\b(\d{2,}|a dozen|dozens)\b|"
    r"\bcater(ing)? for (\d+|a party|an event)",
    re.I,
)
DISTRESS = re.compile(
    # ("Gary is the worst one" is a pothole, not a bad day)
    r"\b(sad|scared|afraid|tough|awful|worst(?!\s+one\b)|exhausted|burn(t|ed) out|stress\w*|"
    r"anxious|nervous|disappoint\w*|frustrat\w*|panick\w*|struggl\w*|gutted|miserable|rough|"
    r"shaky|shaken|knocked off|can'?t cope)\b",
    re.I,
)
# "Edinburgh never disappoints", "no stress", "wasn't scared at all": the word, denied.
DENIED = re.compile(r"\b(never|not|no|nae|without)\s+(?:\w+\s+)?$|n't\s+(?:\w+\s+)?$", re.I)


def distressed(text: str) -> bool:
    """Does the post tell of a hard moment (a distress word that is not denied)?"""
    return any(not DENIED.search(text[: m.start()]) for m in DISTRESS.finditer(text))


@dataclass(frozen=True)
class Plan:
    """What to do with one current post: its occasion, the knowledge that answers, why."""

    moment: Moment
    occasion: Occasion
    score: float
    need: Need
    matches: tuple[Match, ...] = ()
    note: str = ""
    # Good news of the same person folded into this card (one card a person a day).
    also: Plan | None = None
    # The post speaks to the business, by handle or by name.
    addressed: bool = False

    @property
    def post(self) -> Candidate:
        return self.moment.post


def opted_out(person_flags: dict[str, Any]) -> str | None:
    """Why the author's own platform settings say: leave me out (None if they do not)."""
    if person_flags.get("bot"):
        return "written by a bot account"
    if person_flags.get("noindex"):
        return "the author asked not to be indexed (noindex)"
    if "!no-unauthenticated" in (person_flags.get("labels") or []):
        return "the author asked to be hidden from logged-out viewers"
    return None


# A customer's question to the business ("do you take…?", "can I use…?").
CUSTOMER_ASKS = re.compile(
    r"\b(?:do|does|can|could|will|would|are|is) (?:you|u|ye|i|we|it|they)\b[^?]{0,120}\?", re.I
)


def reason_to_skip(post: Candidate) -> str | None:
    """In plain words, why this post must get no reply whatever it says (None if none).

    Whether the author opted out is asked first, by `plan`, before even a crisis is read."""
    flags = set(post.flags)
    if "instructs_writer" in flags:
        return "the post tries to instruct the reply writer; its text is treated as data only"
    if post.intent == "spam" or "spammy" in flags:
        # A question put to the business that only the intent reader calls spam ("do you take
        # Cycle to Work vouchers? … one of your refurbs") is a customer's question.
        # (Never a pitch that asks: "Want more bookings? … Reply YES for a free demo" is read
        # as spammy.)
        customer = "spammy" not in flags and bool(CUSTOMER_ASKS.search(post.text))
        if not (post.summons_business and (customer or mentions.JOB_ENQUIRY.search(post.text))):
            return "self-promotion or spam"
    if "hostile" in flags and not post.summons_business:
        return "hostile post: better left alone"
    return None


def language_name(code: str | None) -> str:
    return LANGUAGE_NAMES.get(code or "", code or "an unknown language")


def _faded(occasion: Occasion, age_days: float) -> float:
    """How much of its weight a post keeps at this age (half of it after a half-life)."""
    return float(0.5 ** (age_days / (MOMENT_DAYS if occasion in MOMENTS else 3.0)))


def keeps_its_place(plan_in: Plan, *, now: datetime) -> Plan:
    """A question put to the business grows no less pressing by waiting ("vocês têm pão sem
    glúten?" four days ago): its card keeps its place in the queue unfaded. (Which of a
    person's posts gets their one card is chosen before, on what is current.) Not a hostile
    note, whatever it asks ("£4 for a loaf of bread? Get a grip"): nobody is waiting on that."""
    if not (plan_in.addressed and plan_in.post.has_question) or "hostile" in plan_in.post.flags:
        return plan_in
    age_days = max((now - plan_in.post.posted_at).total_seconds() / 86400, 0.0)
    return replace(plan_in, score=round(plan_in.score / _faded(plan_in.occasion, age_days), 4))


def moment_passed(plan_in: Plan, *, now: datetime) -> str | None:
    """Why a congratulation, relief or kind word is too late now (None while it is not).

    Never for a post that speaks to the business, by handle or by name ("big thanks to the
    folk at crumb and kettle"): everyone who addresses it gets a card."""
    age_days = (now - plan_in.post.posted_at).total_seconds() / 86400
    if plan_in.occasion in MOMENTS and age_days > MOMENT_DAYS and not plan_in.addressed:
        return "the moment has passed: a congratulation days later reads as an afterthought"
    return None


def request_lapsed(post: Candidate, need: Need, *, now: datetime, zone: ZoneInfo) -> str | None:
    """Why a request is over now: the time it asks about has passed (None while it has not).

    A complaint, or a matter of an order, a booking or a payment, stays open however old the
    day it names: a person still has to settle it."""
    if (
        post.intent == "complaint"
        or mentions.DECISION.search(post.text)
        or mentions.JOB_ENQUIRY.search(post.text)
    ):
        return None
    if not (asked(post) or need.question is not None):
        return None
    # Asked of the business, with more than the day in it ("can i bring it round after work
    # today or do i need to book? and what's the damage"): the rest still wants an answer,
    # late as it is.
    if post.summons_business and (need.asks_price or need.asks):
        return None
    until = wanted_until(post.text, posted_at=post.posted_at, zone=zone)
    if until is None or now < until:
        return None
    return "the time it asked about has passed: a reply now would come too late"


# A price (the guard's reading of one), or that it costs nothing ("free", not "wheat-free").
PRICE_GIVEN = re.compile(rf"{guard.PRICE.pattern}|(?<!-)\bfree\b(?!-)", re.I)
# Sentences that set terms (notice, booking, deposits) rather than recommend anything.
TERMS = re.compile(
    r"\b(notice|in advance|book(ing)? ahead|deposit|minimum order|order(s|ed)? (by|before)|"
    r"must be (ordered|booked)|no refunds?)\b",
    re.I,
)


def plan(
    moment: Moment,
    *,
    knowledge: KnowledgeBase,
    languages: Sequence[str],
    business_names: Sequence[str],
    drafts_in: Sequence[str] = ("en",),
    now: datetime,
    timezone: str,
) -> Plan | str:
    """The plan for one current post, or in plain words why it gets nothing (its age aside:
    see `moment_passed`)."""
    post = moment.post
    if reason := opted_out(post.person_flags):
        return reason
    if moment.overtaken and all(o.summons_business for o in moment.overtaken) and calls_off(post):
        return "they called off what they asked before: nothing is left to do"
    if moment.answered_by is not None:
        return (
            f"someone else has answered them since (@{moment.answered_by.handle}: "
            f"“{moment.answered_by.text}”): nothing is left to do"
        )
    if moment.carries is not None:
        post = _carried_on(post, moment.carries, knowledge)
    elif (problem := new_problem(post)) is not None:
        # "…it actually has HEIGHT now 🎉 New problem: the crust is so hard…": the trouble
        # is what they need help with now.
        post = _asking(post, problem, knowledge, intent="help")
    # What they said before on the same thing still counts ("she can't do stairs").
    need = read_need(post.text, context=[o.text for o in moment.context])
    if moment.carries is None and (about := _what_it_is(post, need, moment, knowledge)):
        # "so how long is it meant to be in for?" asks of the sourdough in their post before
        post = about
        need = read_need(post.text, context=[o.text for o in moment.context])
    flags = set(post.flags)
    # (Not a name said in passing, "run along the Water of Leith, flat white from Crumb &
    # Kettle, sit on the bench…": a reply would feel like being watched.)
    addressed = (
        (post.summons_business or guard.names_business(post.text, business_names))
        and not mentions.in_passing(post, asking=post.has_question)
        and not guard.names_business_only_to_exclude(post.text, business_names)
    )

    age_days = max((now - post.posted_at).total_seconds() / 86400, 0.0)

    def make(occasion: Occasion, matches: Sequence[Match] = (), note: str = "") -> Plan:
        score = WEIGHT[occasion] * (0.6 + 0.4 * (matches[0].score if matches else 0.5))
        score *= _faded(occasion, age_days) * (1.2 if addressed else 1.0)
        return Plan(
            moment, occasion, round(score, 4), need, tuple(matches), note, addressed=addressed
        )

    # Every snippet's score for the post and the snippets that answer it, worked out once
    # (a crisis check may need them before the rest of the plan does).
    matched = cache(lambda: _matches(knowledge, need, post, addressed))

    # A possible crisis or grief reaches a person whatever else the post is, except a question
    # the knowledge answers that only a trained reader took for one, with no word of distress:
    # "what lights do I need to be legal?… dog walkers keep shouting at me lol", "she uses a
    # wheelchair: is it all on one level?".
    if "crisis" in flags and _everyday_question(
        post, need, matched, text_signals.CRISIS_READER_ONLY
    ):
        flags -= {"crisis", "sensitive"}
    if "sensitive" in flags and _everyday_question(
        post, need, matched, text_signals.SENSITIVE_READER_ONLY
    ):
        flags -= {"sensitive"}
    if "crisis" in flags:
        return make(Occasion.CRISIS, note=_maybe_everyday(post, need, matched, addressed))
    if "sensitive" in flags:
        return make(Occasion.PERSONAL_NOTE)
    # A request whose day is over gets nothing: what it asked for has happened without us.
    # (Grief or illness still reaches a person, even when the day it named is over.)
    if reason := request_lapsed(post, need, now=now, zone=ZoneInfo(timezone)):
        return reason
    if reason := reason_to_skip(post):
        return reason
    if not addressed and not post.has_question and TO_SOMEONE_ELSE.match(post.text):
        # "@callum got there, sorted in 10 mins, thank you!!": their news told to another
        # person, in a conversation the business is not part of
        return "a reply to someone else: their conversation, not yours to join"
    asking = post.has_question
    language = post.language or "en"
    if language not in drafts_in:
        # The embedder reads English only, so whether a question in another language is the
        # business's kind of question cannot be judged here: a person glances at it.
        if addressed or asking:
            writes = language in languages
            sharing = knowledge.sharing_words(post.text)
            shared = "; ".join(f"“{s.title}” ({', '.join(words)})" for s, words in sharing)
            # what it says, for the owner to answer from ("…not safe for people with coeliac
            # disease" to a coeliac's sister), when one piece of knowledge has their words
            shared += f", which says: “{sharing[0][0].text}”" if len(sharing) == 1 else "."
            return make(
                Occasion.OTHER_LANGUAGE,
                note=f"Written in {language_name(language)}"
                + (
                    ", which you write in but the drafts are not: reply in it yourself."
                    if writes
                    else ", which the business does not write in: they asked you directly, so "
                    "answer them yourself (a translation tool will do)."
                    if addressed
                    else ", which the business does not write in: reply yourself or leave it."
                )
                + (f" Words it shares with your knowledge: {shared}" if sharing else ""),
            )
        return f"written in {language_name(language)}, neither a question nor addressed to you"
    if asking and (session := SESSION_OF.search(need.question or post.text)):
        if not knowledge.knows_word(session[1]):
            # "where does saturday swimming lessons for a 6yo": lessons in something the
            # business never speaks of are no Fix-It Night
            return "asks about something outside what the business helps with"
    scores, matches = matched()
    # (Nor the place they have had enough of: "NOT doing another lap of the Links")
    matches = [
        m
        for m in matches
        if not places.another_place(post.text, m.snippet.title)
        and not places.ruled_out(post.text, m.snippet.title)
    ]
    # What the business says of itself is near only to posts about it: to it, naming it even
    # in part ("booked a service at Northside"), or asking for a place like it. A stranger's
    # "do dogs actually need winter coats?" is not near its dogs welcome, nor "what time does
    # the recycling centre open on a Sunday?" its opening hours.
    of_us = (
        addressed or need.asks_for_place or guard.names_part_of_business(post.text, business_names)
    )
    near = np.where(knowledge.may_speak(of_us), scores, 0.0)
    near_miss = float(near.max(initial=0.0)) >= NEAR_MISS
    # What the owner might start from on a card for a question the knowledge doesn't answer.
    nearest = (
        f"Nearest in your knowledge: “{knowledge.snippets[int(near.argmax())].title}”, not "
        "close enough to draft from."
        if near_miss
        else ""
    )
    # The one loaf at home for a class of 28 children, the bread clinic for a 10-year-old: what
    # they said matters is not met, and a person knows better than a pasted snippet.
    named = dict(zip(need.constraint_words, need.constraints, strict=True))
    # "Is Leith Market alright for dogs?": asked of the thing a snippet is about, the answer is
    # that snippet's, not the dog-friendly walkway's beside it.
    asked_of = [m for m in matches[:1] if places.names_title(need.question, m.snippet.title)]
    missing = [
        named[words]
        for words in need.asked_constraint_words
        if not any(knowledge.names(m.snippet, words) for m in asked_of or matches)
    ]
    gaps = [f"says nothing about what they said matters ({', '.join(missing)})"] if missing else []
    if need.asks_price and not any(PRICE_GIVEN.search(s) for m in matches for s in m.sentences):
        gaps.append("gives no price, and they asked what it costs")
    if need.asks_how_long and not any(UNTIL_GIVEN.search(m.snippet.text) for m in matches):
        gaps.append("says when it starts but not how long it lasts, which they asked")
    # "24 inch or 26?" to a size guide that stops at 20-inch: the answer turns on what it
    # does not name.
    said = " ".join(m.snippet.text for m in matches)
    if unnamed := [t for t in need.specifics if not names_specific(t, said)]:
        gaps.append(f"says nothing about {', '.join(unnamed)}, which their question turns on")
    if unoffered := [
        t for t in need.offered if not any(knowledge.names(m.snippet, t) for m in matches)
    ]:
        gaps.append(f"says nothing about {', '.join(unoffered)}, which they asked whether you do")
    if need.asks_stock_now:
        gaps.append("says what you usually have, not what is in right now, which they asked")
    if holiday := recurring.on_a_holiday(
        [m.snippet.text for m in matches], recurring.today_in(timezone, now)
    ):
        gaps.append(f"puts the next one on {holiday}: only you know whether it runs then")
    if (shut := places.shut_when_they_come(post, knowledge, timezone)) and not any(
        shut in grounding.closed_days((m.snippet.text,)) for m in matches
    ):
        # "wheel it round on my lunch tomorrow?" on a Sunday: that Monday is a closed day,
        # from the snippet that says so, and then the answer.
        says_shut = next(
            (
                (i, s)
                for i, s in enumerate(knowledge.snippets)
                if shut in grounding.closed_days((s.text,))
            ),
            None,
        )
        if len(matches) == 1 and says_shut is not None:
            i, snippet = says_shut
            closed = tuple(t for t in snippet.sentences if shut in grounding.closed_days((t,)))
            matches = [Match(snippet, float(scores[i]), closed or snippet.sentences), *matches]
        else:
            gaps.append(f"does not say you are closed on {shut.title()}, the day they mean to come")
    unmet = (
        f"“{matches[0].snippet.title}” comes closest but {' and '.join(gaps)}."
        if matches and gaps
        else ""
    )
    # good news after a worry, thanking the business for it ("went to the bread clinic … the
    # baker was SO patient … thank you"): thanks, the business's to receive
    if moment.good_news_after_worry and not (addressed and mentions.THANKS.search(post.text)):
        return make(Occasion.CELEBRATE_OUTCOME)
    if addressed:
        occasion, note = mentions.occasion(
            post,
            asking=asking,
            answered=bool(matches),
            before=" ".join(o.text for o in moment.overtaken),
        )
        if occasion == Occasion.ANSWER and unmet:
            return make(Occasion.KNOWLEDGE_GAP, note=unmet)
        if occasion == Occasion.KNOWLEDGE_GAP:
            note = nearest
        if occasion == Occasion.ANSWER:
            return make(occasion, matches, note)
        if occasion == Occasion.COMPLAINT and asking and not unmet:
            # A complaint that asks ("Thought you were dog friendly??") is owned and answered
            # in one reply: what the knowledge says should have happened (dogs are welcome
            # inside); never the promise they quote back ("'puncture repairs while you wait,
            # usually 20 minutes' - waited 55 minutes").
            known = [m for m in matches if not places.quotes(post.text, m.snippet.title)]
            return make(occasion, known, note)
        if (
            occasion == Occasion.COMPLAINT
            and mentions.FOUND_SHUT.search(post.text)
            and not KNOWN_HOURS.search(post.text)
        ):
            # "google said you were open, got there and it was shutters down": the real hours
            # are what they needed, and what the apology gives (not to "website says open till
            # 6": they knew, and the door was locked anyway)
            hours = knowledge.hours(scores)
            return make(occasion, [hours] if hours else [], note)
        if (
            occasion == Occasion.COMPLAINT
            and (remedy := knowledge.remedy(scores))
            and not places.quotes(post.text, remedy.snippet.title)
        ):
            # "bought one of your refurbs in february and the gears are slipping": what the
            # business offers on it (three months of free adjustments) is the remedy
            return make(occasion, [remedy], note)
        return make(occasion, (), note)
    if asking:
        if matches and post.intent == "recommendation":
            # Terms of sale ("cakes need five days' notice") recommend nothing.
            matches = [m for m in matches if not all(TERMS.search(s) for s in m.sentences)]
            if not matches:
                return make(Occasion.KNOWLEDGE_GAP, note=nearest)
        if unmet:
            return make(Occasion.KNOWLEDGE_GAP, note=unmet)
        if matches:
            occasion = {"help": Occasion.HELP, "recommendation": Occasion.RECOMMEND}.get(
                post.intent, Occasion.ANSWER
            )
            return make(occasion, matches)
        # The question alone counts too when the post says more than it.
        question = need.question if need.question != post.text.strip() else None
        in_field = knowledge.in_scope(
            post.embedding, question=question, text=post.text, of_us=of_us
        )
        if near_miss and in_field >= IN_SCOPE:
            return make(Occasion.KNOWLEDGE_GAP, note=nearest)
        if need.asks_for_place and ORDER_ENQUIRY.search(need.question or post.text):
            return make(
                Occasion.KNOWLEDGE_GAP,
                note="They ask who could make or do this for them: an order only you can say "
                "yes to (what, how many, by when).",
            )
        if distressed(post.text):
            return make(
                Occasion.NEEDS_PERSON,
                note="A hard moment, and a question to people in the same boat: answer it "
                "yourself if you honestly can, or leave it. No advice, nothing about the business.",
            )
        return "asks about something outside what the business helps with"
    # "took him to Leith Links, he did 40 laps": a place they name from having been there
    # needs no telling about, unasked.
    matches = [m for m in matches if not places.names_place(post.text, m.snippet.title)]
    # Achievements are often told wryly ("zero regrets", "still can't believe it"), so the
    # milestone cue counts more than the sentiment; distress does not get a congratulation,
    # unless the intent reader reads a milestone too ("Passed my instructor assessment 🥳 …
    # four years ago I was too scared to ride past a parked car"), nor a post only the intent
    # reader calls a milestone ("reminder that the consultation closes on Friday… takes 6
    # minutes"): a congratulation by mistake is worse than none. (The cue is never read in what
    # they lost or missed: "lost my Strava crown".)
    # (Nor praise said with a sneer: "…the new cycle lane ends directly in a bus stop. Someone
    # got an award for this. A masterpiece.")
    achieved = (
        "milestone_cue" in flags
        and (post.intent == "milestone" or not distressed(post.text))
        and not mentions.SARCASM.search(post.text)
    )
    if post.sentiment == "negative" or post.intent in ("complaint", "help"):
        # A problem told without a question: help only when the knowledge clearly fits it.
        # (Not news on a question of theirs it moves on from: "Update: Warriston path is open
        # again, fencing gone" after "Is there a way round?" is settled.)
        sure = matches and matches[0].score >= SURE_HELP and not moment.overtaken
        if matches and (post.intent == "help" or sure):
            return make(Occasion.HELP, matches)
        if distressed(post.text) and not achieved:
            return make(Occasion.EMPATHISE)
    # "Dropped the ENTIRE tray on the kitchen floor": a mishap, however many hours it took.
    if text_signals.MISHAP.search(post.text):
        return make(Occasion.EMPATHISE)
    if achieved:
        return make(Occasion.CONGRATULATE)
    return "nothing to help with or celebrate in this post"


def _matches(
    knowledge: KnowledgeBase, need: Need, post: Candidate, addressed: bool
) -> tuple[np.ndarray, list[Match]]:
    """Every snippet's score for the post, and the snippets that answer it. What the business
    says of itself is for people who addressed it or asked for a place like it, first when
    they asked for a place without addressing it."""
    scores = knowledge.scores(need, post.embedding)
    # Advice to do again what they did to no avail is no answer ("did the poke test … STILL a
    # puddle"): such a snippet is set aside.
    untried = scores
    if need.tried:
        untried = np.asarray(
            [
                0.0 if any(t in s.text.lower() for t in need.tried) else score
                for s, score in zip(knowledge.snippets, scores, strict=True)
            ],
            dtype=np.float32,
        )
    matches = knowledge.answer(
        untried,
        need,
        post.embedding,
        may_mention_us=addressed or need.asks_for_place,
        prefer_us=need.asks_for_place and not addressed,
    )
    return scores, matches


def _carried_on(post: Candidate, question: Candidate, knowledge: KnowledgeBase) -> Candidate:
    """A follow-up read with the question it adds to, as one post: the question asked before
    ("Getting Isla a bike for her 5th birthday. 16 inch or 20 inch?"), then what this post adds
    ("To clarify: she's TALL")."""
    asking = post.intent if post.intent in ("question", "help", "recommendation") else None
    return _asking(
        post,
        f"{question.text.strip()} {post.text.strip()}",
        knowledge,
        intent=asking or question.intent,
        summons_business=post.summons_business or question.summons_business,
    )


def _asking(
    post: Candidate, text: str, knowledge: KnowledgeBase, *, intent: str, **update: Any
) -> Candidate:
    """The post read as asking what `text` says (its meaning embedded anew)."""
    return post.model_copy(
        update={
            "text": text,
            "embedding": knowledge.embedded(text).tolist(),
            "has_question": True,
            "intent": intent,
            **update,
        }
    )


# Two posts this close in meaning go on about the same thing.
SAME_THING = 0.4
# Sessions of something, named by what they teach: "swimming lessons", "bike maintenance classes"
SESSION_OF = re.compile(r"\b([a-z]{4,})\s+(?:class|course|lesson|workshop)(?:es|s)?\b", re.I)
# A post that opens by speaking to someone by handle.
TO_SOMEONE_ELSE = re.compile(r"^\W*@[\w.]+")
# Hours they quote: "website says open till 6", "your site says open until 4"
KNOWN_HOURS = re.compile(r"\bopen (?:till|until|til|to) \d", re.I)
# A question that points at something named before: "how long is it meant to be in for?",
# "what do I even do with him till then" (a starter with a name)
POINTS_BACK = re.compile(r"\b(it|that|this|they|them|one|these|those|him|her)\b", re.I)
# ("what am i doing wrong" asks of what they told before as surely as "is it", wherever in the
# post it is asked)
WHAT_WENT_WRONG = re.compile(
    r"\bwhat (?:am i|are we|have i|did i) (?:doing|done|do) wrong\b|"
    r"\bwhere (?:am i|are we|did i) (?:going|go) wrong\b",
    re.I,
)


def _what_it_is(
    post: Candidate, need: Need, moment: Moment, knowledge: KnowledgeBase
) -> Candidate | None:
    """The post read with their post before it, when its question points back ("is it") and
    only with that post is it about what the business knows (the le creuset sourdough with a
    crust like a bullet, then "how long is it actually meant to be in for, lid on or off?")."""
    before = moment.previous
    if not (before and need.question):
        return None
    # (Or any question, when this post goes on about the same thing: "where even IS the frame
    # number?" after "whose bike is this, how do I find out if it's stolen")
    if not (
        POINTS_BACK.search(need.question)
        or WHAT_WENT_WRONG.search(post.text)
        or cosine(post, before) >= SAME_THING
    ):
        return None
    if knowledge.in_scope(post.embedding) >= IN_SCOPE:
        return None
    # The two posts' mean meaning first (no embedding to compute), then theirs read as one.
    mean = np.asarray(post.embedding) + np.asarray(before.embedding)
    if knowledge.in_scope(mean / (np.linalg.norm(mean) or 1.0)) < IN_SCOPE:
        return None
    together = _carried_on(post, before, knowledge)
    return together if knowledge.in_scope(together.embedding) >= IN_SCOPE else None


Matched = Callable[[], tuple[np.ndarray, list[Match]]]


def _everyday_question(post: Candidate, need: Need, matched: Matched, reader_only: str) -> bool:
    """Does a post only a trained reader flagged (`reader_only`: the crisis or the grief
    reader's flag) ask a question the knowledge answers squarely, without a word of distress?
    (None of the 215 crisis and 237 grief posts the readers were trained on does; one everyday
    post in ten here was a crisis card: a bike-lock question, the lights a commuter needs.)"""
    if reader_only not in post.flags or need.question is None:
        return False
    if distressed(post.text):
        return False
    _, matches = matched()
    return bool(matches) and matches[0].score >= MATCH


def _maybe_everyday(post: Candidate, need: Need, matched: Matched, addressed: bool) -> str:
    """For a possible crisis only the trained reader saw (no phrase of one), on a question the
    knowledge answers or in a complaint to the business: say so. It stays a card for a person
    (a missed crisis is far worse than a question answered late), but the owner can tell a
    cafetière question or a coffee complaint from a cry for help.
    """
    if text_signals.reads_as_crisis(post.text):
        return ""
    if addressed and (post.intent == "complaint" or post.sentiment == "negative"):
        # a flat white that was all foam, staff on their phones: a complaint to you
        return (
            "Only the trained reader flagged this, not its list of crisis phrases, and it also "
            "reads like a complaint to you: read it yourself; if it is ordinary, answer it as a "
            "complaint (own it, say sorry, one thing you will do), with no crisis lines."
        )
    if need.question is None:
        return ""
    _, matches = matched()
    if not matches:
        return ""
    return (
        "Only the trained reader flagged this, not its list of crisis phrases, and it also "
        f"reads like an everyday question that “{matches[0].snippet.title}” answers: read it "
        "yourself; if it is ordinary, answer it from that."
    )

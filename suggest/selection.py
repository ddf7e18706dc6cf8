"""Which posts deserve a reply, and of what kind: a draft, a card for a person, or nothing.

Read in order: what must never be answered (spam, people who opted out, instructions to the
writer); a possible crisis or grief, always for a person; requests whose day is over
(nothing: too late); what else only a person should answer (another language, requests that
need a decision); the person's timeline (good news after a worry); the people who address
the business (always a draft or a card); then questions, problems and milestones of everyone
else. A question the business cannot answer from its knowledge is a card, never an empty
question back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from analysis import text as text_signals
from core.models import Occasion
from suggest import grounding, guard
from suggest.knowledge import IN_SCOPE, MATCH, KnowledgeBase, Match
from suggest.lapse import wanted_until
from suggest.need import Need, read_need
from suggest.schemas import Candidate
from suggest.timeline import Moment, asked, cosine

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
WHY = {
    Occasion.ANSWER: "answer their question from what you know",
    Occasion.RECOMMEND: "share the recommendation they asked for, from what you know",
    Occasion.HELP: "help with the problem they describe, from what you know",
    Occasion.CONGRATULATE: "congratulate them on what they did",
    Occasion.CELEBRATE_OUTCOME: "good news after a worry: be glad with them",
    Occasion.EMPATHISE: "a hard moment, said plainly: a kind word",
    Occasion.THANKS: "they thanked or praised you: thank them warmly",
    Occasion.COMPLAINT: "a complaint to you: own it, apologise, offer to put it right",
    Occasion.PERSONAL_NOTE: (
        "grief or serious illness: write a short personal note yourself, gently; "
        "no advice, nothing about the business"
    ),
    Occasion.CRISIS: (
        "this post may be about self-harm or suicide. A person should reach out today, "
        "gently and directly, and point to local crisis lines (UK: Samaritans 116 123, any time; "
        "emergency 999). No draft is suggested"
    ),
    Occasion.KNOWLEDGE_GAP: (
        "asked something your knowledge doesn't cover: answer it yourself, and if you'll be "
        "asked it again, save the answer as knowledge so the next draft can use it"
    ),
    Occasion.OTHER_LANGUAGE: "written in a language the drafts are not written in",
    Occasion.NEEDS_PERSON: "write it yourself, or leave it",
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
THANKS = re.compile(
    r"\b(thank\w*|cheers|ta|grateful|shout ?out|kudos|love (your|the|this)|"
    r"best (\w+ )?(in|ever)|made my (day|week)|delicious|amazing|unreal|gorgeous|legends?|"
    r"hero(es)?|lifesavers?)\b|❤|😍|🥰|🙏",
    re.I,
)
THANKS_FIRST = re.compile(
    r"^\W*(?:@[\w.@-]+[\s,:]+)*(?:just )?(?:a )?(?:big |huge |massive |special |many )?"
    r"(?:thanks|thank you|cheers)\b(?! for nothing| a lot)",
    re.I,
)
PRAISE_BUT = re.compile(
    r"\b(?:love|adore|usually|normally|always)\b[^.!?]{0,40}\bbut\b(?! (?:hey|still|worth))", re.I
)
# Praise that is a complaint: "great to cycle 3 miles … to look at a locked shutter … fab.",
# "love paying for two flat whites, waiting 25 minutes … living the dream".
SARCASM = re.compile(
    r"^\W*(?:great|love|nice|brilliant|fab|fantastic|wonderful|perfect|cheers|thanks|amazing)\b"
    r"[^.!?]{0,80}\b(?:locked|shut|closed|wait(?:ed|ing)?|cold|lukewarm|stale|late|broken|"
    r"wobbly|no ?one|nobody|missed|ignored|queue(?:d|ing)?|forgot|wrong)\b|"
    r"\b(?:living the dream|cheers for nothing|thanks for nothing|thanks a lot)\b|"
    # "… says you're open Mondays. you're not. cheers for that 👍"
    r"\b(?:you'?re not|you weren'?t|you aren'?t|nobody|no one|never)\b[^?]{0,40}?"
    r"\b(?:cheers|thanks|ta)(?: for that| a lot| very much| then)?\W*$|"
    r"[.!]\s+(?:fab|great|brilliant|lovely|marvellous|cracking)\W*$",
    re.I,
)
# What went wrong on a visit, told to the business: "waited 55 minutes on saturday, nobody
# said it'd be longer, missed my train… just tell people if there's a queue?" is a complaint,
# whatever it ends by asking.
GRIEVANCE = re.compile(
    r"\bwaited\s+(?:over\s+|nearly\s+|almost\s+)?(?:\d+|an?)\s*(?:min\w*|hours?|hrs?)\b|"
    r"\bmissed my (?:train|bus|flight|appointment|connection)\b|"
    r"\bnobody (?:said|told|mentioned|warned)\b|\bnot impressed\b|\bnot good enough\b",
    re.I,
)
# A particular order, booking or payment: only a person can look it up and settle it.
DECISION = re.compile(
    r"\b(my|our|the|an?) (order|booking|reservation|pick ?-?up|collection|delivery)\b|"
    # "you charged me twice", not "the last place … charged £140"
    r"\border'?s under\b|\bordered\b|"
    r"\b(?:you|you've|you have|was|were|been|got|get) (?:over)?charged\b|"
    r"\bcharged (?:me|us)\b|\brefund|\bmoney back|\bhold (it|one|this|them)\b|"
    r"\bput (it|one) aside|\btable for \d+|"
    # "any way you'd hang onto it if I sent you a bit of money tonight?"
    r"\bhang on ?to (?:it|one|this|them|that)\b|"
    # an order for a day of theirs: "any chance you could do one for Thursday afternoon?"
    r"\b(?:(?:could|can|would) you|you (?:could|can|would)) (?:do|make|bake) (?:one|it|that|a \w+)"
    r"(?: \w+){0,2}? (?:for|by) "
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow)\b|"
    r"\bbook (?:a |some |\w+ )?tables?\b|"
    r"\bfor \d+ (people )?on the\b|\bdeposit\b|\binvoice|"
    r"\bwholesale|\bcatering|\bcollab\w*|\bbooked\b",
    re.I,
)
# How long something lasts, or when it ends: "10:00 to 12:00", "until 4", "about an hour".
UNTIL_GIVEN = re.compile(
    r"\b(?:until|till|to)\s+\d|\b\d{1,2}(?::\d\d)?\s*(?:-|–|to)\s*\d|\bfinish\w*|\bends?\b|"
    r"\blasts?\b|\bkeeps? (?:for )?(?:up to )?(?:\d+|a|one|two|three|six) (?:days?|weeks?|months?)|"
    r"\b(?:\d+|an?|one|two|three) (?:minutes?|hours?|mins|hrs)\b",
    re.I,
)
# Something left behind: only someone at the counter can look ("think I left my helmet on
# your counter", "has a blue scarf been handed in?").
LOST_PROPERTY = re.compile(
    r"\b(?:left|lost|forgot|dropped)\s+(?:my|our|a|her|his)\s+(?:[\w'’]+\s+){0,4}?"
    r"(?:at|in|on|under)\s+(?:yours|your\s+\w+|the\s+(?:caf[eé]|shop|counter|table|workshop|"
    r"bakery|window(?:\s+table)?))\b|\bhanded\s+(?:it\s+|them\s+)?in\b|\blost\s+property\b|"
    # "did anyone hand in a pair of reading glasses? think I left them on the window table"
    r"\b(?:any\s?(?:one|body)|someone|somebody)\s+hand\s+in\b|"
    r"\bleft\s+(?:it|them)\s+(?:at|in|on|under)\s+the\s+(?:caf[eé]|shop|counter|(?:\w+\s+)?table|"
    r"workshop|bakery|window)\b|"
    # "we think we left a small knitted rabbit … any chance she's there??"
    r"\b(?:we|i) think (?:we|i|she|he) (?:left|dropped)\b|"
    r"\bany chance (?:she|he|it|they)(?:'s| is|'re| are) (?:still )?(?:there|behind the counter)\b|"
    # "was a wee knitted blue giraffe found on Sunday morning?"
    r"\b(?:was|were) (?:a|an|my|our|her|his)\s+(?:[\w'’-]+\s+){0,5}?found\b",
    re.I,
)
# Asking for a job or a placement ("are you taking anyone on? happy to send a CV"): the owner
# answers, even when the words read like self-promotion.
JOB_ENQUIRY = re.compile(
    r"\b(?:taking (?:anyone|anybody|people) on|tak\w* on (?:staff|anyone|anybody)|hiring|"
    r"vacanc\w+|any (?:jobs|openings|positions)|cv|apprentice\w*|work experience|trial shift|"
    r"looking for (?:a )?(?:job|work))\b",
    re.I,
)
# Harm they put down to the business (an injury, something in the food, a reaction, a word of
# a lawyer): never a drafted apology, the owner answers in person. (A wish to be phoned is
# CALL_ME's, after it.)
HARM_REPORTED = re.compile(
    r"\b(stitch(es)?|a ?& ?e\b|hospital|injur\w*|fractur\w*|broke my|concussion|bleeding|"
    r"chok\w*|allergic reaction|anaphyla\w*|epipen|food poisoning|been sick|vomit\w*|"
    r"(plastic|glass|metal|wire|a hair|a screw|a bolt)\b[^.]{0,25}\b(in|into|inside)\b|"
    r"solicitor|lawyer|"
    # "been really unwell since", "made us all ill" (not "wheat makes her really poorly")
    r"\b(?:been|was|were|got|am) (?:really |very |violently |so )?(?:unwell|ill|poorly)\b|"
    r"(?:unwell|ill|poorly|sick) (?:ever )?(?:since|after)\b|"
    r"\bmade (?:me|us|him|her|them|my \w+)(?: all)? (?:really |very |so )?"
    r"(?:unwell|ill|poorly|sick)\b|"
    # "broken collarbone", "cracked my wrist", "hit my head", "went over the bars"
    r"(?:broken|broke|fractured|cracked|sprained|dislocated)(?: (?:my|his|her|their|a))? "
    r"(?:collarbone|wrist|arm|leg|ankle|elbow|finger|toe|rib|nose|jaw|tooth|teeth|hip|"
    r"shoulder|knee|thumb)s?\b|hit (?:my|his|her|their) head\b|over the (?:handle)?bars\b|"
    # a near miss: "nearly ended up under a van", "could have been killed"
    r"(?:nearly|almost) (?:ended up|went|got|been|came off) (?:under|into|hit|knocked|killed)\b|"
    r"could(?:'ve| have) been (?:killed|hurt|seriously)\b|"
    r"legal action|sue (you|them|the)\b|insurance claim)",
    re.I,
)
# They ask the business for a favour: to donate, sponsor, or come and do something for them
# ("Would you be willing to donate a raffle prize?", "Would you ever come to the school?").
FAVOUR = re.compile(
    r"\b(?:sponsor (?:us|our|the)|raffle prize|prize for (?:our|the) raffle)\b|"
    r"\b(?:would|could) (?:you|\w+)(?: [\w&]+){0,3}? (?:ever |be willing to |"
    r"consider |be able to |be up for |possibly |maybe )+(?:come|coming|visit\w*|give|giving|run|"
    r"running|host\w*|talk\w*|donat\w+|look (?:them|it|at them) over)\b|"
    # "Could you box the bike up for me so I can courier it through?"
    r"\b(?:could|can|would) you (?:\w+ )?(?:box|pack|post|ship|courier)\b|"
    # a group to host ("bringing a small group (6 children and 2 adults) to watch bread being
    # made", "brought around 10 cubs to your Fix-It Night") or a visit out ("could come out
    # to me in Broughton?")
    r"\b(?:bring|bringing|brought)\s+(?:a\s+|our\s+|my\s+)?(?:small\s+|wee\s+)?(?:group|class|"
    r"pack|troop|team|(?:around|about)\s+\d+)\b|"
    r"\bcome\s+(?:out\s+)?to\s+(?:me|us|mine|my\s+(?:house|flat|home|place))\b|\bhome\s+visits?\b",
    re.I,
)
# They ask to be phoned ("could someone give me a ring about bread for our wedding?"): only
# someone who can talk it through can answer.
CALL_ME = re.compile(
    r"\b(?:give|gie) (?:me|us) a (?:ring|call|bell)\b|"
    r"\b(?:ring|call|phone) (?:me|us)\W*$|"
    r"\b(?:ring|call|phone) (?:me|us) (?:back|today|tomorrow|asap|please|on|at|about|when)\b|"
    r"\b(?:could|can|would|will) (?:you|someone|somebody|anyone)\b[^.?!]{0,20}"
    r"\b(?:ring|call|phone) (?:me|us)\b|"
    r"\b(?:sent|left|dm'?d|messaged) (?:you )?my number\b|\bnumber'?s in your inbox\b",
    re.I,
)
# Their own bike, order or repair with the business ("is my bike ready?", "you said you'd
# ring"): only someone who can look can say.
THEIRS_WITH_US = re.compile(
    r"\b(?:is|are) (?:my|our) (?:[\w-]+ ){1,2}?(?:ready|done|fixed|finished|back)\b|"
    r"\byou said you'?d\b|\bheard nothing\b|\bstill waiting (?:on|for)\b|"
    # "my bike's been with you since Tuesday … any idea when it'll be ready?"
    r"\bbeen with you (?:since|for)\b|"
    # "dropped the cargo bike this morning for the full service … got a voicemail", "missed
    # your call about my bike"
    r"\b(?:dropped|left|brought) (?:the|my|our) (?:[\w-]+ ){0,2}?(?:bike|order|cake|wheel|frame)"
    r"(?: off| in)? (?:with you )?(?:this morning|yesterday|today|on \w+day|for (?:the|a|its) "
    r"(?:\w+ )?service)\b|\bgot (?:a|your) voicemail\b|\bmissed your (?:call|message)\b|"
    r"\byou (?:phoned|rang|called|texted|emailed) (?:me|us|to say)\b|"
    r"\bwhen (?:it'?ll|will it|it will|they'?ll|will they) be (?:ready|done|fixed|back)\b|"
    r"\bwhere'?s (?:my|our) (?:order|bike|cake|repair)\b|"
    # "here at half 5 and the bike's in bits … nobody phoned me"; "picked the cake up this
    # morning … BUT it says ISLA"
    r"\b(?:nobody|no one|no-one) (?:phoned|rang|called|told|texted|emailed) (?:me|us)\b|"
    r"\b(?:picked|collected) (?:the|my|our) (?:\w+ )?(?:cake|order|bike|repair|wheel|loaf|bread|"
    r"box|tray|pastries|scones|buns)\b[^.!?]{0,60}\bbut\b",
    re.I,
)
# "No complaint at all, you've been brilliant", "not a complaint, just curious" (not "brakes
# are lovely, no complaints there. but the saddle…")
NOT_A_COMPLAINT = re.compile(
    r"\b(?:no|not a|this isn'?t a|this is not a) complaints?(?: at all| here)?\b(?! there)", re.I
)
# Something they bought from the business ("bought the red Dawes refurb from you in July"): asked
# about, only someone who can look it up can say what is covered (told as a complaint, it is one).
BOUGHT_FROM_YOU = re.compile(
    r"\bbought (?:the|a|my|our|this) (?:[\w-]+ ){0,3}?(?:from|off) you\b", re.I
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


HEALTH = re.compile(
    r"\b(digest\w*|allerg\w*|coeliac|celiac|intoleran\w*|gut|bloat\w*|diabet\w*|"
    r"blood sugar|pregnan\w*|medic\w*|health\w*|ibs|fodmap|calories?)\b",
    re.I,
)


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


def reason_to_skip(post: Candidate) -> str | None:
    """In plain words, why this post must get no reply whatever it says (None if none).

    Whether the author opted out is asked first, by `plan`, before even a crisis is read."""
    flags = set(post.flags)
    if "instructs_writer" in flags:
        return "the post tries to instruct the reply writer; its text is treated as data only"
    if post.intent == "spam" or "spammy" in flags:
        if not (post.summons_business and JOB_ENQUIRY.search(post.text)):
            return "self-promotion or spam"
    if "hostile" in flags and not post.summons_business:
        return "hostile post: better left alone"
    return None


def language_name(code: str | None) -> str:
    return LANGUAGE_NAMES.get(code or "", code or "an unknown language")


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
    if post.intent == "complaint" or DECISION.search(post.text) or JOB_ENQUIRY.search(post.text):
        return None
    if not (asked(post) or need.question is not None):
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
    if moment.carries is not None:
        post = _carried_on(post, moment.carries, knowledge)
    # What they said before on the same thing still counts ("she can't do stairs").
    need = read_need(post.text, context=[o.text for o in moment.context])
    if moment.carries is None and (about := _what_it_is(post, need, moment, knowledge)):
        # "so how long is it meant to be in for?" asks of the sourdough in their post before
        post = about
        need = read_need(post.text, context=[o.text for o in moment.context])
    flags = set(post.flags)
    addressed = post.summons_business or guard.names_business(post.text, business_names)

    age_days = max((now - post.posted_at).total_seconds() / 86400, 0.0)

    def make(occasion: Occasion, matches: Sequence[Match] = (), note: str = "") -> Plan:
        half_life = MOMENT_DAYS if occasion in MOMENTS else 3.0
        score = WEIGHT[occasion] * (0.6 + 0.4 * (matches[0].score if matches else 0.5))
        score *= 0.5 ** (age_days / half_life) * (1.2 if addressed else 1.0)
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
    asking = post.has_question
    language = post.language or "en"
    if language not in drafts_in:
        # The embedder reads English only, so whether a question in another language is the
        # business's kind of question cannot be judged here: a person glances at it.
        if addressed or asking:
            writes = language in languages
            return make(
                Occasion.OTHER_LANGUAGE,
                note=f"Written in {language_name(language)}"
                + (
                    ", which you write in but the drafts are not: reply in it yourself."
                    if writes
                    else ", which the business does not write in: reply yourself or leave it."
                ),
            )
        return f"written in {language_name(language)}, neither a question nor addressed to you"
    scores, matches = matched()
    matches = [m for m in matches if not _another_place(post.text, m.snippet.title)]
    near_miss = float(scores.max(initial=0.0)) >= NEAR_MISS
    # What the owner might start from on a card for a question the knowledge doesn't answer.
    nearest = (
        f"Nearest in your knowledge: “{knowledge.snippets[int(scores.argmax())].title}”, not "
        "close enough to draft from."
        if near_miss
        else ""
    )
    # The one loaf at home for a class of 28 children, the bread clinic for a 10-year-old: what
    # they said matters is not met, and a person knows better than a pasted snippet.
    named = dict(zip(need.constraint_words, need.constraints, strict=True))
    # "Is Leith Market alright for dogs?": asked of the thing a snippet is about, the answer is
    # that snippet's, not the dog-friendly walkway's beside it.
    asked_of = [m for m in matches[:1] if _names_title(need.question, m.snippet.title)]
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
    if unnamed := [t for t in need.specifics if not re.search(rf"\b{re.escape(t)}", said, re.I)]:
        gaps.append(f"says nothing about {', '.join(unnamed)}, which their question turns on")
    if unoffered := [
        t for t in need.offered if not any(knowledge.names(m.snippet, t) for m in matches)
    ]:
        gaps.append(f"says nothing about {', '.join(unoffered)}, which they asked whether you do")
    if need.asks_stock_now:
        gaps.append("says what you usually have, not what is in right now, which they asked")
    if (shut := _shut_when_they_come(post, knowledge, timezone)) and not any(
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
    if moment.good_news_after_worry and not (addressed and THANKS.search(post.text)):
        return make(Occasion.CELEBRATE_OUTCOME)
    if addressed:
        occasion, note = _addressed(
            post,
            asking=asking,
            answered=bool(matches),
            before=" ".join(o.text for o in moment.overtaken),
        )
        if occasion == Occasion.ANSWER and unmet:
            return make(Occasion.KNOWLEDGE_GAP, note=unmet)
        if occasion == Occasion.KNOWLEDGE_GAP:
            note = nearest
        return make(occasion, matches if occasion == Occasion.ANSWER else (), note)
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
        in_field = knowledge.in_scope(post.embedding, question=question, text=post.text)
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
    matches = [m for m in matches if not _names_place(post.text, m.snippet.title)]
    if post.sentiment == "negative" or post.intent in ("complaint", "help"):
        # A problem told without a question: help only when the knowledge clearly fits it.
        if matches and (post.intent == "help" or matches[0].score >= SURE_HELP):
            return make(Occasion.HELP, matches)
        if distressed(post.text):
            return make(Occasion.EMPATHISE)
    # "Dropped the ENTIRE tray on the kitchen floor": a mishap, however many hours it took.
    if text_signals.MISHAP.search(post.text):
        return make(Occasion.EMPATHISE)
    # Achievements are often told wryly ("zero regrets", "still can't believe it"), so the
    # milestone cue counts more than the sentiment; distress does not get a congratulation, nor
    # a post only the intent reader calls a milestone ("reminder that the consultation closes
    # on Friday… takes 6 minutes"): a congratulation by mistake is worse than none.
    # (The cue is never read in what they lost or missed: "lost my Strava crown".)
    if "milestone_cue" in flags and not distressed(post.text):
        return make(Occasion.CONGRATULATE)
    return "nothing to help with or celebrate in this post"


# "can i just turn up tomorrow morning before work": coming in on the day they name
COME_IN = re.compile(
    r"\b(?:turn up|rock up|pop (?:in|by|down|round)|come (?:in|by|down|round|over)|"
    r"drop (?:it |the bike |them )?(?:in|by|off)|walk (?:it )?in|wheel it (?:in|round)|call in|"
    r"head (?:down|in|over)|come to yours|(?:work|sit|study) (?:\w+ ){0,4}?at yours|visit)\b",
    re.I,
)


def _shut_when_they_come(post: Candidate, knowledge: KnowledgeBase, timezone: str) -> str:
    """The day they say they will come ("tomorrow", written on a Sunday), when the knowledge
    says the business is closed that day; else ''."""
    when = text_signals.RELATIVE_DAY.search(post.text)
    if when is None or not COME_IN.search(post.text):
        return ""
    day = post.posted_at.astimezone(ZoneInfo(timezone)).date()
    if when[1].lower() == "tomorrow":
        day += timedelta(days=1)
    name = grounding.WEEK[day.weekday()]
    return name if name in grounding.closed_days(tuple(s.text for s in knowledge.snippets)) else ""


def _names_place(text: str, title: str) -> bool:
    """Does the post name the place or event a snippet is titled by ("Leith Links", "Fix-It
    Night"; a title whose every word of four letters or more has its capital)?"""
    words = [w for w in re.findall(r"[\w'-]+", title) if len(w) > 3]
    return bool(words) and all(w[0].isupper() for w in words) and _names_title(text, title)


def _another_place(text: str, title: str) -> bool:
    """Does the post name another place of the same name as the snippet's ("Leith Library" to
    "Leith Market": the library's hours are not the market's)?"""
    words = [w for w in re.findall(r"[\w'-]+", title) if len(w) > 3]
    if not words or not all(w[0].isupper() for w in words):
        return False
    for name in text_signals.CAPITALISED.findall(text):
        # ("In Leith for the weekend": a sentence's first word is no part of a name)
        named = [w for w in name.split() if w.lower() not in text_signals.STOPWORDS["en"]]
        if (
            len(named) > 1
            and set(named) & set(words)
            and {w.lower() for w in set(named) - set(words)} & PLACE_NOUNS
        ):
            return True
    return False


# What a place's name says it is: "Leith Library" is not "Leith Market" ("Thinking
# Silverknowes" is a sentence's first words, not a place).
PLACE_NOUNS = frozenset(
    """library market links park gardens garden centre center hall street road station church
    school museum pool baths castle bridge harbour beach shore walk path surgery hospital
    cinema theatre""".split()
)


def _names_title(question: str | None, title: str) -> bool:
    """Does the question name what the snippet is titled ("Leith Market", "Fix-It Night")?"""
    words = [w for w in re.findall(r"[\w'-]+", title.lower()) if len(w) > 2]
    if not question or not words:
        return False
    return all(re.search(rf"\b{re.escape(w)}", question, re.I) for w in words)


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
    text = f"{question.text.strip()} {post.text.strip()}"
    asking = post.intent if post.intent in ("question", "help", "recommendation") else None
    return post.model_copy(
        update={
            "text": text,
            "embedding": knowledge.embedded(text).tolist(),
            "has_question": True,
            "intent": asking or question.intent,
            "summons_business": post.summons_business or question.summons_business,
        }
    )


# Two posts this close in meaning go on about the same thing.
SAME_THING = 0.4
# A question that points at something named before: "how long is it meant to be in for?",
# "what do I even do with him till then" (a starter with a name)
POINTS_BACK = re.compile(r"\b(it|that|this|they|them|one|these|those|him|her)\b", re.I)


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
    if not (POINTS_BACK.search(need.question) or cosine(post, before) >= SAME_THING):
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


def _addressed(
    post: Candidate, *, asking: bool, answered: bool, before: str = ""
) -> tuple[Occasion, str]:
    """Everyone who addresses the business gets a draft or a card: which, and a note.

    What only a person can settle counts from the posts this one overtook too ("we think we
    left a knitted rabbit… any chance she's there??", then "Checked the car twice. No Mrs
    Flops."): the rabbit is still lost."""
    said = f"{before} {post.text}".strip()
    # "Genuinely love you but the music was so loud…": what comes after the "but" is the point
    praise_but = bool(PRAISE_BUT.search(post.text))
    grievance = bool(GRIEVANCE.search(post.text))
    if "hostile" in post.flags:
        return Occasion.NEEDS_PERSON, "Hostile: better answered personally, calmly, or left."
    if JOB_ENQUIRY.search(said):
        return Occasion.NEEDS_PERSON, (
            "Asks about work with you (a job, a placement): yours to answer, even if only to "
            "say you are not taking anyone on."
        )
    if DECISION.search(said):
        return Occasion.NEEDS_PERSON, "About an order, a booking or a payment: a person decides."
    if FAVOUR.search(said):
        return Occasion.NEEDS_PERSON, (
            "Asks the business to give or do something for them (a prize, a visit, a talk): "
            "yours to decide, yes or no."
        )
    # "…ran after my dad because he'd left his wallet on the table. Made his week.": thanks
    # for something found, not something to look for.
    if LOST_PROPERTY.search(said) and not (THANKS.search(post.text) and not asking):
        return Occasion.NEEDS_PERSON, "Something left behind: only someone there can look for it."
    if THEIRS_WITH_US.search(said) or (asking and BOUGHT_FROM_YOU.search(said)):
        return Occasion.NEEDS_PERSON, (
            "About their own order or repair with you: only someone who can check on it can answer."
        )
    if HARM_REPORTED.search(said) and (post.intent == "complaint" or post.sentiment == "negative"):
        return Occasion.NEEDS_PERSON, (
            "Reports harm they put down to you (an injury, something in the food): serious. "
            "Reply yourself, today: take it seriously without arguing the facts, and offer to "
            "talk by phone or in person; no drafted apology."
        )
    if CALL_ME.search(said):
        return Occasion.NEEDS_PERSON, "They ask to be phoned: ring them, or say when you can."
    if NOT_A_COMPLAINT.search(post.text) and not grievance:
        # "The bread hasn't come the last two evenings… No complaint at all, just want to know
        # if something's changed": a question only someone who knows can answer, no apology
        return Occasion.NEEDS_PERSON, (
            "They say it is not a complaint: they want to know what has changed. Tell them."
        )
    if asking and ((not answered and praise_but) or grievance):
        # "love the place but Sunday was rough … Sundays need another pair of hands?": a
        # complaint that ends in a question is answered as a complaint, not as a gap in the
        # knowledge, nor with the snippet it complains of
        return Occasion.COMPLAINT, ""
    if asking:
        return (Occasion.ANSWER if answered else Occasion.KNOWLEDGE_GAP), ""
    if SARCASM.search(post.text):
        return Occasion.COMPLAINT, ""
    # "big thanks to whoever rang me before swapping the bent hanger": thanks first is thanks,
    # whatever the intent reader made of the bent hanger
    if THANKS.search(post.text) and (post.intent != "complaint" or THANKS_FIRST.match(post.text)):
        return Occasion.THANKS, ""
    if post.intent == "complaint" or post.sentiment == "negative" or praise_but:
        return Occasion.COMPLAINT, ""
    if post.sentiment == "positive":
        return Occasion.THANKS, ""
    return Occasion.NEEDS_PERSON, "Mentions you without a question: a person may say hello."


# What the post is, by occasion: the intent reader's words can mislabel a success or a loss.
WHAT = {
    Occasion.ANSWER: "asked a question",
    Occasion.RECOMMEND: "asked for a recommendation",
    Occasion.HELP: "described a problem",
    Occasion.CONGRATULATE: "shared an achievement or a milestone",
    Occasion.CELEBRATE_OUTCOME: "shared good news after a worry",
    Occasion.EMPATHISE: "described a hard moment",
    Occasion.THANKS: "thanked or praised the business",
    Occasion.COMPLAINT: "complained to the business",
    Occasion.PERSONAL_NOTE: "wrote about grief or serious illness",
    Occasion.CRISIS: "wrote something that may be about self-harm or suicide",
    Occasion.KNOWLEDGE_GAP: "asked something your knowledge doesn't cover",
    Occasion.OTHER_LANGUAGE: "wrote in another language",
    Occasion.NEEDS_PERSON: "needs a reply in your own words",
}


def quoted(post: Candidate) -> str:
    return f"“{post.text}” ({post.posted_at:%a %d %b})"


def rationale(plan_in: Plan, interests: Sequence[str], memory_note: str = "") -> str:
    """Why this card is in the queue, in plain words."""
    post, occasion = plan_in.post, plan_in.occasion
    who = post.display_name or post.handle
    first = f"{who} {WHAT[occasion]}"
    if post.summons_business and occasion != Occasion.NEEDS_PERSON:
        first += ", mentioning the business"
    parts = [f"{first}.", f"Suggested: {WHY[occasion]}."]
    if plan_in.note:
        parts.append(plan_in.note)
    if plan_in.moment.what_happened is not None and occasion.is_card:
        parts.append(f"What they are going through: {quoted(plan_in.moment.what_happened)}.")
    if plan_in.moment.earlier is not None:
        parts.append(f"It follows their earlier post {quoted(plan_in.moment.earlier)}.")
    elif plan_in.moment.overtaken:
        parts.append(
            f"It moves on from their earlier post {quoted(plan_in.moment.overtaken[-1])}, "
            "which gets no card."
        )
    elif plan_in.moment.context and occasion.is_card:
        # What they asked before says most about what they need ("a local baker to talk to my
        # class?", before a recipe for 28 children); else what they wrote last.
        questions = [p for p in plan_in.moment.context if p.has_question]
        if questions:
            parts.append(f"Before this they asked {quoted(questions[-1])}.")
        else:
            parts.append(f"Before this they wrote {quoted(plan_in.moment.context[-1])}.")
    if plan_in.moment.celebrating is not None:
        parts.append(f"What they are celebrating: {quoted(plan_in.moment.celebrating)}.")
    if occasion == Occasion.KNOWLEDGE_GAP and HEALTH.search(post.text):
        parts.append(
            "A health question: answer only what you know for sure, make no health claims, "
            "and think twice before saving it as knowledge."
        )
    if occasion == Occasion.KNOWLEDGE_GAP and plan_in.need.question:
        question = plan_in.need.question
        if len(question.split()) < 6:
            question = post.text
        parts.append(f"The question: “{question}”")
    if plan_in.need.constraints and plan_in.matches:
        parts.append("They already said what matters: " + ", ".join(plan_in.need.constraints) + ".")
    for match in plan_in.matches:
        parts.append(f"Uses “{match.snippet.title}” (match {match.score:.2f}).")
    if plan_in.also is not None:
        parts.append(f"It also celebrates their news {quoted(plan_in.also.post)}.")
    if memory_note:
        parts.append(memory_note)
    if interests and occasion not in (Occasion.PERSONAL_NOTE, Occasion.CRISIS):
        parts.append("They care about: " + ", ".join(interests) + ".")
    return " ".join(parts)

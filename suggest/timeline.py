"""A person's timeline: which of their posts is still current, and what came before it.

Tam asked why his loaf was flat; two days later "the loaf rose". Answering the question now
would show nobody read on. A post that needed something (a question, a problem, a worry) is
overtaken by a later post of the same person on the same thing, or by one calling it off in
any words ("ignore me, found it"); good news after such a post is the moment to reply, and the
card says what it follows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from analysis import text as text_signals
from suggest import mentions
from suggest.schemas import Candidate

# Two posts of one person are about the same thing above this cosine, or when they share a
# content word (the loaf, the surgery, the starter's name).
RELATED = 0.45
SOME_RELATION = 0.2
# "Treating myself to a cake to celebrate": the news it celebrates is from their last week.
CELEBRATE = re.compile(r"\bcelebrat\w*\b", re.I)
CELEBRATION_DAYS = 7
# A later question asks the same as an earlier one above this cosine.
SAME_ASK = 0.5
GOOD_NEWS = re.compile(
    r"\b(went well|worked|it worked|fixed|sorted|found (one|it|a|the|him|her)|rose|made it|"
    r"passed|all good|all clear|back on track|averted|success|did it|nailed|finally|"
    r"thank(s| you) nhs|open crumb|doubled|no pain|without pain|(he|she)'?s home|"
    r"home (now|safe)|safe and sound|phoned back|got (it|the job|in)|i start|relief|"
    r"good news|recovered|on the mend|cast off|ride again|didn't complain|without falling|"
    r"back (on|to)|back in business|beaming|over the moon|good tears|chuffed|buzzing|"
    r"happy tears|better than (it )?(did|was|ever) before|faith in humanity (restored|renewed)|"
    r"best \w+ (she|he|they|i)'?(s|ve|'ve| has| have)? ever (had|made|tasted|eaten)|"
    # a loaf with an ear, a starter back from the dead: "IT HAS AN EAR", "BRENDA LIVES."
    r"(?:has|have|got|with) an ear|not dead|still alive|"
    # "Mum is HOME… Normal service resumed 💛"
    r"(?:is|are) (?:back )?home(?! (?:sick|ill|alone|poorly))|"
    r"normal service (?:resumed|restored))\b|"
    r"\blives[.!]|"
    r"🎉|🥳",
    re.I,
)
# "Trying a lower oven this time": the person is already acting on what they asked about, in
# other words; answering the question now would talk past what they are doing.
ATTEMPT = re.compile(
    r"\b(this time|trying|try again|tried|another go|another attempt|attempt (number|no\.?) ?\w+|"
    r"round (two|2)|take (two|2)|fingers crossed)\b",
    re.I,
)
# "Ignore me, I'm outside and you're open": the person says their own question no longer
# stands. It settles the question they asked last, if it came this soon after it.
SETTLED = re.compile(
    r"\b(ignore (me|that|this|my (last|previous|earlier) (post|question|toot|tweet))|"
    r"never ?mind|nvm|scratch that|disregard (that|this|my)|forget (it|that|i asked)|"
    r"no longer need|(don'?t|do not) need (it|one|them|that) (any ?more|now)|"
    r"not needed (any ?more|now)|no need (now|any ?more)|found (it|one|them|what i)|"
    r"sorted|figured it out|worked it out|"
    r"answered my own question|got my answer|question answered|thanks anyway|panic over|"
    r"false alarm|(?:got|bought|found) (?:one|it) (?:off|from|elsewhere|on)|"
    r"(?:was|were) in my (?:\w+ )?(?:bag|rucksack|pocket|car|coat|jacket) "
    r"(?:all along|the whole time))\b",
    re.I,
)
SETTLE_DAYS = 2
# Good news that ends with a new trouble: "it actually has HEIGHT now 🎉 New problem: the
# crust is so hard I nearly lost a finger cutting it."
NEW_PROBLEM = re.compile(
    r"\b(?:new|next|another|different|fresh) (?:problem|issue|question|mystery|dilemma)\b|"
    r"\bonly (?:problem|issue|trouble) (?:now )?is\b|\bbut now (?:the|my|it'?s|its)\b",
    re.I,
)
# Good news this close after a worry is taken as its outcome even in other words.
OUTCOME_DAYS = 10
WORRY = re.compile(
    r"\b(scared|nervous|worried|anxious|dreading|terrified|panick\w*|again|sulking|"
    r"flat|pancake|dense|brick|wrong|fail\w*|broke|cancelled|hospital|surgery|injur\w*|"
    # "it's sunk in the middle like a paddling pool. 11pm. Everything's shut."
    r"sunk|sank|collapsed|disaster|ruined|burnt|gutted|heartbroken|devastated|vandal\w*|stolen|"
    # "Mum's biopsy results tomorrow. Can't sleep."
    r"can'?t sleep|results (are )?(due|tomorrow|today|this week|on \w+day)|biopsy|scan|"
    # "Is Brenda dead?" (a starter), "first ever loaf tonight… Wish me luck"
    r"dead|dying|wish me luck|fingers crossed|"
    # "Our spaniel Bramble slipped her lead on Leith Links… please RT"
    r"missing|lost|slipped (?:her|his|its|their) (?:lead|collar)|ran off|bolted|"
    r"keep (?:an|your) eyes? out|please (?:rt|share|retweet|boost))\b",
    re.I,
)
GENERIC = set(
    """today tomorrow week weekend time really still again first last thing things bit lot
    made make going went good great best honestly actually finally""".split()
)


@dataclass(frozen=True)
class Moment:
    """A post that is still current, with the earlier post it follows up (if any)."""

    post: Candidate
    earlier: Candidate | None = None
    overtaken: list[Candidate] = field(default_factory=list)
    # Their earlier posts on the same thing: what they already said still counts.
    context: list[Candidate] = field(default_factory=list)
    # The good news of their week that a post says it celebrates ("a cake to celebrate").
    celebrating: Candidate | None = None
    # For a post about grief or illness, the earlier one that says what happened ("My dad
    # passed away on Sunday"), which the card names plainly.
    what_happened: Candidate | None = None
    # The question they asked just before, which this post adds to without asking anything
    # itself ("16 inch or 20 inch?", then "To clarify: she's TALL"): still to be answered,
    # with what this post adds.
    carries: Candidate | None = None
    # Their post just before this one, within days: what "it" in a question may point at.
    previous: Candidate | None = None
    # Someone else's reply to their question since ("@lewisbain they're shut Mondays!
    # Tue-Sun, 7:30 til 4"): it has been answered.
    answered_by: Candidate | None = None

    @property
    def good_news_after_worry(self) -> bool:
        return self.earlier is not None


def _content(post: Candidate) -> set[str]:
    stops = text_signals.STOPWORDS["en"] | GENERIC
    return {
        w.rstrip("s")
        for w in text_signals.words(post.text)
        if len(w) > 3 and w not in stops and "'" not in w
    }


def cosine(a: Candidate, b: Candidate) -> float:
    """How close two posts are in meaning (0 when either has no embedding)."""
    if not (a.embedding and b.embedding):
        return 0.0
    return float(np.dot(np.asarray(a.embedding), np.asarray(b.embedding)))


def related(a: Candidate, b: Candidate) -> bool:
    """Are two posts of one person about the same thing?"""
    shared = _content(a) & _content(b)
    if not (a.embedding and b.embedding):
        return bool(shared)
    closeness = cosine(a, b)
    # One shared word is enough only when the meanings are close too ("start" is shared by a
    # new job and learning to bake; "cake" by a cake question and the birthday it was for).
    return closeness >= RELATED or len(shared) >= 2 or (bool(shared) and closeness >= SOME_RELATION)


def _asks_on(earlier: Candidate, later: Candidate) -> bool:
    """Does the later post carry the earlier one's need on? A later question does only when it
    asks much the same ("why so flat?", then "tips for a flat loaf?"): a new question on the
    same topic ("how often do I feed it?", then "how do I keep it warm?") leaves both open.
    Good news settles a worry on its topic, but a plain how-to question only when close in
    meaning: a first good bake does not say how often to feed the starter."""
    if not related(earlier, later):
        return False
    if not (earlier.embedding and later.embedding):
        return True
    closeness = cosine(earlier, later)
    if later.has_question:
        return closeness >= SAME_ASK
    if is_good_news(later) and not was_worry(earlier):
        return closeness >= RELATED
    return True


def needed_something(post: Candidate) -> bool:
    """A question, a problem or a worry: something a later post can settle."""
    return (
        post.has_question
        or post.intent in ("question", "help", "recommendation", "complaint")
        or post.sentiment == "negative"
        or bool(WORRY.search(post.text))
    )


def was_worry(post: Candidate) -> bool:
    """A problem or a worry (not a plain question): good news after it is worth a reply."""
    if WORRY.search(post.text) or post.intent == "help":
        return True
    # A plain question is not a worry, even one the sentiment reader calls negative.
    return post.sentiment == "negative" and not post.has_question


def is_good_news(post: Candidate) -> bool:
    flags = set(post.flags)
    if flags & {"sensitive", "crisis"} or post.has_question:
        return False
    return bool(GOOD_NEWS.search(post.text)) or (
        post.sentiment == "positive" and "milestone_cue" in flags
    )


# A reply from someone else answers a question only this soon after it, and only when it is
# not itself a question or a shrug ("@lewis no idea sorry!").
ANSWERED_DAYS = 2
SHRUG = re.compile(
    r"\b(?:no idea|not sure|dunno|don'?t know|no clue|same question|wondering the same|"
    r"following|me too|bump)\b|\+1",
    re.I,
)


def _handle_key(handle: str) -> str:
    """A handle as a mention names it: "@kirsty" for kirsty@mastodon.scot."""
    return handle.lstrip("@").split("@")[0].rstrip(".").lower()


def replies_by_handle(posts: Sequence[Candidate]) -> dict[tuple[str, str], list[Candidate]]:
    """The posts that mention each handle, per platform, read once for a batch of posts."""
    found: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for post in posts:
        for mention in text_signals.MENTION.findall(post.text):
            found[(post.platform, _handle_key(mention))].append(post)
    return found


def answered_by_another(
    post: Candidate, replies: dict[tuple[str, str], list[Candidate]]
) -> Candidate | None:
    """Someone else's later reply to a question asked of everyone (not of the business);
    `replies` is `replies_by_handle` of the posts read together."""
    # (A question with a grumble in it, "any bike shop open today?? chain's come off… I am
    # useless", is still put to everyone.)
    if post.summons_business or not (post.has_question or asked(post)):
        return None
    return next(
        (
            other
            for other in replies.get((post.platform, _handle_key(post.handle)), [])
            if other.handle != post.handle
            and post.posted_at < other.posted_at
            and _within(post, other, ANSWERED_DAYS)
            and not other.has_question
            and not SHRUG.search(other.text)
        ),
        None,
    )


def new_problem(post: Candidate) -> str | None:
    """The new trouble a post ends with, from where it says so ("New problem: the crust is so
    hard…"); None when it has none."""
    found = NEW_PROBLEM.search(post.text)
    return post.text[found.start() :].strip() if found else None


def _within(earlier: Candidate, later: Candidate, days: float) -> bool:
    return (later.posted_at - earlier.posted_at).total_seconds() <= days * 86400


def _outcome_of(later: Candidate, earlier: Candidate) -> bool:
    """Plain good news soon after a worry: its outcome, even when told in other words."""
    return (
        _within(earlier, later, OUTCOME_DAYS)
        and was_worry(earlier)
        and bool(GOOD_NEWS.search(later.text))
    )


# The intents that ask something of others.
ASKING = ("question", "help", "recommendation")


def asked(post: Candidate) -> bool:
    """A question or a request (not a complaint): something the person may call off."""
    return post.intent != "complaint" and (post.has_question or post.intent in ASKING)


def calls_off(post: Candidate) -> bool:
    """Does the post only call off what they asked before ("false alarm!! it was in my rucksack
    the whole time", "Ignore my message, we got one off Marketplace! Thanks anyway")? Not when
    it asks something, brings good news ("POLICE FOUND IT") or thanks them for more than
    nothing."""
    return (
        bool(SETTLED.search(post.text))
        and not post.has_question
        and not is_good_news(post)
        and not mentions.THANKS.search(SETTLED.sub("", post.text))
    )


def _settled_by(later: Candidate, earlier: Candidate, between: Sequence[Candidate]) -> bool:
    """A later post calling off the question asked just before it ("never mind, found it")."""
    return (
        asked(earlier)
        and not any(asked(p) for p in between)
        and _within(earlier, later, SETTLE_DAYS)
        and bool(SETTLED.search(later.text))
    )


# "Bought a grinder. Life changed.": what they asked about, solved by what they did since.
SOLVED = re.compile(
    r"\b(life changed|changed my life|game[- ]?changer|what a difference|never going back|"
    r"why did nobody tell me|night and day|problem solved|mystery solved|that was it|"
    r"that did it|that did the trick)\b",
    re.I,
)


def _solved_by(later: Candidate, earlier: Candidate) -> bool:
    """A later post saying that what an earlier question was about is solved, in other words."""
    return asked(earlier) and bool(SOLVED.search(later.text)) and _on_it_since(later, earlier)


def _attempt_after(later: Candidate, earlier: Candidate) -> bool:
    """A later post trying again at what an earlier question or problem was about."""
    return bool(ATTEMPT.search(later.text)) and _on_it_since(later, earlier)


def _on_it_since(later: Candidate, earlier: Candidate) -> bool:
    """Is the later post, within the days an outcome may take, at all about the earlier one?"""
    if not (earlier.embedding and later.embedding):
        return False
    closeness = cosine(earlier, later)
    return _within(earlier, later, OUTCOME_DAYS) and closeness >= SOME_RELATION


def current_moments(posts: Sequence[Candidate], history: Sequence[Candidate] = ()) -> list[Moment]:
    """Each person's posts that are still current, oldest first, with what they follow.

    `posts` are the candidates; `history` adds the same people's earlier posts (outside the
    window) so that good news can be matched with the worry it ends.
    """
    by_person: dict[str, list[Candidate]] = defaultdict(list)
    for post in [*history, *posts]:
        by_person[f"{post.platform}:{post.handle}"].append(post)
    wanted = {id(p) for p in posts}
    replies = replies_by_handle(posts)
    moments: list[Moment] = []
    for timeline in by_person.values():
        timeline.sort(key=lambda p: p.posted_at)
        overtaken_by: dict[int, list[Candidate]] = defaultdict(list)
        dropped: set[int] = set()
        for i, post in enumerate(timeline):
            if "crisis" in post.flags or not needed_something(post):
                continue  # a crisis always reaches a person; good news is never overtaken
            for j, later in enumerate(timeline[i + 1 :], start=i + 1):
                if (
                    _asks_on(post, later)
                    or _outcome_of(later, post)
                    or _attempt_after(later, post)
                    or _solved_by(later, post)
                    or _settled_by(later, post, timeline[i + 1 : j])
                    or _continues(later, post)
                ):
                    dropped.add(id(post))
                    overtaken_by[id(later)].append(post)
                    break
        for post in timeline:
            if id(post) not in wanted or id(post) in dropped:
                continue
            settled = overtaken_by.get(id(post), [])
            earlier = next(
                (p for p in reversed(settled) if was_worry(p) and not is_good_news(p)),
                None,
            )
            before = [p for p in timeline if p.posted_at < post.posted_at and related(p, post)]
            news = (
                [
                    p
                    for p in timeline
                    if p.posted_at < post.posted_at
                    and _within(p, post, CELEBRATION_DAYS)
                    and is_good_news(p)
                ]
                if CELEBRATE.search(post.text)
                else []
            )
            moments.append(
                Moment(
                    post=post,
                    # (a new trouble told with it is what they need now)
                    earlier=earlier if is_good_news(post) and not new_problem(post) else None,
                    overtaken=settled,
                    context=before[-3:],
                    celebrating=news[-1] if news else None,
                    what_happened=_what_happened(post, timeline),
                    carries=_carried_question(post, settled),
                    previous=next(
                        (
                            p
                            for p in reversed(timeline)
                            if p.posted_at < post.posted_at and _within(p, post, CARRY_DAYS)
                        ),
                        None,
                    ),
                    answered_by=answered_by_another(post, replies),
                )
            )
    return moments


# A follow-up carries on a question asked this recently ("PLOT TWIST party's moved to the 22nd").
CARRY_DAYS = 3
# Words that open a follow-up to what they just said: "to clarify", "update:", "plot twist",
# "change of plan" say it is about the same thing; "also", "oh and", "ps" only add something.
CONTINUES = re.compile(
    # (after the handles it is addressed to: "@northsidecycles should have said he's small")
    r"^\W*(?:@[\w.@-]+[\s,:]+)*(?:(?:ok(?:ay)?|right|sorry|oops)[,.!]?\s+)?"
    r"(?:(?P<same>to clarify|clarification|"
    r"for context|correction|plot twist|change of plan|forgot to (?:say|add|mention)|"
    # "Sorry should have said, he's very strict with it", "should add: tiny galley kitchen"
    r"(?:i )?should (?:have |'ve )?(?:said|added|mentioned|add|say))|(?P<update>update|edit)|"
    r"also|oh and|and also|ps|p\.s\.)\b",
    re.I,
)
# An update carries the question on only while the trouble goes on ("update: … still flat");
# otherwise it tells how it went ("update: took him to Leith Links, 40 laps").
STILL = re.compile(
    r"\b(still|again|didn'?t|did not|no better|no change|no difference|same (?:thing|result)|"
    r"worse|nope|not working)\b",
    re.I,
)
# An added word is on the same thing only this close in meaning ("also who decided sprouts
# were christmas food" after a flour question is 0.22).
ADDED_ON_IT = 0.3


def _follow_up(post: Candidate) -> re.Match[str] | None:
    """How a post opens as a follow-up to what its author just said, when it does and asks
    nothing of its own ("To clarify: …"; "update: … still flat", not "update: 40 laps")."""
    opening = CONTINUES.search(post.text)
    if opening is None or post.has_question:
        return None
    if opening["update"] and not STILL.search(post.text):
        return None
    return opening


def _continues(later: Candidate, earlier: Candidate) -> bool:
    """A later post that follows up a question asked just before it ("To clarify: she's
    TALL"); one that only adds something ("also …") when it is on the same thing."""
    opening = _follow_up(later)
    if opening is None or not asked(earlier) or not _within(earlier, later, CARRY_DAYS):
        return False
    return bool(opening["same"] or opening["update"]) or cosine(earlier, later) >= ADDED_ON_IT


def _carried_question(post: Candidate, overtaken: Sequence[Candidate]) -> Candidate | None:
    """The question of theirs this post overtook by adding to it, said as a follow-up ("To
    clarify: she's TALL", "update: … still flat"), not by settling it ("never mind", "that
    did it") nor by telling how it went ("Gran rated the coffee a 6")."""
    if _follow_up(post) is None or is_good_news(post) or "crisis" in post.flags:
        return None
    # "sold out by half 1!!!", "Leith Market haul… Worth it.": how it went, not more to ask
    if post.sentiment == "positive" or post.intent == "milestone":
        return None
    if SETTLED.search(post.text) or SOLVED.search(post.text):
        return None
    return next(
        (p for p in reversed(overtaken) if p.has_question and _within(p, post, CARRY_DAYS)),
        None,
    )


def _what_happened(post: Candidate, timeline: Sequence[Candidate]) -> Candidate | None:
    """For a post about grief or illness, the latest earlier one of the person's that says
    what happened in so many words (a death, a diagnosis, a hospital)."""
    if "sensitive" not in post.flags:
        return None
    return next(
        (
            p
            for p in reversed(timeline)
            if p.posted_at < post.posted_at and text_signals.reads_as_sensitive(p.text)
        ),
        None,
    )

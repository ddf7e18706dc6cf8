"""Suggestion logic: from a workspace's recent posts to today's queue of drafts and cards.

One flow for both callers (`suggest_for_workspace` stores the queue; `draft_posts` shows what
would be drafted for posts given directly): read each person's timeline (timeline.py), decide
draft / card / nothing for what is current (selection.py; posts to the business: mentions.py),
keep the best moment per person, then write each draft (reply memory first, then the drafting
backend), guard it, route it, and say why (rationale.py).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from analysis import text as text_signals
from analysis.labels import label_name
from analysis.models import Embedder
from core.logging import get_logger
from core.models import DeliveryRoute, Occasion, SuggestionStatus, Workspace
from suggest import (
    composer,
    events,
    guard,
    rationale,
    reactions,
    recurring,
    repository,
    routes,
    selection,
    wording,
)
from suggest.backends import ComposerDrafter, Drafter
from suggest.knowledge import KnowledgeBase, Match
from suggest.memory import ReplyMemory, based_on
from suggest.promotional import PromotionalClassifier
from suggest.schemas import Candidate, DraftRead, SuggestResult
from suggest.selection import Plan
from suggest.timeline import current_moments

log = get_logger(__name__)

EXPIRE_DAYS = 3
# How far back a person's earlier posts are read for context (the worry before good news).
HISTORY_DAYS = 7
# A post that speaks to the business is owed a card for longer than the window: a mention left
# unanswered (the day's limit, the cadence, a first import) is still someone waiting.
ADDRESSED_DAYS = 7
# Cards that must reach a person whatever the cadence says.
ALWAYS = (Occasion.CRISIS, Occasion.PERSONAL_NOTE)


@dataclass
class Written:
    """A planned post, written: the draft (empty for cards), the guard's verdict and the route."""

    draft: str
    guard_passed: bool
    guard_reasons: list[str]
    route: DeliveryRoute
    handoff_url: str | None
    rationale: str
    occasion: Occasion
    knowledge: list[str]
    based_on: str | None = None

    def values(self) -> dict[str, Any]:
        return {
            "draft": self.draft,
            "guard_passed": self.guard_passed,
            "guard_reasons": self.guard_reasons,
            "route": self.route,
            "handoff_url": self.handoff_url,
            "rationale": self.rationale,
            "occasion": self.occasion,
            "grounding": {"knowledge": self.knowledge, "based_on": self.based_on},
        }


@dataclass
class Writer:
    """Writes drafts for one queue, keeping every card's opening and closing words its own."""

    workspace: Workspace
    drafter: Drafter
    promotional: PromotionalClassifier | None = None
    memory: ReplyMemory = field(default_factory=lambda: ReplyMemory([]))
    used_openings: set[str] = field(default_factory=set)
    used_closings: set[str] = field(default_factory=set)
    # The knowledge sentences each draft of this queue used, and whose card it was.
    used_knowledge: dict[tuple[str, ...], str] = field(default_factory=dict)
    # When the queue is written: a question put to the business long before gets an apology.
    now: datetime | None = None

    def write(
        self,
        plan: Plan,
        *,
        recent: Sequence[str] = (),
        interests: Sequence[str] = (),
        already_replied: bool = False,
        keep_failed: bool = False,
    ) -> Written | None:
        """The plan written out; None when no candidate passes the guard (unless keep_failed)."""
        post = plan.post
        name = wording.first_name(post.display_name)
        occasion, draft, remembered = plan.occasion, "", None
        reasons: list[str] = []
        why_card = "No draft passed the guard."
        asks_about = ""
        recalled = self.memory.recall(occasion=occasion, embedding=post.embedding, person_name=name)
        if occasion == Occasion.KNOWLEDGE_GAP and recalled:
            # The owner answered a question like this one before: that answer is a draft now.
            occasion = Occasion.ANSWER
        sentences = tuple(sorted(s for m in plan.matches for s in m.sentences))
        # The same advice for a second person this morning: said in another order, so the
        # two drafts don't read as one pasted paragraph, and the card says whose has it too.
        shared_with = self.used_knowledge.get(sentences) if sentences else None
        if not occasion.is_card:
            request = self._request(
                plan, name=name, recent=recent, interests=interests, reorder=bool(shared_with)
            )
            rule = routes.RULES[post.platform]
            candidates = self.drafter.candidates(request, max_chars=rule.max_chars)
            if recalled:
                candidates.insert(0, recalled[0])
            draft, reasons = self._first_passing(
                candidates,
                plan,
                name=name,
                recent=recent,
                owner_said=[recalled[1].text] if recalled else [],
            )
            if recalled and draft == recalled[0]:
                remembered = based_on(recalled[1])
            # "Did the poke test finally click?": the owner sees which post it asks about.
            back = (
                reactions.asked_back(request.recent_posts, request.earlier_post)
                if draft and occasion == Occasion.CELEBRATE_OUTCOME
                else None
            )
            if back and back[0] in draft:
                asks_about = f" Its question is about what they wrote before: “{back[1]}”"
            if draft and sentences and not remembered and not keep_failed:
                self.used_knowledge.setdefault(sentences, name or post.handle)
            elif not draft and not keep_failed:
                if not post.summons_business:
                    log.warning("suggest.guard.blocked", post_id=post.external_id, reasons=reasons)
                    return None
                # Someone who addressed the business still gets a card, never silence.
                occasion = Occasion.NEEDS_PERSON
            elif not draft and candidates:
                draft = candidates[0]
        route = routes.route_for(
            platform=post.platform,
            post_external_id=post.external_id,
            post_url=post.url,
            summons_business=post.summons_business,
            already_replied=already_replied,
            draft=draft,
        )
        knowledge = _used_in(draft, plan.matches) if draft else []
        shared = f" {shared_with}'s draft this morning uses the same knowledge."
        note = (shared if shared_with and draft else "") + asks_about
        return Written(
            draft=draft,
            guard_passed=not reasons,
            guard_reasons=reasons,
            route=route.route,
            handoff_url=route.handoff_url,
            rationale=rationale.explain(
                plan if occasion == plan.occasion else _as(plan, occasion, why_card),
                list(interests),
                remembered or "",
                now=self.now,
            )
            + note,
            occasion=occasion,
            knowledge=knowledge,
            based_on=remembered,
        )

    def _request(
        self,
        plan: Plan,
        *,
        name: str | None,
        recent: Sequence[str],
        interests: Sequence[str],
        reorder: bool = False,
    ) -> composer.DraftRequest:
        post = plan.post
        # A price nobody asked about is left out of what is said (the guard would stop it).
        # Each snippet's closest sentence before any snippet's second: the price asked, then the
        # promise to phone first, then the rest, so that what a short platform cuts is the rest.
        ranked = [
            [(match.snippet.title, s) for s in _closest_first(list(match.sentences), post.text)]
            for match in plan.matches
        ]
        known = [pair for rank in itertools.zip_longest(*ranked) for pair in rank if pair]
        said = known
        if not guard.PRICE_ASKED.search(post.text):
            said = [(title, wording.without(s, guard.PRICE)) for title, s in known]
            if not any(s for _, s in said):
                said = known  # all it knows is prices: as it is, and the guard decides
        knowledge = wording.day_said_once(
            [
                wording.fit_distance(
                    wording.relevant_clauses(
                        wording.the_one_they_named(sentence, post.text),
                        plan.need.days,
                        subject=subject,
                    ),
                    plan.need.question,
                )
                for subject, sentence in said
                if sentence
            ]
        )
        # "the first Saturday of each month": and when that is next
        knowledge = recurring.with_next_ones(knowledge, self._today())
        return composer.DraftRequest(
            occasion=plan.occasion,
            post_external_id=post.external_id,
            person_name=name,
            post_text=post.text,
            knowledge=wording.cause_first(
                wording.retold(knowledge) if reorder else knowledge, plan.need.question, post.text
            ),
            knowledge_titles=[match.snippet.title for match in plan.matches],
            question=plan.need.question,
            constraints=plan.need.constraints,
            keyphrases=post.keyphrases,
            earlier_post=plan.moment.earlier.text if plan.moment.earlier else None,
            recent_posts=[t for t in recent if t != post.text][:8],
            interests=list(interests),
            examples=[r.text for r in self.memory.replies[:3]],
            good_news=plan.also.post.text if plan.also else None,
            late=bool(
                self.now
                and post.summons_business
                and self.now - post.posted_at > composer.LATE_AFTER
            ),
            business_name=self.workspace.display_name,
            addressed=plan.addressed,
            business_description=self.workspace.description or "",
            voice=self.workspace.voice,
        )

    def _today(self) -> date:
        return recurring.today_in(self.workspace.timezone, self.now)

    def _first_passing(
        self,
        candidates: list[str],
        plan: Plan,
        *,
        name: str | None,
        recent: Sequence[str],
        owner_said: Sequence[str] = (),
    ) -> tuple[str, list[str]]:
        """The first candidate that passes the guard and keeps the queue's phrasing varied."""
        post = plan.post
        sentences = [s for m in plan.matches for s in m.sentences]
        context = guard.context_for(
            self.workspace,
            post_text=post.text,
            summons_business=post.summons_business,
            person_names=[name or "", post.display_name, post.handle],
            recent_texts=list(recent),
            # What the owner wrote and sent is theirs to say again.
            extra_knowledge=list(owner_said),
            answer_texts=sentences,
            # Drafts are written in the post's language (else it is a card): no need to guess.
            language=post.language,
            max_chars=routes.RULES[post.platform].max_chars,
            today=self._today(),
        )

        phrased = {
            c: composer.phrasing(c, name=name, post_text=post.text, knowledge=sentences)
            for c in candidates
        }

        def fresh(draft: str) -> bool:
            opening, closing = phrased[draft]
            return opening not in self.used_openings and closing not in self.used_closings

        # Phrasing is cheap and the guard is not: guard the fresh candidates first, in order,
        # and stop at the first that passes; reused phrasing only when no fresh one passes.
        ordered = sorted(candidates, key=lambda c: not fresh(c))
        reasons: list[str] = ["no draft could be written"] if not ordered else []
        for draft in ordered:
            # One candidate at a time: the classifier's forward pass is most of the suggest
            # stage's time, and the first candidate usually passes.
            p = self.promotional.probabilities([draft])[0] if self.promotional else None
            verdict = guard.check(draft, context.model_copy(update={"promotional_probability": p}))
            if verdict.passed:
                break
            reasons = reasons or verdict.reasons
        else:
            return "", reasons
        opening, closing = phrased[draft]
        self.used_openings.add(opening)
        if closing:
            self.used_closings.add(closing)
        return draft, []


def _used_in(draft: str, matches: Sequence[Match]) -> list[str]:
    """The titles of the snippets a draft says something from (three words of one in a row),
    all of them when it seems to say none (reworded beyond that)."""
    said = " ".join(re.findall(r"[\w£%°]+", draft.lower()))
    used = [
        m.snippet.title
        for m in matches
        if any(
            " ".join(words[i : i + 3]) in said
            for words in [re.findall(r"[\w£%°]+", m.snippet.text.lower())]
            for i in range(max(len(words) - 2, 1))
        )
    ]
    return used or [m.snippet.title for m in matches]


def _closest_first(sentences: list[str], post_text: str) -> list[str]:
    """The sentences that share most words with the post first (the fridge for a fridge
    question), so two people asking near the same thing are not sent the same paragraph."""

    # (not what they say is not so: "my partner isn't coeliac" puts no coeliac warning first)
    # (…nor a hyphen: "ebike" is the "e-bike" of the sentence)
    def words(text: str) -> set[str]:
        return {w.replace("-", "") for w in text_signals.words(text)}

    said = words(NOT_SO.sub(" ", post_text)) - text_signals.STOPWORDS["en"]
    return sorted(sentences, key=lambda s: -len(said & words(s)))


NOT_SO = re.compile(r"\b(?:not|isn'?t|aren'?t|wasn'?t|never)\s+(?:a\s+|an\s+)?\w+", re.I)


def _as(plan: Plan, occasion: Occasion, note: str) -> Plan:
    return dataclasses.replace(plan, occasion=occasion, matches=(), note=note, also=None)


def plan_posts(
    posts: Sequence[Candidate],
    *,
    history: Sequence[Candidate] = (),
    workspace: Workspace,
    knowledge: KnowledgeBase,
    drafter: Drafter,
    now: datetime,
) -> tuple[list[Plan], dict[int, str]]:
    """The best plan per person for what is current, and why every other post gets nothing."""
    moments = current_moments(posts, history)
    why_not: dict[int, str] = {}
    for moment in moments:
        for old in moment.overtaken:
            why_not[id(old)] = f"overtaken by their later post: “{moment.post.text}”"
    plans: dict[str, list[Plan]] = {}
    names = [workspace.display_name, workspace.name]
    for moment in moments:
        outcome = selection.plan(
            moment,
            knowledge=knowledge,
            languages=workspace.languages or ["en"],
            business_names=[n for n in names if n],
            drafts_in=drafter.languages or workspace.languages or ["en"],
            now=now,
            timezone=workspace.timezone or "UTC",
        )
        if isinstance(outcome, Plan) and (late := selection.moment_passed(outcome, now=now)):
            outcome = late
        if isinstance(outcome, str):
            why_not[id(moment.post)] = outcome
            continue
        plans.setdefault(f"{moment.post.platform}:{moment.post.handle}", []).append(outcome)
    chosen = []
    for candidates in plans.values():
        one = _one_card(candidates)
        if one is None:
            continue
        chosen.append(selection.keeps_its_place(one, now=now))
        for other in candidates:
            if other.post is not one.post and other.post is not getattr(one.also, "post", None):
                why_not[id(other.post)] = "this person has a more useful card today"
    return sorted(chosen, key=lambda p: -p.score), why_not


GOOD_NEWS = (Occasion.CONGRATULATE, Occasion.CELEBRATE_OUTCOME)


def _one_card(plans: Sequence[Plan]) -> Plan | None:
    """One card per person: the most useful, and what else they posted today in its note.

    Good news posted after their question ends the question: the reply is glad with them and
    teaches nothing (the 16 km run needs no 5k route, the cycling badge no flour lesson). News
    told before a question the knowledge answers gets a word after the answer.
    """
    card = _one_plan(plans)
    if card is None:
        return None
    if card.occasion == Occasion.KNOWLEDGE_GAP:
        # Their good news is not lost with it either: a word on it fits the same reply.
        news = [p for p in plans if p.occasion in GOOD_NEWS]
        if not news:
            return card
        latest = max(news, key=lambda p: p.post.posted_at)
        told = f"Their news: {rationale.quoted(latest.post)}, worth a word in the same reply."
        return dataclasses.replace(card, note=f"{card.note} {told}".strip())
    if card.occasion.is_card:
        return card
    # A question of theirs the knowledge doesn't cover is not lost with the card it lost to.
    covered = {id(p.post) for p in (card, card.also) if p is not None}
    open_gaps = [
        p for p in plans if p.occasion == Occasion.KNOWLEDGE_GAP and id(p.post) not in covered
    ]
    if not open_gaps:
        return card
    asked = " ".join(
        f"They also asked {rationale.quoted(p.post)}, which your knowledge doesn't cover: "
        f"answer it in the same reply if you can. {p.note}".strip()
        for p in open_gaps
    )
    return dataclasses.replace(card, note=f"{card.note} {asked}".strip())


def _one_plan(plans: Sequence[Plan]) -> Plan | None:
    if not plans:
        return None
    best = max(plans, key=lambda p: p.score)
    if best.occasion.is_card:
        return best
    answers = [p for p in plans if p.occasion in selection.ANSWERING]
    news = [p for p in plans if p.occasion in GOOD_NEWS]
    if not answers or not news:
        return best
    good = max(news, key=lambda p: p.post.posted_at)
    answer = max(answers, key=lambda p: p.score)
    if good.post.posted_at > answer.post.posted_at:
        return good
    return dataclasses.replace(answer, score=max(answer.score, good.score), also=good)


# The morning queue is drafted this long before the business's ready time.
MORNING_LEAD = timedelta(minutes=30)


def morning_due(workspace: Workspace, *, since: datetime, now: datetime) -> bool:
    """Whether the workspace's morning drafting time (its local `ready_at` less the lead)
    fell in (since, now]; local time, so a change of clocks moves it with the business."""
    zone = ZoneInfo(workspace.timezone)
    today = now.astimezone(zone).date()
    for day in (today - timedelta(days=1), today, today + timedelta(days=1)):
        start = datetime.combine(day, workspace.ready_at, tzinfo=zone) - MORNING_LEAD
        if since < start <= now:
            return True
    return False


def knowledge_base(workspace: Workspace, embedder: Embedder) -> KnowledgeBase:
    return KnowledgeBase(workspace.knowledge or [], workspace.helps_with or [], embedder)


def draft_posts(
    posts_in: Sequence[Any],
    *,
    workspace: Workspace,
    analyzer: Any,
    now: datetime | None = None,
    drafter: Drafter | None = None,
    promotional: PromotionalClassifier | None = None,
) -> list[DraftRead]:
    """Drafts, cards, guard verdicts and routes for posts given directly (nothing is stored).

    Posts by the same author are read as one timeline, as the queue reads them.
    """
    now = now or datetime.now(UTC)
    backend: Drafter = drafter or ComposerDrafter()
    readings = analyzer.read([p.text for p in posts_in], [p.lang for p in posts_in])
    candidates = [
        Candidate(
            external_id=post.external_id,
            platform=post.platform,
            url=post.url,
            text=post.text,
            posted_at=post.posted_at,
            summons_business=post.summons_business,
            display_name=post.author.display_name,
            handle=post.author.handle,
            person_flags=post.author.flags,
            intent=reading.intent,
            sentiment=reading.sentiment,
            language=reading.language,
            flags=reading.flags,
            has_question=reading.question,
            keyphrases=reading.keyphrases,
            embedding=reading.embedding,
        )
        for post, reading in zip(posts_in, readings, strict=True)
    ]
    plans, why_not = plan_posts(
        candidates,
        workspace=workspace,
        knowledge=knowledge_base(workspace, analyzer.embedder),
        drafter=backend,
        now=now,
    )
    writer = Writer(workspace, backend, promotional, now=now)
    # Each person's posts, newest first, as the queue reads them from the database.
    by_author: dict[str, list[str]] = {}
    for c in sorted(candidates, key=lambda c: c.posted_at, reverse=True):
        by_author.setdefault(c.handle, []).append(c.text)
    written = {
        id(p.post): (p, writer.write(p, recent=by_author.get(p.post.handle, []), keep_failed=True))
        for p in plans
    }
    out = []
    for post in candidates:
        base = DraftRead(post_id=post.external_id, person=post.handle, intent=post.intent)
        if id(post) not in written:
            base.no_reply_because = why_not.get(id(post), "nothing to help with in this post")
            out.append(base)
            continue
        plan, done = written[id(post)]
        assert done is not None
        out.append(
            base.model_copy(
                update={
                    "occasion": done.occasion,
                    "score": plan.score,
                    "draft": done.draft,
                    "guard_passed": done.guard_passed,
                    "guard_reasons": done.guard_reasons,
                    "route": done.route,
                    "handoff_url": done.handoff_url,
                    "rationale": done.rationale,
                    "knowledge_used": done.knowledge,
                }
            )
        )
    return out


def suggest_for_workspace(
    session: Session,
    *,
    workspace: Workspace,
    embedder: Embedder,
    model_version: str,
    now: datetime | None = None,
    window_days: int = 3,
    cadence_days: int | None = None,
    limit: int | None = None,
    on_draft: Callable[[int], None] | None = None,
    drafter: Drafter | None = None,
    promotional: PromotionalClassifier | None = None,
) -> SuggestResult:
    """Queue today's drafts and cards: at most one per person per `cadence_days` and `limit` in
    all (the workspace's cadence unless given), except that a possible crisis or grief always
    reaches a person."""
    now = now or datetime.now(UTC)
    if cadence_days is None:
        cadence_days = workspace.days_between_replies
    if limit is None:
        limit = workspace.replies_per_day
    backend: Drafter = drafter or ComposerDrafter()
    result = SuggestResult()
    # A reply drafted days ago is stale: the moment has passed.
    expired = repository.expire_pending(
        session, workspace_id=workspace.id, created_before=now - timedelta(days=EXPIRE_DAYS)
    )
    since = now - timedelta(days=window_days)
    rows = repository.candidate_posts(
        session,
        workspace_id=workspace.id,
        model_version=model_version,
        drafter_version=backend.version,
        since=since,
        addressed_since=now - timedelta(days=ADDRESSED_DAYS),
    )
    result.considered = len(rows)
    people = sorted({r.person_id for r in rows if r.person_id is not None})
    fresh = {r.id for r in rows}
    history = [
        p
        for p in repository.timelines(
            session,
            workspace_id=workspace.id,
            person_ids=people,
            model_version=model_version,
            since=now - timedelta(days=HISTORY_DAYS),
        )
        if p.id not in fresh and p.posted_at <= now
    ]
    plans, _ = plan_posts(
        [r for r in rows if r.posted_at <= now],
        history=history,
        workspace=workspace,
        knowledge=knowledge_base(workspace, embedder),
        drafter=backend,
        now=now,
    )
    # Cards already queued on posts that a later post has settled are over.
    overtaken = [o.id for p in plans for o in p.moment.overtaken if o.id is not None]
    expired += repository.expire_for_posts(session, workspace_id=workspace.id, post_ids=overtaken)
    result.expired = len(expired)
    recently = repository.people_suggested_since(
        session, workspace_id=workspace.id, since=now - timedelta(days=cadence_days)
    )
    chosen = []
    for plan in plans:
        if plan.post.person_id in recently and plan.occasion not in ALWAYS:
            result.skipped_recently_replied += 1
        else:
            chosen.append(plan)
    chosen = chosen[:limit]
    person_ids = [p.post.person_id for p in chosen if p.post.person_id is not None]
    recent = repository.recent_texts(session, person_ids=person_ids)
    interests = repository.top_interests(session, person_ids=person_ids)
    replied = repository.posts_replied_by_api(
        session, post_ids=[p.post.id for p in chosen if p.post.id is not None]
    )
    writer = Writer(
        workspace,
        backend,
        promotional,
        ReplyMemory(
            repository.approved_replies(
                session, workspace_id=workspace.id, model_version=model_version
            )
        ),
        now=now,
    )
    created: list[int] = []
    # The closest match to a piece of knowledge is written first: when two people ask the same
    # thing, the draft goes to the one it fits best, and the other becomes a card.
    for plan in sorted(chosen, key=lambda p: -max((m.score for m in p.matches), default=0.0)):
        post = plan.post
        assert post.id is not None and post.person_id is not None
        done = writer.write(
            plan,
            recent=recent.get(post.person_id, []),
            interests=[label_name(i) for i in interests.get(post.person_id, [])],
            already_replied=post.id in replied,
        )
        if done is None:
            result.blocked_by_guard += 1
            continue
        values = done.values() | {
            "workspace_id": workspace.id,
            "post_id": post.id,
            "person_id": post.person_id,
            "drafter_version": backend.version,
            "score": plan.score,
            "status": SuggestionStatus.PENDING,
        }
        suggestion_id = repository.insert_suggestion(session, values=values)
        if suggestion_id is not None:
            created.append(suggestion_id)
        if on_draft:
            on_draft(1)
    result.created = len(created)
    session.flush()
    events.record_for_suggestions(
        session, workspace=workspace, suggestion_ids=expired, now=now, expired=True
    )
    events.record_for_suggestions(session, workspace=workspace, suggestion_ids=created, now=now)
    log.info("suggest.workspace.done", workspace=workspace.name, **result.model_dump())
    return result

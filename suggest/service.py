"""Suggestion logic: choose today's posts worth a reply, draft, guard, route, explain; decide."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from analysis.labels import INTENT_DESCRIPTIONS, label_name
from analysis.models import Embedder
from core.errors import Conflict, InvalidInput, NotFound
from core.logging import get_logger
from core.models import Suggestion, SuggestionStatus, Workspace
from suggest import composer, guard, repository, routes
from suggest.backends import ComposerDrafter, Drafter
from suggest.promotional import PromotionalClassifier
from suggest.schemas import Candidate, Decision, DraftRead, SuggestionRead, SuggestResult

log = get_logger(__name__)

OCCASION_WEIGHT = {
    "answer": 1.0,
    "help": 0.95,
    "recommend": 0.9,
    "congratulate": 0.75,
    "empathise": 0.6,
    "ask": 0.5,
    "personal_note": 0.8,
}
OCCASION_WORDS = {
    "answer": "answer their question with what we know",
    "help": "help with the problem they describe",
    "recommend": "share a recommendation they asked for",
    "congratulate": "congratulate them",
    "empathise": "acknowledge a hard moment and ask how they are",
    "ask": "ask what matters most to them, since we have no grounded answer yet",
    "personal_note": "sensitive news: write a personal note yourself, no draft is suggested",
}
KNOWLEDGE_MATCH = 0.5
EXPIRE_DAYS = 3
# A snippet about the business itself (its hours, its loaf) is only for people who asked.
ABOUT_US = re.compile(r"\b(we|our|us)\b", re.I)
# Empathy only where the person says plainly that something is hard; a wrong "sorry" grates.
DISTRESS = re.compile(
    r"\b(sad|scared|afraid|hard|tough|awful|worst|exhausted|burn(t|ed) out|stress\w*|anxious|"
    r"nervous|disappoint\w*|frustrat\w*|annoy\w*|panick\w*|struggl\w*|gutted|miserable)\b",
    re.I,
)


def opted_out(person_flags: dict[str, Any]) -> str | None:
    """Why the author's own platform settings say: leave me out (None if they do not)."""
    if person_flags.get("bot"):
        return "written by a bot account"
    if person_flags.get("noindex"):
        return "the author asked not to be indexed (noindex)"
    if "!no-unauthenticated" in (person_flags.get("labels") or []):
        return "the author asked to be hidden from logged-out viewers"
    return None


def reason_to_skip(row: Any, languages: Sequence[str]) -> str | None:
    """In plain words, why this post must get no reply whatever it says (None if none)."""
    flags = set(row.flags or [])
    if "instructs_writer" in flags:
        return "the post tries to instruct the reply writer; its text is treated as data only"
    if row.intent == "spam" or "spammy" in flags:
        return "self-promotion or spam"
    if "hostile" in flags:
        return "hostile post: better left alone or answered personally"
    if reason := opted_out(row.person_flags or {}):
        return reason
    if row.language and languages and row.language not in languages:
        return f"written in '{row.language}', which the business does not write in"
    return None


def choose_occasion(row: Any, knowledge_found: bool, languages: Sequence[str]) -> str | None:
    """Why (if at all) this post deserves a reply."""
    if reason_to_skip(row, languages):
        return None
    flags = set(row.flags or [])
    if "sensitive" in flags:
        return "personal_note"
    if row.intent in ("question", "help", "recommendation") and row.has_question:
        if not knowledge_found:
            return "ask"
        return {"question": "answer", "help": "help", "recommendation": "recommend"}[row.intent]
    if row.intent == "complaint" and row.sentiment == "negative":
        if knowledge_found and row.has_question:
            return "help"
        return "empathise" if DISTRESS.search(row.text) else None
    if row.intent == "milestone" and "milestone_cue" in flags:
        return "congratulate"
    return None


def _knowledge(workspace: Workspace, embedder: Embedder) -> tuple[list[dict[str, Any]], Any]:
    snippets = list(workspace.knowledge or [])
    if not snippets:
        return [], np.zeros((0, embedder.dim), dtype=np.float32)
    return snippets, embedder.embed([f"{s['title']}. {s['text']}" for s in snippets])


def _best_snippet(row: Any, snippets: list[dict[str, Any]], vectors: Any) -> tuple[int, float]:
    if not snippets:
        return -1, 0.0
    sims = vectors @ np.asarray(row.embedding, dtype=np.float32)
    may_mention_us = row.summons_business or row.intent == "recommendation"
    for index in np.argsort(-sims):
        if ABOUT_US.search(snippets[index]["text"]) and not may_mention_us:
            continue
        return int(index), float(sims[index])
    return -1, 0.0


def _opportunity(
    row: Any,
    *,
    workspace: Workspace,
    snippets: list[dict[str, Any]],
    vectors: Any,
    now: datetime,
) -> tuple[float, str, int, float] | None:
    """(score, occasion, knowledge index or -1, similarity) if the post deserves a reply."""
    index, sim = _best_snippet(row, snippets, vectors)
    found = index >= 0 and sim >= KNOWLEDGE_MATCH
    occasion = choose_occasion(row, found, workspace.languages or [])
    if occasion is None:
        return None
    age_days = max((now - row.posted_at).total_seconds() / 86400, 0.0)
    score = OCCASION_WEIGHT[occasion] * (0.6 + 0.4 * (sim if found else 0.0))
    score *= 0.5 ** (age_days / 2) * (1.2 if row.summons_business else 1.0)
    return score, occasion, index if found else -1, sim


def draft_posts(
    posts_in: Sequence[Any],
    *,
    workspace: Workspace,
    analyzer: Any,
    now: datetime | None = None,
    drafter: Drafter | None = None,
    promotional: PromotionalClassifier | None = None,
) -> list[DraftRead]:
    """Drafts, guard verdicts and routes for posts given directly (nothing is stored)."""
    now = now or datetime.now(UTC)
    drafter = drafter or ComposerDrafter()
    readings = analyzer.read([p.text for p in posts_in], [p.lang for p in posts_in])
    snippets, vectors = _knowledge(workspace, analyzer.embedder)
    out = []
    for post, reading in zip(posts_in, readings, strict=True):
        row = Candidate(
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
        base = DraftRead(post_id=post.external_id, person=post.author.handle, intent=row.intent)
        found = _opportunity(row, workspace=workspace, snippets=snippets, vectors=vectors, now=now)
        if found is None:
            base.no_reply_because = reason_to_skip(row, workspace.languages or []) or (
                "nothing to help with or celebrate in this post"
            )
            out.append(base)
            continue
        score, occasion, index, sim = found
        snippet = snippets[index] if index >= 0 else None
        values = _draft(
            row=row,
            occasion=occasion,
            snippet=snippet,
            workspace=workspace,
            recent=[],
            drafter=drafter,
            keep_failed=True,
            promotional=promotional,
        )
        assert values is not None
        out.append(
            base.model_copy(
                update={
                    "occasion": occasion,
                    "score": round(score, 4),
                    "draft": values["draft"],
                    "guard_passed": values["guard_passed"],
                    "guard_reasons": values["guard_reasons"],
                    "route": values["route"],
                    "handoff_url": values["handoff_url"],
                    "rationale": _rationale(row, occasion, snippet, sim, []),
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
    cadence_days: int = 2,
    limit: int = 60,
    on_draft: Callable[[int], None] | None = None,
    drafter: Drafter | None = None,
    promotional: PromotionalClassifier | None = None,
) -> SuggestResult:
    """Queue today's best reply suggestions: at most one per person per `cadence_days`."""
    now = now or datetime.now(UTC)
    drafter = drafter or ComposerDrafter()
    result = SuggestResult()
    # A reply drafted days ago is stale: the moment has passed.
    result.expired = repository.expire_pending(
        session, workspace_id=workspace.id, created_before=now - timedelta(days=EXPIRE_DAYS)
    )
    rows = repository.candidate_posts(
        session,
        workspace_id=workspace.id,
        model_version=model_version,
        drafter_version=drafter.version,
        since=now - timedelta(days=window_days),
    )
    result.considered = len(rows)
    recently = repository.people_suggested_since(
        session, workspace_id=workspace.id, since=now - timedelta(days=cadence_days)
    )
    snippets, vectors = _knowledge(workspace, embedder)
    best: dict[int, tuple[float, Any, str, int, float]] = {}
    for row in rows:
        if row.person_id in recently:
            result.skipped_recently_replied += 1
            continue
        found = _opportunity(row, workspace=workspace, snippets=snippets, vectors=vectors, now=now)
        if found is None:
            continue
        score, occasion, index, sim = found
        if row.person_id not in best or score > best[row.person_id][0]:
            best[row.person_id] = (score, row, occasion, index, sim)
    chosen = sorted(best.values(), key=lambda item: -item[0])[:limit]
    person_ids = [item[1].person_id for item in chosen]
    recent = repository.recent_texts(session, person_ids=person_ids)
    interests = repository.top_interests(session, person_ids=person_ids)
    replied = repository.posts_replied_by_api(session, post_ids=[item[1].id for item in chosen])
    for score, row, occasion, index, sim in chosen:
        snippet = snippets[index] if index >= 0 else None
        values = _draft(
            row=row,
            occasion=occasion,
            snippet=snippet,
            workspace=workspace,
            recent=recent.get(row.person_id, []),
            drafter=drafter,
            interests=[label_name(i) for i in interests.get(row.person_id, [])],
            promotional=promotional,
            already_replied=row.id in replied,
        )
        if values is None:
            result.blocked_by_guard += 1
            continue
        values.update(
            workspace_id=workspace.id,
            post_id=row.id,
            person_id=row.person_id,
            drafter_version=drafter.version,
            occasion=occasion,
            score=round(score, 4),
            rationale=_rationale(row, occasion, snippet, sim, interests.get(row.person_id, [])),
            status=SuggestionStatus.PENDING,
        )
        if repository.insert_suggestion(session, values=values) is not None:
            result.created += 1
        if on_draft:
            on_draft(1)
    session.flush()
    log.info("suggest.workspace.done", workspace=workspace.name, **result.model_dump())
    return result


def _draft(
    *,
    row: Any,
    occasion: str,
    snippet: dict[str, Any] | None,
    workspace: Workspace,
    recent: list[str],
    drafter: Drafter,
    interests: list[str] | None = None,
    keep_failed: bool = False,
    promotional: PromotionalClassifier | None = None,
    already_replied: bool = False,
) -> dict[str, Any] | None:
    """The first candidate that passes the guard, with its verdict and route; None if none
    (or, with keep_failed, the last candidate and why the guard refused it)."""
    rule = routes.RULES[row.platform]
    name = composer.first_name(row.display_name)
    interests = interests or []
    if occasion == "personal_note":
        draft, verdict = "", guard.GuardVerdict(passed=True, reasons=[])
    else:
        request = composer.DraftRequest(
            occasion=occasion,
            post_external_id=row.external_id,
            person_name=name,
            keyphrases=row.keyphrases or [],
            knowledge=[snippet["text"]] if snippet else [],
            post_text=row.text,
            interests=interests,
            business_name=workspace.display_name,
            voice=workspace.voice,
        )
        context = guard.context_for(
            workspace,
            post_text=row.text,
            summons_business=row.summons_business,
            person_names=[name or "", row.display_name, row.handle],
            recent_texts=recent,
            max_chars=rule.max_chars,
        )
        reasons: list[str] = []
        candidates = drafter.candidates(request, max_chars=rule.max_chars)
        odds: list[float | None] = (
            list(promotional.probabilities(candidates)) if promotional else [None] * len(candidates)
        )
        for draft, p in zip(candidates, odds, strict=True):
            verdict = guard.check(draft, context.model_copy(update={"promotional_probability": p}))
            if verdict.passed:
                break
            reasons = verdict.reasons
        else:
            log.warning("suggest.guard.blocked", post_id=row.external_id, reasons=reasons)
            if not keep_failed:
                return None
    route = routes.route_for(
        platform=row.platform,
        post_external_id=row.external_id,
        post_url=row.url,
        summons_business=row.summons_business,
        already_replied=already_replied,
        draft=draft,
    )
    return {
        "draft": draft,
        "guard_passed": verdict.passed,
        "guard_reasons": verdict.reasons,
        "route": route.route,
        "handoff_url": route.handoff_url,
        "grounding": {
            "knowledge": [snippet["title"]] if snippet else [],
            "route_why": route.why,
        },
    }


def _rationale(
    row: Any, occasion: str, snippet: dict[str, Any] | None, sim: float, interests: list[str]
) -> str:
    who = row.display_name or row.handle
    parts = [f"{who} {INTENT_DESCRIPTIONS.get(row.intent, row.intent)}"]
    if row.summons_business:
        parts[0] += " and mentioned the business"
    parts.append(f"Suggested reply: {OCCASION_WORDS[occasion]}.")
    if snippet:
        parts.append(f"Uses the knowledge snippet “{snippet['title']}” (match {sim:.2f}).")
    if interests:
        parts.append("They care about: " + ", ".join(label_name(i) for i in interests) + ".")
    return parts[0] + ". " + " ".join(parts[1:])


def to_read(
    suggestion: Suggestion,
    evidence: list[tuple[str, list[str]]] | None = None,
    replied_before: list[str] | None = None,
) -> SuggestionRead:
    evidence = evidence or []
    return SuggestionRead(
        id=suggestion.id,
        status=suggestion.status,
        occasion=suggestion.occasion,
        score=suggestion.score,
        person_handle=suggestion.person.handle,
        person_name=suggestion.person.display_name,
        platform=suggestion.post.platform.value,
        post_text=suggestion.post.text,
        post_url=suggestion.post.url,
        posted_at=suggestion.post.posted_at,
        rationale=suggestion.rationale,
        draft=suggestion.draft,
        final_text=suggestion.final_text,
        guard_passed=suggestion.guard_passed,
        guard_reasons=list(suggestion.guard_reasons or []),
        route=suggestion.route,
        handoff_url=suggestion.handoff_url,
        interests=[label for label, _ in evidence],
        evidence=evidence,
        replied_before=replied_before or [],
        knowledge_used=list((suggestion.grounding or {}).get("knowledge", [])),
        created_at=suggestion.created_at,
    )


def queue(
    session: Session,
    *,
    workspace_id: int,
    statuses: Sequence[SuggestionStatus] = (SuggestionStatus.PENDING,),
    limit: int = 200,
) -> list[SuggestionRead]:
    """The Today queue: pending suggestions (and snoozed ones that are due), most useful first."""
    woken_by = datetime.now(UTC) if SuggestionStatus.PENDING in statuses else None
    suggestions = repository.list_suggestions(
        session, workspace_id=workspace_id, statuses=statuses, limit=limit, woken_by=woken_by
    )
    people = [s.person_id for s in suggestions]
    evidence = repository.interest_evidence(session, person_ids=people)
    replied = repository.previous_replies(session, person_ids=people)
    return [to_read(s, evidence.get(s.person_id), replied.get(s.person_id)) for s in suggestions]


def decide(
    session: Session,
    *,
    workspace_id: int,
    suggestion_id: int,
    decision_in: Decision,
    now: datetime | None = None,
) -> SuggestionRead:
    """Apply a reviewer's decision: approve (as drafted or edited), reject or snooze."""
    now = now or datetime.now(UTC)
    suggestion = repository.get_suggestion(
        session, workspace_id=workspace_id, suggestion_id=suggestion_id
    )
    if suggestion is None:
        raise NotFound(f"No suggestion {suggestion_id} in this workspace.")
    if suggestion.status not in (SuggestionStatus.PENDING, SuggestionStatus.SNOOZED):
        raise Conflict(f"Suggestion {suggestion_id} is already {suggestion.status.value}.")
    if decision_in.action == "approve":
        text = (decision_in.final_text or "").strip()
        if text and text != suggestion.draft:
            suggestion.status, suggestion.final_text = SuggestionStatus.EDITED, text
        elif not suggestion.draft and not text:
            raise InvalidInput("This suggestion has no draft: write the reply before approving.")
        else:
            suggestion.status, suggestion.final_text = SuggestionStatus.APPROVED, suggestion.draft
    elif decision_in.action == "reject":
        suggestion.status = SuggestionStatus.REJECTED
    elif decision_in.action == "snooze":
        suggestion.status = SuggestionStatus.SNOOZED
        suggestion.snoozed_until = now + timedelta(hours=decision_in.snooze_hours)
    else:
        raise InvalidInput(f"Unknown action '{decision_in.action}': use approve, reject or snooze.")
    suggestion.decided_at = now
    session.flush()
    return to_read(suggestion)

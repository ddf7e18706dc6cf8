"""Every query of exports and analytics. Exports stream through a server-side cursor."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import DateTime, Integer, TextClause, bindparam, text
from sqlalchemy.orm import Session

from service.exports.schemas import ExportKind, Period

# A period's ends may be open: NULL means no bound.
_IN_PERIOD = (
    "(CAST(:since AS timestamptz) IS NULL OR {col} >= :since)"
    " AND (CAST(:until AS timestamptz) IS NULL OR {col} < :until)"
)

# The newest delivery of each suggestion to any of the workspace's webhook endpoints.
_LATEST_DELIVERY = """
    SELECT DISTINCT ON (wd.suggestion_id) wd.suggestion_id, wd.status::text AS status
    FROM webhook_delivery wd JOIN webhook_endpoint we ON we.id = wd.endpoint_id
    WHERE we.workspace_id = :ws AND wd.suggestion_id IS NOT NULL
    ORDER BY wd.suggestion_id, wd.created_at DESC, wd.id DESC
"""

SUGGESTIONS = f"""
    SELECT s.id AS suggestion_id, s.created_at, s.decided_at, s.status::text,
           EXTRACT(EPOCH FROM s.decided_at - s.created_at)::float8 AS seconds_to_decide,
           s.occasion::text, s.route::text, NULL::text AS backend, s.drafter_version, s.score,
           s.guard_passed, s.draft, s.final_text, NULL::bigint AS edit_distance,
           ARRAY(SELECT jsonb_array_elements_text(
               CASE WHEN jsonb_typeof(s.grounding -> 'knowledge') = 'array'
                    THEN s.grounding -> 'knowledge' ELSE '[]'::jsonb END)) AS knowledge_used,
           d.status AS delivery_state,
           p.platform::text, p.external_id AS post_external_id, p.url AS post_url, p.posted_at,
           pe.handle AS person_handle
    FROM suggestion s
    JOIN post p ON p.id = s.post_id
    JOIN person pe ON pe.id = s.person_id
    LEFT JOIN ({_LATEST_DELIVERY}) d ON d.suggestion_id = s.id
    WHERE s.workspace_id = :ws AND {_IN_PERIOD.format(col="s.created_at")}
    ORDER BY s.created_at, s.id
"""

_POSTED_IN_PERIOD = f"""
    SELECT 1 FROM post p WHERE p.person_id = pe.id AND {_IN_PERIOD.format(col="p.posted_at")}
"""

PEOPLE = f"""
    SELECT pe.id AS person_id, pe.platform, pe.external_id, pe.handle, pe.display_name,
           pe.profile_url, pe.created_at AS first_seen_at, pe.last_seen_at,
           (SELECT count(*) FROM post p
            WHERE p.person_id = pe.id AND {_IN_PERIOD.format(col="p.posted_at")}) AS posts,
           (SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'kind', i.kind, 'label', i.label, 'weight', i.weight)
                       ORDER BY i.weight DESC, i.label), '[]'::jsonb)
            FROM interest i WHERE i.person_id = pe.id) AS interests
    FROM person pe
    WHERE pe.workspace_id = :ws
      AND ((CAST(:since AS timestamptz) IS NULL AND CAST(:until AS timestamptz) IS NULL)
           OR EXISTS ({_POSTED_IN_PERIOD}))
    ORDER BY pe.id
"""

POSTS = f"""
    SELECT p.id AS post_id, p.platform, p.external_id, p.url, p.posted_at,
           pe.handle AS person_handle, p.text, p.lang, p.in_reply_to, p.summons_business,
           p.deleted_at IS NOT NULL AS deleted,
           a.model_version, a.language, a.sentiment, a.emotion, a.intent, a.topics,
           a.keyphrases, a.entities, a.has_question, a.hostile, a.flags
    FROM post p
    JOIN person pe ON pe.id = p.person_id
    LEFT JOIN LATERAL (
        SELECT * FROM post_analysis pa WHERE pa.post_id = p.id
        ORDER BY pa.analysed_at DESC, pa.id DESC LIMIT 1
    ) a ON true
    WHERE p.workspace_id = :ws AND {_IN_PERIOD.format(col="p.posted_at")}
    ORDER BY p.posted_at, p.id
"""

_DAY = "(({col}) AT TIME ZONE 'UTC')::date"

DAILY = f"""
    WITH post_days AS (
        SELECT {_DAY.format(col="posted_at")} AS day, count(*) AS posts,
               count(DISTINCT person_id) AS people_posting
        FROM post WHERE workspace_id = :ws AND {_IN_PERIOD.format(col="posted_at")}
        GROUP BY 1
    ), suggestion_days AS (
        SELECT {_DAY.format(col="created_at")} AS day,
               count(*) AS suggestions,
               count(*) FILTER (WHERE draft <> '') AS drafts,
               count(*) FILTER (WHERE draft = '') AS cards,
               count(*) FILTER (WHERE status = 'approved') AS approved,
               count(*) FILTER (WHERE status = 'edited') AS edited,
               count(*) FILTER (WHERE status = 'rejected') AS rejected,
               count(*) FILTER (WHERE status = 'snoozed') AS snoozed,
               count(*) FILTER (WHERE status = 'expired') AS expired,
               count(*) FILTER (WHERE status = 'pending') AS pending,
               percentile_cont(0.5) WITHIN GROUP (
                   ORDER BY EXTRACT(EPOCH FROM decided_at - created_at)::float8
               ) FILTER (WHERE status IN ('approved', 'edited')) AS median_seconds_to_approve
        FROM suggestion WHERE workspace_id = :ws AND {_IN_PERIOD.format(col="created_at")}
        GROUP BY 1
    ), bounds AS (
        SELECT coalesce({_DAY.format(col="CAST(:since AS timestamptz)")},
                        least((SELECT min(day) FROM post_days),
                              (SELECT min(day) FROM suggestion_days))) AS first_day,
               coalesce({_DAY.format(col="CAST(:until AS timestamptz) - interval '1 microsecond'")},
                        greatest((SELECT max(day) FROM post_days),
                                 (SELECT max(day) FROM suggestion_days))) AS last_day
    ), days AS (
        SELECT generate_series(first_day, last_day, interval '1 day')::date AS day FROM bounds
    )
    SELECT d.day,
           coalesce(pd.posts, 0) AS posts, coalesce(pd.people_posting, 0) AS people_posting,
           coalesce(sd.suggestions, 0) AS suggestions, coalesce(sd.drafts, 0) AS drafts,
           coalesce(sd.cards, 0) AS cards, coalesce(sd.approved, 0) AS approved,
           coalesce(sd.edited, 0) AS edited, coalesce(sd.rejected, 0) AS rejected,
           coalesce(sd.snoozed, 0) AS snoozed, coalesce(sd.expired, 0) AS expired,
           coalesce(sd.pending, 0) AS pending, NULL::float8 AS approval_rate,
           sd.median_seconds_to_approve
    FROM days d
    LEFT JOIN post_days pd ON pd.day = d.day
    LEFT JOIN suggestion_days sd ON sd.day = d.day
    ORDER BY d.day
"""

QUERIES = {
    ExportKind.SUGGESTIONS: SUGGESTIONS,
    ExportKind.PEOPLE: PEOPLE,
    ExportKind.POSTS: POSTS,
    ExportKind.DAILY: DAILY,
}


def _statement(sql: str) -> TextClause:
    return text(sql).bindparams(
        bindparam("ws", type_=Integer),
        bindparam("since", type_=DateTime(timezone=True)),
        bindparam("until", type_=DateTime(timezone=True)),
    )


def _params(workspace_id: int, period: Period) -> dict[str, Any]:
    return {"ws": workspace_id, "since": period.since, "until": period.until}


def count_rows(session: Session, *, workspace_id: int, kind: ExportKind, period: Period) -> int:
    """How many rows an export will have (for the progress bar)."""
    sql = f"SELECT count(*) FROM ({QUERIES[kind]}) AS rows"
    return int(session.execute(_statement(sql), _params(workspace_id, period)).scalar_one())


def stream_rows(
    session: Session,
    *,
    workspace_id: int,
    kind: ExportKind,
    period: Period,
    batch_size: int = 10_000,
) -> Iterator[tuple[list[str], Sequence[Any]]]:
    """The export's (column names, rows) in batches, from a server-side cursor: memory stays
    flat whatever the number of rows."""
    # Times come back in UTC whatever the server's time zone, and the planner is told that
    # every row will be read (a cursor otherwise gets a fast-start plan, several times slower
    # for a whole table). Both for this transaction only.
    session.execute(text("SET LOCAL TIME ZONE 'UTC'"))
    session.execute(text("SET LOCAL cursor_tuple_fraction = 1.0"))
    result = session.execute(
        _statement(QUERIES[kind]),
        _params(workspace_id, period),
        execution_options={"stream_results": True, "max_row_buffer": batch_size},
    )
    keys = list(result.keys())
    try:
        for rows in result.partitions(batch_size):
            yield keys, rows
    finally:
        result.close()


# --- analytics -------------------------------------------------------------------------------


def decisions_per_day(session: Session, *, workspace_id: int, period: Period) -> Sequence[Any]:
    """The daily aggregates (one row per day of the period, empty days included)."""
    return session.execute(_statement(DAILY), _params(workspace_id, period)).all()


def approval_summary(session: Session, *, workspace_id: int, period: Period) -> Any:
    """Decided, approved (incl. edited), and the median seconds from suggestion to approval."""
    sql = f"""
        SELECT count(*) FILTER (WHERE status IN ('approved', 'edited', 'rejected')) AS decided,
               count(*) FILTER (WHERE status IN ('approved', 'edited')) AS approved,
               count(*) FILTER (WHERE status = 'edited') AS edited,
               count(*) AS suggestions,
               percentile_cont(0.5) WITHIN GROUP (
                   ORDER BY EXTRACT(EPOCH FROM decided_at - created_at)::float8
               ) FILTER (WHERE status IN ('approved', 'edited')) AS median_seconds_to_approve
        FROM suggestion WHERE workspace_id = :ws AND {_IN_PERIOD.format(col="created_at")}
    """
    return session.execute(_statement(sql), _params(workspace_id, period)).one()


def topic_counts(
    session: Session, *, workspace_id: int, period: Period, limit: int = 10
) -> list[tuple[str, int, int]]:
    """The topics of the period's posts: (label, posts, people), most posted first."""
    sql = f"""
        SELECT t.label, count(DISTINCT p.id) AS posts, count(DISTINCT p.person_id) AS people
        FROM post p
        JOIN post_analysis pa ON pa.post_id = p.id
        CROSS JOIN LATERAL jsonb_object_keys(pa.topics) AS t(label)
        WHERE p.workspace_id = :ws AND p.deleted_at IS NULL
          AND {_IN_PERIOD.format(col="p.posted_at")}
        GROUP BY t.label ORDER BY posts DESC, t.label LIMIT :limit
    """
    rows = session.execute(
        _statement(sql).bindparams(bindparam("limit", type_=Integer)),
        {**_params(workspace_id, period), "limit": limit},
    )
    return [(r.label, int(r.posts), int(r.people)) for r in rows]


NEED_OCCASIONS = ("answer", "recommend", "help", "knowledge_gap", "needs_person", "complaint")


def needs_per_week(session: Session, *, workspace_id: int, period: Period) -> Sequence[Any]:
    """Per ISO week: needs people voiced (questions, requests, complaints) and those answered."""
    sql = f"""
        SELECT date_trunc('week', created_at AT TIME ZONE 'UTC')::date AS week,
               count(*) AS needs,
               count(*) FILTER (WHERE status IN ('approved', 'edited')) AS answered
        FROM suggestion
        WHERE workspace_id = :ws AND occasion IN :occasions
          AND {_IN_PERIOD.format(col="created_at")}
        GROUP BY 1 ORDER BY 1
    """
    stmt = _statement(sql).bindparams(bindparam("occasions", expanding=True))
    return session.execute(
        stmt, {**_params(workspace_id, period), "occasions": list(NEED_OCCASIONS)}
    ).all()


def knowledge_use(
    session: Session, *, workspace_id: int, period: Period, limit: int = 10
) -> list[tuple[str, int, int]]:
    """Knowledge snippets by use: (title, drafts that used it, replies sent with it)."""
    sql = f"""
        SELECT k.title, count(*) AS drafted,
               count(*) FILTER (WHERE s.status IN ('approved', 'edited')) AS sent
        FROM suggestion s
        CROSS JOIN LATERAL jsonb_array_elements_text(
            CASE WHEN jsonb_typeof(s.grounding -> 'knowledge') = 'array'
                 THEN s.grounding -> 'knowledge' ELSE '[]'::jsonb END) AS k(title)
        WHERE s.workspace_id = :ws AND {_IN_PERIOD.format(col="s.created_at")}
        GROUP BY k.title ORDER BY drafted DESC, sent DESC, k.title LIMIT :limit
    """
    rows = session.execute(
        _statement(sql).bindparams(bindparam("limit", type_=Integer)),
        {**_params(workspace_id, period), "limit": limit},
    )
    return [(r.title, int(r.drafted), int(r.sent)) for r in rows]


def has_activity(session: Session, *, workspace_id: int) -> bool:
    """Whether the workspace has any post or suggestion at all."""
    sql = """
        SELECT EXISTS (SELECT 1 FROM post WHERE workspace_id = :ws)
            OR EXISTS (SELECT 1 FROM suggestion WHERE workspace_id = :ws)
    """
    return bool(session.execute(text(sql), {"ws": workspace_id}).scalar_one())

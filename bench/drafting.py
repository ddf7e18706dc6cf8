"""Drafting speed with the `composer` backend, and what the sample workspace's drafts contain.

Measures, in one run: the bare embedder's time per post (the baseline), then the time per
draft of the whole suggestion flow (timelines, draft/card/nothing, knowledge retrieval, composer,
guard, route) on the sample workspace's last three days (readings computed beforehand, so the
draft time excludes reading). Also reports how many posts became drafts, cards and nothing,
and that every draft passes the guard.

    .venv/bin/python -m bench.drafting
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from analysis.models import load_embedder
from analysis.service import Analyzer
from core.settings import Settings
from ingest.service import sample_posts, sample_workspace
from suggest.service import draft_posts


class CachedAnalyzer:
    """The real analyzer's readings, computed once, so timing sees drafting alone."""

    def __init__(self, analyzer: Analyzer, texts: list[str], langs: list[str | None]) -> None:
        self.embedder = analyzer.embedder
        self.readings = dict(zip(texts, analyzer.read(texts, langs), strict=True))

    def read(self, texts: list[str], langs: Any = None) -> list[Any]:
        return [self.readings[t] for t in texts]


def main() -> None:
    today = datetime(2026, 11, 25, 12, tzinfo=UTC)
    posts = sample_posts(today=today)
    workspace = sample_workspace()
    analyzer = Analyzer(load_embedder(Settings(_env_file=None)))
    texts = [p.text for p in posts]

    began = time.perf_counter()
    analyzer.embedder.embed(texts)
    embed_ms = (time.perf_counter() - began) * 1000 / len(texts)

    cached = CachedAnalyzer(analyzer, texts, [p.lang for p in posts])
    recent = [p for p in posts if (today - p.posted_at).days < 3]
    # Warm up once (the guard's lemmatiser and language models load on first use), so the
    # timing is what every later run costs.
    draft_posts(recent[:10], workspace=workspace, analyzer=cached, now=today)
    began = time.perf_counter()
    results = draft_posts(recent, workspace=workspace, analyzer=cached, now=today)
    elapsed_ms = (time.perf_counter() - began) * 1000
    drafts = [r for r in results if r.draft]
    cards = [r for r in results if r.occasion is not None and r.occasion.is_card]
    per_draft = elapsed_ms / max(len(drafts), 1)
    print(f"posts considered       : {len(recent)} (last 3 days of the sample)")
    print(
        f"drafts                 : {len(drafts)}; passing the guard: "
        f"{sum(1 for d in drafts if d.guard_passed)}; cards for a person: {len(cards)}"
    )
    batch = analyzer.embedder.batch_size
    print(f"embedder (baseline)    : {embed_ms:8.2f} ms per post (batch {batch})")
    print(f"composer draft         : {per_draft:8.2f} ms per draft (the whole flow, per draft)")
    print(f"ratio draft / embed    : {per_draft / embed_ms:8.2f}x")
    occasions = Counter(r.occasion.value for r in results if r.occasion is not None)
    print("occasions              : " + ", ".join(f"{k} {v}" for k, v in occasions.most_common()))


if __name__ == "__main__":
    main()

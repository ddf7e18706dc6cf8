"""Analysis time against post length: a huge post must not stall a run.

    .venv/bin/python -m bench.long_posts

Reads posts of 1 KB to 1 MB with the real embedder and readers, each stage capped at
`analysis.service.READ_CHARS` characters, and, as the baseline measured in the same run, the same
readers without the cap on the shorter posts (the 1 MB one never finishes without it).
"""

from __future__ import annotations

import random
import time

from analysis import service
from analysis.models import load_embedder
from analysis.service import Analyzer
from core.settings import Settings
from ingest.service import sample_posts


def _post(chars: int, base: list[str]) -> str:
    rng = random.Random(chars)
    parts: list[str] = []
    size = 0
    while size < chars:
        parts.append(rng.choice(base))
        size += len(parts[-1]) + 1
    return " ".join(parts)[:chars]


def _seconds(analyzer: Analyzer, body: str, runs: int = 3) -> float:
    """The median of `runs` readings (the machine is shared and noisy)."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        analyzer.read([body])
        times.append(time.perf_counter() - began)
    return sorted(times)[len(times) // 2]


def main() -> None:
    from datetime import UTC, datetime

    base = [p.text for p in sample_posts(today=datetime(2026, 11, 25, tzinfo=UTC))]
    analyzer = Analyzer(load_embedder(Settings(_env_file=None)))
    analyzer.read(base[:8])  # warm up
    short = _seconds(analyzer, base[0])
    print(f"one ordinary post ({len(base[0])} chars): {short * 1000:8.1f} ms")
    print(f"{'chars':>9} | {'capped':>10} | {'uncapped (baseline)':>20} | capped / ordinary")
    cap = service.READ_CHARS
    for chars in (1_000, 10_000, 40_000, 160_000, 1_000_000):
        body = _post(chars, base)
        capped = _seconds(analyzer, body)
        uncapped = "(minutes; not run)"
        if chars <= 160_000:
            service.READ_CHARS = 10**9
            try:
                uncapped = f"{_seconds(analyzer, body, runs=1):8.2f} s"
            finally:
                service.READ_CHARS = cap
        print(f"{chars:>9,} | {capped:8.3f} s | {uncapped:>20} | {capped / short:8.1f}x")


if __name__ == "__main__":
    main()

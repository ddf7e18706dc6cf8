"""Analysis throughput: the whole per-post reading vs the bare embedder, same batch size.

    .venv/bin/python -m bench.analysis [--posts 2000]

Prints posts/s for both, their ratio (target: the whole analysis >= 85% of the embedder's
posts/s), and the process's peak memory (target: <= 1.5 GB for a worker).
"""

from __future__ import annotations

import argparse
import resource
import time
from datetime import UTC, datetime

from analysis.models import load_embedder
from analysis.service import Analyzer
from core.settings import Settings
from ingest.service import sample_posts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    args = parser.parse_args()
    base = [p.text for p in sample_posts(today=datetime(2026, 11, 25, tzinfo=UTC))]
    texts = [f"{base[i % len(base)]} ({i})" for i in range(args.posts)]
    analyzer = Analyzer(load_embedder(Settings(_env_file=None)))
    analyzer.read(texts[:64])  # warm up

    began = time.perf_counter()
    analyzer.embedder.embed(texts)
    bare = args.posts / (time.perf_counter() - began)
    began = time.perf_counter()
    analyzer.read(texts)
    whole = args.posts / (time.perf_counter() - began)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    batch = analyzer.embedder.batch_size
    print(f"bare embedder (batch {batch}) : {bare:8.1f} posts/s")
    print(f"whole analysis (batch {batch}): {whole:8.1f} posts/s")
    print(f"ratio whole / bare           : {whole / bare:8.2f}  (target >= 0.85)")
    print(f"peak memory                  : {peak_mb:8.0f} MB  (target <= 1536)")


if __name__ == "__main__":
    main()

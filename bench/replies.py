"""How well the guard separates helpful replies from promotional and ungrounded ones.

Runs every candidate reply in bench/data/replies.jsonl (written by the project: 203 replies to
realistic posts, with hard cases) through suggest.guard with the sample workspace's knowledge,
and prints promotional recall, the false-positive rate on helpful replies, ungrounded-fact
recall, and every reply the guard got wrong.

    .venv/bin/python -m bench.replies
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from analysis.models import load_embedder
from core.settings import Settings
from ingest.service import sample_workspace
from suggest import guard
from suggest.promotional import PromotionalClassifier

DATA = Path(__file__).parent / "data" / "replies.jsonl"


def main() -> None:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    print("rules only:")
    evaluate(rows, [None] * len(rows))
    embedder = load_embedder(Settings(_env_file=None))
    probabilities = PromotionalClassifier(embedder).probabilities([r["reply"] for r in rows])
    print(f"\nrules + learned classifier (threshold {guard.PROMOTIONAL_THRESHOLD}):")
    evaluate(rows, probabilities)


def evaluate(rows: list[dict], probabilities: list[float | None]) -> None:  # type: ignore[type-arg]
    workspace = sample_workspace()
    blocked: Counter[str] = Counter()
    blocked_for_grounding = 0
    wrong = []
    for row, p in zip(rows, probabilities, strict=True):
        context = guard.context_for(
            workspace,
            post_text=row["post"],
            summons_business="@crumbandkettle" in row["post"],
            extra_knowledge=row.get("knowledge", []),
            max_chars=500,
        )
        context.promotional_probability = p
        verdict = guard.check(row["reply"], context)
        if not verdict.passed:
            blocked[row["label"]] += 1
        if row["label"] == "ungrounded" and any("ungrounded" in r for r in verdict.reasons):
            blocked_for_grounding += 1
        if verdict.passed != (row["label"] == "helpful"):
            wrong.append((row["label"], row["reply"], verdict.reasons))
    total = Counter(r["label"] for r in rows)
    print(f"replies: {len(rows)} ({dict(total)})")
    print(
        f"promotional recall      : {blocked['promotional'] / total['promotional']:.3f}"
        "  (target >= 0.98)"
    )
    print(
        f"false-positive rate     : {blocked['helpful'] / total['helpful']:.3f}"
        "  (helpful replies blocked; target <= 0.05)"
    )
    print(
        f"ungrounded recall       : {blocked['ungrounded'] / total['ungrounded']:.3f}"
        "  (blocked for any reason; target >= 0.90)"
    )
    print(f"  ... for a grounding reason: {blocked_for_grounding / total['ungrounded']:.3f}")
    print(f"wrong ({len(wrong)}):")
    for label, reply, reasons in wrong:
        print(f"  [{label}] {reply}\n      guard: {reasons or 'passed'}")


if __name__ == "__main__":
    main()

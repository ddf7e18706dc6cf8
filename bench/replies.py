"""How well the guard separates helpful replies from promotional and ungrounded ones.

Runs candidate replies written by the project through suggest.guard with the sample workspace's
knowledge, on three files kept apart:

- bench/data/replies_tune.jsonl: the split the guard's rules were tuned on (plus hard cases
  written while tuning); its wrong replies are printed;
- bench/data/replies_test.jsonl: the held-out split (by post, so no post is on both sides),
  never read while tuning; only its figures and the count of wrong replies are printed;
- bench/data/replies_hard_test.jsonl, when present: held-out hard cases written by someone
  else; figures and counts only, never the replies' text.

Each line: {"post", "reply", "label": helpful|promotional|ungrounded} and optionally
"knowledge" (extra snippets), "person_names", "recent_texts".

    .venv/bin/python -m bench.replies [--rules-only] [--tune]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.service import sample_workspace
from suggest import guard

DATA = Path(__file__).parent / "data"
SPLITS = [
    ("tune", DATA / "replies_tune.jsonl", True),
    ("test (held out)", DATA / "replies_test.jsonl", False),
    ("hard test (held out)", DATA / "replies_hard_test.jsonl", False),
]
TARGETS = {"promotional recall": 0.98, "helpful blocked": 0.03, "ungrounded recall": 0.90}


@dataclass
class Figures:
    total: Counter[str]
    blocked: Counter[str]
    blocked_for_grounding: int
    wrong: list[tuple[str, str, str, list[str]]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rules-only", action="store_true", help="skip the learned classifier (no embedder)"
    )
    parser.add_argument(
        "--tune", action="store_true", help="the tune split only (while tuning the guard)"
    )
    args = parser.parse_args()
    chosen = SPLITS[:1] if args.tune else SPLITS
    splits = [(name, _read(path), show) for name, path, show in chosen if path.exists()]
    classifier = None
    if not args.rules_only:
        from analysis.models import load_embedder
        from core.settings import Settings
        from suggest.promotional import PromotionalClassifier

        classifier = PromotionalClassifier(load_embedder(Settings(_env_file=None)))
    for name, rows, show_wrong in splits:
        print(f"\n=== {name}: {len(rows)} replies ===")
        print("rules only:")
        _report(evaluate(rows, [None] * len(rows)), show_wrong=show_wrong)
        if classifier is not None:
            probabilities: list[float | None] = list(
                classifier.probabilities([r["reply"] for r in rows])
            )
            print(f"rules + learned classifier (threshold {guard.PROMOTIONAL_THRESHOLD}):")
            _report(evaluate(rows, probabilities), show_wrong=show_wrong)


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def evaluate(rows: list[dict[str, Any]], probabilities: list[float | None]) -> Figures:
    """The guard's verdict on every row, counted by label."""
    workspace = sample_workspace()
    blocked: Counter[str] = Counter()
    blocked_for_grounding = 0
    wrong = []
    for row, p in zip(rows, probabilities, strict=True):
        context = guard.context_for(
            workspace,
            post_text=row["post"],
            summons_business="@crumbandkettle" in row["post"],
            person_names=row.get("person_names", []),
            recent_texts=row.get("recent_texts", []),
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
            wrong.append((row["label"], row["post"], row["reply"], verdict.reasons))
    total = Counter(r["label"] for r in rows)
    return Figures(total, blocked, blocked_for_grounding, wrong)


def _rate(n: int, d: int) -> str:
    return f"{n / d:.3f} ({n}/{d})" if d else "n/a"


def _report(f: Figures, *, show_wrong: bool) -> None:
    t, b = f.total, f.blocked
    print(
        f"  promotional recall : {_rate(b['promotional'], t['promotional'])}"
        f"  (target >= {TARGETS['promotional recall']})"
    )
    print(
        f"  helpful blocked    : {_rate(b['helpful'], t['helpful'])}"
        f"  (target <= {TARGETS['helpful blocked']})"
    )
    print(
        f"  ungrounded recall  : {_rate(b['ungrounded'], t['ungrounded'])}"
        f"  (blocked for any reason; target >= {TARGETS['ungrounded recall']})"
    )
    print(f"    ... for a grounding reason: {_rate(f.blocked_for_grounding, t['ungrounded'])}")
    by_label = Counter(label for label, *_ in f.wrong)
    print(f"  wrong: {len(f.wrong)} {dict(by_label)}")
    if show_wrong:
        for label, post, reply, reasons in f.wrong:
            print(f"    [{label}] {post}\n      -> {reply}\n      guard: {reasons or 'passed'}")


if __name__ == "__main__":
    main()

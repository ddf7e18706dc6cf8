"""Does Rapport use the snippet that answers a post, and never one that does not?

Runs the shipped retrieval (`KnowledgeBase.scores` then `KnowledgeBase.answer`, the real
embedder) over the labelled posts in bench/data/answers/ (written for the project for three
businesses: the sample bakery-café, the bike workshop of the drafting set and a yarn shop,
`purl-and-thistle`; each post labelled with the snippets that answer it, or none) and prints,
per part:

- precision of "answers": of the snippets used, how many answer the post;
- recall: of the snippets that answer a post, how many are used;
- wrong-snippet rate: of the posts given any snippet, how many got one that does not answer
  (target 0); unanswerable posts given a snippet; answerable posts given none (a card instead);
- exact: posts whose snippets are exactly the labelled ones (none for none).

The parts: `train` (for tuning retrieval), `heldout` (a random 25% of the bakery and the bike
workshop, drawn before any tuning) and `heldout-business` (the yarn shop, never tuned on).
Every post is judged as if addressed to the business (about-us snippets allowed), so only
retrieval is measured.

    PYTHONPATH=. .venv/bin/python -m bench.answers
    PYTHONPATH=. .venv/bin/python -m bench.answers --misses train   # list a part's misses
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from analysis.models import load_embedder
from core.settings import Settings
from ingest import workspaces
from suggest.knowledge import KnowledgeBase
from suggest.need import read_need

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data" / "answers"
PARTS = ("train", "heldout", "heldout-business")
WORKSPACES = {
    "crumb-and-kettle": ROOT / "ingest" / "sample" / "workspace.yaml",
    "northside-cycles": ROOT / "bench" / "data" / "drafting" / "northside-cycles.workspace.yaml",
    "purl-and-thistle": DATA / "purl-and-thistle.workspace.yaml",
}


def labelled() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted(DATA.glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return rows


def bases(embedder: Any) -> dict[str, KnowledgeBase]:
    found = {}
    for name, path in WORKSPACES.items():
        definition = workspaces.parse(path.read_text(encoding="utf-8"))
        found[name] = KnowledgeBase(
            [k.model_dump() for k in definition.knowledge], definition.helps_with, embedder
        )
    return found


def used(kb: KnowledgeBase, text: str, vector: Any) -> list[str]:
    need = read_need(text)
    matches = kb.answer(kb.scores(need, vector), need, vector, may_mention_us=True)
    return [m.snippet.title for m in matches]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", choices=PARTS[:1], help="list the misses of the train part")
    args = parser.parse_args()
    embedder = load_embedder(Settings(_env_file=None))
    kbs = bases(embedder)
    rows = labelled()
    vectors = embedder.embed([r["text"] for r in rows])
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    misses = []
    for row, vector in zip(rows, vectors, strict=True):
        c = counts[row["split"]]
        got, want = set(used(kbs[row["workspace"]], row["text"], vector)), set(row["answers"])
        c["posts"] += 1
        c["answerable"] += bool(want)
        c["labelled_pairs"] += len(want)
        c["used_pairs"] += len(got)
        c["right_pairs"] += len(got & want)
        c["given"] += bool(got)
        c["wrong"] += bool(got - want)
        c["unanswerable_given"] += bool(got) and not want
        c["answerable_none"] += bool(want) and not got
        c["exact"] += got == want
        if got != want and row["split"] == args.misses:
            misses.append((row, sorted(got)))
    for part in PARTS:
        c = counts[part]
        if not c["posts"]:
            continue
        print(
            f"{part}: {c['posts']} posts ({c['answerable']} answerable)\n"
            f"  precision {c['right_pairs'] / max(c['used_pairs'], 1):.3f}"
            f"  recall {c['right_pairs'] / max(c['labelled_pairs'], 1):.3f}"
            f"  exact {c['exact'] / c['posts']:.3f}\n"
            f"  wrong-snippet rate {c['wrong']}/{c['given']}"
            f" = {c['wrong'] / max(c['given'], 1):.3f}"
            f"  (unanswerable given a snippet {c['unanswerable_given']}/"
            f"{c['posts'] - c['answerable']}; answerable given none {c['answerable_none']}/"
            f"{c['answerable']})"
        )
    for row, got in misses:
        print(f"  MISS {row['id']}: {row['text']}\n    want {row['answers']}  got {got}")


if __name__ == "__main__":
    main()

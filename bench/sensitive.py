"""Posts that must reach a person: how often the analysis flags a possible crisis or grief.

Reads the project's labelled set of short posts written for this purpose (English, many ways of
saying each thing, and as many everyday posts that only sound like them: hyperbole, things that
"died", good news after an illness, TV deaths, goodbyes when moving platform). Each post is
"crisis" (possible self-harm or suicidal thoughts), "sensitive" (grief, bereavement, serious
illness) or "none". It was written in six batches, and each batch was split 70/30 (stratified
by label and kind, fixed seed) before any reader was trained on it:
`analysis/data/sensitive_posts.jsonl` (train, 1,164 posts) and
`bench/data/sensitive_posts_test.jsonl` (held out, 511; only its figures are printed). The later
batches add posts of the kinds the first readers misread on the train split, the sample and the
drafting set's tune split (terse everyday posts, posts about family, posts to a business,
thanks after a death, sales patter).

Every post goes through the analysis as it runs in production (`Analyzer.read`, platform tag
"en") and the phrase lists alone (`analysis.text.flags`); printed for each:

- crisis recall: crisis posts flagged "crisis";
- reaches a person: crisis and sensitive posts flagged "crisis" or "sensitive" (either is a card);
- sensitive recall: grief and illness posts flagged "sensitive";
- false positives: everyday posts flagged at all, and posts that are not a crisis flagged "crisis";

then the English posts of the sample workspace (ingest/sample/posts.jsonl, nearly all everyday
posts, a few about a father's death) that are flagged, listed.

    PYTHONPATH=. .venv/bin/python -m bench.sensitive              # held-out split + sample
    PYTHONPATH=. .venv/bin/python -m bench.sensitive --split train  # with every miss listed
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from analysis import text
from analysis.service import Analyzer
from core.settings import Settings
from ingest.service import SAMPLE_POSTS
from service.pipeline import load_analyzer

SPLITS = {
    "train": Path(__file__).parents[1] / "analysis" / "data" / "sensitive_posts.jsonl",
    "test": Path(__file__).parent / "data" / "sensitive_posts_test.jsonl",
}
Reader = Callable[[Sequence[str]], list[list[str]]]


def load(split: str) -> list[dict[str, Any]]:
    lines = SPLITS[split].read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def analysis_reader(analyzer: Analyzer) -> Reader:
    return lambda texts: [r.flags for r in analyzer.read(texts, ["en"] * len(texts))]


def phrase_reader(texts: Sequence[str]) -> list[list[str]]:
    return [text.flags(t) for t in texts]


def _share(hits: int, total: int) -> str:
    return f"{hits}/{total} ({hits / total:.3f})" if total else "0/0"


def evaluate(posts: list[dict[str, Any]], read: Reader, *, name: str, verbose: bool) -> None:
    flags = read([p["text"] for p in posts])
    counts: Counter[str] = Counter()
    by_kind: Counter[tuple[str, str, bool]] = Counter()
    misses = []
    for post, found in zip(posts, flags, strict=True):
        label, crisis, sensitive = post["label"], "crisis" in found, "sensitive" in found
        flagged = crisis or sensitive
        counts[label] += 1
        if label == "crisis":
            counts["crisis_found"] += crisis
            right = crisis
        elif label == "sensitive":
            counts["sensitive_found"] += sensitive
            counts["sensitive_as_crisis"] += crisis
            right = sensitive and not crisis
        else:
            right = not flagged
        counts["reached"] += label != "none" and flagged
        counts["none_flagged"] += label == "none" and flagged
        counts["crisis_wrongly"] += label != "crisis" and crisis
        by_kind[(label, post["kind"], right)] += 1
        if not right:
            misses.append((label, found, post["text"]))
    positives = counts["crisis"] + counts["sensitive"]
    print(f"\n  {name}")
    print(f"    crisis recall           : {_share(counts['crisis_found'], counts['crisis'])}")
    print(f"    sensitive recall        : {_share(counts['sensitive_found'], counts['sensitive'])}")
    print(f"    reaches a person        : {_share(counts['reached'], positives)}")
    print(f"    everyday posts flagged  : {_share(counts['none_flagged'], counts['none'])}")
    print(
        "    'crisis' on non-crisis  : "
        f"{_share(counts['crisis_wrongly'], counts['none'] + counts['sensitive'])}"
        f" (grief read as crisis: {counts['sensitive_as_crisis']})"
    )
    for label in ("crisis", "sensitive", "none"):
        kinds = sorted({k for lab, k, _ in by_kind if lab == label})
        right = {k: by_kind[(label, k, True)] for k in kinds}
        total = {k: right[k] + by_kind[(label, k, False)] for k in kinds}
        shares = ", ".join(f"{k} {right[k]}/{total[k]}" for k in kinds)
        print(f"    {label} right by kind: {shares}")
    if verbose:
        for label, found, body in misses:
            print(f"    MISS {label:9} {','.join(found) or '-':17} {body}")


def sample_flags(read: Reader, analyzer: Analyzer) -> None:
    posts = [json.loads(line) for line in SAMPLE_POSTS.read_text(encoding="utf-8").splitlines()]
    readings = analyzer.read([p["text"] for p in posts], [p.get("lang") for p in posts])
    english = [p for p, r in zip(posts, readings, strict=True) if r.language == "en"]
    flagged = [
        (found, p["text"])
        for p, found in zip(english, read([p["text"] for p in english]), strict=True)
        if {"crisis", "sensitive"} & set(found)
    ]
    print(f"    {len(flagged)} of {len(english)} English sample posts flagged")
    for found, body in flagged:
        print(f"      {','.join(f for f in found if f in ('crisis', 'sensitive')):16} {body}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="test")
    args = parser.parse_args()
    analyzer = load_analyzer(Settings(_env_file=None))
    posts = load(args.split)
    print(f"{args.split}: {len(posts)} posts, {dict(Counter(p['label'] for p in posts))}")
    verbose = args.split != "test"
    readers: dict[str, Reader] = {
        "phrase lists alone": phrase_reader,
        f"the analysis ({analyzer.model_version})": analysis_reader(analyzer),
    }
    for name, read in readers.items():
        evaluate(posts, read, name=name, verbose=verbose)
    print("\nsample workspace")
    for name, read in readers.items():
        print(f"  {name}")
        sample_flags(read, analyzer)


if __name__ == "__main__":
    main()

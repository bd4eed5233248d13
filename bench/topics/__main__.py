"""Category accuracy on ../shared/data/topics: `python -m bench.topics [--limit N] [--data DIR]`.

Newshub's classifier is never trained on these files: it scores texts against the lexicons shipped in
`newshub/stories/category_lexicon/`. Our categories are mapped onto each set's classes:

    AG News  World    <- World, Politics      BBC  politics      <- Politics
             Sports   <- Sports                    sport         <- Sports
             Business <- Business                  business      <- Business
             Sci/Tech <- Technology, Science,      tech          <- Technology, Science
                         Health                    entertainment <- Entertainment

Two protocols:
- "dataset": the classifier chooses only among our categories that have a counterpart in the set (an
  installation configured with those categories; the usual zero-shot protocol, where the label set is
  given). This is the headline figure.
- "all": the classifier chooses among all eight default categories; a category with no counterpart in
  the set (AG News: Entertainment; BBC: World, Health) counts as wrong.

Writes bench/results/topics.json and prints a summary. Speed is measured on a shared 2-core machine and
is noisy.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "topics"
RESULT = Path(__file__).resolve().parents[1] / "results" / "topics.json"
ALL_CATEGORIES = [
    "World",
    "Politics",
    "Business",
    "Technology",
    "Science",
    "Health",
    "Sports",
    "Entertainment",
]


@dataclass(frozen=True)
class DataSet:
    name: str
    file: str
    mapping: dict[str, str]  # our category -> the set's class

    def read(self, folder: Path, limit: int | None) -> list[tuple[str, str, str]]:
        """(title, text, gold class) rows."""
        rows = []
        with (folder / self.file).open(encoding="utf-8", newline="") as handle:
            for record in csv.DictReader(handle):
                if self.name == "ag_news":
                    rows.append((record["title"], record["description"], AG_CLASSES[record["class"]]))
                else:
                    rows.append((record["title"], record["text"], record["category"]))
                if limit and len(rows) >= limit:
                    break
        return rows


AG_CLASSES = {"1": "World", "2": "Sports", "3": "Business", "4": "Sci/Tech"}
DATASETS = [
    DataSet(
        "ag_news",
        "ag_news.dev.csv",
        {
            "World": "World",
            "Politics": "World",
            "Sports": "Sports",
            "Business": "Business",
            "Technology": "Sci/Tech",
            "Science": "Sci/Tech",
            "Health": "Sci/Tech",
        },
    ),
    DataSet(
        "bbc_news",
        "bbc_news.csv",
        {
            "Politics": "politics",
            "Sports": "sport",
            "Business": "business",
            "Technology": "tech",
            "Science": "tech",
            "Entertainment": "entertainment",
        },
    ),
]


def evaluate(dataset: DataSet, rows: list[tuple[str, str, str]], protocol: str) -> dict:
    from newshub.stories.categories import classify

    choices = [c for c in ALL_CATEGORIES if protocol == "all" or c in dataset.mapping]
    confusion: Counter[tuple[str, str]] = Counter()
    started = time.perf_counter()
    correct = 0
    for title, text, gold in rows:
        predicted = dataset.mapping.get(classify(title, text, choices), "(none)")
        correct += predicted == gold
        confusion[(gold, predicted)] += 1
    seconds = time.perf_counter() - started
    return {
        "documents": len(rows),
        "accuracy": round(correct / len(rows), 4) if rows else 0.0,
        "documents_per_second": round(len(rows) / seconds, 1) if seconds else 0.0,
        "confusion": {f"{gold} -> {pred}": n for (gold, pred), n in sorted(confusion.items())},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with the topics CSVs")
    parser.add_argument("--limit", type=int, default=None, help="rows per data set (for a quick run)")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"skipped: no topics data at {args.data}")
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newshub.settings")
    import django

    django.setup()
    result: dict = {"data": str(args.data), "protocols": {}}
    for protocol in ("dataset", "all"):
        per_set = {ds.name: evaluate(ds, ds.read(args.data, args.limit), protocol) for ds in DATASETS}
        total = sum(r["documents"] for r in per_set.values())
        correct = sum(r["accuracy"] * r["documents"] for r in per_set.values())
        result["protocols"][protocol] = {
            "overall_accuracy": round(correct / total, 4) if total else 0.0,
            "mean_accuracy": round(sum(r["accuracy"] for r in per_set.values()) / len(per_set), 4),
            "datasets": per_set,
        }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2))
    for protocol, figures in result["protocols"].items():
        sets = ", ".join(
            f"{name} {r['accuracy']:.3f} ({r['documents_per_second']:.0f} docs/s)"
            for name, r in figures["datasets"].items()
        )
        print(f"{protocol:>8}: overall {figures['overall_accuracy']:.3f}  [{sets}]")
    print(f"result: {RESULT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

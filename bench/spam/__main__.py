"""`python -m bench.spam [DATA_DIR]`: Newshub's spam filter against a TF-IDF + logistic regression baseline.

Leave one file out on the YouTube Spam Collection: each filter learns from three files as if a moderator had
marked every comment, then scores the fourth. Rates per file and their mean, written to
bench/results/spam.json.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from newshub.comments.evaluation import LabelledComment, evaluate, read_labelled_csv, summarise
from newshub.comments.spam import Decision

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "spam"
RESULT = Path(__file__).resolve().parents[1] / "results" / "spam.json"
TARGETS = {"spam_published": 0.03, "legitimate_rejected": 0.005, "held": 0.15}
METRICS = ("spam_published", "legitimate_rejected", "held", "f1")


def baseline(training: list[LabelledComment], test: list[LabelledComment]) -> dict:
    """TF-IDF over word 1–2 and character 2–5 grams, logistic regression, spam from 0.5: no hold."""
    words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)
    characters = TfidfVectorizer(analyzer="char", ngram_range=(2, 5), sublinear_tf=True)
    train_texts = [comment.text for comment in training]
    test_texts = [comment.text for comment in test]
    train_matrix = sparse.hstack([words.fit_transform(train_texts), characters.fit_transform(train_texts)])
    test_matrix = sparse.hstack([words.transform(test_texts), characters.transform(test_texts)])
    classifier = LogisticRegression(max_iter=2000).fit(train_matrix, [c.spam for c in training])
    calls = (classifier.predict_proba(test_matrix)[:, 1] >= 0.5).tolist()
    decisions = [Decision.REJECT if call else Decision.PUBLISH for call in calls]
    return summarise([comment.spam for comment in test], decisions, calls)


def mean(summaries: dict[str, dict]) -> dict:
    return {metric: round(float(np.mean([s[metric] for s in summaries.values()])), 4) for metric in METRICS}


def main(data_dir: Path) -> dict:
    files = {path.stem: read_labelled_csv(path) for path in sorted(data_dir.glob("*.csv"))}
    if len(files) < 2:
        raise SystemExit(f"need at least two CSV files in {data_dir}")
    results: dict[str, dict] = {"newshub": {}, "baseline": {}}
    started = time.perf_counter()
    for held_out, test in files.items():
        training = [comment for name, comments in files.items() if name != held_out for comment in comments]
        results["newshub"][held_out] = evaluate(training, test)[1]
        results["baseline"][held_out] = baseline(training, test)
    report = {
        "data": str(data_dir),
        "protocol": "leave one file out: learn from the other files, score the held-out one",
        "targets": TARGETS,
        "seconds": round(time.perf_counter() - started, 1),
        "per_file": results,
        "mean": {name: mean(per_file) for name, per_file in results.items()},
    }
    report["meets_targets"] = all(report["mean"]["newshub"][k] <= v for k, v in TARGETS.items())
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(report, indent=2) + "\n")
    show(report)
    return report


def show(report: dict) -> None:
    table = Table(title="Spam filter, leave one file out (rates on the held-out file)")
    for column in ("filter", "held-out file", *METRICS):
        table.add_column(column)
    for name, per_file in report["per_file"].items():
        for file, summary in [*per_file.items(), ("mean", report["mean"][name])]:
            table.add_row(name, file, *(f"{summary[m]:.3f}" for m in METRICS))
    console = Console()
    console.print(table)
    console.print(f"targets (mean): {report['targets']}  met: {report['meets_targets']}  -> {RESULT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA)

"""Story clustering benchmark: `newshub stories cluster` on the shared events, B-cubed and pairwise.

    .venv/bin/python -m bench.clustering [--file events.dev.jsonl] [-- extra options for the command]

Runs the real command in a subprocess (startup, spaCy NER and all), so articles/s is end to end.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.clustering.metrics import b_cubed, by_group, pairwise, singletons_for_missing

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "clustering" / "events.dev.jsonl"
RESULTS = Path(__file__).resolve().parents[1] / "results"
TARGETS = {"b_cubed_f1_overall": 0.90, "b_cubed_f1_ecb+": 0.88, "articles_per_second": 30}


def run_command(path: Path, extra: list[str]) -> tuple[list[dict], float, float]:
    newshub = Path(sys.executable).with_name("newshub")
    env = {**os.environ, "NEWSHUB_HOME": os.environ.get("NEWSHUB_HOME") or tempfile.mkdtemp(prefix="bench-")}
    started = time.perf_counter()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(
        [str(newshub), "stories", "cluster", str(path), *extra],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    if completed.returncode != 0:
        sys.exit(f"newshub stories cluster failed:\n{completed.stderr[-3000:]}")
    return [json.loads(line) for line in completed.stdout.splitlines() if line.strip()], elapsed, cpu


def scores(gold: list, predicted: list) -> dict:
    cubed, pairs = b_cubed(gold, predicted), pairwise(gold, predicted)
    return {
        "articles": len(gold),
        "events": len(set(gold)),
        "stories": len(set(predicted)),
        "b_cubed_precision": round(cubed["precision"], 4),
        "b_cubed_recall": round(cubed["recall"], 4),
        "b_cubed_f1": round(cubed["f1"], 4),
        "pairwise_f1": round(pairs["f1"], 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DATA)
    parser.add_argument("--output", type=Path, default=RESULTS / "clustering.json")
    parser.add_argument("extra", nargs="*", help="options passed to `newshub stories cluster`, after --")
    args = parser.parse_args()
    if not args.file.exists():
        sys.exit(f"skipped: {args.file} not found (the shared evaluation data is not on this machine)")
    gold_rows = [json.loads(line) for line in args.file.open(encoding="utf-8") if line.strip()]
    results, elapsed, cpu = run_command(args.file, args.extra)
    story_of = {row["id"]: row["story"] for row in results}
    gold = [row["cluster"] for row in gold_rows]
    predicted = singletons_for_missing([story_of.get(row["id"]) for row in gold_rows])
    datasets = [row.get("dataset", "all") for row in gold_rows]
    report = {
        "data": str(args.file),
        "command_options": args.extra,
        "overall": scores(gold, predicted),
        "per_dataset": {
            name: scores(g, p) for name, (g, p) in sorted(by_group(datasets, gold, predicted).items())
        },
        "seconds": round(elapsed, 2),
        "articles_per_second": round(len(gold_rows) / elapsed, 1),
        "cpu_seconds": round(cpu, 2),
        "articles_per_cpu_second": round(len(gold_rows) / cpu, 1),
        "copies_reported": sum(1 for row in results if row.get("original") is not None),
        "targets": TARGETS,
        "note": "end to end (process start, spaCy NER, clustering) on a shared 2-core machine; "
        "wall-clock articles/s depends on the other load, articles per CPU second much less",
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"{'set':34} {'n':>5} {'B3-P':>6} {'B3-R':>6} {'B3-F1':>6} {'pair-F1':>7}")
    for name, row in [("overall", report["overall"]), *report["per_dataset"].items()]:
        print(
            f"{name:34} {row['articles']:5} {row['b_cubed_precision']:6.3f} {row['b_cubed_recall']:6.3f} "
            f"{row['b_cubed_f1']:6.3f} {row['pairwise_f1']:7.3f}"
        )
    print(
        f"{report['articles_per_second']} articles/s end to end ({report['seconds']} s wall); "
        f"{report['articles_per_cpu_second']} articles per CPU second ({report['cpu_seconds']} s CPU)"
    )
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()

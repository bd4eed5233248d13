"""Workers benchmark: articles/s end to end with 1 and 2 Celery worker processes, and in-process.

    .venv/bin/python -m bench.workers [--pages 5000] [--timeout 3600]

A demo-like corpus of `--pages` article pages (events covered by several outlets, quotes, wire copies;
bench/workers/corpus.py) is served by a local HTTP server, and ingested end to end (poll, fetch,
extract, store, copies and stories, claims) three times into fresh databases:
the in-process driver on SQLite, then 1 and 2 `newshub worker --pool solo` processes (or --pool prefork; the
first also serves the single-consumer cluster queue) on PostgreSQL with Redis as the broker. Counts are
checked: every page stored exactly once and placed in a story, and the three runs agree on the numbers
of copies and claims. Needs PostgreSQL and Redis on their standard local ports.
Target: 2 workers at least 1.7x as fast as 1 worker.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from bench.workers.corpus import GeneratedSite
from newshub.ops.sandbox import NEWSHUB, throwaway_postgres_database, worker_process

RESULTS = Path(__file__).resolve().parents[1] / "results"
ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ADMIN_URL = os.environ.get(
    "NEWSHUB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
BROKER_URL = "redis://127.0.0.1:6379/12"
TARGET_SPEEDUP = 1.7
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
LOG_LEVEL = os.environ.get("BENCH_WORKER_LOG_LEVEL", "warning")


def environment(home: Path, database_url: str, broker_url: str = "") -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEWSHUB_")}
    env |= {
        "NEWSHUB_HOME": str(home),
        "NEWSHUB_DATABASE_URL": database_url,
        "NEWSHUB_ALLOW_PRIVATE_NETWORKS": "1",
        "NEWSHUB_MIN_HOST_DELAY": "0",
        "NEWSHUB_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "newshub.settings",
        "PYTHONPATH": str(ROOT),
    }
    if broker_url:
        env["NEWSHUB_BROKER_URL"] = broker_url
    return env


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its live descendants, e.g. a worker and its pool."""
    ticks, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
            pending += [
                int(child) for child in Path(f"/proc/{current}/task/{current}/children").read_text().split()
            ]
        except FileNotFoundError:
            continue
    return ticks / CLOCK_TICKS


def database_backends(database_url: str) -> list[int]:
    """PostgreSQL server processes serving this database: the workers' persistent connections, whose
    CPU time is the run's too (SQLite's is inside the in-process run's own)."""
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [database_url.rsplit("/", 1)[1]]
        ).fetchall()
    return [pid for (pid,) in rows]


def with_rates(result: dict) -> dict:
    articles, seconds, cpu = result["counts"]["articles"], result["seconds"], result["cpu_seconds"]
    return {
        **result,
        "articles_per_second": round(articles / seconds, 2),
        "cores_used": round(cpu / seconds, 2),
        "articles_per_cpu_second": round(articles / cpu, 2),
    }


def run_phase(
    env: dict[str, str], driver: str, site: GeneratedSite, feeds_file: Path, workers: int, timeout: float
):
    subprocess.run([NEWSHUB, "migrate", "-v", "0"], env=env, check=True, capture_output=True)
    command = [sys.executable, "-m", "bench.workers.phase", driver, site.base, str(feeds_file), str(workers)]
    done = subprocess.run([*command, str(timeout)], env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def celery_phase(
    workers: int, site: GeneratedSite, feeds_file: Path, scratch: Path, timeout: float, pool: str
) -> dict:
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()
    with (
        throwaway_postgres_database(POSTGRES_ADMIN_URL, "newshub_bench_workers") as database_url,
        ExitStack() as stack,
    ):
        env = environment(scratch / f"celery{workers}", database_url, BROKER_URL)
        Path(env["NEWSHUB_HOME"]).mkdir()
        subprocess.run([NEWSHUB, "migrate", "-v", "0"], env=env, check=True, capture_output=True)
        processes = [
            stack.enter_context(
                worker_process(
                    env,
                    "fetch,process,cluster" if index == 0 else "fetch,process",
                    scratch / f"celery{workers}-w{index}.log",
                    loglevel=LOG_LEVEL,
                    pool=pool,
                )
            )
            for index in range(workers)
        ]
        cpu_before = sum(tree_cpu_seconds(process.pid) for process in processes)
        result = run_phase(env, "celery", site, feeds_file, workers, timeout)
        workers_cpu = sum(tree_cpu_seconds(p.pid) for p in processes) - cpu_before
        database_cpu = sum(tree_cpu_seconds(pid) for pid in database_backends(database_url))
        result["workers_cpu_seconds"] = round(workers_cpu, 2)
        result["database_cpu_seconds"] = round(database_cpu, 2)
        result["cpu_seconds"] = round(workers_cpu + database_cpu, 2)
    return {
        "driver": "celery",
        "database": "PostgreSQL",
        "broker": "Redis",
        "workers": workers,
        "pool": pool,
        **with_rates(result),
    }


def report(run: dict) -> None:
    name = (
        f"{run['workers']} worker(s) on PostgreSQL + Redis"
        if run["driver"] == "celery"
        else "in-process on SQLite"
    )
    print(
        f"{name}: {run['articles_per_second']} articles/s, {run['cores_used']} cores used, "
        f"{run['articles_per_cpu_second']} articles per CPU-second",
        flush=True,
    )


def counts_ok(run: dict, pages: int) -> bool:
    counts = run["counts"]
    return counts["articles"] == counts["distinct_pages"] == counts["placed_in_stories"] == pages


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--pool", default="solo", choices=["prefork", "solo"], help="the workers' pool")
    args = parser.parse_args()
    load_before = [round(load, 2) for load in os.getloadavg()]
    with (
        tempfile.TemporaryDirectory(prefix="newshub-bench-workers-") as scratch_dir,
        GeneratedSite(args.pages) as site,
    ):
        scratch = Path(scratch_dir)
        feeds_file = scratch / "feeds.json"
        feeds_file.write_text(json.dumps(site.feed_paths))
        home = scratch / "inprocess"
        home.mkdir()
        env = environment(home, f"sqlite:///{home / 'newshub.sqlite3'}")
        runs = [
            {
                "driver": "in-process",
                "database": "SQLite",
                **with_rates(run_phase(env, "inprocess", site, feeds_file, 0, args.timeout)),
            }
        ]
        report(runs[-1])
        for workers in (1, 2):
            runs.append(celery_phase(workers, site, feeds_file, scratch, args.timeout, args.pool))
            report(runs[-1])
    speedup = round(runs[2]["articles_per_second"] / runs[1]["articles_per_second"], 2)
    agree = len({(run["counts"]["copies"], run["counts"]["claims"]) for run in runs}) == 1
    result = {
        "benchmark": "workers",
        "pages": args.pages,
        "feeds": len(site.feed_paths),
        "runs": runs,
        "speedup_2_workers_vs_1": speedup,
        "target_speedup": TARGET_SPEEDUP,
        "meets_target": speedup >= TARGET_SPEEDUP,
        "counts_ok": all(counts_ok(run, args.pages) for run in runs),
        "runs_agree_on_copies_and_claims": agree,
        # Work per CPU-second with 2 workers relative to 1: near 1.0 means the second worker adds no
        # overhead, so on free cores the speedup follows the cores it gets.
        "cpu_efficiency_2_workers_vs_1": round(
            runs[2]["articles_per_cpu_second"] / runs[1]["articles_per_cpu_second"], 2
        ),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": [round(load, 2) for load in os.getloadavg()],
        },
        "note": "each worker is one process (concurrency 1); the machine's 2 cores are shared with other "
        "work, so the figures are noisy and 2 workers can use at most the cores left free",
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "workers.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        json.dumps(
            {
                key: result[key]
                for key in (
                    "pages",
                    "speedup_2_workers_vs_1",
                    "cpu_efficiency_2_workers_vs_1",
                    "counts_ok",
                    "runs_agree_on_copies_and_claims",
                )
            }
        )
    )


if __name__ == "__main__":
    main()

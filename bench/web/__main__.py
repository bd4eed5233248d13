"""`python -m bench.web`: the reader site and API under load, served as in production.

Generates a database of 100k articles in 10k stories (bench/web/corpus.py; kept in --home and reused
while its size matches) and collects static files. It then serves the database with granian (WSGI, 2
workers of 4 threads; or --server gunicorn, gthread or --worker-class sync; DEBUG off) and
loads it with wrk over loopback (50 connections, bounded runs): front page, a story page, search and
the API's story detail. Each page is measured twice:

- cached: the default local-memory cache, warmed first; the same URL on every request (and story pages
  over 2,000 random stories, after a 40-s load that fills the cache, not measured);
- uncached: the same server with Django's dummy cache (bench/web/nocache_settings.py), so every
  request builds the page; story pages and API stories vary over 2,000 random story ids.

Search asks one of 400 different queries per request (bench/web/corpus.py: each content word of the
corpus vocabulary, then pairs of words), twice: uncached, and with the result cache as served (warmed
with 5 queries only, so most queries start as misses and each worker has its own cache). Each run is
repeated with a single connection: the time a request takes when it does not wait behind 49 others.
Before the load runs, each page is profiled in-process (queries and milliseconds when built afresh). Writes
bench/results/web.json.
The machine is shared: the figures are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote_plus

import httpx

from bench.web.corpus import search_queries

ROOT = Path(__file__).resolve().parents[2]
RESULT = ROOT / "bench" / "results" / "web.json"
LUA_SCRIPT = Path(__file__).with_name("wrk_paths.lua")
CORPUS_STAMP = "bench-web-corpus.json"
RANDOM_STORIES = 2000
ONE_CLIENT_FIGURES = ("requests_per_s", "p50_ms", "p95_ms", "p99_ms")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--outlets", type=int, default=60)
    parser.add_argument("--home", type=Path, default=Path(tempfile.gettempdir()) / "newshub-bench-web")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--server", default="granian", choices=["granian", "gunicorn"])
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread, granian)")
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"], help="gunicorn's")
    parser.add_argument("--only", default="", help="comma-separated scenario names (default: all)")
    return parser.parse_args()


def server_env(home: Path, settings_module: str) -> dict[str, str]:
    env = {
        **os.environ,
        "NEWSHUB_HOME": str(home),
        "DJANGO_SETTINGS_MODULE": settings_module,
        "NEWSHUB_LOG_LEVEL": "WARNING",
        # The checkout this runs from, whichever one the virtualenv's editable install points at.
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    for name in ("NEWSHUB_DEBUG", "NEWSHUB_DATABASE_URL", "NEWSHUB_REDIS_URL"):
        env.pop(name, None)
    return env


def prepare(args: argparse.Namespace) -> dict:
    """The generated database (built when missing or of another size) and collected static files."""
    os.environ.update(server_env(args.home, "newshub.settings"))
    args.home.mkdir(parents=True, exist_ok=True)
    stamp = args.home / CORPUS_STAMP
    wanted = {"articles": args.articles, "stories": args.stories, "outlets": args.outlets}
    reuse = stamp.exists() and json.loads(stamp.read_text()).get("wanted") == wanted
    if not reuse:
        for leftover in args.home.glob("newshub.sqlite3*"):
            leftover.unlink()
    import django

    django.setup()
    from django.core.management import call_command

    from newshub.stories.related import refresh_all

    call_command("migrate", verbosity=0)  # a reused database gets the migrations added since
    if reuse:
        built = json.loads(stamp.read_text())
    else:
        from bench.web import corpus

        started = time.perf_counter()
        counts = corpus.build(args.articles, args.stories, args.outlets)
        built = {"wanted": wanted, **counts, "seconds_to_build": round(time.perf_counter() - started, 1)}
        stamp.write_text(json.dumps(built))
    # As the polling rounds would have: every story's related list (only the missing ones on reuse).
    started = time.perf_counter()
    built["related_lists_made"] = refresh_all()
    built["seconds_to_relate"] = round(time.perf_counter() - started, 1)
    from newshub.web.serving import collect_static_if_outdated

    collect_static_if_outdated()
    return built


def pick_targets() -> dict:
    from newshub.stories.models import Story

    ids = list(Story.objects.filter(merged_into__isnull=True).values_list("pk", flat=True))
    rng = random.Random(11)
    sample = rng.sample(ids, k=min(RANDOM_STORIES, len(ids)))
    story = sample[0]
    return {
        "front": ["/"],
        "story": [f"/stories/{story}/"],
        "story_random": [f"/stories/{pk}/" for pk in sample],
        "search": [f"/search/?q={quote_plus(query)}" for query in search_queries()],
        "api_story": [f"/api/stories/{story}"],
        "api_story_random": [f"/api/stories/{pk}" for pk in sample],
    }


def profile(targets: dict) -> dict:
    """Each page built afresh in this process: queries and milliseconds (the median of 5)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    found = {}
    for name in ("front", "story", "search", "api_story"):
        path = targets[name][0]
        timings = []
        for _ in range(5):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        slowest = max(queries.captured_queries, key=lambda query: float(query["time"]))
        found[name] = {
            "path": path,
            "queries": len(queries.captured_queries),
            "ms": round(sorted(timings)[2], 1),
            "slowest_query_ms": round(float(slowest["time"]) * 1000, 1),
            "slowest_query": slowest["sql"][:300],
        }
    return found


def server_command(args: argparse.Namespace, port: int) -> list[str]:
    if args.server == "granian":
        return [
            str(Path(sys.executable).with_name("granian")),
            "--interface",
            "wsgi",
            "--workers",
            str(args.workers),
            "--blocking-threads",
            str(args.threads),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "newshub.wsgi:application",
        ]
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "newshub.wsgi",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    return command


def start_server(args: argparse.Namespace, settings_module: str, port: int) -> subprocess.Popen:
    env = server_env(args.home, settings_module)
    server = subprocess.Popen(server_command(args, port), env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit(f"{args.server} did not start")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def warm(base: str, paths: list[str], rounds: int = 20) -> None:
    # Several rounds: each gunicorn worker keeps its own local-memory cache.
    with httpx.Client(base_url=base, timeout=60) as client:
        for _ in range(rounds):
            for path in paths[:5]:
                response = client.get(path)
                if response.status_code != 200:
                    raise SystemExit(f"{path} answered {response.status_code}")


def wait_until_idle(base: str, quick_seconds: float = 0.05, timeout: float = 120) -> None:
    """Until the workers have drained the requests wrk left queued: /health answers at once, thrice."""
    deadline = time.monotonic() + timeout
    quick = 0
    with httpx.Client(base_url=base, timeout=60) as client:
        while quick < 3 and time.monotonic() < deadline:
            started = time.monotonic()
            client.get("/health")
            quick = quick + 1 if time.monotonic() - started < quick_seconds else 0


def run_wrk(base: str, paths: list[str], connections: int, duration: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(paths) + "\n")
    try:
        completed = subprocess.run(
            [
                shutil.which("wrk") or "/usr/bin/wrk",
                "--threads",
                str(min(2, connections)),
                "--connections",
                str(connections),
                "--duration",
                f"{duration}s",
                "--timeout",
                "10s",
                "--latency",
                "--script",
                str(LUA_SCRIPT),
                base,
                "--",
                listing.name,
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=True,
        )
    finally:
        os.unlink(listing.name)
    line = next(line for line in completed.stdout.splitlines() if line.startswith("WRK-JSON "))
    raw = json.loads(line.removeprefix("WRK-JSON "))
    return {
        "requests_per_s": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "requests": raw["requests"],
        "errors": {kind: count for kind, count in raw["errors"].items() if count},
    }


# (scenario, settings module, paths key): cached runs use the default cache, uncached the dummy cache.
SCENARIOS = [
    ("front_cached", "newshub.settings", "front"),
    ("story_cached", "newshub.settings", "story"),
    ("story_cached_many", "newshub.settings", "story_random"),
    ("api_story_cached", "newshub.settings", "api_story"),
    ("front_uncached", "bench.web.nocache_settings", "front"),
    ("story_uncached", "bench.web.nocache_settings", "story_random"),
    ("api_story_uncached", "bench.web.nocache_settings", "api_story_random"),
    ("search_cached", "newshub.settings", "search"),
    ("search", "bench.web.nocache_settings", "search"),
]
# Cached runs over many URLs: a first load, not measured, fills the caches.
WARMED_BY_LOAD = {"story_cached_many"}
WARM_LOAD_SECONDS = 40
TARGETS = {
    "story_uncached_p95_ms": ("story_uncached", "p95_ms", 30, "max"),
    "story_cached_p95_ms": ("story_cached", "p95_ms", 5, "max"),
    "story_cached_many_p95_ms": ("story_cached_many", "p95_ms", 5, "max"),
    "front_cached_requests_per_s": ("front_cached", "requests_per_s", 1500, "min"),
    "search_p95_ms": ("search", "p95_ms", 100, "max"),
    "search_cached_p95_ms": ("search_cached", "p95_ms", 100, "max"),
}


def measure(args: argparse.Namespace, targets: dict) -> dict:
    wanted = set(filter(None, args.only.split(","))) or {name for name, _, _ in SCENARIOS}
    results = {}
    for settings_module in ("newshub.settings", "bench.web.nocache_settings"):
        runs = [
            (name, key) for name, module, key in SCENARIOS if module == settings_module and name in wanted
        ]
        if not runs:
            continue
        port = free_tcp_port()
        server = start_server(args, settings_module, port)
        base = f"http://127.0.0.1:{port}"
        try:
            for name, key in runs:
                wait_until_idle(base)
                warm(base, targets[key])
                if name in WARMED_BY_LOAD:
                    # Every page into each worker's cache: a load of its own, not measured.
                    run_wrk(base, targets[key], args.connections, WARM_LOAD_SECONDS)
                    wait_until_idle(base)
                results[name] = {"paths": len(targets[key]), "example": targets[key][0]}
                results[name] |= run_wrk(base, targets[key], args.connections, args.duration)
                # One client at a time: the time a request takes when it does not queue behind 49 others
                # (once the requests wrk left queued are served, or they would count here).
                wait_until_idle(base)
                one = run_wrk(base, targets[key], 1, args.duration)
                results[name]["one_client"] = {
                    k: one[k] for k in ("requests_per_s", "p50_ms", "p95_ms", "p99_ms")
                }
                print(f"{name}: {results[name]}", file=sys.stderr)
        finally:
            stop_server(server)
    return results


def free_tcp_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def verdicts(results: dict) -> dict:
    found = {}
    for name, (scenario, figure, limit, kind) in TARGETS.items():
        if scenario not in results:
            continue
        value = results[scenario][figure]
        met = value <= limit if kind == "max" else value >= limit
        found[name] = {"measured": value, "target": limit, "met": met}
    return found


def server_name(args: argparse.Namespace) -> str:
    if args.server == "granian":
        return f"granian (WSGI), {args.workers} workers of {args.threads} threads"
    return f"gunicorn, {args.workers} {args.worker_class} workers"


def main() -> None:
    args = parse_args()
    built = prepare(args)
    targets = pick_targets()
    profiled = profile(targets)
    results = measure(args, targets)
    summary = {
        "corpus": {key: built[key] for key in ("articles", "stories", "outlets")},
        "seconds_to_build": built.get("seconds_to_build"),
        "server": f"{server_name(args)}, DEBUG off, SQLite (WAL)",
        "load": f"wrk, 2 threads, {args.connections} connections, {args.duration} s per run, loopback",
        "uncached_means": "Django's dummy cache (bench/web/nocache_settings.py); story/API ids vary",
        "profile_uncached_in_process": profiled,
        "runs": results,
        "targets": verdicts(results),
        "cpu_count": os.cpu_count(),
        "note": "server and wrk share a 2-core machine with other work: figures are noisy",
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(summary, indent=2))
    print_summary(summary)
    print(f"wrote {RESULT}", file=sys.stderr)


def print_summary(summary: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"bench/web: {summary['server']}; {summary['load']}")
    for column in ("scenario", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "1 client: p50 / p95 ms"):
        table.add_column(column)
    for name, run in summary["runs"].items():
        figures = [str(run[key]) for key in ("requests_per_s", "p50_ms", "p95_ms", "p99_ms")]
        one = run["one_client"]
        table.add_row(name, *figures, str(run["errors"] or ""), f"{one['p50_ms']} / {one['p95_ms']}")
    Console().print(table)
    for name, verdict in summary["targets"].items():
        met = "met" if verdict["met"] else "NOT met"
        print(f"{name}: {verdict['measured']} (target {verdict['target']}): {met}")


if __name__ == "__main__":
    main()

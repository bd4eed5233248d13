"""`newshub worker`: a Celery worker running the pipeline's stages from the broker's queues."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

QUEUES = ("fetch", "process", "cluster")


class Command(BaseCommand):
    help = (
        "Start a Celery worker (needs NEWSHUB_BROKER_URL). Queues: fetch (I/O), process (CPU), and "
        "cluster (story assignment: run exactly one worker for it, with --concurrency 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queues", default="fetch,process", help="comma-separated: fetch,process,cluster"
        )
        parser.add_argument("--concurrency", type=int, help="processes (or threads); default: one per core")
        parser.add_argument(
            "--pool",
            default="prefork",
            choices=["prefork", "threads", "solo"],
            help="solo: tasks run in the worker's own process, one at a time (no pool process to feed)",
        )
        parser.add_argument("--loglevel", default="info")
        parser.add_argument("--hostname", help="the worker's node name (default: its queues, pid and host)")

    def handle(self, *args, **options) -> None:
        if not settings.NEWSHUB_BROKER_URL:
            raise CommandError("set NEWSHUB_BROKER_URL (redis://… or amqp://…) to run workers")
        queues = worker_queues(options["queues"])
        concurrency = options["concurrency"]
        if "cluster" in queues:
            if concurrency not in (None, 1):
                raise CommandError("the cluster queue needs a single process: use --concurrency 1")
            concurrency = 1
        from newshub.celery import app
        from newshub.tasks import WARM_UP_SETTING, warm_up_models

        # Each pool process loads the language models before taking its first task (fetch-only
        # workers do not need them); the solo pool runs tasks in this process, so it loads them here.
        warm_up = bool({"process", "cluster"} & set(queues))
        app.conf[WARM_UP_SETTING] = warm_up
        if warm_up and options["pool"] == "solo":
            warm_up_models()
        hostname = options["hostname"] or f"{'+'.join(queues)}-{os.getpid()}@%h"
        argv = ["worker", f"--queues={','.join(queues)}", f"--pool={options['pool']}"]
        argv += [f"--loglevel={options['loglevel']}", f"--hostname={hostname}"]
        if concurrency:
            argv.append(f"--concurrency={concurrency}")
        app.worker_main(argv)


def worker_queues(value: str) -> list[str]:
    queues = [queue.strip() for queue in value.split(",") if queue.strip()]
    unknown = sorted(set(queues) - set(QUEUES))
    if unknown or not queues:
        raise CommandError(
            f"unknown queue(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(QUEUES)}"
        )
    return queues

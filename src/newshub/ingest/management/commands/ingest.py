"""`newshub ingest [--once] [--feed ID]`: poll due feeds, with a progress bar."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newshub.ingest.fetcher import Fetcher
from newshub.pipeline import FeedReport, RunReport, due_feeds, run_due_feeds
from newshub.sources.models import Feed

IDLE_SECONDS = 30


class Command(BaseCommand):
    help = "Poll feeds that are due and store their new articles (until Ctrl-C, or once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one round, then exit")
        parser.add_argument("--feed", type=int, action="append", help="poll this feed now (repeatable)")

    def handle(self, *args, once: bool, feed: list[int] | None, **options) -> None:
        if feed:
            missing = set(feed) - set(Feed.objects.filter(pk__in=feed).values_list("pk", flat=True))
            if missing:
                raise CommandError(f"no feed with id {', '.join(map(str, sorted(missing)))}")
        console = Console(file=self.stdout)
        with Fetcher() as fetcher:
            try:
                while True:
                    ids = feed or list(due_feeds().values_list("pk", flat=True))
                    if ids:
                        self.summarize(console, self.round(console, fetcher, ids))
                    if once or feed:
                        return
                    time.sleep(IDLE_SECONDS)
            except KeyboardInterrupt:
                console.print("stopped")

    def round(self, console: Console, fetcher: Fetcher, ids: list[int]) -> RunReport:
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[articles]} new articles"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=False) as progress:
            task = progress.add_task("polling feeds", total=len(ids), articles=0)
            added = 0

            def advance(report: FeedReport) -> None:
                nonlocal added
                added += report.new_articles
                progress.update(task, advance=1, articles=added)
                if report.error:
                    progress.console.print(f"[yellow]feed {report.feed_id}[/] {report.url}: {report.error}")

            return run_due_feeds(fetcher=fetcher, progress=advance, feed_ids=ids)

    def summarize(self, console: Console, run: RunReport) -> None:
        console.print(
            f"{len(run.feeds)} feeds polled, {run.new_articles} new articles, {run.failed_feeds} feeds failed"
        )

"""`newshub status`: queue depths, feed health, and what the store holds."""

import json

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.table import Table

from newshub.ops.status import Status, gather_status


def when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "never"


class Command(BaseCommand):
    help = "Show queue depths (Redis or RabbitMQ broker), feed health and article and story counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args, **options) -> None:
        status = gather_status()
        if options["json"]:
            self.stdout.write(json.dumps(status.as_json(), default=str, indent=2))
            return
        console = Console()
        for table in (store_table(status), queue_table(status), failing_table(status)):
            if table is not None:
                console.print(table)


def store_table(status: Status) -> Table:
    table = Table("", "", title="Newshub", show_header=False)
    table.add_row("broker", status.broker)
    table.add_row(
        "feeds",
        f"{status.active_feeds} active, {status.failing_feeds} failing, {status.inactive_feeds} inactive",
    )
    table.add_row("articles", str(status.articles))
    table.add_row("stories", f"{status.stories} ({status.stories_due} due for a rebuild)")
    table.add_row("last ingest", when(status.last_ingest_at))
    return table


def queue_table(status: Status) -> Table | None:
    if not status.queues:
        return None
    table = Table("queue", "waiting", title="Queues")
    for queue, depth in status.queues.items():
        table.add_row(queue, "broker unreachable" if depth is None else str(depth))
    return table


def failing_table(status: Status) -> Table | None:
    if not status.failing:
        return None
    table = Table("feed", "errors", "last error", "last success", title="Failing feeds")
    for feed in status.failing:
        table.add_row(feed.url, str(feed.errors), feed.last_error, when(feed.last_success_at))
    return table

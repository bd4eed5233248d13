"""`newshub demo`: load the fictional demo corpus through the real pipeline."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from newshub.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo corpus (fictional outlets and articles) through the real fetch and extract stages."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--site-url",
            default="",
            help="where the demo outlets are already served (newshub run serves them at /demo-sites/); "
            "by default a local server serves them while loading",
        )

    def handle(self, *args, **options) -> None:
        # The demo is what a new user runs first: bring a fresh database up to date rather than fail.
        call_command("migrate", verbosity=0, interactive=False)
        with Progress(
            TextColumn("Loading the demo corpus"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            disable=options["verbosity"] == 0,
        ) as progress:
            task = progress.add_task("", total=None)
            report = load_demo(
                site_url=options["site_url"],
                on_start=lambda count: progress.update(task, total=count),
                on_feed=lambda feed: progress.update(task, advance=1, description=feed.outlet.name),
            )
        if options["verbosity"]:
            self.stdout.write(
                f"Demo loaded: {report.outlets} outlets, {report.feeds} feeds, "
                f"{report.new_articles} new articles"
                + (f", {report.failed_feeds} feeds failed" if report.failed_feeds else "")
            )

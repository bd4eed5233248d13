"""`newshub stories ...`: story maintenance and evaluation commands."""

import json
from dataclasses import fields
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress

from newshub.stories.cluster import ClusterConfig


class Command(BaseCommand):
    # `cluster` never touches the database; skipping the system checks keeps its start quick.
    requires_system_checks = []
    help = "Story commands: cluster (evaluate clustering on a JSON lines file), merge (run the merge pass)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        cluster = actions.add_parser(
            "cluster",
            help="Run copy detection and clustering on FILE.jsonl in a throwaway in-memory store; "
            'print {"id", "story", "original"} per article.',
        )
        cluster.add_argument(
            "file", help="one JSON object per line: id, title, text, date or published, outlet"
        )
        defaults = ClusterConfig()
        for option in fields(ClusterConfig):
            cluster.add_argument(
                f"--{option.name.replace('_', '-')}",
                type=type(getattr(defaults, option.name)),
                default=getattr(defaults, option.name),
                help=f"clustering parameter (default {getattr(defaults, option.name)})",
            )
        actions.add_parser("merge", help="Merge stories of the site's database that turned out to be one.")

    def handle(self, *args, **options) -> None:
        if options["action"] == "cluster":
            self.cluster(options)
        elif options["action"] == "merge":
            from newshub.stories.stage import merge_pass

            merged = merge_pass()
            self.stdout.write(f"merged {len(merged)} stories")

    def cluster(self, options: dict) -> None:
        from newshub.stories.batch import cluster_articles, read_articles

        path = Path(options["file"])
        try:
            with path.open(encoding="utf-8", errors="replace") as lines:
                articles = read_articles(lines)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        config = ClusterConfig(**{option.name: options[option.name] for option in fields(ClusterConfig)})
        console = Console(stderr=True)
        with Progress(console=console, transient=True, disable=not console.is_terminal) as progress:
            task = progress.add_task("clustering", total=len(articles))
            results = cluster_articles(articles, config, lambda done: progress.update(task, completed=done))
        for result in results:
            self.stdout.write(json.dumps(result, ensure_ascii=False))

"""`newshub spam evaluate --train A.csv [B.csv ...] --test C.csv`: labelled comments, a fresh filter.

The filter learns from the training files as if a moderator had marked them; the site's database and model
file are not touched. Prints one JSON line per test comment, then a summary line.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from newshub.comments.evaluation import evaluate, read_labelled_csv


class Command(BaseCommand):
    help = "The spam filter on labelled CSV files (COMMENT_ID, AUTHOR, DATE, CONTENT, CLASS)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        run = actions.add_parser("evaluate", help="train a fresh filter on --train, score --test")
        run.add_argument("--train", type=Path, nargs="+", required=True)
        run.add_argument("--test", type=Path, required=True)

    def handle(self, *args, **options) -> None:
        for path in [*options["train"], options["test"]]:
            if not path.is_file():
                raise CommandError(f"no such file: {path}")
        training = [comment for path in options["train"] for comment in read_labelled_csv(path)]
        test = read_labelled_csv(options["test"])
        if not training or not test:
            raise CommandError("no labelled comments to learn from or to score")
        lines, summary = evaluate(training, test)
        for line in lines:
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        self.stdout.write(json.dumps({"summary": summary}))

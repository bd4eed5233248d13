"""`newshub comments purge [--ip-days 30] [--spam-days 30]`: forget IP data and delete old spam."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser

from newshub.comments.services import DATA_RETENTION_DAYS, purge_old_comment_data


class Command(BaseCommand):
    help = "Comment housekeeping."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        purge = actions.add_parser(
            "purge", help="drop IP hashes and user agents of old comments; delete old spam"
        )
        purge.add_argument(
            "--ip-days",
            type=int,
            default=DATA_RETENTION_DAYS,
            help="keep IP hash and user agent this many days (default %(default)s)",
        )
        purge.add_argument(
            "--spam-days",
            type=int,
            default=DATA_RETENTION_DAYS,
            help="keep comments rejected as spam this many days (default %(default)s)",
        )

    def handle(self, *args, **options) -> None:
        if options["action"] == "purge":
            result = purge_old_comment_data(ip_days=options["ip_days"], spam_days=options["spam_days"])
            self.stdout.write(json.dumps(result))

"""The `newshub` command: Django's manage.py under a friendlier name.

Newshub's own commands (run, demo, ingest, sources, extract, stories, claims, spam, ...) are
management commands in the apps that own them, so Django's commands pass through unchanged.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newshub.settings")
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    try:
        execute_from_command_line(["newshub", *(sys.argv[1:] if argv is None else argv)])
    except OperationalError as error:
        if "no such table" not in str(error) and "does not exist" not in str(error):
            raise
        sys.exit(
            f"newshub: the database is not set up yet ({error}); run `newshub migrate` or `newshub run` first"
        )


if __name__ == "__main__":
    main()

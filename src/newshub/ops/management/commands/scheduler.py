"""`newshub scheduler`: Celery beat, queuing due feed polls every minute and the periodic housekeeping."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Start the scheduler (Celery beat; needs NEWSHUB_BROKER_URL): due feeds every minute, a stories "
        "merge pass every 15 minutes, the comment data purge daily. Run exactly one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loglevel", default="info")

    def handle(self, *args, **options) -> None:
        if not settings.NEWSHUB_BROKER_URL:
            raise CommandError("set NEWSHUB_BROKER_URL (redis://… or amqp://…) to run the scheduler")
        from newshub.celery import app

        app.start(["beat", f"--loglevel={options['loglevel']}"])

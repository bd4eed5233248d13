"""`newshub run`: everything in one process. Migrates, collects static files, loads the demo on a
new installation, then serves the site (waitress, threaded) while a background thread polls feeds.
Ctrl-C or SIGTERM stops both."""

import os
import signal
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.wsgi import get_wsgi_application
from waitress.server import create_server

from newshub.web.pagecache import serve_stored_pages
from newshub.web.serving import (
    DemoLoader,
    IngestLoop,
    collect_static_if_outdated,
    loopback_url,
    should_load_demo,
)

# Threads still working at exit are frozen mid-article (and native libraries may abort): wait for them.
STOP_TIMEOUT = 120.0


def stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # waitress shuts down cleanly on it, as on Ctrl-C


def quit_now(signum: int, frame: object) -> None:
    os._exit(130)


class Command(BaseCommand):
    help = "Serve Newshub and poll its feeds in one process (loads the demo into an empty database)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
        parser.add_argument("--no-demo", action="store_true", help="never load the demo corpus")
        parser.add_argument("--threads", type=int, default=8, help="web server threads (default 8)")
        parser.add_argument(
            "--poll-every", type=float, default=60.0, help="seconds between checks for due feeds (default 60)"
        )

    def handle(self, *args, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        collect_static_if_outdated()
        try:
            server = create_server(
                serve_stored_pages(get_wsgi_application()),
                host=options["host"],
                port=options["port"],
                threads=options["threads"],
                ident="Newshub",
            )
        except OSError as error:
            address = f"{options['host']}:{options['port']}"
            raise CommandError(f"cannot listen on {address}: {error.strerror}") from None
        ingest = IngestLoop(max(options["poll_every"], 1.0))
        signal.signal(signal.SIGTERM, stop_on_sigterm)
        ingest.start()
        site_url = loopback_url(server.effective_host, server.effective_port)
        self.stdout.write(f"Newshub is serving on {site_url}/ (Ctrl-C stops it)")
        if options["host"] not in {"127.0.0.1", "localhost", "::1"}:
            self.stdout.write(
                f"Readers elsewhere need their host name in NEWSHUB_ALLOWED_HOSTS ({settings.ALLOWED_HOSTS})."
            )
        demo = None
        if should_load_demo(options["no_demo"]):
            self.stdout.write("New installation: loading the demo corpus (NEWSHUB_LOAD_DEMO=0 skips it).")
            demo = DemoLoader(site_url, report_to=self.say)
            demo.start()
        sys.stdout.flush()
        try:
            server.run()  # returns after Ctrl-C / SIGTERM, once waitress has shut down
        finally:
            server.close()
            signal.signal(signal.SIGINT, quit_now)
            self.say("Stopping: finishing the feed in hand (Ctrl-C again quits at once).")
            for worker in (demo, ingest):
                if worker is not None:
                    worker.stop(timeout=STOP_TIMEOUT)
        self.say("Newshub stopped.")

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

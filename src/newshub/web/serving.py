"""What `newshub run` needs besides the site: static files kept collected, and the ingest loop."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.http.request import validate_host

from newshub.demo.views import SITES_PATH

logger = logging.getLogger(__name__)

STAMP_NAME = ".newshub-static-stamp"


def static_sources_fingerprint() -> str:
    """Changes whenever a static file is added, removed or modified in any app."""
    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in finder.list(ignore_patterns=["CVS", ".*", "*~"]):
            stat = Path(storage.path(path)).stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static_if_outdated() -> bool:
    """Run collectstatic into STATIC_ROOT only when the sources changed since the last run.
    Whitenoise serves hashed, compressed copies from there with DEBUG off."""
    stamp = Path(settings.STATIC_ROOT) / STAMP_NAME
    fingerprint = static_sources_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, clear=True, verbosity=0)
    stamp.write_text(fingerprint)
    logger.info("static_collected root=%s", settings.STATIC_ROOT)
    return True


def should_load_demo(no_demo_flag: bool) -> bool:
    """Only a new installation gets the demo, and never when the flag or NEWSHUB_LOAD_DEMO=0 says no."""
    from newshub.sources.models import Outlet

    return not no_demo_flag and settings.NEWSHUB_LOAD_DEMO and not Outlet.objects.exists()


def loopback_url(host: str, port: int) -> str:
    """How this process reaches the server it runs: a wildcard address is reached on loopback."""
    host = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def demo_sites_url(site_url: str) -> str:
    """Where Newshub serves the demo outlets itself, or "" when the site would refuse its own Host
    header (ALLOWED_HOSTS): then the demo brings its own short-lived server."""
    hostname = urlsplit(site_url).hostname or ""
    if not validate_host(f"[{hostname}]" if ":" in hostname else hostname, settings.ALLOWED_HOSTS):
        return ""
    return site_url + SITES_PATH


class DemoLoader(threading.Thread):
    """Loads the demo while the site already answers (it serves the demo outlets' pages itself);
    stoppable between feeds, so a shutdown never cuts an article's stages short."""

    def __init__(self, site_url: str, report_to: Callable[[str], None]) -> None:
        super().__init__(name="demo-loader", daemon=True)
        self.site_url = site_url
        self.report_to = report_to
        self.stopping = threading.Event()

    def run(self) -> None:
        from newshub.demo.loader import load_demo

        try:
            report = load_demo(site_url=demo_sites_url(self.site_url), stop=self.stopping)
            if report.feeds_done < report.feeds:
                self.report_to("The demo is only partly loaded: `newshub demo` loads the rest.")
            else:
                self.report_to(f"Demo loaded: {report.outlets} outlets, {report.new_articles} articles.")
        except Exception:
            logger.exception("demo_load_failed")
        finally:
            connection.close()

    def stop(self, timeout: float) -> None:
        self.stopping.set()
        self.join(timeout)


class IngestLoop(threading.Thread):
    """Polls due feeds every `interval` seconds until stopped; a failed round is logged and retried."""

    def __init__(self, interval: float) -> None:
        super().__init__(name="ingest-loop", daemon=True)
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        from newshub.pipeline import run_due_feeds

        while not self.stopping.is_set():
            try:
                close_old_connections()
                report = run_due_feeds()
                if report.feeds:
                    logger.info(
                        "ingest_round feeds=%d new_articles=%d failed_feeds=%d",
                        len(report.feeds),
                        report.new_articles,
                        report.failed_feeds,
                    )
            except Exception:
                logger.exception("ingest_round_failed")
            finally:
                connection.close()
            self.stopping.wait(self.interval)

    def stop(self, timeout: float) -> None:
        self.stopping.set()
        self.join(timeout)

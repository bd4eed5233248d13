"""Akismet as one more spam signal, only when settings.NEWSHUB_AKISMET_KEY is set.

Every call has a short timeout and any failure (down, slow, invalid key, odd answer) is logged and answered
with None: the local filter decides alone. Moderators' decisions are sent back as submit-spam / submit-ham.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import akismet
import httpx
from django.conf import settings

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class AkismetComment:
    """What Akismet is told about a comment (the e-mail address never leaves the site)."""

    text: str
    author: str
    user_ip: str
    user_agent: str
    permalink: str


class RedirectTransport(httpx.HTTPTransport):
    """Sends the client's requests for rest.akismet.com to NEWSHUB_AKISMET_URL instead (a compatible service,
    or a local test server): the client library has its endpoint built in."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base = httpx.URL(base_url)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        prefix = self.base.path.rstrip("/")
        request.url = request.url.copy_with(
            scheme=self.base.scheme, host=self.base.host, port=self.base.port, path=prefix + request.url.path
        )
        request.headers["Host"] = self.base.netloc.decode()
        return super().handle_request(request)


def is_configured() -> bool:
    return bool(settings.NEWSHUB_AKISMET_KEY)


def http_client() -> httpx.Client:
    return httpx.Client(
        headers={"User-Agent": akismet.USER_AGENT},
        timeout=TIMEOUT_SECONDS,
        transport=RedirectTransport(settings.NEWSHUB_AKISMET_URL) if settings.NEWSHUB_AKISMET_URL else None,
    )


def client(site_url: str, http: httpx.Client) -> akismet.SyncClient:
    return akismet.SyncClient(
        config=akismet.Config(key=settings.NEWSHUB_AKISMET_KEY, url=site_url), http_client=http
    )


def arguments(comment: AkismetComment) -> dict:
    return {
        "comment_content": comment.text,
        "comment_author": comment.author,
        "comment_type": "comment",
        "user_agent": comment.user_agent,
        "permalink": comment.permalink,
    }


def check(comment: AkismetComment, site_url: str) -> akismet.CheckResponse | None:
    """Akismet's verdict, or None when it is not configured or cannot answer in time."""
    if not is_configured():
        return None
    # No verify-key round trip here: a post waits on this call, and an invalid key fails the check anyway.
    with http_client() as http:
        try:
            return client(site_url, http).comment_check(user_ip=comment.user_ip, **arguments(comment))
        except (akismet.AkismetError, httpx.HTTPError) as error:
            log.warning("akismet_check_failed error=%r", error)
            return None


def report(comments: list[AkismetComment], spam: bool, site_url: str) -> int:
    """Send moderators' decisions back; returns how many Akismet accepted."""
    if not is_configured() or not comments:
        return 0
    accepted = 0
    try:
        with http_client() as http, client(site_url, http) as akismet_client:
            submit = akismet_client.submit_spam if spam else akismet_client.submit_ham
            for comment in comments:
                accepted += bool(submit(user_ip=comment.user_ip, **arguments(comment)))
    except (akismet.AkismetError, httpx.HTTPError) as error:
        log.warning("akismet_report_failed spam=%s sent=%d error=%r", spam, accepted, error)
    return accepted

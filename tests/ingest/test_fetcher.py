"""The fetcher against a local server: politeness, limits and every named failure."""

import gzip
import ipaddress
import time

import pytest

from newshub.ingest import fetcher as fetch_errors
from newshub.ingest import netguard
from newshub.ingest.fetcher import USER_AGENT, BoundedDecoder, Fetcher, FetchError, parse_retry_after
from newshub.ingest.netguard import is_public_address

MB = 1024 * 1024


@pytest.fixture
def fetcher():
    with Fetcher(allow_private_networks=True, min_host_delay=0, timeout=5) as client:
        yield client


def fetch_error(client: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        client.fetch(url)
    return caught.value


def test_user_agent_names_newshub_and_its_url(local_site, fetcher):
    url = local_site.add("/page", "<p>hello</p>", content_type="text/html; charset=utf-8")
    result = fetcher.fetch(url)
    assert result.body == b"<p>hello</p>"
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    page_request = next(headers for path, headers in local_site.requests if path == "/page")
    assert page_request["User-Agent"] == USER_AGENT
    assert "Newshub" in USER_AGENT and "https://" in USER_AGENT


def test_conditional_get_returns_not_modified(local_site, fetcher):
    def handler(request):
        if request.headers.get("If-None-Match") == '"v1"':
            request.send_response(304)
            request.end_headers()
            return
        body = b"<rss version='2.0'><channel></channel></rss>"
        request.send_response(200)
        request.send_header("ETag", '"v1"')
        request.send_header("Last-Modified", "Wed, 25 Nov 2026 10:00:00 GMT")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    url = local_site.add("/feed", handler=handler)
    first = fetcher.fetch(url)
    assert first.status == 200 and first.etag == '"v1"'
    assert first.last_modified == "Wed, 25 Nov 2026 10:00:00 GMT"
    second = fetcher.fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.body == b""
    assert local_site.requests[-1][1]["If-Modified-Since"] == first.last_modified


@pytest.mark.parametrize(
    ("status", "message"), [(429, "too many requests (429)"), (503, "service unavailable (503)")]
)
def test_retry_after_is_returned_with_the_error(local_site, fetcher, status, message):
    url = local_site.add("/busy", status=status, headers={"Retry-After": "120"})
    error = fetch_error(fetcher, url)
    assert error.message == message
    assert error.status == status
    assert error.retry_after == 120


def test_retry_after_as_http_date():
    assert parse_retry_after("Wed, 25 Nov 2026 10:01:00 GMT", now=None) is not None
    from datetime import UTC, datetime

    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert parse_retry_after("Wed, 25 Nov 2026 10:01:00 GMT", now=now) == 60
    assert parse_retry_after("soon") is None


def test_robots_txt_is_honoured(local_site, fetcher):
    local_site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    open_url = local_site.add("/public/page", "ok")
    closed_url = local_site.add("/private/page", "secret")
    assert fetcher.fetch(open_url).body == b"ok"
    assert fetch_error(fetcher, closed_url).message == "blocked by robots.txt"
    assert [path for path, _ in local_site.requests].count("/robots.txt") == 1  # cached per host
    assert "/private/page" not in [path for path, _ in local_site.requests]


def test_robots_txt_unavailable_with_server_error_stops_the_fetch(local_site, fetcher):
    local_site.add("/robots.txt", status=500)
    url = local_site.add("/page", "ok")
    assert fetch_error(fetcher, url).message == "server error (500)"


def test_redirects_are_followed(local_site, fetcher):
    local_site.add("/old", status=301, headers={"Location": "/new"})
    local_site.add("/new", "moved here")
    result = fetcher.fetch(local_site.url("/old"))
    assert result.body == b"moved here"
    assert result.url == local_site.url("/new")


def test_redirect_loop_is_refused(local_site, fetcher):
    local_site.add("/a", status=302, headers={"Location": "/b"})
    local_site.add("/b", status=302, headers={"Location": "/a"})
    assert fetch_error(fetcher, local_site.url("/a")).message == "redirect loop"


def test_more_than_five_redirects_are_refused(local_site, fetcher):
    for hop in range(7):
        local_site.add(f"/hop{hop}", status=302, headers={"Location": f"/hop{hop + 1}"})
    local_site.add("/hop7", "too far")
    assert fetch_error(fetcher, local_site.url("/hop0")).message == "too many redirects"


def test_fifty_megabyte_page_is_refused(local_site, fetcher):
    url = local_site.add("/huge", b"x" * (50 * MB), content_type="text/html")
    assert fetch_error(fetcher, url).message == "response body too large"


def test_body_without_length_is_capped_while_streaming(local_site):
    def endless(request):
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.end_headers()
        try:
            for _ in range(100):
                request.wfile.write(b"y" * 64 * 1024)
        except OSError:
            pass  # the client hung up, as it should

    url = local_site.add("/stream", handler=endless)
    with Fetcher(allow_private_networks=True, min_host_delay=0, max_body_bytes=MB) as client:
        assert fetch_error(client, url).message == "response body too large"


def test_gzip_bomb_is_stopped_at_the_cap(local_site, fetcher):
    bomb = gzip.compress(b"\0" * (64 * MB), compresslevel=9)
    assert len(bomb) < MB
    url = local_site.add("/bomb", bomb, headers={"Content-Encoding": "gzip"}, content_type="text/html")
    assert fetch_error(fetcher, url).message == "response body too large"


def test_gzip_page_is_decoded(local_site, fetcher):
    url = local_site.add("/zipped", gzip.compress(b"<p>small</p>"), headers={"Content-Encoding": "gzip"})
    assert fetcher.fetch(url).body == b"<p>small</p>"


def test_bounded_decoder_never_inflates_past_the_cap():
    decoder = BoundedDecoder("gzip", limit=1000, truncate=True)
    out = decoder.feed(gzip.compress(b"a" * 10 * MB))
    assert len(out) == 1000 and decoder.full


def test_broken_compression_is_named(local_site, fetcher):
    url = local_site.add("/broken", b"not gzip at all", headers={"Content-Encoding": "gzip"})
    assert fetch_error(fetcher, url).message == "invalid compressed data"


def test_host_that_never_answers_times_out(local_site):
    def silent(request):
        time.sleep(3)

    url = local_site.add("/silent", handler=silent)
    local_site.add("/robots.txt", "")
    with Fetcher(allow_private_networks=True, min_host_delay=0, timeout=0.5) as client:
        started = time.monotonic()
        assert fetch_error(client, url).message == "timed out"
        assert time.monotonic() - started < 2.5


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]", "0.0.0.0"])
def test_private_address_is_refused_when_not_allowed(local_site, host):
    url = local_site.add("/page", "internal").replace("127.0.0.1", host)
    with Fetcher(allow_private_networks=False, min_host_delay=0) as client:
        assert fetch_error(client, url).message == "private network address refused"
    assert local_site.requests == []  # not even robots.txt was asked for


def test_redirect_to_a_private_address_is_checked_again(local_site, monkeypatch):
    """Every hop passes the guard: pretend 127.0.0.1 is public, and a redirect to 127.0.0.2 (another
    loopback address) is refused before any connection is made."""
    monkeypatch.setattr(netguard, "is_public_address", lambda address: str(address) == "127.0.0.1")
    port = local_site.server.server_address[1]
    local_site.add("/jump", status=302, headers={"Location": f"http://127.0.0.2:{port}/internal"})
    local_site.add("/robots.txt", "")
    with Fetcher(allow_private_networks=False, min_host_delay=0) as client:
        assert fetch_error(client, local_site.url("/jump")).message == "private network address refused"
    assert [path for path, _ in local_site.requests] == ["/robots.txt", "/jump"]


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("::ffff:10.0.0.1", False),
        ("::ffff:8.8.8.8", True),
    ],
)
def test_public_address_check(address, public):
    assert is_public_address(ipaddress.ip_address(address)) is public


def test_only_http_and_https(fetcher):
    assert fetch_error(fetcher, "file:///etc/passwd").message == fetch_errors.UNSUPPORTED_URL
    assert fetch_error(fetcher, "ftp://example.org/x").message == fetch_errors.UNSUPPORTED_URL


def test_one_request_at_a_time_and_minimum_delay_per_host(local_site):
    url = local_site.add("/page", "ok")
    local_site.add("/robots.txt", "")
    with Fetcher(allow_private_networks=True, min_host_delay=0.3) as client:
        started = time.monotonic()
        for _ in range(3):
            client.fetch(url)
        # robots.txt + three pages: three pauses of 0.3 s between four requests
        assert time.monotonic() - started >= 0.9


def test_robots_crawl_delay_is_honoured(local_site):
    local_site.add("/robots.txt", "User-agent: *\nCrawl-delay: 1\n")
    url = local_site.add("/page", "ok")
    with Fetcher(allow_private_networks=True, min_host_delay=0) as client:
        client.fetch(url)
        started = time.monotonic()
        client.fetch(url)
        assert time.monotonic() - started >= 0.9

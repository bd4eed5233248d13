"""A generated news site for bench/ingest: outlets' RSS feeds and article pages, made up on request
from the path (deterministic), served by a plain HTTP server in its own process."""

from __future__ import annotations

import random
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing import Event, Process, Queue

VOCABULARY = (
    "government minister council election economy market inflation bank rates policy court ruling "
    "city residents officials said report according statement health hospital school students energy "
    "climate weather storm flood police investigation company shares profit workers union strike "
    "talks agreement border trade exports farmers prices fuel transport rail airport budget tax "
    "spokesperson parliament vote opposition leader campaign survey data research scientists study "
)
WORDS = VOCABULARY.split()
BOILERPLATE = "".join(
    f"<li><a href='/section/{n}'>Section {n} headline that links elsewhere</a></li>" for n in range(40)
)
SCRIPT = "<script>window.dataLayer=[" + ",".join(f"{{'k{n}':'v{n}'}}" for n in range(800)) + "];</script>"


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(12, 24))
    return " ".join(words).capitalize() + "."


def article_title(outlet: int, number: int) -> str:
    rng = random.Random(f"title-{outlet}-{number}")
    return " ".join(rng.choices(WORDS, k=8)).capitalize()


def article_page(outlet: int, number: int) -> bytes:
    rng = random.Random(f"page-{outlet}-{number}")
    title = article_title(outlet, number)
    paragraphs = "".join(
        "<p>" + " ".join(sentence(rng) for _ in range(rng.randint(3, 6))) + "</p>"
        for _ in range(rng.randint(8, 14))
    )
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Outlet {outlet}</title>
<meta property="og:title" content="{title}"><meta name="author" content="Reporter {number % 17}">
<meta property="article:published_time" content="2026-11-{1 + number % 28:02d}T{number % 24:02d}:00:00+00:00">
<link rel="canonical" href="/o{outlet}/a{number}"><style>body{{font-family:serif}}</style>{SCRIPT}</head>
<body><header><nav><ul>{BOILERPLATE}</ul></nav></header><main><article><h1>{title}</h1>
<div class="byline">By Reporter {number % 17}</div>{paragraphs}</article>
<aside><h2>Most read</h2><ul>{BOILERPLATE}</ul></aside></main>
<footer><p>Copyright Outlet {outlet}. All rights reserved.</p></footer></body></html>""".encode()


def feed(base: str, outlet: int, articles: int) -> bytes:
    items = "".join(
        f"<item><title>{escape(article_title(outlet, n))}</title><link>{base}/o{outlet}/a{n}</link>"
        f"<guid>{base}/o{outlet}/a{n}</guid><description>Summary of story {n}.</description></item>"
        for n in range(articles)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Outlet {outlet}</title>'
        f"<link>{base}/</link>{items}</channel></rss>"
    ).encode()


def serve(port_queue: Queue, stop: Event, feeds: int, articles_per_feed: int) -> None:
    # Made before serving, so the timed run measures the pipeline, not this server's page making.
    pages = {
        f"/o{outlet}/a{number}": article_page(outlet, number)
        for outlet in range(feeds)
        for number in range(articles_per_feed)
    }

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes: with Nagle's algorithm on, the body would wait for
        # the client's delayed ACK (40 ms per page) and the benchmark would time the network stack.
        disable_nagle_algorithm = True

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            parts = self.path.strip("/").split("/")
            base = f"http://{self.headers['Host']}"
            body, kind = None, "text/html; charset=utf-8"
            if len(parts) == 2 and parts[0].startswith("o") and parts[1] == "feed.xml":
                body, kind = feed(base, int(parts[0][1:]), articles_per_feed), "application/rss+xml"
            else:
                body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_queue.put(server.server_address[1])
    server.timeout = 0.2
    while not stop.is_set():
        server.handle_request()


class GeneratedSite:
    """with GeneratedSite(feeds=20, articles_per_feed=50) as site: site.feed_url(outlet)"""

    def __init__(self, feeds: int, articles_per_feed: int) -> None:
        self.articles_per_feed = articles_per_feed
        self._stop = Event()
        ports: Queue = Queue()
        self._process = Process(target=serve, args=(ports, self._stop, feeds, articles_per_feed), daemon=True)
        self._process.start()
        self.port = ports.get(timeout=120)

    def feed_url(self, outlet: int) -> str:
        return f"http://127.0.0.1:{self.port}/o{outlet}/feed.xml"

    def __enter__(self) -> GeneratedSite:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._process.join(timeout=5)

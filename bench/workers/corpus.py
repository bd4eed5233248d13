"""A demo-like generated corpus for bench/workers: outlets covering events from several angles, with
named people and organisations, attributed quotes and wire copies, served as RSS feeds and article
pages by a plain HTTP server in its own process. Deterministic for a given size."""

from __future__ import annotations

import multiprocessing
import random
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OUTLETS = 12
WIRE_OUTLETS = 2  # outlets 0 and 1 are wires: others copy their stories word for word
ARTICLES_PER_EVENT = 8
COPY_SHARE = 0.1
FEED_SIZE = 50
SYLLABLES = [f"{a}{b}" for a in "bdfgklmnprstvz" for b in ("a", "e", "i", "o", "u", "ar", "en", "ol")]
COMMON_TEXT = (
    "the government announced new measures on tuesday after weeks of pressure from residents and "
    "officials in the region where the situation has worsened since the start of the month while "
    "talks continued between the two sides over the future of the project and its costs for "
    "families businesses and local services across the country according to figures released"
)
TOPICS_TEXT = (
    "floods storm river evacuation rescue bridge election vote ballot parliament coalition budget "
    "strike union wages factory port shipping vaccine hospital trial doctors explosion depot army "
    "investigation court ruling appeal fraud bank shares market merger airline airport drought "
    "harvest farmers prices fuel pipeline outage power grid cyberattack breach data ministry"
)
COMMON, TOPICS = tuple(COMMON_TEXT.split()), tuple(TOPICS_TEXT.split())
ROLES = ("spokesperson", "minister", "director", "chief executive", "mayor", "commander", "analyst")
BODIES = ("Authority", "Council", "Group", "Institute", "Command")
CUES = ("said", "told reporters", "said in a statement", "warned", "denied")


def name(rng: random.Random, parts: int) -> str:
    return " ".join("".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))).capitalize() for _ in range(parts))


@dataclass(frozen=True)
class NewsEvent:
    place: str
    people: tuple[str, str]
    organisation: str
    topics: tuple[str, ...]
    keywords: tuple[str, ...]  # words of this event only (a ship's name, a law, a product)
    when: datetime


@dataclass(frozen=True)
class Page:
    outlet: int
    number: int
    title: str
    paragraphs: tuple[str, ...]
    published: datetime

    @property
    def path(self) -> str:
        return f"/o{self.outlet}/a{self.number}"


def make_event(index: int, now: datetime) -> NewsEvent:
    rng = random.Random(f"event-{index}")
    return NewsEvent(
        place=name(rng, 1),
        people=(name(rng, 2), name(rng, 2)),
        organisation=f"{name(rng, 1)} {rng.choice(BODIES)}",
        topics=tuple(rng.sample(TOPICS, 4)),
        keywords=tuple(name(rng, 1).lower() for _ in range(4)),
        when=now - timedelta(minutes=rng.randint(60, 2 * 24 * 60)),
    )


def sentence(rng: random.Random, event: NewsEvent) -> str:
    words = rng.choices(COMMON, k=rng.randint(8, 14)) + rng.choices(event.topics, k=2)
    words += [*rng.choices(event.keywords, k=2), event.place, rng.choice(event.people)]
    rng.shuffle(words)
    return " ".join(words)[0].upper() + " ".join(words)[1:] + "."


def quote(rng: random.Random, event: NewsEvent) -> str:
    person = rng.choice(event.people)
    claim = " ".join(rng.choices(COMMON, k=8) + rng.choices(event.topics, k=2))
    if rng.random() < 0.5:
        speaker = f"{person}, the {rng.choice(ROLES)} of {event.organisation}"
        return f'"{claim[0].upper()}{claim[1:]}," {speaker}, {rng.choice(CUES)}.'
    return f"According to {event.organisation}, {claim} in {event.place}."


def write_article(event: NewsEvent, seed: str) -> tuple[str, tuple[str, ...]]:
    rng = random.Random(seed)
    headline = " ".join(rng.sample(event.topics, 2))
    title = f"{event.place} {event.topics[0]}: {event.people[0]} {rng.choice(CUES)} {headline}"
    paragraphs = tuple(
        " ".join([sentence(rng, event) for _ in range(rng.randint(2, 3))] + [quote(rng, event)])
        for _ in range(rng.randint(5, 8))
    )
    return title, paragraphs


def generate(pages: int, now: datetime | None = None) -> list[Page]:
    """`pages` articles: events of about ARTICLES_PER_EVENT articles across outlets, COPY_SHARE of them
    word-for-word copies of the event's wire story."""
    now = now or datetime.now(UTC)
    corpus: list[Page] = []
    per_outlet = [0] * OUTLETS
    for index in range(pages):
        event_index, slot = divmod(index, ARTICLES_PER_EVENT)
        event = make_event(event_index, now)
        rng = random.Random(f"page-{index}")
        outlet = (event_index + slot) % OUTLETS if slot else event_index % WIRE_OUTLETS
        is_copy = slot and rng.random() < COPY_SHARE / (1 - 1 / ARTICLES_PER_EVENT)
        wire_story = slot == 0 or is_copy
        title, paragraphs = write_article(event, f"event-{event_index}-0" if wire_story else f"page-{index}")
        corpus.append(
            Page(outlet, per_outlet[outlet], title, paragraphs, event.when + timedelta(minutes=10 * slot))
        )
        per_outlet[outlet] += 1
    return corpus


def render_page(page: Page) -> bytes:
    body = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in page.paragraphs)
    navigation = "".join(f"<li><a href='/o{page.outlet}/section/{n}'>Section {n}</a></li>" for n in range(30))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(page.title)}</title>
<meta property="og:title" content="{escape(page.title)}">
<meta name="author" content="Reporter {page.number % 13}">
<meta property="article:published_time" content="{page.published.isoformat()}">
<link rel="canonical" href="{page.path}"></head><body><header><nav><ul>{navigation}</ul></nav></header>
<main><article><h1>{escape(page.title)}</h1><div class="byline">By Reporter {page.number % 13}</div>{body}
</article></main><footer><p>Copyright Outlet {page.outlet}.</p></footer></body></html>""".encode()


def feeds_of(corpus: list[Page], base: str) -> dict[str, bytes]:
    """RSS feeds of FEED_SIZE items, per outlet: path -> body."""
    by_outlet: dict[int, list[Page]] = {}
    for page in corpus:
        by_outlet.setdefault(page.outlet, []).append(page)
    feeds = {}
    for outlet, pages in by_outlet.items():
        for start in range(0, len(pages), FEED_SIZE):
            items = "".join(
                f"<item><title>{escape(page.title)}</title><link>{base}{page.path}</link>"
                f"<guid>{base}{page.path}</guid><description>{escape(page.paragraphs[0][:200])}</description></item>"
                for page in pages[start : start + FEED_SIZE]
            )
            feeds[f"/o{outlet}/feed{start // FEED_SIZE}.xml"] = (
                f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>Outlet {outlet}</title><link>{base}/o{outlet}/</link>"
                f"<description>Outlet {outlet}</description>{items}</channel></rss>"
            ).encode()
    return feeds


def serve(port_queue: multiprocessing.Queue, stop, pages: int) -> None:
    corpus = generate(pages)
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    routes = {page.path: (render_page(page), "text/html; charset=utf-8") for page in corpus}
    routes |= {path: (body, "application/rss+xml") for path, body in feeds_of(corpus, base).items()}
    routes["/robots.txt"] = (b"User-agent: *\nAllow: /\n", "text/plain")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes: with Nagle's algorithm on, the body would wait for
        # the client's delayed ACK (40 ms per page) and the benchmark would time the network stack.
        disable_nagle_algorithm = True

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            body, content_type = routes.get(self.path, (b"not found", "text/plain"))
            self.send_response(200 if self.path in routes else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server.RequestHandlerClass = Handler
    server.daemon_threads = True
    port_queue.put((base, sorted(path for path in routes if path.endswith(".xml"))))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop.wait()
    server.shutdown()


class GeneratedSite:
    """The corpus served from a child process: `base` URL and `feed_paths`, while in the `with` block."""

    def __init__(self, pages: int) -> None:
        self.pages = pages
        self._stop = multiprocessing.Event()
        self._queue: multiprocessing.Queue = multiprocessing.Queue()
        self._process = multiprocessing.Process(
            target=serve, args=(self._queue, self._stop, pages), daemon=True
        )

    def __enter__(self) -> GeneratedSite:
        self._process.start()
        self.base, self.feed_paths = self._queue.get(timeout=300)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.terminate()

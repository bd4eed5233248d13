"""A local web server for the demo corpus: each outlet's home page, feeds and article pages.

Pages are rendered once, when the server knows its own address, and served from memory on
127.0.0.1 at a free port, so the demo goes through the same fetch and extract code as a real outlet.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.template.loader import render_to_string
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed

from newshub.demo.corpus import Corpus, DemoArticle, DemoFeed, DemoOutlet

ROBOTS_TXT = "User-agent: *\nAllow: /\n"
FEED_CLASSES: dict[str, type[SyndicationFeed]] = {"rss": Rss201rev2Feed, "atom": Atom1Feed}


@dataclass(frozen=True)
class Page:
    body: bytes
    content_type: str


def feed_path(outlet: DemoOutlet, feed: DemoFeed) -> str:
    return f"/{outlet.slug}/{feed.path}"


def render_feed(corpus: Corpus, outlet: DemoOutlet, feed: DemoFeed, base_url: str) -> Page:
    syndication = FEED_CLASSES[feed.format](
        title=feed.title,
        link=f"{base_url}/{outlet.slug}/",
        description=f"The latest from {outlet.name}",
        language=outlet.language,
        feed_url=base_url + feed_path(outlet, feed),
    )
    for article in corpus.articles_of(outlet):
        if feed.carries(article):
            syndication.add_item(
                title=article.title,
                link=base_url + article.path,
                description=article.summary,
                unique_id=article.guid,
                unique_id_is_permalink=False,
                pubdate=article.published,
                author_name=article.author,
                categories=[article.section],
            )
    return Page(syndication.writeString("utf-8").encode(), f"{syndication.content_type}")


def render_article(corpus: Corpus, article: DemoArticle, base_url: str) -> Page:
    outlet = article.outlet
    others = [other for other in corpus.articles_of(outlet) if other != article][:4]
    sections = sorted({a.section for a in corpus.articles_of(outlet)})
    html = render_to_string(
        f"demo/pages/{outlet.layout}.html",
        {"article": article, "outlet": outlet, "related": others, "sections": sections, "base_url": base_url},
    )
    return Page(html.encode(), "text/html; charset=utf-8")


def render_site(corpus: Corpus, base_url: str) -> dict[str, Page]:
    """Every path the demo server answers, with its page."""
    pages = {"/robots.txt": Page(ROBOTS_TXT.encode(), "text/plain; charset=utf-8")}
    for outlet in corpus.outlets:
        home = render_to_string(
            "demo/outlet_home.html",
            {"outlet": outlet, "articles": corpus.articles_of(outlet), "base_url": base_url},
        )
        pages[f"/{outlet.slug}/"] = Page(home.encode(), "text/html; charset=utf-8")
        for feed in outlet.feeds:
            pages[feed_path(outlet, feed)] = render_feed(corpus, outlet, feed, base_url)
    for article in corpus.articles:
        pages[article.path] = render_article(corpus, article, base_url)
    return pages


class DemoServer:
    """Serves the corpus on 127.0.0.1 at a free port; use as a context manager."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.pages: dict[str, Page] = {}
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="demo-server", daemon=True)

    def feed_url(self, outlet: DemoOutlet, feed: DemoFeed) -> str:
        return self.base_url + feed_path(outlet, feed)

    def __enter__(self) -> DemoServer:
        self.pages = render_site(self.corpus, self.base_url)
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass  # the demo's own requests are not worth a log line each

            def do_HEAD(self) -> None:
                self._answer(send_body=False)

            def do_GET(self) -> None:
                self._answer(send_body=True)

            def _answer(self, send_body: bool) -> None:
                page = server.pages.get(self.path.split("?", 1)[0])
                if page is None:
                    page = Page(b"Not found", "text/plain; charset=utf-8")
                    self.send_response(404)
                else:
                    self.send_response(200)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                if send_body:
                    self.wfile.write(page.body)

        return Handler

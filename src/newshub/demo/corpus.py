"""The demo corpus: fictional outlets and their articles, read from the data files in corpus/.

outlets.toml describes the outlets and their feeds; articles/<outlet>/<slug>.txt holds one article each:
a TOML header between `+++` lines, then paragraphs separated by blank lines. A syndicated copy has no
body of its own: `copy_of` names the original, `drop_last` trims its end and `boilerplate` is appended,
the way outlets republish wire copy. Publication times are relative (`hours_ago`), so the demo always
looks fresh.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from importlib import resources
from pathlib import Path

CORPUS_DIR = Path(str(resources.files("newshub.demo") / "corpus"))
HEADER_FENCE = "+++"


class CorpusError(ValueError):
    """A corpus file is malformed; the message names the file."""


@dataclass(frozen=True)
class DemoFeed:
    path: str
    format: str  # "rss" or "atom"
    title: str
    section: str
    sections: tuple[str, ...]  # empty: every article of the outlet

    def carries(self, article: DemoArticle) -> bool:
        return not self.sections or article.section in self.sections


@dataclass(frozen=True)
class DemoOutlet:
    slug: str
    name: str
    domain: str
    country: str
    language: str
    kind: str
    owner: str
    lean: str
    lean_basis: str
    reliability: str
    reliability_basis: str
    layout: str
    feeds: tuple[DemoFeed, ...]

    @property
    def homepage(self) -> str:
        return f"https://{self.domain}/"


@dataclass(frozen=True)
class DemoArticle:
    outlet: DemoOutlet
    slug: str
    title: str
    author: str
    section: str
    published: datetime
    paragraphs: tuple[str, ...]
    copy_of: str = ""

    @property
    def key(self) -> str:
        return f"{self.outlet.slug}/{self.slug}"

    @property
    def guid(self) -> str:
        """Stable across demo runs (the server's port changes), so a second load stores nothing twice."""
        return f"tag:{self.outlet.domain},2026:{self.section.lower()}/{self.slug}"

    @property
    def path(self) -> str:
        """Where the demo server serves the page; with the server's address, its canonical URL."""
        return f"/{self.outlet.slug}/{self.section.lower()}/{self.slug}"

    @property
    def summary(self) -> str:
        return self.paragraphs[0]


@dataclass(frozen=True)
class Corpus:
    outlets: tuple[DemoOutlet, ...]
    articles: tuple[DemoArticle, ...]

    def articles_of(self, outlet: DemoOutlet) -> list[DemoArticle]:
        return sorted(
            (a for a in self.articles if a.outlet == outlet), key=lambda a: a.published, reverse=True
        )

    @cached_property
    def by_key(self) -> dict[str, DemoArticle]:
        return {article.key: article for article in self.articles}


def read_outlets(path: Path) -> tuple[DemoOutlet, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    outlets = []
    for entry in data["outlet"]:
        feeds = tuple(
            DemoFeed(
                path=feed["path"],
                format=feed["format"],
                title=feed["title"],
                section=feed.get("section", ""),
                sections=tuple(feed.get("sections", ())),
            )
            for feed in entry.pop("feeds")
        )
        defaults = {"lean": "", "lean_basis": "", "reliability": "", "reliability_basis": ""}
        outlets.append(DemoOutlet(**{**defaults, **entry, "feeds": feeds}))
    return tuple(outlets)


def split_article_file(text: str, name: str) -> tuple[dict, tuple[str, ...]]:
    """Header (a dict) and body paragraphs of one article file."""
    parts = text.split(HEADER_FENCE + "\n", 2)
    if len(parts) != 3 or parts[0].strip():
        raise CorpusError(f"{name}: expected a header between '{HEADER_FENCE}' lines")
    try:
        header = tomllib.loads(parts[1])
    except tomllib.TOMLDecodeError as error:
        raise CorpusError(f"{name}: bad header: {error}") from error
    paragraphs = tuple(" ".join(p.split()) for p in parts[2].split("\n\n") if p.strip())
    return header, paragraphs


def load_corpus(now: datetime, corpus_dir: Path = CORPUS_DIR) -> Corpus:
    """Every outlet and article, with times relative to `now` (an aware datetime)."""
    outlets = read_outlets(corpus_dir / "outlets.toml")
    outlets_by_slug = {outlet.slug: outlet for outlet in outlets}
    entries = {}
    for path in sorted((corpus_dir / "articles").glob("*/*.txt")):
        key = f"{path.parent.name}/{path.stem}"
        if path.parent.name not in outlets_by_slug:
            raise CorpusError(f"{key}: no outlet {path.parent.name!r} in outlets.toml")
        entries[key] = split_article_file(path.read_text(encoding="utf-8"), key)

    originals = {key: header for key, (header, _) in entries.items() if "copy_of" not in header}
    articles = []
    for key, (header, paragraphs) in entries.items():
        outlet_slug, slug = key.split("/")
        source = header.get("copy_of")
        if source:
            if source not in originals:
                raise CorpusError(f"{key}: copy_of {source!r} is not an original article")
            original_header, original_paragraphs = entries[source]
            kept = original_paragraphs[: len(original_paragraphs) - header.get("drop_last", 0)]
            paragraphs = (*kept, header["boilerplate"])
            author = header.get("author", original_header["author"])
        else:
            author = header["author"]
        if not paragraphs:
            raise CorpusError(f"{key}: no body")
        articles.append(
            DemoArticle(
                outlet=outlets_by_slug[outlet_slug],
                slug=slug,
                title=header["title"],
                author=author,
                section=header["section"],
                published=now - timedelta(hours=header["hours_ago"]),
                paragraphs=paragraphs,
                copy_of=source or "",
            )
        )
    return Corpus(outlets=outlets, articles=tuple(articles))

"""Builders for the feeds and pages tests serve from `local_site`."""

from __future__ import annotations

from html import escape

PARAGRAPH = (
    "The city council voted on Tuesday to approve the new transit plan after a debate that lasted "
    "more than six hours, officials said. The plan adds three bus lines and extends the tram."
)


def article_page(
    title: str,
    paragraphs: int = 4,
    *,
    canonical: str = "",
    lang: str = "en",
    author: str = "Ada Reporter",
    published: str = "2026-11-24T08:30:00+00:00",
    charset: str = "utf-8",
    body_text: str = PARAGRAPH,
) -> str:
    canonical_tag = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    text = "\n".join(f"<p>{escape(body_text)} ({title}, part {number})</p>" for number in range(paragraphs))
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="{charset}"><title>{escape(title)}</title>
<meta property="og:title" content="{escape(title)}">
<meta name="author" content="{escape(author)}">
<meta property="article:published_time" content="{published}">
<meta property="og:image" content="https://img.example.org/{abs(hash(title))}.jpg">
<meta name="description" content="A short description of {escape(title)}.">
{canonical_tag}</head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<main><article><h1>{escape(title)}</h1>{text}</article></main>
<footer>Copyright Example News</footer></body></html>"""


def rss_feed(items: list[dict], title: str = "Example News") -> str:
    """items: dicts with link, and optionally guid, title, description, pubDate, category."""
    rendered = []
    for item in items:
        parts = [f"<link>{escape(item['link'])}</link>"]
        for key in ("guid", "title", "description", "pubDate", "category"):
            if key in item:
                parts.append(f"<{key}>{escape(item[key])}</{key}>")
        rendered.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://example.org/</link>"
        + "".join(rendered)
        + "</channel></rss>"
    )

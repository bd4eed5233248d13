"""OPML in and out: one <outline> per feed, carrying its outlet.

    <outline type="rss" text="BBC News" xmlUrl="https://feeds.bbci.co.uk/news/rss.xml"
             htmlUrl="https://www.bbc.co.uk/news" country="GB" kind="public_broadcaster" language="en"/>

`text` is the outlet's name; `country` (ISO 3166-1 alpha-2), `kind` (see OutletKind), `language` and
`section` are Newshub's own attributes, which other readers ignore. Outlines nested in folders are read
too. Pure functions: bytes in, plain data out.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from newshub.sources.models import OutletKind


class OpmlError(ValueError):
    pass


@dataclass(frozen=True)
class OpmlSource:
    outlet: str
    feed_url: str
    homepage: str = ""
    country: str = ""
    kind: str = ""
    language: str = ""
    section: str = ""


def clean_kind(value: str) -> str:
    value = value.strip().lower().replace(" ", "_")
    return value if value in OutletKind.values else ""


def parse_opml(data: bytes) -> list[OpmlSource]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise OpmlError(f"not an OPML file: {error}") from error
    if root.tag != "opml":
        raise OpmlError("not an OPML file: the root element is not <opml>")
    sources = []
    for outline in root.iter("outline"):
        feed_url = (outline.get("xmlUrl") or "").strip()
        if not feed_url.startswith(("http://", "https://")):
            continue  # a folder, or a feed we cannot poll
        sources.append(
            OpmlSource(
                outlet=(outline.get("text") or outline.get("title") or "").strip(),
                feed_url=feed_url,
                homepage=(outline.get("htmlUrl") or "").strip(),
                country=(outline.get("country") or "").strip().upper()[:2],
                kind=clean_kind(outline.get("kind") or ""),
                language=(outline.get("language") or "").strip().lower(),
                section=(outline.get("section") or "").strip(),
            )
        )
    return sources


def write_opml(sources: list[OpmlSource], title: str = "Newshub sources") -> bytes:
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    body = etree.SubElement(root, "body")
    for source in sources:
        attributes = {
            "type": "rss",
            "text": source.outlet,
            "title": source.outlet,
            "xmlUrl": source.feed_url,
            "htmlUrl": source.homepage,
            "country": source.country,
            "kind": source.kind,
            "language": source.language,
            "section": source.section,
        }
        etree.SubElement(body, "outline", {key: value for key, value in attributes.items() if value})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

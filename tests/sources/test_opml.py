"""OPML: round trip, folders, hostile files, and the shipped starter list."""

import pytest

from newshub.sources.models import Feed, Outlet, OutletKind
from newshub.sources.opml import OpmlError, OpmlSource, parse_opml, write_opml
from newshub.sources.registry import export_sources, import_sources, starter_sources

SOURCES = [
    OpmlSource(
        outlet="Gazette & Co",
        feed_url="https://gazette.example.org/rss?x=1&y=2",
        homepage="https://gazette.example.org/",
        country="FR",
        kind="newspaper",
        language="fr",
        section="World",
    ),
    OpmlSource(outlet="Wire One", feed_url="https://wire.example.net/atom.xml", country="US", kind="wire"),
]


def test_round_trip_keeps_every_attribute():
    assert parse_opml(write_opml(SOURCES)) == SOURCES


def test_folders_and_foreign_attributes():
    data = b"""<?xml version="1.0"?><opml version="1.0"><head/><body>
    <outline text="News"><outline text="Inner" title="Inner title" xmlUrl="https://inner.example.org/feed"
        kind="Public Broadcaster" country="gb"/>
      <outline text="Not a feed" htmlUrl="https://example.org/"/>
      <outline text="Local file" xmlUrl="file:///etc/passwd"/></outline>
    <outline title="Untitled" xmlUrl="http://plain.example.org/rss" kind="spaceship"/></body></opml>"""
    assert parse_opml(data) == [
        OpmlSource(
            outlet="Inner", feed_url="https://inner.example.org/feed", country="GB", kind="public_broadcaster"
        ),
        OpmlSource(outlet="Untitled", feed_url="http://plain.example.org/rss"),
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not xml",
        b"<rss/>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><opml><body>'
        b'<outline text="&e;" xmlUrl="https://x.example.org/"/></body></opml>',
    ],
)
def test_bad_opml_is_refused_or_harmless(data):
    try:
        sources = parse_opml(data)
    except OpmlError:
        return
    assert all("root:" not in source.outlet for source in sources)  # no external entity was read


@pytest.mark.django_db
def test_import_then_export_in_the_database():
    summary = import_sources(SOURCES + SOURCES)
    assert (summary.outlets_created, summary.feeds_created, summary.feeds_existing) == (2, 2, 2)
    gazette = Outlet.objects.get(name="Gazette & Co")
    assert (gazette.slug, gazette.country, gazette.kind, gazette.language) == (
        "gazette-co",
        "FR",
        "newspaper",
        "fr",
    )
    assert Feed.objects.get(url=SOURCES[0].feed_url).section == "World"
    assert sorted(export_sources(), key=lambda source: source.outlet) == SOURCES


def test_starter_list_is_broad():
    sources = starter_sources()
    assert len({source.outlet for source in sources}) >= 25
    assert len({source.country for source in sources}) >= 8
    kinds = {source.kind for source in sources}
    assert {
        OutletKind.WIRE,
        OutletKind.NEWSPAPER,
        OutletKind.PUBLIC_BROADCASTER,
        OutletKind.MAGAZINE,
    } <= kinds
    for source in sources:
        assert source.feed_url.startswith("https://") and source.country and source.kind and source.homepage

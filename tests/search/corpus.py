"""A small corpus of outlets, stories and articles, shared by the search, feeds and API tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from newshub.ingest.models import Article
from newshub.sources.models import Outlet
from newshub.stories.models import Story


def make_outlet(name: str, **fields) -> Outlet:
    slug = name.lower().replace(" ", "-")
    fields.setdefault("homepage", f"https://{slug}.example/")
    return Outlet.objects.create(name=name, slug=slug, **fields)


def make_story(title: str, category: str = "World", days_ago: float = 0, **fields) -> Story:
    seen = timezone.now() - timedelta(days=days_ago)
    return Story.objects.create(title=title, category=category, first_seen=seen, last_seen=seen, **fields)


def make_article(
    outlet: Outlet, title: str, text: str = "", story: Story | None = None, days_ago: float = 0, **fields
):
    published = timezone.now() - timedelta(days=days_ago)
    slug = title.lower().replace(" ", "-")[:60]
    fields.setdefault("url", f"{outlet.homepage}{slug}-{Article.objects.count()}")
    return Article.objects.create(
        outlet=outlet, title=title, text=text, story=story, published_at=published, **fields
    )


@dataclass
class Corpus:
    wire: Outlet
    daily: Outlet
    strike: Story
    election: Story
    quake: Story
    strike_wire: Article
    strike_daily: Article
    strike_copy: Article
    election_daily: Article
    quake_wire: Article


def build_corpus() -> Corpus:
    wire = make_outlet("Harbor Wire", kind="wire", country="GB", lean="center", reliability="high")
    daily = make_outlet("Daily Lantern", kind="newspaper", country="US", lean="lean_left")
    strike = make_story("Dock workers strike at the northern port", category="Business", days_ago=0.2)
    election = make_story("Mayor wins second term", category="Politics", days_ago=3)
    quake = make_story("Earthquake shakes the coast", category="World", days_ago=40)
    strike_wire = make_article(
        wire,
        "Dockers walk out over pay",
        "Thousands of dockers walked out on Monday, the union said. Cranes stood idle in the harbour.",
        story=strike,
        days_ago=0.3,
        lead="Dockers walked out over pay.",
    )
    strike_daily = make_article(
        daily,
        "Port standstill as strike bites",
        "Shipping lines diverted vessels. The port authority denied that talks had collapsed.",
        story=strike,
        days_ago=0.2,
    )
    strike_copy = make_article(
        daily,
        "Dockers walk out over pay (wire copy)",
        strike_wire.text,
        story=strike,
        days_ago=0.25,
        original=strike_wire,
    )
    election_daily = make_article(
        daily,
        "Mayor re-elected",
        "The mayor promised new trams and a cleaner harbour after winning the vote.",
        story=election,
        days_ago=3,
    )
    quake_wire = make_article(
        wire,
        "Quake rattles coastal towns",
        "A magnitude 6 earthquake damaged the harbour wall and several old houses.",
        story=quake,
        days_ago=40,
    )
    for story in (strike, election, quake):
        articles = story.articles.all()
        story.article_count = articles.count()
        story.outlet_count = articles.values("outlet").distinct().count()
        story.save()
    return Corpus(
        wire,
        daily,
        strike,
        election,
        quake,
        strike_wire,
        strike_daily,
        strike_copy,
        election_daily,
        quake_wire,
    )

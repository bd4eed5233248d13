"""Pages are tested against real rows: outlets, articles (some of them copies) and a story."""

from datetime import timedelta

import pytest
from django.utils import timezone

from newshub.ingest.models import Article
from newshub.sources.models import Outlet
from newshub.stories.models import Story

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def make_outlet(name: str, **fields) -> Outlet:
    slug = fields.pop("slug", name.lower().replace(" ", "-"))
    return Outlet.objects.create(name=name, slug=slug, homepage=f"https://{slug}.example/", **fields)


def make_article(outlet: Outlet, title: str, hours_ago: float, **fields) -> Article:
    slug = fields.pop("slug", title.lower().replace(" ", "-")[:40])
    return Article.objects.create(
        outlet=outlet,
        url=f"https://{outlet.slug}.example/{slug}",
        title=title,
        lead=fields.pop("lead", f"Lead of {title}."),
        text=f"Text of {title}.",
        published_at=timezone.now() - timedelta(hours=hours_ago),
        **fields,
    )


@pytest.fixture
def newsroom(db):
    wire = make_outlet("Wire Agency", country="GB", kind="wire", lean="center", lean_basis="Test basis")
    paper = make_outlet("Daily Paper", country="US", kind="newspaper", lean="left")
    blog = make_outlet("A Blog", country="CA", kind="blog")
    story = Story.objects.create(
        title="Explosion at the base",
        lead="What happened at the base.",
        category="World",
        article_count=4,
        outlet_count=3,
        score=10.0,
        blindspot="left",
        coverage={
            "country": {"GB": 1, "US": 1, "CA": 1},
            "kind": {"wire": 1, "newspaper": 1, "blog": 1},
            "lean": {"center": 1, "left": 1, "unrated": 1},
            "reliability": {"unrated": 3},
        },
    )
    original = make_article(wire, "Blast at base", 10, story=story, section="World")
    copy_one = make_article(paper, "Paper runs the wire story", 9, story=story, original=original)
    copy_two = make_article(blog, "Blog reposts the wire story", 8, story=story, original=original)
    own = make_article(paper, "Our own report on the base", 2, story=story)
    minor = Story.objects.create(
        title="A minor story", category="Sports", article_count=1, outlet_count=1, score=1.0
    )
    make_article(blog, "Cup final", 5, story=minor, section="Sports")
    make_article(paper, "Loose article", 1, section="Business")
    return {"story": story, "minor": minor, "original": original, "copies": [copy_one, copy_two], "own": own}

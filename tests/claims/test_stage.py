"""Claims stored per article, grouped per story, and shown as data and as the "Who says what" section."""

import json
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from newshub.claims.models import Claim, ClaimGroup
from newshub.claims.stage import attribute, group_story_claims
from newshub.claims.views_data import excerpt, story_claims
from newshub.ingest.models import Article
from newshub.pipeline import rebuild_changed_stories
from newshub.sources.models import Outlet
from newshub.stories.models import Story
from newshub.stories.signals import stories_merged

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "article.txt"
pytestmark = pytest.mark.django_db


@pytest.fixture
def story() -> Story:
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    story = Story.objects.create(title="Explosion at Iraqi base")
    wire = Outlet.objects.create(name="Wire", slug="wire")
    daily = Outlet.objects.create(name="Daily", slug="daily")
    Article.objects.create(
        outlet=wire, url="https://wire.example/base", text=SEED.read_text(encoding="utf-8"), story=story
    )
    Article.objects.create(
        outlet=daily,
        url="https://daily.example/base",
        text="CENTCOM said that US forces did not carry out any airstrikes in Iraq. It gave no details.",
        story=story,
    )
    return story


def attribute_story(story: Story) -> None:
    """The claims stage on each article, then the end of the round that regroups the story."""
    for article_id in story.articles.values_list("pk", flat=True):
        attribute(article_id)
    rebuild_changed_stories()


def test_attribute_is_idempotent(story):
    article = story.articles.get(url="https://wire.example/base")
    first = attribute(article.pk)
    assert first >= 8
    assert attribute(article.pk) == first
    assert Claim.objects.filter(article=article).count() == first


def test_person_speaker_keeps_their_role(story):
    attribute(story.articles.get(url="https://wire.example/base").pk)
    sudani = Claim.objects.get(speaker="Mohammed Shia al-Sudani")
    assert sudani.speaker_role == "Iraqi Prime Minister"


def test_missing_article_is_skipped():
    assert attribute(999_999) == 0


def test_story_groups_flag_the_airstrike_contradiction(story):
    attribute_story(story)
    group_story_claims(story.pk)
    groups_before = ClaimGroup.objects.filter(story=story).count()
    group_story_claims(story.pk)
    assert ClaimGroup.objects.filter(story=story).count() == groups_before
    data = story_claims(story)
    airstrike = [
        group
        for group in data
        if "two security sources" in [s["speaker"] for s in group["asserting"]]
        and "airstrike" in " ".join(claim["excerpt"] for claim in group["claims"])
    ]
    assert airstrike and airstrike[0]["contradicted"]
    denying = {s["speaker"] for s in airstrike[0]["denying"]}
    assert "U.S. Central Command" in denying
    assert denying & {"U.S. military", "Iraqi military"}
    centcom = next(s for s in airstrike[0]["denying"] if s["speaker"] == "U.S. Central Command")
    assert set(centcom["outlets"]) == {"Wire", "Daily"}  # "CENTCOM" in the second article joins the first
    assert data[0]["contradicted"]
    json.dumps(data)


def test_who_says_what_section(story):
    attribute_story(story)
    html = render_to_string("claims/_who_says_what.html", {"story": story})
    assert "Who says what" in html and "Contradicted" in html
    assert 'href="https://wire.example/base"' in html
    assert "<script" not in html and "onclick" not in html
    assert render_to_string("claims/_who_says_what.html", {"story": Story.objects.create()}).strip() == ""


def test_excerpt_is_one_sentence():
    assert excerpt("“First one. Second one.”") == "“First one."
    assert excerpt("that prices will fall") == "prices will fall"
    assert excerpt("“We saw reports. Those reports are false.”", "denies") == "Those reports are false.”"
    assert len(excerpt("word " * 200)) <= 301


def test_api_module_serves_the_same_data():
    from newshub.claims.api import claim_groups_for_story

    assert claim_groups_for_story is story_claims


def test_claim_groups_follow_a_story_merge(story):
    denial = story.articles.get(url="https://daily.example/base")
    absorbed = Story.objects.create(title="US denies strikes")
    Article.objects.filter(pk=denial.pk).update(story=absorbed)
    attribute_story(story)
    attribute(denial.pk)
    rebuild_changed_stories()
    assert ClaimGroup.objects.filter(story=absorbed).exists()

    Article.objects.filter(story=absorbed).update(story=story)
    Story.objects.filter(pk=story.pk).mark_changed()
    stories_merged.send(sender=Story, merges=[(absorbed.pk, story.pk)])
    rebuild_changed_stories()

    assert not ClaimGroup.objects.filter(story=absorbed).exists()
    denial_claims = Claim.objects.filter(article=denial)
    assert denial_claims.exists()
    assert not denial_claims.filter(group__isnull=True).exists()
    assert {claim.group.story_id for claim in denial_claims} == {story.pk}


def speakers_by_claim() -> dict[tuple[str, int], str]:
    return {
        (claim.article.url, claim.cue_start): claim.speaker
        for claim in Claim.objects.select_related("article")
    }


def test_speaker_names_do_not_depend_on_arrival_order(story):
    """Regrouping after each article, in either order, names speakers as one regroup at the end does."""
    urls = list(story.articles.order_by("url").values_list("url", flat=True))
    results = []
    for order in (urls, urls[::-1]):
        Claim.objects.all().delete()
        for url in order:
            attribute(story.articles.get(url=url).pk)
            group_story_claims(story.pk)
        results.append(speakers_by_claim())
    Claim.objects.all().delete()
    attribute_story(story)
    group_story_claims(story.pk)
    assert results[0] == results[1] == speakers_by_claim()
    assert "U.S. Central Command" in set(results[0].values())

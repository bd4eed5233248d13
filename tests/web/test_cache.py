"""Front, category and story pages come from the cache until a story they show changes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newshub.stories.models import Story
from tests.web.conftest import make_article, make_outlet


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def rename_behind_the_cache(story: Story, title: str) -> None:
    # A queryset update sends no signal: the cached page cannot know, so it shows the old title.
    Story.objects.filter(pk=story.pk).update(title=title)


def assert_served_from_cache(client, story: Story, url: str) -> None:
    """The page shows the story's title, and keeps showing it, without a query, after a quiet rename."""
    assert "Explosion at the base" in html_of(client, url)
    rename_behind_the_cache(story, "Renamed quietly")
    with CaptureQueriesContext(connection) as queries:
        assert "Explosion at the base" in html_of(client, url)
    assert len(queries) == 0


def test_front_page_is_served_from_cache_until_a_story_changes(client, newsroom):
    story = newsroom["story"]
    assert_served_from_cache(client, story, "/")

    story.refresh_from_db()
    story.title = "Renamed on the record"
    story.save()
    html = html_of(client, "/")
    assert "Renamed on the record" in html and "Explosion at the base" not in html


def test_category_page_changes_when_any_story_changes(client, newsroom):
    assert "Explosion at the base" in html_of(client, "/category/world/")
    rename_behind_the_cache(newsroom["story"], "Renamed quietly")
    assert "Explosion at the base" in html_of(client, "/category/world/")
    # Another story's change bumps every list of stories.
    newsroom["minor"].save()
    assert "Renamed quietly" in html_of(client, "/category/world/")


def test_category_pages_are_cached_per_page_number(client, newsroom):
    first = html_of(client, "/category/world/?page=1")
    assert html_of(client, "/category/world/?page=junk") == first
    assert "Explosion at the base" in html_of(client, "/category/world/?page=999")  # the last page


def test_story_page_is_served_from_cache_until_its_story_changes(client, newsroom):
    story = newsroom["story"]
    url = story.get_absolute_url()
    assert "Explosion at the base" in html_of(client, url)
    rename_behind_the_cache(story, "Renamed quietly")
    assert "Explosion at the base" in html_of(client, url)

    story.refresh_from_db()
    story.save()
    assert "Renamed quietly" in html_of(client, url)


def test_story_page_changes_when_an_article_joins_the_story(client, newsroom):
    story = newsroom["story"]
    url = story.get_absolute_url()
    assert "Late Gazette" not in html_of(client, url)
    make_article(make_outlet("Late Gazette"), "A late report", 0.5, story=story)
    assert "Late Gazette" in html_of(client, url)


def test_another_storys_change_leaves_a_story_page_cached(client, newsroom):
    story = newsroom["story"]
    url = story.get_absolute_url()
    html_of(client, url)
    rename_behind_the_cache(story, "Renamed quietly")
    newsroom["minor"].save()
    assert "Explosion at the base" in html_of(client, url)


def form_token(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def test_cached_story_page_gives_each_reader_their_own_comment_form(client, newsroom):
    story = newsroom["story"]
    html_of(client, story.get_absolute_url())
    write_url = f"/comments/story/{story.pk}/write/"
    first, second = html_of(client, write_url), html_of(client, write_url)
    # A one-time token per form: a shared, cached form would refuse every reader after the first.
    assert form_token(first) != form_token(second)
    assert 'name="csrfmiddlewaretoken"' in second
    # A reply's form comes in the story page itself, made for this request.
    replying = html_of(client, story.get_absolute_url() + "?reply_to=1")
    assert form_token(replying) != form_token(second) and "<!--newshub:comments-->" not in replying


def test_a_published_comment_shows_on_the_cached_story_page(client, newsroom):
    story = newsroom["story"]
    url = story.get_absolute_url()
    html_of(client, url)
    story.comments.create(author_name="Reader", text="Seen from the cache.", status="approved")
    assert "Seen from the cache." in html_of(client, url)


def test_merged_story_redirects_even_when_its_page_was_cached(client, newsroom):
    story, minor = newsroom["story"], newsroom["minor"]
    html_of(client, minor.get_absolute_url())
    Story.objects.filter(pk=minor.pk).update(merged_into=story)  # as the merge pass does: no signal
    response = client.get(minor.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == story.get_absolute_url()


def test_canonical_url_leaves_out_the_query_string(client, newsroom):
    story = newsroom["story"]
    html = html_of(client, story.get_absolute_url() + "?utm_source=x")
    assert f'<link rel="canonical" href="http://testserver{story.get_absolute_url()}">' in html


def test_search_results_are_served_from_cache_until_a_story_changes(client, newsroom):
    story = newsroom["story"]
    assert_served_from_cache(client, story, "/search/?q=explosion")
    assert "Explosion at the base" not in html_of(client, "/search/?q=explosion&category=Sports")

    story.refresh_from_db()
    story.title = "Explosion renamed on the record"
    story.save()
    assert "Explosion renamed on the record" in html_of(client, "/search/?q=explosion")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="moves SQLite's FTS5 table out of the way")
def test_a_search_the_database_could_not_answer_is_not_kept(client, newsroom):
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE search_story_fts RENAME TO search_story_fts_away")
    assert "Search is unavailable" in html_of(client, "/search/?q=explosion")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE search_story_fts_away RENAME TO search_story_fts")
    assert "Explosion at the base" in html_of(client, "/search/?q=explosion")

"""The JSON API through Django's test client: shapes, filters, pagination, errors, auth, caching."""

import base64
import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from newshub.claims.models import Claim, ClaimGroup
from newshub.comments.models import Comment, CommentStatus
from newshub.stories.models import Story
from tests.search.corpus import build_corpus, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def corpus():
    return build_corpus()


def basic(username: str, password: str) -> dict:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def post_json(client, url: str, payload: dict, **extra):
    return client.post(url, payload, content_type="application/json", **extra)


def assert_error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"message", "status"} and body["status"] == status and body["message"]
    return body


def test_story_list_is_ranked_paginated_and_filtered(client, corpus):
    Story.objects.filter(pk=corpus.election.pk).update(score=5)
    body = client.get("/api/stories", {"limit": 2}).json()
    assert (body["count"], body["limit"], body["offset"]) == (3, 2, 0)
    assert body["items"][0]["title"] == "Mayor wins second term"
    assert client.get("/api/stories", {"limit": 2, "offset": 2}).json()["items"][0]["type"] == "story"
    assert [s["id"] for s in client.get("/api/stories", {"category": "business"}).json()["items"]] == [
        corpus.strike.pk
    ]
    by_outlet = client.get("/api/stories", {"outlet": "harbor-wire"}).json()
    assert {s["id"] for s in by_outlet["items"]} == {corpus.strike.pk, corpus.quake.pk}
    assert by_outlet["count"] == 2
    recent = client.get("/api/stories", {"since": "2000-01-01T00:00:00"}).json()
    assert recent["count"] == 3


def test_story_detail_folds_copies_and_shows_coverage_and_claims(client, corpus):
    Story.objects.filter(pk=corpus.strike.pk).update(coverage={"country": {"GB": 1, "US": 1}})
    group = ClaimGroup.objects.create(story=corpus.strike, label="talks had collapsed", contradicted=True)
    Claim.objects.create(
        article=corpus.strike_daily,
        group=group,
        speaker="port authority",
        cue="denied",
        content="talks had collapsed",
        stance="denies",
        cue_start=0,
        cue_end=6,
        content_start=10,
        content_end=29,
    )
    body = client.get(f"/api/stories/{corpus.strike.pk}").json()
    assert body["title"] == "Dock workers strike at the northern port"
    originals = {a["id"]: a for a in body["articles"]}
    assert set(originals) == {corpus.strike_wire.pk, corpus.strike_daily.pk}
    assert [c["id"] for c in originals[corpus.strike_wire.pk]["copies"]] == [corpus.strike_copy.pk]
    assert originals[corpus.strike_wire.pk]["outlet"]["slug"] == "harbor-wire"
    assert body["coverage"] == {"country": {"GB": 1, "US": 1}}
    assert body["claim_groups"][0]["label"] == "talks had collapsed"
    assert body["claim_groups"][0]["contradicted"] is True
    assert body["comment_count"] == 0


def test_outlets_and_articles(client, corpus):
    outlets = client.get("/api/outlets").json()
    assert [o["slug"] for o in outlets["items"]] == ["daily-lantern", "harbor-wire"]
    assert outlets["count"] == 2
    wire = client.get("/api/outlets/harbor-wire").json()
    assert (wire["article_count"], wire["lean"], wire["reliability"]) == (2, "center", "high")
    article = client.get(f"/api/articles/{corpus.strike_wire.pk}").json()
    assert article["url"] == corpus.strike_wire.url
    assert [c["id"] for c in article["copies"]] == [corpus.strike_copy.pk]
    assert "text" not in article and "raw_html" not in article


def test_search_endpoint(client, corpus):
    body = client.get("/api/search", {"q": "harbour", "category": "politics"}).json()
    assert [s["title"] for s in body["items"]] == ["Mayor wins second term"]
    assert body["kind"] == "stories" and body["terms"] == ["harbour"] and body["count"] == 1
    articles = client.get("/api/search", {"q": "dockers", "kind": "articles", "outlet": "harbor-wire"}).json()
    assert [a["id"] for a in articles["items"]] == [corpus.strike_wire.pk]
    assert articles["items"][0]["type"] == "article"
    assert "<mark>dockers</mark>" in articles["items"][0]["snippet"].lower()
    empty = client.get("/api/search", {"q": '"(*'}).json()
    assert empty["items"] == [] and empty["message"]
    hostile = client.get("/api/search", {"q": "'; DROP TABLE x; -- 🚢 " + "a" * 5000})
    assert hostile.status_code == 200


def test_comments_are_read_without_login_only_when_published(client, corpus):
    Comment.objects.create(story=corpus.strike, author_name="Ann", text="Solidarity", status="approved")
    Comment.objects.create(story=corpus.strike, author_name="Bot", text="buy now", status="spam")
    Comment.objects.create(story=corpus.strike, author_name="Ben", text="Held", status="pending")
    body = client.get(f"/api/stories/{corpus.strike.pk}/comments").json()
    assert [c["author_name"] for c in body["items"]] == ["Ann"]
    assert body["count"] == 1
    assert "author_email" not in body["items"][0]


def test_errors_have_one_shape(client, corpus):
    assert_error(client.get("/api/stories/999999"), 404)
    assert_error(client.get("/api/outlets/nobody"), 404)
    assert_error(client.get("/api/no/such/endpoint"), 404)
    assert_error(client.get("/api/stories", {"limit": 0}), 422)
    assert_error(client.get("/api/stories", {"limit": "many"}), 422)
    assert_error(client.get("/api/stories", {"since": "yesterday"}), 422)
    assert_error(client.get("/api/search"), 422)
    assert_error(client.get("/api/stories/notanumber"), 422)
    assert_error(client.get("/api/stories/99999999999999999999999"), 422)
    assert_error(client.get("/api/articles/-1"), 422)
    not_allowed = assert_error(client.delete("/api/stories"), 405)
    assert "GET" in not_allowed["message"]


def test_writes_need_staff(client, corpus):
    url = f"/api/stories/{corpus.strike.pk}/comments"
    comment = {"author_name": "Ann", "text": "A fair report."}
    anonymous = post_json(client, url, comment)
    assert_error(anonymous, 401)
    assert anonymous["WWW-Authenticate"].startswith("Basic")
    User.objects.create_user("reader", password="pw-reader-123")
    assert_error(post_json(client, url, comment, **basic("reader", "pw-reader-123")), 403)
    assert_error(post_json(client, url, comment, **basic("reader", "wrong")), 401)


def test_staff_post_goes_through_the_spam_filter(client, corpus):
    User.objects.create_user("editor", password="pw-editor-123", is_staff=True)
    url = f"/api/stories/{corpus.strike.pk}/comments"
    auth = basic("editor", "pw-editor-123")
    response = post_json(client, url, {"author_name": "Ann", "text": "A fair report."}, **auth)
    assert response.status_code == 201, response.content
    posted = response.json()
    stored = Comment.objects.get(pk=posted["id"])
    assert posted["status"] == stored.status and stored.status in set(CommentStatus)
    bad_parent = {"author_name": "Ann", "text": "reply", "parent_id": 999999}
    assert_error(post_json(client, url, bad_parent, **auth), 422)
    assert_error(post_json(client, url, {"author_name": "", "text": ""}, **auth), 422)
    old_story = f"/api/stories/{corpus.quake.pk}/comments"  # last seen 40 days ago
    closed = assert_error(post_json(client, old_story, {"author_name": "A", "text": "B"}, **auth), 403)
    assert "closed" in closed["message"]


def test_session_writes_need_the_csrf_token(corpus):
    from django.test import Client

    User.objects.create_user("editor", password="pw-editor-123", is_staff=True)
    browser = Client(enforce_csrf_checks=True)
    browser.login(username="editor", password="pw-editor-123")
    url = f"/api/stories/{corpus.strike.pk}/comments"
    response = browser.post(url, {"author_name": "Ann", "text": "Hi"}, content_type="application/json")
    assert response.status_code in {401, 403}
    assert response.json()["status"] == response.status_code
    browser.get("/api/docs")  # sets the CSRF cookie, as the docs page does for a staff member trying a write
    token = browser.cookies["csrftoken"].value
    comment = {"author_name": "Ann", "text": "A fair report."}
    accepted = browser.post(url, comment, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201, accepted.content


def test_story_detail_cache_follows_changes(client, corpus, django_assert_max_num_queries):
    url = f"/api/stories/{corpus.strike.pk}"
    assert client.get(url).json()["title"].startswith("Dock workers")
    with django_assert_max_num_queries(1):  # the story lookup; the body comes from the cache
        client.get(url)
    corpus.strike.title = "Dock strike ends"
    corpus.strike.save()
    assert client.get(url).json()["title"] == "Dock strike ends"
    make_article(corpus.wire, "Strike over", "Dockers return", story=corpus.strike)
    assert len(client.get(url).json()["articles"]) == 3
    Comment.objects.create(story=corpus.strike, author_name="Ann", text="Good", status="approved")
    assert client.get(url).json()["comment_count"] == 1


def test_story_list_cache_follows_changes(client, corpus):
    assert client.get("/api/stories").json()["count"] == 3
    corpus.quake.merged_into = corpus.strike
    corpus.quake.save()
    assert client.get("/api/stories").json()["count"] == 2


def test_openapi_schema_and_offline_docs(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Newshub API"
    routes = {"/api/stories", "/api/stories/{story_id}", "/api/outlets", "/api/search"}
    assert routes | {"/api/articles/{article_id}", "/api/stories/{story_id}/comments"} <= set(schema["paths"])
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    external = [url for url in re.findall(r'(?:src|href)="([^"]+)"', html) if "//" in url]
    assert external == [], external
    assert "swagger-ui-bundle.js" in html
    assert '"validatorUrl": null' in html
    assert 'data-api-csrf="true"' in html and re.search(r'data-csrf-token="[^"]+"', html)


def test_malformed_body_and_internal_errors_are_json(client, corpus, monkeypatch):
    User.objects.create_user("editor", password="pw-editor-123", is_staff=True)
    url = f"/api/stories/{corpus.strike.pk}/comments"
    auth = basic("editor", "pw-editor-123")
    broken = client.post(url, "{not json", content_type="application/json", **auth)
    assert broken.status_code in {400, 422}
    assert_error(broken, broken.status_code)

    def explode(story):
        raise RuntimeError("boom")

    monkeypatch.setattr("newshub.api.data.story_detail", explode)
    failed = assert_error(client.get(f"/api/stories/{corpus.election.pk}"), 500)
    assert "boom" not in failed["message"]

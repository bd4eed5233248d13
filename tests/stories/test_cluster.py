"""Stories: two events give two stories, deterministically; the stage is idempotent and never crashes."""

import io
import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from newshub.ingest.models import Article
from newshub.sources.models import Outlet
from newshub.stories.batch import BatchArticle, cluster_articles, parse_line, read_articles, stream_order
from newshub.stories.cluster import ClusterConfig, Features, OnlineClusterer, StoryState
from newshub.stories.features import content_terms
from newshub.stories.models import Story
from newshub.stories.stage import assign_story, get_engine, merge_pass, reset_engine
from tests.stories.test_cluster_texts import CHIPS, FLOOD

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)


def interleaved() -> list[tuple[str, str, str]]:
    """(id, title, text) alternating between the two events, as a news stream would."""
    rows = []
    for i, (flood, chips) in enumerate(zip(FLOOD, CHIPS, strict=True)):
        rows += [(f"flood-{i}", *flood), (f"chips-{i}", *chips)]
    return rows


def batch_articles() -> list[BatchArticle]:
    return [
        BatchArticle(key, title, text, T0 + timedelta(hours=n), "outlet")
        for n, (key, title, text) in enumerate(interleaved())
    ]


def stories_by_event(results: list[dict]) -> dict[str, set]:
    grouped: dict[str, set] = {}
    for result in results:
        grouped.setdefault(result["id"].split("-")[0], set()).add(result["story"])
    return grouped


def test_two_events_come_out_as_two_stories():
    grouped = stories_by_event(cluster_articles(batch_articles()))
    assert len(grouped["flood"]) == 1 and len(grouped["chips"]) == 1
    assert grouped["flood"] != grouped["chips"]


def test_same_input_same_order_gives_same_stories():
    assert cluster_articles(batch_articles()) == cluster_articles(batch_articles())


def test_undated_articles_keep_their_place_in_the_stream():
    dates = [T0 + timedelta(days=2), None, T0, None, T0 + timedelta(days=1)]
    articles = [BatchArticle(str(i), "", "", when, "") for i, when in enumerate(dates)]
    assert stream_order(articles) == [2, 1, 4, 3, 0]


def test_merge_pass_joins_a_story_split_by_a_strict_first_threshold():
    clusterer = OnlineClusterer(ClusterConfig(assign_threshold=0.99, merge_threshold=0.05))
    keys = iter(range(1, 100))
    for _, text in FLOOD:
        vectors = clusterer.vectorize(Features(Counter(text.lower().split()), Counter(), T0))
        clusterer.add(clusterer.assign(vectors, T0) or next(keys), vectors, T0)
    assert len(clusterer.stories) == 3
    merges = clusterer.merge_pass()
    assert len(clusterer.stories) == 1 and [survivor for _, survivor in merges] == [1, 1]


def test_stories_outside_the_window_are_not_joined():
    clusterer = OnlineClusterer(ClusterConfig(window_days=2))
    features = Features(Counter(FLOOD[0][1].lower().split()), Counter(), T0)
    clusterer.add(1, clusterer.vectorize(features), T0)
    later = T0 + timedelta(days=10)
    vectors = clusterer.vectorize(Features(features.terms, Counter(), later))
    assert clusterer.assign(vectors, later) is None
    assert clusterer.assign(vectors, T0 + timedelta(days=1)) == 1


# -- the pipeline stage ----------------------------------------------------------------------------------


@pytest.fixture
def fresh_engine():
    reset_engine()
    yield
    reset_engine()


def store(outlets: list[Outlet], rows, start: datetime) -> list[Article]:
    return [
        Article.objects.create(
            outlet=outlets[n % len(outlets)],
            url=f"https://news.example/{key}",
            title=title,
            text=text,
            published_at=start + timedelta(hours=n),
        )
        for n, (key, title, text) in enumerate(rows)
    ]


@pytest.fixture
def outlets() -> list[Outlet]:
    return [Outlet.objects.create(name=f"Outlet {n}", slug=f"outlet-{n}") for n in range(3)]


def snapshot() -> list[tuple]:
    articles = list(
        Article.objects.order_by("id").values_list("id", "story_id", "original_id", "content_hash")
    )
    stories = list(
        Story.objects.order_by("id").values_list("id", "article_count", "outlet_count", "merged_into")
    )
    return articles + stories


@pytest.mark.django_db
def test_stage_places_two_events_in_two_stories_and_is_idempotent(fresh_engine, outlets):
    start = timezone.now() - timedelta(hours=12)
    articles = store(outlets, interleaved(), start)
    assigned = {a.url.rsplit("/", 1)[1]: assign_story(a.pk) for a in articles}
    grouped = stories_by_event([{"id": key, "story": story} for key, story in assigned.items()])
    assert len(grouped["flood"]) == 1 and len(grouped["chips"]) == 1 and grouped["flood"] != grouped["chips"]
    story = Story.objects.get(pk=next(iter(grouped["flood"])))
    assert story.article_count == 3 and story.outlet_count == 3 and story.title
    assert story.first_seen == start
    assert Article.objects.exclude(entities=[]).count() == 6

    before = snapshot()
    assert [assign_story(a.pk) for a in articles] == list(assigned.values())
    merge_pass()
    assert snapshot() == before


@pytest.mark.django_db
def test_state_is_rebuilt_from_the_database_after_a_restart(fresh_engine, outlets):
    start = timezone.now() - timedelta(hours=12)
    rows = interleaved()
    articles = store(outlets, rows[:4], start)
    stories = [assign_story(a.pk) for a in articles]
    reset_engine()  # as after a restart
    late = store(
        outlets, [("flood-late", *rows[4][1:]), ("chips-late", *rows[5][1:])], start + timedelta(hours=6)
    )
    assert assign_story(late[0].pk) == stories[0]
    assert assign_story(late[1].pk) == stories[1]
    assert len(get_engine().clusterer.stories) == 2


@pytest.mark.django_db
def test_a_restart_remembers_stories_older_than_the_window(fresh_engine, outlets):
    """The clusterer keeps stories for `memory_days` (a verdict joins its crime), and so does a restart."""
    config = ClusterConfig()
    long_ago = timezone.now() - timedelta(days=(2 * config.window_days + config.memory_days) / 2)
    articles = store(outlets, interleaved()[:2], long_ago)
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(fetched_at=long_ago)
    stories = {assign_story(a.pk) for a in articles}
    reset_engine()  # as after a restart
    assert set(get_engine().clusterer.stories) == stories


@pytest.mark.django_db
def test_bad_articles_are_clustered_or_skipped_never_crash(fresh_engine, outlets, caplog):
    now = timezone.now()
    (flood,) = store(outlets, [("flood", *FLOOD[0])], now - timedelta(hours=1))
    flood_story = assign_story(flood.pk)
    empty = Article.objects.create(outlet=outlets[0], url="https://x.example/empty", title="", text="")
    undated = Article.objects.create(
        outlet=outlets[1], url="https://x.example/undated", title=FLOOD[1][0], text=FLOOD[1][1]
    )
    future = Article.objects.create(
        outlet=outlets[2],
        url="https://x.example/future",
        title=FLOOD[2][0],
        text=FLOOD[2][1],
        published_at=now + timedelta(days=400),
    )
    huge = Article.objects.create(
        outlet=outlets[0],
        url="https://x.example/huge",
        title="Word salad",
        text="lorem ipsum dolor " * 35_000,
        published_at=now,
    )
    assert assign_story(empty.pk) is None
    assert assign_story(987654321) is None
    assert assign_story(undated.pk) == flood_story
    assert assign_story(future.pk) == flood_story
    assert Story.objects.get(pk=flood_story).last_seen <= timezone.now()
    assert assign_story(huge.pk) not in (None, flood_story)
    messages = caplog.text
    assert "reason=no_text" in messages and "reason=missing" in messages
    assert "reason=no_date" in messages and "reason=future_date" in messages


# -- the batch command ------------------------------------------------------------------------------------


def test_cluster_command_prints_one_line_per_article(tmp_path):
    rows = [
        {
            "id": key,
            "title": title if n % 2 else None,
            "text": text,
            "date": f"2026-03-0{1 + n // 2}",
            "outlet": "o",
            "cluster": {"must": "not be read"},
        }
        for n, (key, title, text) in enumerate(interleaved())
    ]
    rows.append({"id": "flood-copy", "title": None, "text": FLOOD[0][1] + " Updated.", "published": None})
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + '\nnot json\n{"no": "id"}\n\n')
    out = io.StringIO()
    call_command("stories", "cluster", str(path), stdout=out)
    results = {r["id"]: r for r in map(json.loads, out.getvalue().splitlines())}
    assert list(results) == [r["id"] for r in rows]
    grouped = stories_by_event(list(results.values()))
    assert len(grouped["flood"]) == 1 and len(grouped["chips"]) == 1
    assert results["flood-copy"]["original"] == "flood-0"
    assert all(r["original"] is None for key, r in results.items() if key != "flood-copy")


def test_cluster_command_reports_an_unreadable_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("stories", "cluster", str(tmp_path / "missing.jsonl"))


@pytest.mark.django_db
def test_merge_command_runs_the_merge_pass(fresh_engine):
    out = io.StringIO()
    call_command("stories", "merge", stdout=out)
    assert out.getvalue().strip() == "merged 0 stories"


@pytest.mark.django_db
def test_rebuilding_reads_only_the_newest_articles(fresh_engine, outlets, monkeypatch):
    articles = store(outlets, interleaved(), timezone.now() - timedelta(hours=12))
    for article in articles:
        assign_story(article.pk)
    reset_engine()
    monkeypatch.setattr("newshub.stories.stage.MAX_REMEMBERED_ARTICLES", 2)
    assert sorted(get_engine().story_of) == sorted(a.pk for a in articles[-2:])


def test_a_dateline_keeps_a_sister_event_years_apart_out_of_the_story(tmp_path):
    """The same kind of flood with no date field: its dateline says it happened three years before."""
    dated = [
        {"id": f"flood-{n}", "title": title, "text": text, "date": "2026-03-01"}
        for n, (title, text) in enumerate(FLOOD)
        if n != 1
    ]
    title, text = FLOOD[1]

    def stories(undated_text: str) -> set:
        rows = [*dated[:1], {"id": "undated", "title": title, "text": undated_text}, *dated[1:]]
        articles = read_articles(json.dumps(row) for row in rows)
        return {result["story"] for result in cluster_articles(articles)}

    assert len(stories(text)) == 1  # no date at all: taken as published when it arrives
    assert len(stories(f"Posted March 3, 2023\n{text}")) == 2


def test_a_story_beyond_the_window_takes_in_only_a_strongly_similar_newer_one():
    """A flood story is still remembered 200 days later (an anniversary report joins it); a report on
    chips that day does not, and two years after its last report the flood story is gone."""
    clusterer = OnlineClusterer(ClusterConfig(window_days=90, memory_days=730))

    def place(key: int, text: str, when: datetime) -> int | None:
        vectors = clusterer.vectorize(Features(content_terms("", text), Counter(), when))
        story = clusterer.assign(vectors, when)
        clusterer.add(story or key, vectors, when)
        return story

    for n, (_, text) in enumerate(FLOOD[:-1]):
        place(1, text, T0 + timedelta(hours=n))
    clusterer.merge_pass()
    later = T0 + timedelta(days=200)
    assert place(2, FLOOD[-1][1], later) is None  # beyond the window: not joined on arrival
    place(3, CHIPS[0][1], later)
    assert clusterer.merge_pass() == [(2, 1)]
    assert place(4, FLOOD[0][1], later + timedelta(days=731)) is None
    clusterer.merge_pass()
    assert 1 not in clusterer.stories and 4 in clusterer.stories


def test_the_link_a_merge_needs_rises_with_the_time_between_the_stories():
    config = ClusterConfig(ramp_days=20, window_days=90)
    clusterer = OnlineClusterer(config)
    story = StoryState(1, size=4, first=T0, last=T0 + timedelta(days=5))

    def needed(size: int, days_after: float, length: float = 1) -> float:
        start = story.last + timedelta(days=days_after)
        other = StoryState(2, size=size, first=start, last=start + timedelta(days=length))
        return clusterer.merge_threshold(story, other)

    assert needed(3, -2) == config.merge_threshold  # told at the same time
    assert needed(3, 10) == pytest.approx((config.merge_threshold + config.late_merge_threshold) / 2)
    assert needed(3, 20) == needed(3, 60) == needed(3, 200) == config.late_merge_threshold
    assert needed(1, 0, 0) == config.attach_threshold  # a lone article joining a story
    assert needed(1, 10, 0) == pytest.approx((config.attach_threshold + config.late_attach_threshold) / 2)
    assert needed(1, 200, 0) == config.late_attach_threshold
    undated = StoryState(3, size=2)
    assert clusterer.merge_threshold(story, undated) == config.merge_threshold


def test_a_headline_that_is_a_dateline_dates_an_undated_article():
    def when(
        title: str, text: str = "Microsoft released an emergency patch for Internet Explorer."
    ) -> object:
        return parse_line(json.dumps({"id": 1, "title": title, "text": text})).when

    assert when("September 18th, 2013, 05:31 GMT") == datetime(2013, 9, 18, tzinfo=UTC)
    assert when("Posted at 3:21 PM ET, 01 / 5 / 2011") == datetime(2011, 1, 5, tzinfo=UTC)
    assert when("Ellen DeGeneres to host Oscars in 2014") is None
    assert when("September 18th, 2013", "Posted March 3, 2023\nA patch.") == datetime(2023, 3, 3, tzinfo=UTC)


def test_a_term_in_too_many_stories_does_not_pick_candidates():
    clusterer = OnlineClusterer(ClusterConfig(max_postings=2))
    for key, terms in enumerate((["common", "rare"], ["common", "other"], ["common", "third"]), 1):
        clusterer.add(key, clusterer.vectorize(Features(Counter(terms), Counter(), T0)), T0)
    assert clusterer.candidates(["common"], 10) == []
    assert clusterer.candidates(["common", "rare"], 10) == [1]

"""The arithmetic behind the story page's charts."""

from datetime import UTC, datetime, timedelta

from newshub.ingest.models import Article
from newshub.web.charts import coverage_bars, timeline
from newshub.web.grouping import fold_copies

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def test_coverage_bars_follow_the_scale_and_fill_the_bar():
    bars = coverage_bars(
        {
            "lean": {"unrated": 2, "right": 1, "left": 1},
            "country": {"US": 3, "GB": 1},
            "reliability": {},
        }
    )
    assert [bar.key for bar in bars] == ["lean", "country"]
    lean = bars[0]
    assert [segment.label for segment in lean.segments] == ["Left", "Right", "Unrated"]
    assert lean.segments[-1].start + lean.segments[-1].width == 100.0
    assert [s.label for s in bars[1].segments] == ["US", "GB"]
    assert bars[1].segments[0].width == 75.0


def test_coverage_bars_fold_a_long_tail_into_other():
    countries = {code: 1 for code in ["AU", "CA", "DE", "FR", "GB", "IN", "NO", "US"]}
    bar = coverage_bars({"country": countries})[0]
    assert [s.label for s in bar.segments] == ["AU", "CA", "DE", "FR", "GB", "Other"]
    assert bar.segments[-1].count == 3
    assert len({s.tone for s in bar.segments}) == 6


def test_coverage_bars_skip_malformed_data():
    assert coverage_bars(None) == []
    assert coverage_bars({"lean": "left", "kind": {"wire": -1, "blog": "2"}}) == []


def test_timeline_counts_articles_per_hour_for_a_short_story():
    times = [T0, T0 + timedelta(minutes=10), T0 + timedelta(hours=5)]
    chart = timeline(times)
    assert chart.step == timedelta(hours=1)
    assert [bar.count for bar in chart.bars] == [2, 1]
    assert chart.bars[0].height == chart.height  # the tallest bar fills the chart
    assert chart.width == 6 * 10


def test_timeline_widens_its_step_for_a_long_story():
    times = [T0 + timedelta(days=day) for day in range(40)]
    chart = timeline(times)
    assert chart.step == timedelta(days=1)
    assert len(chart.bars) <= 48
    assert timeline([]) is None
    assert timeline([T0]).bars[0].count == 1


def test_fold_copies_keeps_order_and_orphans():
    original = Article(pk=1, title="original")
    copy = Article(pk=2, title="copy", original_id=1)
    orphan = Article(pk=3, title="copy of something elsewhere", original_id=99)
    groups = fold_copies([original, copy, orphan])
    assert [group.article.pk for group in groups] == [1, 3]
    assert groups[0].copies == [copy]

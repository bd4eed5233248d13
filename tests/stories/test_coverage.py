"""The coverage mix, the blindspot flag and the front-page score: pure functions on plain data."""

from datetime import UTC, datetime, timedelta

from newshub.stories.coverage import (
    OutletProfile,
    blindspot,
    coverage_mix,
    decayed_strength,
    diversity,
    story_score,
)

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def outlets(*leans: str) -> list[OutletProfile]:
    return [OutletProfile("US", "newspaper", lean, "") for lean in leans]


def test_coverage_counts_outlets_by_country_kind_lean_and_reliability():
    mix = coverage_mix(
        [
            OutletProfile("us", "wire", "center", "high"),
            OutletProfile("US", "newspaper", "lean_left", "high"),
            OutletProfile("GB", "public_broadcaster", "", "mixed"),
            OutletProfile("", "blog", "", ""),
        ]
    )
    assert mix == {
        "country": {"US": 2, "GB": 1, "unknown": 1},
        "kind": {"blog": 1, "newspaper": 1, "public_broadcaster": 1, "wire": 1},
        "lean": {"unrated": 2, "center": 1, "lean_left": 1},
        "reliability": {"high": 2, "mixed": 1, "unrated": 1},
    }


def test_coverage_of_no_outlets_is_empty_counts():
    assert coverage_mix([]) == {"country": {}, "kind": {}, "lean": {}, "reliability": {}}


def test_blindspot_needs_two_outlets_of_one_side_and_none_of_the_other():
    assert blindspot(coverage_mix(outlets("left", "lean_left"))) == "left"
    assert blindspot(coverage_mix(outlets("right", "lean_right", "center", ""))) == "right"
    assert blindspot(coverage_mix(outlets("left"))) == ""  # one outlet says nothing yet
    assert blindspot(coverage_mix(outlets("left", "lean_left", "lean_right"))) == ""
    assert blindspot(coverage_mix(outlets("center", "center", "", ""))) == ""


def test_unrated_outlets_never_make_a_side():
    assert blindspot(coverage_mix(outlets("", "", "", "lean_left"))) == ""


def test_diversity_grows_with_varied_coverage():
    uniform = coverage_mix(outlets("center", "center", "center"))
    varied = coverage_mix(
        [
            OutletProfile("US", "wire", "center", ""),
            OutletProfile("GB", "newspaper", "lean_left", ""),
            OutletProfile("FR", "broadcaster", "lean_right", ""),
        ]
    )
    assert diversity(uniform) == 0.0
    assert 0.5 < diversity(varied) < 1.0


def test_score_rises_with_outlets_diversity_and_recency():
    mix = coverage_mix(outlets("center", "center"))
    assert story_score(5, mix, NOW) > story_score(2, mix, NOW)
    varied = coverage_mix([OutletProfile("US", "wire"), OutletProfile("GB", "newspaper")])
    assert story_score(2, varied, NOW) > story_score(2, mix, NOW)
    assert story_score(2, mix, NOW) > story_score(2, mix, NOW - timedelta(hours=6))
    # A day-old story needs far more outlets to outrank a fresh one.
    assert story_score(3, mix, NOW) > story_score(6, mix, NOW - timedelta(days=1))
    assert story_score(40, mix, NOW - timedelta(hours=6)) > story_score(2, mix, NOW)


def test_stored_scores_keep_their_order_as_time_passes():
    mix = coverage_mix(outlets("center"))
    older, newer = story_score(20, mix, NOW - timedelta(hours=10)), story_score(3, mix, NOW)
    for later in (NOW, NOW + timedelta(days=3)):
        assert (decayed_strength(older, later) > decayed_strength(newer, later)) == (older > newer)
    assert decayed_strength(newer, NOW) > decayed_strength(newer, NOW + timedelta(days=1))


def test_a_story_without_outlets_scores_zero():
    assert story_score(0, coverage_mix([]), NOW) == 0.0

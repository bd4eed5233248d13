"""Who covers a story: the coverage mix, the blindspot flag and the front-page score.

Pure functions over plain data: the database stays in `newshub.stories.summary`.

Coverage counts *outlets*, not articles: an outlet that runs five pieces on one event, or republishes a
wire story, counts once. Ratings are never guessed: an outlet without a lean (or reliability) rating is
counted as "unrated".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

UNRATED = "unrated"
UNKNOWN_COUNTRY = "unknown"

LEFT_SIDE = frozenset({"left", "lean_left"})
RIGHT_SIDE = frozenset({"right", "lean_right"})
# Outlets on one side needed before the other side's silence means something.
BLINDSPOT_MIN_OUTLETS = 2

# Front-page score (see `story_score`).
SCORE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
SCORE_HALF_LIFE_HOURS = 18.0


@dataclass(frozen=True)
class OutletProfile:
    """What the coverage mix needs to know about one outlet."""

    country: str = ""
    kind: str = ""
    lean: str = ""
    reliability: str = ""


def coverage_mix(outlets: Iterable[OutletProfile]) -> dict[str, dict[str, int]]:
    """Count outlets by country, kind, lean and reliability.

    >>> coverage_mix([OutletProfile("US", "wire", "center", "high"), OutletProfile("GB", "newspaper")])
    {'country': {'GB': 1, 'US': 1}, 'kind': {'newspaper': 1, 'wire': 1}, \
'lean': {'center': 1, 'unrated': 1}, 'reliability': {'high': 1, 'unrated': 1}}
    """
    outlets = list(outlets)
    return {
        "country": _sorted_counts(o.country.upper() or UNKNOWN_COUNTRY for o in outlets),
        "kind": _sorted_counts(o.kind or UNKNOWN_COUNTRY for o in outlets),
        "lean": _sorted_counts(o.lean or UNRATED for o in outlets),
        "reliability": _sorted_counts(o.reliability or UNRATED for o in outlets),
    }


def _sorted_counts(values: Iterable[str]) -> dict[str, int]:
    # Stable key order (largest first, then by name) keeps stored JSON and templates predictable.
    counts = Counter(values)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def blindspot(coverage: Mapping[str, Mapping[str, int]]) -> str:
    """The only side of the lean scale covering a story: "left", "right", or "" for none.

    Sides: left = {left, lean_left}, right = {right, lean_right}. Center and unrated outlets belong to
    neither side and are ignored. A story is a blindspot when at least `BLINDSPOT_MIN_OUTLETS` outlets of
    one side cover it and not a single outlet of the other side does; with fewer rated outlets the silence
    of the other side says nothing yet.
    """
    lean = coverage.get("lean", {})
    left = sum(count for name, count in lean.items() if name in LEFT_SIDE)
    right = sum(count for name, count in lean.items() if name in RIGHT_SIDE)
    if left >= BLINDSPOT_MIN_OUTLETS and right == 0:
        return "left"
    if right >= BLINDSPOT_MIN_OUTLETS and left == 0:
        return "right"
    return ""


def diversity(coverage: Mapping[str, Mapping[str, int]]) -> float:
    """How varied the coverage is, from 0 (one kind of outlet) to nearly 1.

    The mean Gini-Simpson index (the chance that two outlets drawn at random differ) over countries, outlet
    kinds and rated leans. Unrated outlets say nothing about lean, so they are left out of that part.
    """
    parts = [
        _gini_simpson(coverage.get("country", {})),
        _gini_simpson(coverage.get("kind", {})),
        _gini_simpson({k: v for k, v in coverage.get("lean", {}).items() if k != UNRATED}),
    ]
    return sum(parts) / len(parts)


def _gini_simpson(counts: Mapping[str, int]) -> float:
    total = sum(counts.values())
    if total <= 1:
        return 0.0
    return 1.0 - sum((count / total) ** 2 for count in counts.values())


def story_score(outlet_count: int, coverage: Mapping[str, Mapping[str, int]], last_seen: datetime) -> float:
    """Front-page rank: outlets covering (log), diversity of coverage, recency (exponential decay).

        strength = log2(1 + outlets) × (1 + diversity)                 diversity in [0, 1)
        score    = log2(strength) + hours(last_seen − 2020-01-01) / 18

    This is log2 of `strength × 2^(−age / 18 h)` plus a constant that is the same for every story at any
    given moment: so sorting by the stored score equals sorting by the decayed strength *now*, and a
    stored score never goes stale. Reading: 18 hours newer weighs as much as twice the strength (about
    three times the outlets); a varied mix of countries, kinds and leans can double the strength.
    A story without outlets scores 0, below everything real.
    """
    if outlet_count <= 0:
        return 0.0
    strength = math.log2(1 + outlet_count) * (1 + diversity(coverage))
    hours = (last_seen - SCORE_EPOCH).total_seconds() / 3600
    return math.log2(strength) + hours / SCORE_HALF_LIFE_HOURS


def decayed_strength(score: float, now: datetime) -> float:
    """A stored score as the story's strength at `now` (for display: higher is hotter, ~0 is stale)."""
    hours = (now - SCORE_EPOCH).total_seconds() / 3600
    return 2 ** (score - hours / SCORE_HALF_LIFE_HOURS) if score else 0.0

"""Plain data for the inline SVG charts: a story's coverage mix and its timeline of coverage.

Templates draw the SVG; these functions only do the arithmetic, so they are easy to test.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from newshub.sources.models import Lean, OutletKind, Reliability

DIMENSIONS = (
    ("lean", "Lean"),
    ("reliability", "Reliability"),
    ("kind", "Outlet type"),
    ("country", "Country"),
)
# Fixed orders where the scale has one, so charts are comparable from story to story.
SCALE_ORDER = {
    "lean": ["left", "lean_left", "center", "lean_right", "right", "unrated"],
    "reliability": ["high", "mixed", "low", "unrated"],
}
LABELS = {
    "lean": dict(Lean.choices),
    "reliability": dict(Reliability.choices),
    "kind": dict(OutletKind.choices),
}
PALETTE_SIZE = 6
OTHER = "other"
TIMELINE_MAX_BARS = 48
TIMELINE_STEPS = tuple(timedelta(hours=hours) for hours in (1, 3, 6, 24, 24 * 7))


@dataclass(frozen=True)
class Segment:
    label: str
    count: int
    start: float  # percent of the bar
    width: float  # percent of the bar
    tone: str  # css class


@dataclass(frozen=True)
class CoverageBar:
    key: str
    title: str
    total: int
    segments: list[Segment]

    @property
    def description(self) -> str:
        return f"{self.title}: " + ", ".join(f"{s.label} {s.count}" for s in self.segments)


def segment_label(dimension: str, value: str) -> str:
    if value in {"unrated", "unknown", OTHER}:
        return value.capitalize()
    return LABELS.get(dimension, {}).get(value, value)


def segment_tone(dimension: str, value: str, index: int) -> str:
    if dimension in SCALE_ORDER:
        return f"{dimension}-{value}"
    return f"tone-{index % PALETTE_SIZE}"


def ordered_counts(dimension: str, counts: Mapping[str, int]) -> list[tuple[str, int]]:
    valid = [(str(value), count) for value, count in counts.items() if isinstance(count, int) and count > 0]
    order = SCALE_ORDER.get(dimension)
    if order:
        return sorted(valid, key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    ranked = sorted(valid, key=lambda item: (-item[1], item[0]))
    if len(ranked) > PALETTE_SIZE:  # beyond the palette, colours would repeat: the tail becomes "Other"
        kept = ranked[: PALETTE_SIZE - 1]
        ranked = [*kept, (OTHER, sum(count for _, count in ranked[PALETTE_SIZE - 1 :]))]
    return ranked


def coverage_bars(coverage: Mapping[str, Mapping[str, int]] | None) -> list[CoverageBar]:
    """One stacked bar per dimension of Story.coverage ({"lean": {"left": 1, ...}, ...})."""
    bars = []
    for dimension, title in DIMENSIONS:
        counts = (coverage or {}).get(dimension)
        if not isinstance(counts, Mapping):
            continue
        items = ordered_counts(dimension, counts)
        total = sum(count for _, count in items)
        if not total:
            continue
        segments, start = [], 0.0
        for index, (value, count) in enumerate(items):
            width = 100.0 * count / total
            label, tone = segment_label(dimension, value), segment_tone(dimension, value, index)
            segments.append(Segment(label, count, round(start, 3), round(width, 3), tone))
            start += width
        bars.append(CoverageBar(dimension, title, total, segments))
    return bars


@dataclass(frozen=True)
class TimelineBar:
    start: datetime
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Timeline:
    bars: list[TimelineBar]
    step: timedelta
    width: float
    height: float
    first: datetime
    last: datetime
    total: int

    @property
    def step_label(self) -> str:
        hours = int(self.step.total_seconds() // 3600)
        if hours % 24 == 0:
            days = hours // 24
            return "day" if days == 1 else f"{days} days"
        return "hour" if hours == 1 else f"{hours} hours"


def timeline(times: Sequence[datetime], height: float = 40.0, bar_width: float = 10.0) -> Timeline | None:
    """Articles per time step, the step chosen so the whole story fits in TIMELINE_MAX_BARS bars."""
    if not times:
        return None
    first, last = min(times), max(times)
    span = last - first
    step = next((s for s in TIMELINE_STEPS if span / s < TIMELINE_MAX_BARS), None)
    if step is None:
        step = timedelta(seconds=math.ceil(span.total_seconds() / TIMELINE_MAX_BARS) + 1)
    count = int(span / step) + 1
    bins = [0] * count
    for moment in times:
        bins[min(int((moment - first) / step), count - 1)] += 1
    tallest = max(bins)
    bars = [
        TimelineBar(
            start=first + index * step,
            count=number,
            x=index * bar_width,
            y=height - height * number / tallest,
            width=bar_width * 0.8,
            height=height * number / tallest,
        )
        for index, number in enumerate(bins)
        if number
    ]
    return Timeline(bars, step, count * bar_width, height, first, last, len(times))

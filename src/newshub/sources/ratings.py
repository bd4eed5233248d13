"""Import outlet ratings (political lean, reliability) from a CSV file the admin provides.

Newshub never guesses a rating: an outlet is rated only by this file, and every rating must say where it
came from (its basis). The format, one outlet per row, UTF-8, with a header line:

    outlet,lean,lean_basis,reliability,reliability_basis
    Example Times,lean_left,"AllSides media bias rating, 2025-03",high,"Ad Fontes Media chart, 2025"
    wire.example,center,"Our panel review of 40 articles, 2026-01",,
    Daily Example,unrated,,,

- `outlet`: the outlet's name (case-insensitive), its slug, or its home page's domain (`example.com`,
  `www.` ignored).
- `lean`: left, lean_left, center, lean_right, right (spaces, dashes and "centre" are accepted).
- `reliability`: high, mixed, low.
- `lean_basis`, `reliability_basis`: where the rating comes from (a source, a date, a method); required
  for every rating given. A row with a rating but no basis is rejected whole, with a message.
- An empty rating leaves the outlet's current rating as it is; `unrated` removes it (and its basis).

Only `outlet` is required as a column; a file may carry lean only, or reliability only. After an import
the coverage mix of recent stories covered by the changed outlets is recomputed.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction

from newshub.sources.models import Lean, Outlet, Reliability
from newshub.stories.summary import refresh_stories_of_outlets

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5 * 1024 * 1024
UNRATED = "unrated"
BASIS_MAX_LENGTH = Outlet._meta.get_field("lean_basis").max_length

LEAN_ALIASES = {
    "centre": Lean.CENTER,
    "centrist": Lean.CENTER,
    "leans_left": Lean.LEAN_LEFT,
    "center_left": Lean.LEAN_LEFT,
    "centre_left": Lean.LEAN_LEFT,
    "leans_right": Lean.LEAN_RIGHT,
    "center_right": Lean.LEAN_RIGHT,
    "centre_right": Lean.LEAN_RIGHT,
}


class RatingsFileError(ValueError):
    """The file as a whole cannot be read (missing, too large, not UTF-8 CSV, no outlet column)."""


@dataclass
class RatingChange:
    lean: str | None = None  # None: leave as it is; "": remove
    lean_basis: str = ""
    reliability: str | None = None
    reliability_basis: str = ""


@dataclass
class ImportSummary:
    updated: int = 0
    unchanged: int = 0
    skipped: list[dict] = field(default_factory=list)
    stories_refreshed: int = 0

    def as_dict(self) -> dict:
        return {
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "stories_refreshed": self.stories_refreshed,
        }


def import_ratings(path: Path) -> dict:
    """Apply the ratings in the CSV file at `path`; return what happened.

    Returns {"updated": int, "unchanged": int, "skipped": [{"line", "outlet", "reason"}, ...],
    "stories_refreshed": int}. Raises RatingsFileError when the file as a whole is unusable.
    """
    rows = read_rows(Path(path))
    summary = ImportSummary()
    changed_outlets: list[int] = []
    outlets = OutletFinder()
    with transaction.atomic():
        for line, row in rows:
            name = (row.get("outlet") or "").strip()
            try:
                change = parse_rating_row(row)
                outlet = outlets.find(name)
            except ValueError as error:
                summary.skipped.append({"line": line, "outlet": name, "reason": str(error)})
                logger.info("rating skipped line=%d outlet=%r reason=%r", line, name, str(error))
                continue
            if apply_change(outlet, change):
                summary.updated += 1
                changed_outlets.append(outlet.pk)
            else:
                summary.unchanged += 1
    if changed_outlets:
        summary.stories_refreshed = refresh_stories_of_outlets(changed_outlets)
    logger.info(
        "ratings imported updated=%d unchanged=%d skipped=%d",
        summary.updated,
        summary.unchanged,
        len(summary.skipped),
    )
    return summary.as_dict()


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The file's rows as (line number, {column: value}), with clear errors for unusable files."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise RatingsFileError(f"cannot read ratings file {path}: {error.strerror or error}") from error
    if size > MAX_FILE_BYTES:
        raise RatingsFileError(f"ratings file too large ({size} bytes, limit {MAX_FILE_BYTES})")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RatingsFileError(f"ratings file is not UTF-8 text (byte {error.start})") from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = {(name or "").strip().lower() for name in reader.fieldnames or []}
    if "outlet" not in columns:
        raise RatingsFileError("ratings file needs a header line with an 'outlet' column")
    rows = []
    try:
        for record in reader:
            cleaned = {(k or "").strip().lower(): (v or "").strip() for k, v in record.items() if k}
            rows.append((reader.line_num, cleaned))
    except csv.Error as error:
        raise RatingsFileError(
            f"ratings file is not valid CSV near line {reader.line_num}: {error}"
        ) from error
    return rows


def parse_rating_row(row: dict[str, str]) -> RatingChange:
    """One row's ratings, checked: each given rating is a known value and comes with its basis."""
    if not row.get("outlet"):
        raise ValueError("no outlet named")
    lean = _rating_value(row.get("lean", ""), Lean.values, LEAN_ALIASES, "lean")
    reliability = _rating_value(row.get("reliability", ""), Reliability.values, {}, "reliability")
    lean_basis = row.get("lean_basis", "")
    reliability_basis = row.get("reliability_basis", "")
    if lean and not lean_basis:
        raise ValueError(f"lean {lean!r} has no lean_basis: say where the rating comes from")
    if reliability and not reliability_basis:
        raise ValueError(f"reliability {reliability!r} has no reliability_basis: say where it comes from")
    for basis in (lean_basis, reliability_basis):
        if len(basis) > BASIS_MAX_LENGTH:
            raise ValueError(f"basis longer than {BASIS_MAX_LENGTH} characters")
    if lean is None and reliability is None:
        raise ValueError("no rating given (lean or reliability)")
    return RatingChange(
        lean, lean_basis if lean else "", reliability, reliability_basis if reliability else ""
    )


def _rating_value(raw: str, allowed: list[str], aliases: dict[str, str], what: str) -> str | None:
    """None for an empty cell (keep the current rating), "" for `unrated`, else the canonical value."""
    value = raw.strip().lower().replace("-", "_").replace(" ", "_")
    if not value:
        return None
    if value == UNRATED:
        return ""
    value = aliases.get(value, value)
    if value not in allowed:
        raise ValueError(f"unknown {what} {raw!r} (expected one of {', '.join(allowed)} or unrated)")
    return value


class OutletFinder:
    """Finds an outlet by name (case-insensitive), slug, or its home page's domain."""

    def __init__(self) -> None:
        self.by_name: dict[str, Outlet] = {}
        self.by_domain: dict[str, Outlet] = {}
        for outlet in Outlet.objects.all():
            self.by_name.setdefault(outlet.slug, outlet)
            self.by_name[outlet.name.casefold()] = outlet
            domain = domain_of(outlet.homepage)
            if domain:
                self.by_domain.setdefault(domain, outlet)

    def find(self, name_or_domain: str) -> Outlet:
        outlet = self.by_name.get(name_or_domain.casefold()) or self.by_domain.get(domain_of(name_or_domain))
        if outlet is None:
            raise ValueError(f"no outlet named {name_or_domain!r} or with that home page domain")
        return outlet


def domain_of(url_or_domain: str) -> str:
    text = url_or_domain.strip().lower()
    if not text:
        return ""
    host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
    return host.removeprefix("www.")


def apply_change(outlet: Outlet, change: RatingChange) -> bool:
    """Store the change on the outlet; True when anything changed."""
    before = (outlet.lean, outlet.lean_basis, outlet.reliability, outlet.reliability_basis)
    if change.lean is not None:
        outlet.lean, outlet.lean_basis = change.lean, change.lean_basis
    if change.reliability is not None:
        outlet.reliability, outlet.reliability_basis = change.reliability, change.reliability_basis
    if (outlet.lean, outlet.lean_basis, outlet.reliability, outlet.reliability_basis) == before:
        return False
    outlet.save(update_fields=["lean", "lean_basis", "reliability", "reliability_basis"])
    return True

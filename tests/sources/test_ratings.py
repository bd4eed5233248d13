"""Importing outlet ratings from the admin's CSV file: every rating with its basis, never guessed."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from newshub.ingest.models import Article
from newshub.sources.models import Outlet
from newshub.sources.ratings import RatingsFileError, import_ratings
from newshub.stories.models import Story
from newshub.stories.summary import refresh_story

pytestmark = pytest.mark.django_db

HEADER = "outlet,lean,lean_basis,reliability,reliability_basis\n"


@pytest.fixture
def outlets() -> dict[str, Outlet]:
    return {
        "times": Outlet.objects.create(
            name="Example Times", slug="example-times", homepage="https://www.example-times.com/"
        ),
        "wire": Outlet.objects.create(name="Wire Service", slug="wire", homepage="https://wire.example/"),
        "daily": Outlet.objects.create(
            name="Daily Example", slug="daily", lean="right", lean_basis="Old review, 2024"
        ),
    }


def write(tmp_path: Path, text: str, name: str = "ratings.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_ratings_with_their_basis_are_stored_by_name_or_domain(tmp_path, outlets):
    path = write(
        tmp_path,
        HEADER
        + 'example times,Lean Left,"AllSides rating, 2025-03",high,"Ad Fontes chart, 2025"\n'
        + "wire.example,centre,Panel review of 40 articles 2026-01,,\n",
    )
    summary = import_ratings(path)
    assert summary["updated"] == 2 and summary["skipped"] == []
    times = Outlet.objects.get(slug="example-times")
    assert (times.lean, times.lean_basis) == ("lean_left", "AllSides rating, 2025-03")
    assert (times.reliability, times.reliability_basis) == ("high", "Ad Fontes chart, 2025")
    wire = Outlet.objects.get(slug="wire")
    assert (wire.lean, wire.reliability) == ("center", "")  # reliability left unrated


def test_domain_with_www_url_forms_and_slugs_match(tmp_path, outlets):
    path = write(
        tmp_path, HEADER + "https://example-times.com/news,left,Survey 2025,,\ndaily,center,Survey,,\n"
    )
    assert import_ratings(path)["updated"] == 2
    assert Outlet.objects.get(slug="example-times").lean == "left"
    assert Outlet.objects.get(slug="daily").lean == "center"


def test_a_rating_without_basis_rejects_the_row_with_a_reason(tmp_path, outlets):
    path = write(
        tmp_path,
        HEADER
        + "Example Times,left,,high,Ad Fontes 2025\n"
        + "Wire Service,center,Review 2026,low,\n"
        + "Nobody Gazette,center,Review 2026,,\n"
        + "Daily Example,far_right,Review 2026,,\n"
        + "Daily Example,,,,\n",
    )
    summary = import_ratings(path)
    assert summary["updated"] == 0
    reasons = {item["line"]: item["reason"] for item in summary["skipped"]}
    assert "lean_basis" in reasons[2]
    assert "reliability_basis" in reasons[3]
    assert "no outlet named 'Nobody Gazette'" in reasons[4]
    assert "unknown lean 'far_right'" in reasons[5]
    assert "no rating given" in reasons[6]
    # Nothing was half-applied from a rejected row.
    assert Outlet.objects.get(slug="example-times").reliability == ""
    assert Outlet.objects.get(slug="wire").lean == ""


def test_unrated_removes_a_rating_and_its_basis(tmp_path, outlets):
    summary = import_ratings(write(tmp_path, HEADER + "Daily Example,unrated,,,\n"))
    daily = Outlet.objects.get(slug="daily")
    assert summary["updated"] == 1
    assert (daily.lean, daily.lean_basis) == ("", "")


def test_reimporting_the_same_file_changes_nothing(tmp_path, outlets):
    path = write(tmp_path, HEADER + "Wire Service,center,Review 2026,high,Review 2026\n")
    assert import_ratings(path)["updated"] == 1
    assert import_ratings(path) == {"updated": 0, "unchanged": 1, "skipped": [], "stories_refreshed": 0}


def test_a_file_with_only_a_lean_column_works(tmp_path, outlets):
    path = write(tmp_path, "Outlet,Lean,Lean_Basis\nWire Service,center,Review 2026\n")
    assert import_ratings(path)["updated"] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,lean\nX,left\n", "'outlet' column"),
        (b"outlet,lean\n\xff\xfe\x00bad\n", "not UTF-8"),
        (b"", "'outlet' column"),
    ],
)
def test_unusable_files_raise_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(RatingsFileError, match=message):
        import_ratings(path)


def test_a_missing_file_raises_a_clear_error(tmp_path):
    with pytest.raises(RatingsFileError, match="cannot read ratings file"):
        import_ratings(tmp_path / "nope.csv")


def test_new_ratings_update_the_coverage_of_recent_stories(tmp_path, outlets):
    story = Story.objects.create()
    for n, outlet in enumerate(outlets.values()):
        Article.objects.create(
            outlet=outlet, url=f"https://example.org/{n}", title="Flood closes the bridge", story=story
        )
    refresh_story(story.pk)
    story.refresh_from_db()
    assert story.coverage["lean"] == {"unrated": 2, "right": 1}
    summary = import_ratings(write(tmp_path, HEADER + "Example Times,right,Survey 2025,,\n"))
    story.refresh_from_db()
    assert summary["stories_refreshed"] == 1
    assert story.coverage["lean"] == {"right": 2, "unrated": 1}
    assert story.blindspot == "right"


def test_the_command_prints_the_summary_and_rejects_bad_files(tmp_path, outlets):
    out = StringIO()
    call_command(
        "sources", "import-ratings", str(write(tmp_path, HEADER + "Wire Service,left,Survey,,\n")), stdout=out
    )
    assert json.loads(out.getvalue())["updated"] == 1
    with pytest.raises(CommandError, match="'outlet' column"):
        call_command("sources", "import-ratings", str(write(tmp_path, "name\nX\n", "bad.csv")))

"""What clustering reads from a text: its words (plurals folded) and the dateline at its top."""

from datetime import UTC, datetime

import pytest

from newshub.stories.features import content_terms, text_date


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("December 15th, 2008, 7:35 am\nDan Patrick reported on his show", (2008, 12, 15)),
        (
            "Nixon aide was 'bagman' in cover-up\nupdated 7 / 28 / 2004 3:02:00 PM ET\nFred LaRue",
            (2004, 7, 28),
        ),
        ("Boston looks to ink slugger\n12 / 16 / 08 1:30 AM EST\nThe Red Sox", (2008, 12, 16)),
        ("On Tue, 16 / 08 / 2011-13:42\nAn undersea cable was cut", (2011, 8, 16)),
        ("Published: 2012.08.08 09:01 AM\nA fire on Tuesday", (2012, 8, 8)),
        ("Released 2013-09-28 05:08:35 GMT\nA jury in eastern Oklahoma", (2013, 9, 28)),
        ("Last Updated: Monday, 28 November 2005, 02:24 GMT\nTen dead", (2005, 11, 28)),
        ("Sunday, November 27-2005 at 16:12\nTremors from an earthquake", (2005, 11, 27)),
    ],
)
def test_a_dateline_at_the_top_dates_the_text(text, day):
    assert text_date(text) == datetime(*day, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        # A date inside a sentence is an event the text recalls, not when it was written.
        "According to new information about the earthquake of December 26, 2004, it was the longest",
        "APR 28\nObama Administration Restores Endangered Species Act Protections",  # no year
        "Posted 31 / 31 / 2009\nNo such day",
        "The score was 3 / 4 / 5 in the third round",
        "",
    ],
)
def test_no_dateline_no_date(text):
    assert text_date(text) is None


def test_only_the_top_of_the_text_is_read():
    assert text_date("x" * 300 + "\nJuly 28, 2004\nLater text") is None


def test_singular_and_plural_are_one_term():
    terms = content_terms(
        "Tribunal hears casualties", "The tribunals counted one casualty. The crisis press virus stays."
    )
    assert terms["tribunal"] == 3 and terms["casualty"] == 3
    assert {"crisis", "press", "virus"} <= set(terms)

"""Categories from sections and from the lexicon classifier (no training data)."""

import pytest
from django.test import override_settings

from newshub.stories import categories
from newshub.stories.categories import category_from_section, category_from_sections, classify


@pytest.mark.parametrize(
    ("section", "category"),
    [
        ("Sport", "Sports"),
        ("sports", "Sports"),
        ("Football", "Sports"),
        ("tech", "Technology"),
        ("Science & Environment", "Science"),
        ("biz", "Business"),
        ("Money", "Business"),
        ("World news", "World"),
        ("/news/uk-politics/", "Politics"),
        ("Arts & Culture", "Entertainment"),
        ("Health", "Health"),
        ("Opinion", ""),
        ("", ""),
    ],
)
def test_common_section_names_map_onto_our_categories(section, category):
    assert category_from_section(section) == category


def test_sections_vote_and_unknown_sections_abstain():
    assert category_from_sections(["Sport", "Football", "Business", "Opinion", ""]) == "Sports"
    assert category_from_sections(["Opinion", "Features"]) == ""


@override_settings(NEWSHUB_CATEGORIES=["World", "Business", "Sports"])
def test_only_configured_categories_are_given():
    assert category_from_section("tech") == ""
    assert category_from_section("Sport") == "Sports"
    assert classify("Microsoft releases Windows update", "The software patch fixes a browser flaw.") in {
        "World",
        "Business",
        "Sports",
        "",
    }


@pytest.mark.parametrize(
    ("title", "text", "category"),
    [
        (
            "Rebels seize town as ceasefire collapses",
            "Troops withdrew after militants attacked the border post; the United Nations called for talks.",
            "World",
        ),
        (
            "Senate passes budget bill after late-night vote",
            "Democrats and Republicans in Congress clashed over the legislation before the ballot.",
            "Politics",
        ),
        (
            "Shares slide as quarterly profit misses forecasts",
            "The retailer's chief executive said sales fell and investors sold the stock on Wall Street.",
            "Business",
        ),
        (
            "New smartphone chip doubles battery life",
            "The software update also patches a security flaw that hackers used to break into devices.",
            "Technology",
        ),
        (
            "Astronomers find water on a distant planet",
            "Scientists using the telescope say the discovery, published in a journal, changes theories.",
            "Science",
        ),
        (
            "Flu vaccine shortage worries doctors",
            "Hospitals and patients face delays; health officials urge people at risk to get a dose.",
            "Health",
        ),
        (
            "Champions League: late goal sends holders through",
            "The striker scored in stoppage time and the coach praised the defence.",
            "Sports",
        ),
        (
            "Oscar-winning actress to star in Broadway musical",
            "The film star said the stage role, her first in theatre, was a dream.",
            "Entertainment",
        ),
    ],
)
def test_the_classifier_recognises_each_category(title, text, category):
    assert classify(title, text) == category


def test_text_without_evidence_gets_no_category():
    assert classify("", "") == ""
    assert classify("Lorem ipsum", "dolor sit amet") == ""


def test_an_admin_lexicon_adds_a_category(tmp_path, settings):
    folder = tmp_path / "category_lexicon"
    folder.mkdir()
    (folder / "climate.txt").write_text("# Climate\nclimate=3, emissions=2, carbon, heatwave=2\n")
    settings.NEWSHUB_HOME = tmp_path
    settings.NEWSHUB_CATEGORIES = ["World", "Business", "Climate"]
    categories.load_lexicons.cache_clear()
    try:
        assert classify("Heatwave breaks records", "Carbon emissions keep rising.") == "Climate"
        assert category_from_section("climate") == "Climate"
    finally:
        categories.load_lexicons.cache_clear()


def test_a_malformed_lexicon_weight_is_ignored(tmp_path, settings):
    folder = tmp_path / "category_lexicon"
    folder.mkdir()
    (folder / "sports.txt").write_text("goal=lots, match=2\n")
    settings.NEWSHUB_HOME = tmp_path
    categories.load_lexicons.cache_clear()
    try:
        assert classify("Late goal wins the match") == "Sports"
    finally:
        categories.load_lexicons.cache_clear()


def test_an_unreadable_admin_lexicon_falls_back_to_the_shipped_one(tmp_path, settings):
    folder = tmp_path / "category_lexicon"
    folder.mkdir()
    (folder / "sports.txt").write_bytes(b"\xff\xfe goal \x00\x9c")
    settings.NEWSHUB_HOME = tmp_path
    categories.load_lexicons.cache_clear()
    try:
        assert classify("Late goal wins the match", "The striker scored.") == "Sports"
    finally:
        categories.load_lexicons.cache_clear()

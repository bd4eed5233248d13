"""The demo corpus: its data files load, its feeds parse and its pages extract like real ones."""

from datetime import UTC, datetime
from pathlib import Path

import feedparser
import httpx
import pytest
import trafilatura

from newshub.demo.corpus import CORPUS_DIR, CorpusError, load_corpus
from newshub.demo.server import DemoServer

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(NOW)


def test_outlets_cover_several_countries_and_kinds(corpus):
    assert len(corpus.outlets) >= 6
    assert len({outlet.country for outlet in corpus.outlets}) >= 6
    kinds = {outlet.kind for outlet in corpus.outlets}
    assert {"wire", "newspaper", "public_broadcaster", "government", "digital", "blog"} <= kinds
    assert all(outlet.feeds for outlet in corpus.outlets)


def test_articles_are_numerous_and_written_in_paragraphs(corpus):
    assert 25 <= len(corpus.articles) <= 40
    assert all(len(article.paragraphs) >= 4 for article in corpus.articles)
    assert all(article.published < NOW for article in corpus.articles)


def test_one_wire_story_is_republished_by_three_outlets_with_changes(corpus):
    copies = [article for article in corpus.articles if article.copy_of]
    originals = {article.copy_of for article in copies}
    assert len(originals) == 1
    original = corpus.by_key[originals.pop()]
    assert original.outlet.kind == "wire"
    assert len({copy.outlet for copy in copies}) == 3
    for copy in copies:
        assert copy.title != original.title
        assert copy.paragraphs[0] == original.paragraphs[0]
        assert copy.paragraphs[-1] not in original.paragraphs  # boilerplate added
        assert len(copy.paragraphs) <= len(original.paragraphs)  # end trimmed


def test_the_base_explosion_has_a_claim_a_denial_and_counter_claims(corpus):
    text = " ".join(" ".join(a.paragraphs) for a in corpus.articles if "tarrow" in a.slug)
    assert "two security sources said" in text.lower()
    assert "Those reports are false" in text
    assert "no drones or fighter jets" in text
    assert "intentional attack" in text
    assert len({a.outlet for a in corpus.articles if "tarrow" in a.slug}) >= 6


def test_every_feed_parses_cleanly_and_every_page_extracts(corpus):
    with DemoServer(corpus) as server, httpx.Client() as client:
        entries = 0
        for outlet in corpus.outlets:
            for feed in outlet.feeds:
                response = client.get(server.feed_url(outlet, feed))
                parsed = feedparser.parse(response.content)
                assert not parsed.bozo, (feed.path, parsed.bozo_exception)
                entries += len(parsed.entries)
        assert entries >= len(corpus.articles)
        for article in corpus.articles:
            url = server.base_url + article.path
            extracted = trafilatura.bare_extraction(client.get(url).text, url=url, with_metadata=True)
            assert extracted.title == article.title
            assert extracted.text.startswith(article.paragraphs[0][:60])
        assert client.get(server.base_url + "/nowhere").status_code == 404


def write_article(folder: Path, name: str, text: str) -> None:
    (folder / "articles" / "continental-press").mkdir(parents=True, exist_ok=True)
    (folder / "articles" / "continental-press" / name).write_text(text)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("no header at all\n", "expected a header"),
        ('+++\ntitle = "unclosed\n+++\nBody.\n', "bad header"),
        ('+++\ntitle = "A copy"\nsection = "World"\nhours_ago = 1\ncopy_of = "x/y"\n+++\n', "copy_of"),
    ],
)
def test_a_malformed_article_file_names_itself(tmp_path, text, problem):
    (tmp_path / "outlets.toml").write_text((CORPUS_DIR / "outlets.toml").read_text())
    write_article(tmp_path, "broken.txt", text)
    with pytest.raises(CorpusError, match=problem) as error:
        load_corpus(NOW, tmp_path)
    assert "continental-press/broken" in str(error.value)

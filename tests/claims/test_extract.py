"""Extraction of attributed statements, on the seed article and on the patterns it must cover."""

import time
from pathlib import Path

import pytest

from newshub.claims.extract import extract_claims

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "article.txt"


def claims_by_cue(text: str) -> dict[str, object]:
    return {claim.cue.text: claim for claim in extract_claims(text)}


def the_claim(text: str, cue: str):
    claims = [claim for claim in extract_claims(text) if claim.cue.text == cue]
    assert len(claims) == 1, [(c.cue.text, c.content.text) for c in extract_claims(text)]
    return claims[0]


@pytest.fixture(scope="module")
def seed_claims():
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    text = SEED.read_text(encoding="utf-8")
    return text, extract_claims(text)


def test_seed_four_claims_with_speaker_and_stance(seed_claims):
    text, claims = seed_claims

    def find(speaker: str, words: str):
        hits = [c for c in claims if c.speaker == speaker and words in c.content.text]
        assert hits, [(c.speaker, c.content.text[:60]) for c in claims]
        return hits[0]

    centcom = find("U.S. Central Command", "Those reports are false")
    assert centcom.stance == "denies" and centcom.speaker_kind == "organisation"
    sources = find("two security sources", "airstrikes triggered an explosion")
    assert sources.stance == "asserts" and sources.speaker_kind == "unnamed"
    iraqi = find("Iraqi military", "no drones or warplanes detected")
    assert iraqi.stance == "denies" and iraqi.source.text == "It"
    commander = find("PMF force commander", "intentional attack")
    assert commander.stance == "asserts"
    for claim in claims:
        for span in (claim.source, claim.cue, claim.content):
            if span is not None:
                assert text[span.start : span.end] == span.text


def test_seed_us_military_denies_and_statement_is_a_document(seed_claims):
    _text, claims = seed_claims
    military = [c for c in claims if c.cue.text == "stated" and c.speaker == "U.S. military"]
    assert military and military[0].stance == "denies"
    statement = [c for c in claims if c.speaker_kind == "document" and c.cue.text == "said"]
    assert statement and "no drones or fighter jets" in statement[0].content.text


def test_direct_quote_before_the_speaker_and_continued():
    text = "“We will win this,” said Jane Doe, the mayor. “The numbers are with us.”\n\nNext paragraph."
    claim = the_claim(text, "said")
    assert claim.speaker == "Jane Doe" and claim.speaker_kind == "person"
    assert claim.content.text.startswith("“We will win") and claim.content.text.endswith("with us.”")


def test_quote_after_a_colon():
    claim = the_claim("The minister said: “Prices will fall next year.”", "said")
    assert claim.content.text == "“Prices will fall next year.”"
    assert claim.source.text == "The minister"


def test_indirect_speech_and_pronoun_resolved_to_earlier_person():
    text = "John Smith told reporters that the bridge will reopen. Later he added that repairs cost $2m."
    claims = extract_claims(text)
    assert [c.speaker for c in claims] == ["John Smith", "John Smith"]
    assert claims[1].source.text == "he"
    assert claims[0].content.text == "that the bridge will reopen"


def test_pronoun_without_earlier_speaker_takes_the_nearest_full_name():
    claim = the_claim("Adam Neumann left the company last year, and he said that he had no regrets.", "said")
    assert claim.speaker == "Adam Neumann" and claim.source.text == "he"


def test_relative_pronoun_speaks_for_its_noun():
    claim = the_claim("The mayor, who said that the bridge will reopen, left early.", "said")
    assert claim.source.text == "who" and claim.speaker == "mayor"


def test_passive_report_without_a_speaker_has_no_source():
    claim = the_claim("Trump is expected to deliver a victory speech tonight.", "expected")
    assert claim.source is None and claim.speaker == ""
    assert claim.content.text == "Trump is expected to deliver a victory speech tonight"


def test_according_to_and_as_per():
    according = the_claim("According to the ministry, 40 people were evacuated.", "According to")
    assert according.source.text == "the ministry" and according.content.text == "40 people were evacuated"
    as_per = the_claim("Eight others were injured, as per Reuters.", "as per")
    assert as_per.speaker == "Reuters" and as_per.content.text == "Eight others were injured"


def test_possessive_statement_speaks_for_its_owner():
    claim = the_claim("The company's statement to Reuters said that no data was lost.", "said")
    assert claim.speaker_kind == "organisation" and claim.stance == "denies"


@pytest.mark.parametrize(
    ("text", "cue", "stance"),
    [
        ("The ministry denied that troops had crossed the border.", "denied", "denies"),
        ("The ministry rejected the reports.", "rejected", "denies"),
        ("Police said there was no evidence of foul play.", "said", "denies"),
        ("Officials said the reports were false.", "said", "denies"),
        ("The army said it did not fire on protesters.", "said", "denies"),
        ("The army said it fired on protesters.", "said", "asserts"),
        ("The ministry denied that troops had not been paid.", "denied", "asserts"),
    ],
)
def test_stance(text, cue, stance):
    assert the_claim(text, cue).stance == stance


def test_negated_cue_is_no_claim():
    assert extract_claims("The spokesman did not say that the talks had failed.") == []


def test_acronym_and_surname_join_the_full_name():
    text = (
        "Pat Caddell told the host that health matters. Later Caddell said that polls moved. "
        "U.S. Central Command (CENTCOM) said that no strikes took place. CENTCOM said that it was ready."
    )
    speakers = [claim.speaker for claim in extract_claims(text)]
    assert speakers == ["Pat Caddell", "Pat Caddell", "U.S. Central Command", "U.S. Central Command"]


# --- bad input: no crash, nothing invented ----------------------------------------------------------------


def test_empty_and_whitespace_text():
    assert extract_claims("") == []
    assert extract_claims("   \n\n  ") == []


def test_unbalanced_quote_marks_invent_nothing():
    text = "“This quote never closes, said nobody in particular\n\nThe weather was fine. Rain is due."
    for claim in extract_claims(text):
        assert claim.content.text.count("“") <= 1 and "weather" not in claim.content.text


def test_quote_spanning_paragraphs_by_convention():
    text = "Smith said: “First paragraph of the quote.\n\n“Second paragraph of the quote.”\n\nUnrelated."
    claim = the_claim(text, "said")
    assert claim.content.text.endswith("Second paragraph of the quote.”")
    assert "Unrelated" not in claim.content.text


def test_non_english_text_yields_nothing_invented():
    text = "Der Minister sagte: „Die Preise werden sinken.“ Le ministre a déclaré que les prix vont baisser."
    for claim in extract_claims(text):
        assert claim.content.text in text


def test_huge_text_finishes_quickly():
    paragraph = "The river runs past the old mill and the fields beyond it are green in spring. " * 10
    text = "\n".join([paragraph] * 1300) + "\nThe mayor said that the bridge will reopen."
    assert len(text.split()) > 100_000
    started = time.perf_counter()
    claims = extract_claims(text)
    assert time.perf_counter() - started < 20
    assert all(claim.content.end <= len(text) for claim in claims)


def test_headline_crediting_its_words():
    text = "Graham: Trump’s Rhetoric Is Destroying the Party’s Chance\n\nUPDATE: more below.\n\nIt rained."
    [claim] = extract_claims(text)
    assert claim.source.text == "Graham" and claim.cue.text == ":"
    assert claim.content.text == "Trump’s Rhetoric Is Destroying the Party’s Chance"

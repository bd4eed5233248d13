"""The filter core: heuristics with reasons, learning from decisions, surviving a restart."""

from __future__ import annotations

import functools

import pytest

from newshub.comments.spam import Decision, SpamFilter, Submission

SPAM = [
    f"Cheap watches {n} at http://watch-deals.example/shop best price, check out my store" for n in range(12)
] + [f"Earn money from home {n}, visit my page http://cash.example/{n}" for n in range(12)]
LEGITIMATE = [
    "The bridge closure cost the town a lot of trade this summer.",
    "I cross it every day; the new lanes are much safer.",
    "Did anyone ask the engineers why it took three years?",
    "Good reporting, the timeline at the end helps.",
    "My father worked on the original bridge in 1971.",
    "The detour added forty minutes to my commute.",
    "Will the cycle path reopen as well?",
    "Nice to see the council admit the delay.",
    "Photos from the opening look great.",
    "The article says two lanes, the council says three.",
    "Traffic was calm this morning, surprisingly.",
    "Hope the repairs last longer this time.",
]


@functools.cache
def learned_filter() -> SpamFilter:
    """Fitted once per test run (a refit takes a second or two); tests only read it."""
    spam_filter = SpamFilter()
    spam_filter.learn(
        [Submission(text) for text in SPAM + LEGITIMATE], [True] * len(SPAM) + [False] * len(LEGITIMATE)
    )
    return spam_filter


def test_without_decisions_heuristics_publish_plain_text_and_hold_what_is_unsure():
    spam_filter = SpamFilter()
    plain = spam_filter.score(Submission("The new lanes are much safer."))
    one_link = spam_filter.score(Submission("Full council report: https://council.example/report.pdf"))
    blatant = spam_filter.score(
        Submission(
            "CHECK OUT MY CHANNEL!!!!! SUBSCRIBE http://a.example http://b.example.com http://c.example.com "
            "http://d.example.com FREE GIFT GIVEAWAY"
        )
    )
    assert plain.decision is Decision.PUBLISH and plain.reasons == []
    assert one_link.decision is Decision.HOLD and one_link.reasons == ["1 link"]
    assert blatant.decision is Decision.REJECT
    assert "4 links" in blatant.reasons and "all caps" in blatant.reasons


def test_quick_posting_is_a_reason_and_never_publishes_unseen():
    verdict = SpamFilter().score(Submission("Fine words.", seconds_to_post=3))
    assert "posted 3 s after the page loaded" in verdict.reasons
    assert verdict.decision is Decision.HOLD


def test_look_alike_letters_are_flagged_but_honest_mixed_scripts_are_not():
    spam_filter = SpamFilter()
    assert "mixed scripts in one word" in spam_filter.score(Submission("Cheap vіagra")).reasons
    honest = spam_filter.score(Submission("Мост открыли — the bridge is open, 橋が再開しました."))
    assert honest.decision is Decision.PUBLISH


def test_learns_from_moderators_decisions():
    spam_filter = learned_filter()
    assert spam_filter.decisions_seen == len(SPAM) + len(LEGITIMATE)
    spam = spam_filter.score(
        Submission("Cheap watches 99 at http://watch-deals.example/shop best price, check out my store")
    )
    legitimate = spam_filter.score(Submission("The detour added an hour to my commute this week."))
    assert spam.decision is Decision.REJECT
    assert "link to a domain seen in spam (watch-deals.example)" in spam.reasons
    assert any(
        reason.startswith("like ") and reason.endswith("comments marked spam") for reason in spam.reasons
    )
    assert legitimate.decision is Decision.PUBLISH


def test_a_few_decisions_do_not_replace_the_heuristics():
    spam_filter = SpamFilter()
    spam_filter.learn([Submission(SPAM[0]), Submission(LEGITIMATE[0])], [True, False])
    assert spam_filter.classifier is None
    verdict = spam_filter.score(Submission("Thanks for the update."))
    assert verdict.decision is Decision.PUBLISH


def test_state_survives_a_reload(tmp_path):
    path = tmp_path / "spam-filter.joblib"
    before = learned_filter()
    before.save(path)
    after = SpamFilter.load(path)
    probe = [Submission(SPAM[3]), Submission("Will the cycle path reopen soon?")]
    assert [v.score for v in after.score_many(probe)] == [v.score for v in before.score_many(probe)]
    assert after.decisions_seen == before.decisions_seen
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize("content", [b"", b"not a model", b"\x80\x04garbage"])
def test_unreadable_model_file_falls_back_to_heuristics(tmp_path, content):
    path = tmp_path / "spam-filter.joblib"
    path.write_bytes(content)
    spam_filter = SpamFilter.load(path)
    assert spam_filter.decisions_seen == 0
    assert spam_filter.score(Submission("Plain words.")).decision is Decision.PUBLISH


def test_empty_and_huge_input_do_not_crash():
    spam_filter = learned_filter()
    assert spam_filter.score_many([]) == []
    assert spam_filter.score(Submission("")).decision in set(Decision)
    assert spam_filter.score(Submission("word " * 2_000)).decision in set(Decision)

"""Grouping claims by proposition, and contradictions from stance (pure functions, no database)."""

from newshub.claims.groups import ClaimForGrouping, group_claims, key_terms


def claim(
    key: int, speaker: str, content: str, stance: str = "asserts", article: int = 1
) -> ClaimForGrouping:
    start = key * 1000
    return ClaimForGrouping(
        key=key,
        article=article,
        content=content,
        stance=stance,
        speaker=speaker,
        start=start,
        end=start + len(content),
        source_start=start - 20,
        cue_start=start - 10,
    )


CLAIMS = [
    claim(1, "two security sources", "airstrikes triggered an explosion at the base"),
    claim(
        2, "CENTCOM", "The United States did not conduct any airstrikes in Iraq today", "denies", article=2
    ),
    claim(3, "Iraqi military", "there were no drones or warplanes detected in the sky", "denies"),
    claim(4, "the mayor", "the new bridge will open to traffic in May"),
    claim(5, "the council", "the new bridge will open in May and ease traffic"),
]


def test_denials_join_the_assertion_they_deny_and_flag_it():
    groups = group_claims(CLAIMS)
    airstrikes = next(group for group in groups if any(member.key == 1 for member in group.members))
    assert {member.key for member in airstrikes.members} == {1, 2, 3}
    assert airstrikes.contradicted
    assert airstrikes.asserting == ["two security sources"]
    assert airstrikes.denying == ["CENTCOM", "Iraqi military"]
    assert airstrikes.label == "airstrikes triggered an explosion at the base"


def test_agreeing_claims_are_not_a_contradiction():
    groups = group_claims(CLAIMS)
    bridge = next(group for group in groups if any(member.key == 4 for member in group.members))
    assert {member.key for member in bridge.members} == {4, 5}
    assert not bridge.contradicted


def test_grouping_is_deterministic_and_order_independent_in_content():
    first = [[m.key for m in group.members] for group in group_claims(CLAIMS)]
    second = [[m.key for m in group.members] for group in group_claims(list(CLAIMS))]
    assert first == second


def test_a_speaker_who_asserts_and_denies_alone_is_no_contradiction():
    groups = group_claims(
        [
            claim(1, "Smith", "taxes will rise next year"),
            claim(2, "Smith", "taxes will not rise next year", "denies"),
        ]
    )
    assert len(groups) == 1 and not groups[0].contradicted


def test_relayed_claim_gives_way_to_the_inner_one():
    outer = ClaimForGrouping(
        1, 1, "two sources reported that airstrikes hit", "asserts", "Reuters", 100, 140, 80, 85
    )
    inner = ClaimForGrouping(2, 1, "that airstrikes hit", "asserts", "two sources", 121, 140, 100, 112)
    [group] = group_claims([outer, inner])
    assert [member.key for member in group.members] == [2]


def test_key_terms_fold_plurals_and_concepts():
    assert "airstrike" in key_terms("Airstrikes hit")
    assert "airstrike" in key_terms("no warplanes were detected")
    assert "report" not in key_terms("Those reports are false")


def test_empty_input():
    assert group_claims([]) == []

"""Does a claim assert or deny? The content-level half of the rule (the cue-level half is a word list).

A content denies when a clause at its top (a token whose head lies outside the content) is negated:
a "not"/"n't" on it ("The United States did not conduct any airstrikes"), "never", "nothing", "nobody",
"none" among its core arguments, a "no" or "neither" determining its subject or object ("there were no
drones", "no evidence"), or it or its complement calls something untrue ("Those reports are false").
Negation inside a subordinate clause does not count: "said the plan, which did not pass, will return"
asserts.
"""

from spacy.tokens import Token

from newshub.claims.lexicon import FALSITY_WORDS, lemma

_NEGATIVE_DETERMINERS = {"no", "neither", "nor"}
_NEGATIVE_WORDS = {"never", "nothing", "nobody", "none", "nowhere"}
_CORE_ARGUMENTS = {"nsubj", "nsubjpass", "dobj", "attr", "acomp", "advmod", "neg", "npadvmod", "oprd"}


def negated(tokens: list[Token]) -> bool:
    """True when a clause at the top of these tokens (a claim's content) is negated or called untrue."""
    inside = {id(token) for token in tokens}
    for token in tokens:
        if token.head is not token and id(token.head) in inside:
            continue
        if clause_negated(token):
            return True
    return False


def clause_negated(root: Token) -> bool:
    if lemma(root) in FALSITY_WORDS:
        return True
    for child in root.children:
        if child.dep_ not in _CORE_ARGUMENTS:
            continue
        lower = child.lower_
        if child.dep_ == "neg" or lower in _NEGATIVE_WORDS or lemma(child) in FALSITY_WORDS:
            return True
        if any(grand.dep_ == "det" and grand.lower_ in _NEGATIVE_DETERMINERS for grand in child.children):
            return True
        if child.dep_ in ("dobj", "attr") and any(
            grand.dep_ == "neg" or grand.lower_ in _NEGATIVE_DETERMINERS for grand in child.children
        ):
            return True
    return False

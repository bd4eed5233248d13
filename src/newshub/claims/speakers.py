"""One name per speaker within a story.

"U.S. Central Command (CENTCOM)", "CENTCOM" and "Central Command" are one speaker; so are "Pat Caddell" and
a later "Caddell". The rules, in order:
1. names compare by a key: lower case, dots and a leading "the" dropped ("the U.S. military" = "US Military");
2. an acronym defined in parentheses anywhere in the story's texts ("Popular Mobilization Forces (PMF)")
   stands for its long form, and "Long Form (ACR)" is the long form;
3. a shorter name that is the tail of exactly one longer name of a compatible kind joins it ("Central
   Command" -> "U.S. Central Command", "Caddell" -> "Pat Caddell"); when two longer names end the same way
   ("Iraqi military", "U.S. military") the short one stays apart rather than guess.
The displayed name is the longest form seen.
"""

import re
from collections.abc import Iterable

_ACRONYM_DEFINITION = re.compile(r"\(([A-Z][A-Za-z&.]{1,11})\)")
_NAME_WORD = re.compile(r"^(?:[A-Z][\w.’'&-]*|of|and|for|de|al|on)$")
_CONNECTORS = {"of", "and", "for", "de", "al", "on"}
_PARENTHESISED = re.compile(r"\s*\([^)]*\)\s*")


def name_key(name: str) -> str:
    key = re.sub(r"[.’']", "", name.lower())
    key = re.sub(r"[^\w&-]+", " ", key).strip()
    return re.sub(r"^the ", "", key)


def acronym_definitions(text: str) -> dict[str, str]:
    """Acronym key -> long form, for every "Long Form (ACR)" in the text whose long form has two or more
    capitalised words."""
    definitions: dict[str, str] = {}
    for match in _ACRONYM_DEFINITION.finditer(text):
        acronym = match.group(1)
        if sum(1 for ch in acronym if ch.isupper()) < 2:
            continue
        before = text[max(0, match.start() - 120) : match.start()]
        words = before[before.rfind("\n") + 1 :].split()
        long_form: list[str] = []
        for word in reversed(words):
            if not _NAME_WORD.match(word) or len(long_form) >= 8 or _ends_sentence(word):
                break
            long_form.insert(0, word)
        while long_form and long_form[0] in _CONNECTORS:
            long_form.pop(0)
        if sum(1 for word in long_form if word[0].isupper()) >= 2:
            definitions.setdefault(name_key(acronym), " ".join(long_form))
    return definitions


def _ends_sentence(word: str) -> bool:
    """ "Friday." ends a sentence; "U.S." and "Gen." are abbreviations."""
    return word.endswith(".") and word.count(".") == 1 and len(word) > 5


_COMPATIBLE = {
    ("person", "person"),
    ("organisation", "organisation"),
    ("unnamed", "unnamed"),
    ("document", "document"),
}


def _compatible(long_kind: str, short_kind: str, short_words: int) -> bool:
    # A lone surname joins a person whatever the entity tagger made of it ("Caddell" tagged ORG).
    if long_kind == "person" and short_words == 1:
        return True
    return (long_kind, short_kind) in _COMPATIBLE or "unknown" in (long_kind, short_kind)


class SpeakerNames:
    """Maps every name seen in a story (or a single text) to the one name shown for that speaker."""

    def __init__(self, mentions: Iterable[tuple[str, str]], texts: Iterable[str] = ()) -> None:
        self._acronyms: dict[str, str] = {}
        for text in texts:
            for key, long_form in acronym_definitions(text).items():
                self._acronyms.setdefault(key, long_form)
        self._canonical: dict[str, str] = {}
        self._display: dict[str, str] = {}
        self._kinds: dict[str, str] = {}
        self._build([(self._expand(name), kind) for name, kind in mentions if name.strip()])

    def canonical(self, name: str) -> str:
        expanded = self._expand(name)
        key = name_key(expanded)
        root = self._canonical.get(key, key)
        return self._display.get(root, expanded)

    def kind(self, name: str, default: str) -> str:
        """The kind of the speaker the name joined (a surname joined to a person is a person)."""
        key = name_key(self._expand(name))
        root = self._canonical.get(key)
        return self._kinds.get(root, default) if root else default

    def _expand(self, name: str) -> str:
        name = name.strip()
        without_parentheses = _PARENTHESISED.sub(" ", name).strip()
        if without_parentheses and without_parentheses != name:
            name = without_parentheses
        return self._acronyms.get(name_key(name), name)

    def _build(self, mentions: list[tuple[str, str]]) -> None:
        kinds = self._kinds
        for name, kind in mentions:
            key = name_key(name)
            if not key:
                continue
            if key not in self._display or len(name) > len(self._display[key]):
                self._display[key] = name
            if kinds.get(key, "unknown") == "unknown":
                kinds[key] = kind
        keys = sorted(kinds, key=lambda key: (-len(key.split()), key))
        for short in keys:
            short_words = short.split()
            longer = [
                key
                for key in keys
                if len(key.split()) > len(short_words)
                and key.split()[-len(short_words) :] == short_words
                and _compatible(kinds[key], kinds[short], len(short_words))
            ]
            roots = {self._canonical.get(key, key) for key in longer}
            if len(roots) == 1 and self._display[short][:1].isupper():
                self._canonical[short] = roots.pop()

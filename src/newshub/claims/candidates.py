"""Which parts of a text to parse: the sentences that can hold an attribution.

Parsing is what extraction costs, so a cheap pass first keeps the sentences with a cue word form (said,
told, denied ... in any inflection), a quote mark or a "that", in runs of consecutive sentences per
paragraph, plus headlines that credit their words ("Graham: Trump's Rhetoric ..."). A wall of text
without paragraph breaks is cut into pieces of about MAX_SEGMENT_CHARS at sentence ends.
"""

import re
from collections.abc import Iterator

from newshub.claims.lexicon import CUE_VERBS, inflections

# A wall of text without paragraph breaks is parsed in pieces of about this size.
MAX_SEGMENT_CHARS = 2_000

_IRREGULAR_FORMS = "said told wrote written thought found knew known felt shown according per"

_CANDIDATE = re.compile(
    r"[“”\"«»]|\b(?:"
    + "|".join(sorted({form for lemma in CUE_VERBS for form in inflections(lemma)}, key=len, reverse=True))
    + "|that|"
    + "|".join(_IRREGULAR_FORMS.split())
    + r")\b",
    re.IGNORECASE,
)
_PARAGRAPH = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# A sentence ends at . ! ? (and a closing quote) followed by a capital or an opening quote.
_SENTENCE = re.compile(r".+?(?:[.!?]+[”\"’]?(?=\s+[“\"A-Z])|$)", re.DOTALL)


_ABBREVIATION_END = re.compile(
    r"(?:\b(?:[A-Za-z]\.)+|\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|St|Jr|Sr|Lt|Col|Sgt|Capt|Prof|Inc|Corp|Co|No|vs)\.)$"
)


# A headline that credits its words: "Graham: Trump's Rhetoric Destroying GOP's Chance".
_HEADLINE = re.compile(r"(?P<name>[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,3}):[ \t]+(?P<content>\S[^\n]{6,})")
_MAX_HEADLINE_CHARS = 200
_NOT_SPEAKERS = {
    "update",
    "watch",
    "read",
    "breaking",
    "exclusive",
    "video",
    "photos",
    "photo",
    "listen",
    "related",
    "note",
    "source",
    "sources",
    "image",
    "credit",
    "correction",
    "disclosure",
    "editor’s note",
    "editor's note",
    "q",
    "a",
    "live",
    "opinion",
    "analysis",
    "review",
    "warning",
    "tags",
    "topics",
    "share",
    "published",
    "updated",
}


def headline(text: str, start: int, end: int) -> re.Match | None:
    if end - start > _MAX_HEADLINE_CHARS:
        return None
    match = _HEADLINE.fullmatch(text, start, end)
    if match is None or match.group("name").lower() in _NOT_SPEAKERS:
        return None
    return match


def candidates(text: str) -> Iterator[tuple[int, int]]:
    """Runs of consecutive sentences that hold a cue word or a quote mark, paragraph by paragraph."""
    for paragraph in _PARAGRAPH.finditer(text):
        if headline(text, paragraph.start(), paragraph.end()):
            yield paragraph.start(), paragraph.end()
            continue
        run_start = run_end = None
        for start, end in sentences(text, paragraph.start(), paragraph.end()):
            if _CANDIDATE.search(text, start, end):
                run_start = start if run_start is None else run_start
                run_end = end
            elif run_start is not None:
                yield from pieces(text, run_start, run_end)
                run_start = None
        if run_start is not None:
            yield from pieces(text, run_start, run_end)


def sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentences by punctuation, not split after abbreviations ("U.S. Central Command", "Mr. Smith")."""
    sentence_start = None
    for match in _SENTENCE.finditer(text, start, end):
        sentence_start = match.start() if sentence_start is None else sentence_start
        if match.end() < end and _ABBREVIATION_END.search(text, match.start(), match.end()):
            continue
        yield sentence_start, match.end()
        sentence_start = None
    if sentence_start is not None:
        yield sentence_start, end


def pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The paragraph, or for a very long one, runs of whole sentences of about MAX_SEGMENT_CHARS."""
    while end - start > MAX_SEGMENT_CHARS:
        window_end = start + MAX_SEGMENT_CHARS
        breaks = [m.end() for m in _SENTENCE_END.finditer(text, start + MAX_SEGMENT_CHARS // 4, window_end)]
        cut = breaks[-1] if breaks else window_end
        yield start, cut
        start = cut
    if text[start:end].strip():
        yield start, end

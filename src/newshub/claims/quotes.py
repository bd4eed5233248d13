"""Quoted passages in a text, found by their quote marks alone (no parsing).

Rules, chosen so that a broken text never yields an invented quote:
- curly (“ ”, « ») and straight (") marks pair up; a straight mark inside a curly quote is part of it;
- a quote still open at a paragraph break continues only when the next paragraph opens with a quote mark
  (the newspaper convention for multi-paragraph quotes); otherwise the opening mark is dropped as unbalanced;
- a new opening curly mark while one is open drops the earlier, unbalanced one.
"""

import re
from dataclasses import dataclass

from newshub.claims.lexicon import CLOSING_QUOTES, OPENING_QUOTES, STRAIGHT_QUOTE

# Two apostrophes stand for a straight double quote in some archives (''Like this,'' she said).
_MARKS = re.compile(r"''|[“”«»\"]|\n")


@dataclass(frozen=True)
class Quote:
    start: int  # at the opening mark
    end: int  # just past the closing mark


def find_quotes(text: str) -> list[Quote]:
    quotes: list[Quote] = []
    open_at: int | None = None
    open_straight = False
    continues_after_break = False
    for match in _MARKS.finditer(text):
        mark, position = match.group(), match.start()
        if mark == "''":
            mark = STRAIGHT_QUOTE
        if mark == "\n":
            if open_at is not None and not continues_after_break:
                continues_after_break = _next_paragraph_opens_quote(text, position)
                if not continues_after_break:
                    open_at = None
            continue
        if continues_after_break:
            continues_after_break = False
            if _is_opening(mark, open_straight):
                continue  # the repeated opening mark of a multi-paragraph quote
        if open_at is None:
            if mark in OPENING_QUOTES or mark == STRAIGHT_QUOTE:
                open_at, open_straight = position, mark == STRAIGHT_QUOTE
        elif (mark in CLOSING_QUOTES and not open_straight) or (mark == STRAIGHT_QUOTE and open_straight):
            quotes.append(Quote(open_at, match.end()))
            open_at = None
        elif mark in OPENING_QUOTES:
            open_at, open_straight = position, False
    return quotes


def _is_opening(mark: str, open_straight: bool) -> bool:
    return mark in OPENING_QUOTES or (mark == STRAIGHT_QUOTE and open_straight)


def _next_paragraph_opens_quote(text: str, newline_at: int) -> bool:
    rest = text[newline_at : newline_at + 20].lstrip()
    return bool(rest) and (rest[0] in OPENING_QUOTES or rest[0] == STRAIGHT_QUOTE)

"""The ScrapingHub article-extraction-benchmark metric (see ../shared/data/README.md).

Tokens are lower-cased \\w+ matches, shingles are 4-grams of tokens; per page precision and recall over
shingle sets, averaged over pages; F1 from the averages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN = re.compile(r"\w+")
SHINGLE = 4


def shingles(text: str) -> set[tuple[str, ...]]:
    tokens = TOKEN.findall(text.lower())
    return {tuple(tokens[i : i + SHINGLE]) for i in range(max(len(tokens) - SHINGLE + 1, 0))}


def page_scores(predicted: str, gold: str) -> tuple[float, float]:
    pred, true = shingles(predicted), shingles(gold)
    if not pred:
        return (1.0, 1.0) if not true else (0.0, 0.0)
    if not true:
        return 0.0, 1.0
    common = len(pred & true)
    return common / len(pred), common / len(true)


@dataclass
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def score(pairs: list[tuple[str, str]]) -> Score:
    """pairs: (predicted, gold) per page."""
    results = [page_scores(predicted, gold) for predicted, gold in pairs]
    return Score(
        precision=sum(p for p, _ in results) / len(results),
        recall=sum(r for _, r in results) / len(results),
    )

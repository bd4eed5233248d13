"""Clustering scores as ../shared/data/README.md defines them: B-cubed and pairwise, over articles."""

from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence


def b_cubed(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> dict[str, float]:
    """Per-article precision and recall of its predicted cluster against its gold one, averaged."""
    joint = Counter(zip(gold, predicted, strict=True))
    gold_sizes, predicted_sizes = Counter(gold), Counter(predicted)
    precision = sum(joint[g, p] / predicted_sizes[p] for g, p in zip(gold, predicted, strict=True)) / len(
        gold
    )
    recall = sum(joint[g, p] / gold_sizes[g] for g, p in zip(gold, predicted, strict=True)) / len(gold)
    return {"precision": precision, "recall": recall, "f1": f1(precision, recall)}


def pairwise(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> dict[str, float]:
    """Precision and recall over the pairs of articles put together."""

    def pairs(counts: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    together = pairs(Counter(zip(gold, predicted, strict=True)))
    predicted_pairs, gold_pairs = pairs(Counter(predicted)), pairs(Counter(gold))
    precision = together / predicted_pairs if predicted_pairs else 1.0
    recall = together / gold_pairs if gold_pairs else 1.0
    return {"precision": precision, "recall": recall, "f1": f1(precision, recall)}


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def singletons_for_missing(predicted: Sequence[Hashable | None]) -> list[Hashable]:
    """A skipped article (story null) is a story of its own."""
    return [story if story is not None else ("skipped", i) for i, story in enumerate(predicted)]


def by_group(keys: Sequence[Hashable], *columns: Sequence) -> dict[Hashable, list[list]]:
    grouped: defaultdict[Hashable, list[list]] = defaultdict(lambda: [[] for _ in columns])
    for i, key in enumerate(keys):
        for column, values in zip(grouped[key], columns, strict=True):
            column.append(values[i])
    return dict(grouped)

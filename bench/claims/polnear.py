"""PolNeAR reading and the scoring rule of ../shared/data/README.md.

A predicted attribution matches a gold one when their Content spans have token F1 >= 0.5 (tokens are `\\w+`
matches, by character offset), and the gold has no Source, or the Source spans share a token, or their
Source texts are equal ignoring case. Matching is one-to-one, greedy by content F1.
"""

import re
from dataclasses import dataclass
from pathlib import Path

Fragments = tuple[tuple[int, int], ...]
_WORD = re.compile(r"\w+")
_T_LINE = re.compile(r"^(T\d+)\t(\w[\w-]*) ([\d ;]+)\t", re.MULTILINE)
_E_LINE = re.compile(r"^E\d+\t(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Attribution:
    source: Fragments | None
    content: Fragments


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    attributions: tuple[Attribution, ...]


def read_split(split_dir: Path) -> list[Document]:
    annotations = sorted((split_dir / "attributions").glob("*.ann"))
    documents = []
    for text_path in sorted((split_dir / "text").glob("*.txt")):
        mine = [path for path in annotations if path.name.rsplit("_", 1)[0] == text_path.stem]
        if not mine:
            continue
        text = text_path.read_text(encoding="utf-8")
        documents.append(Document(text_path.stem, text, tuple(read_ann(mine[0].read_text(encoding="utf-8")))))
    return documents


def read_ann(ann: str) -> list[Attribution]:
    spans: dict[str, Fragments] = {}
    for tid, _kind, offsets in _T_LINE.findall(ann):
        spans[tid] = tuple(tuple(int(n) for n in part.split()) for part in offsets.split(";"))
    attributions = []
    for line in _E_LINE.findall(ann):
        roles = dict(arg.split(":", 1) for arg in line.split() if ":" in arg)
        if roles.get("Content") in spans:
            source = spans.get(roles.get("Source", ""))
            attributions.append(Attribution(source, spans[roles["Content"]]))
    return attributions


def tokens(text: str, fragments: Fragments) -> set[int]:
    return {
        match.start()
        for start, end in fragments
        for match in _WORD.finditer(text, start, end)
        if match.end() <= end
    }


def token_f1(predicted: set[int], gold: set[int]) -> float:
    common = len(predicted & gold)
    if not common:
        return 0.0
    precision, recall = common / len(predicted), common / len(gold)
    return 2 * precision * recall / (precision + recall)


def match(text: str, predicted: list[Attribution], gold: list[Attribution]) -> int:
    """How many predictions match a gold attribution, one to one."""
    candidates = []
    for p_index, prediction in enumerate(predicted):
        p_content = tokens(text, prediction.content)
        p_source = tokens(text, prediction.source) if prediction.source else set()
        for g_index, truth in enumerate(gold):
            f1 = token_f1(p_content, tokens(text, truth.content))
            if f1 < 0.5 or not _sources_agree(text, prediction.source, p_source, truth.source):
                continue
            candidates.append((f1, p_index, g_index))
    used_predictions: set[int] = set()
    used_gold: set[int] = set()
    for _f1, p_index, g_index in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if p_index not in used_predictions and g_index not in used_gold:
            used_predictions.add(p_index)
            used_gold.add(g_index)
    return len(used_predictions)


def _sources_agree(
    text: str, predicted: Fragments | None, p_tokens: set[int], gold: Fragments | None
) -> bool:
    if gold is None:
        return True
    if predicted is None:
        return False
    return bool(p_tokens & tokens(text, gold)) or _text(text, predicted).lower() == _text(text, gold).lower()


def _text(text: str, fragments: Fragments) -> str:
    return " ".join(text[start:end] for start, end in fragments)

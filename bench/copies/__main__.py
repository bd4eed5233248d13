"""Copy detection benchmark: near copies made from real article texts, mixed with distinct articles.

    .venv/bin/python -m bench.copies [--copies-per-article 2] [--seed 7]

Each text of ../shared/data/extraction becomes an original; its copies are trimmed (10-40 % of the end
cut), given the republisher's boilerplate at the top and bottom, and 1-3 sentences from another article
added, as republishers do. Originals and copies go through the copy index in a shuffled stream (an
original always before its copies). Precision: of the articles found to copy another, how many really
copy it (same source text); recall: of the copies, how many are credited to their own original.
"""

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

from newshub.stories.copies import CopyIndex, fingerprint

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "extraction" / "ground-truth.json"
RESULTS = Path(__file__).resolve().parents[1] / "results"
MIN_WORDS = 80
BOILERPLATE_TOP = [
    "Advertisement",
    "Breaking news from our partners. Subscribe for unlimited access.",
    "This story was originally published by a news agency and is republished with permission.",
]
BOILERPLATE_BOTTOM = [
    "Follow us on Twitter and Facebook for the latest updates. Sign up for our daily newsletter.",
    "Copyright 2024. All rights reserved. This material may not be published, broadcast or redistributed.",
    "Have a news tip? Contact our newsroom. Read more stories like this in our World section.",
]
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE.split(text.strip()) if s]


def make_copy(text: str, other: str, rng: random.Random) -> str:
    parts = sentences(text)
    keep = max(3, round(len(parts) * rng.uniform(0.6, 0.9)))
    added = rng.sample(sentences(other), k=min(len(sentences(other)), rng.randint(1, 3)))
    body = parts[:keep]
    for sentence in added:
        body.insert(rng.randint(0, len(body)), sentence)
    return "\n\n".join([rng.choice(BOILERPLATE_TOP), " ".join(body), rng.choice(BOILERPLATE_BOTTOM)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies-per-article", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", type=Path, default=RESULTS / "copies.json")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"skipped: {DATA} not found (the shared evaluation data is not on this machine)")
    texts = [
        row["articleBody"]
        for _, row in sorted(json.loads(DATA.read_text(encoding="utf-8")).items())
        if len((row.get("articleBody") or "").split()) >= MIN_WORDS
    ]
    rng = random.Random(args.seed)
    # (key, text, true original or None); an original is fed before its copies, the rest is shuffled.
    originals = [(i, text, None) for i, text in enumerate(texts)]
    copies = [
        (len(texts) + i * args.copies_per_article + j, make_copy(text, texts[(i + 1) % len(texts)], rng), i)
        for i, text in enumerate(texts)
        for j in range(args.copies_per_article)
    ]
    stream = originals + copies
    rng.shuffle(stream)
    stream.sort(key=lambda item: item[2] is not None)  # stable: originals first, each group shuffled

    index, root = CopyIndex(), {}
    group = {key: truth if truth is not None else key for key, _, truth in stream}
    matches = right_matches = credited = 0
    started = time.perf_counter()
    for key, text, truth in stream:
        fp = fingerprint(text)
        matched = index.match(fp)
        root[key] = root[matched] if matched is not None else key
        index.add(key, fp)
        if matched is not None:
            matches += 1
            right_matches += group[matched] == group[key]
        credited += truth is not None and root[key] == truth
    elapsed = time.perf_counter() - started

    # Precision: matched articles really are copies of each other. Recall: copies credited to their original.
    precision = right_matches / matches if matches else 1.0
    recall = credited / len(copies)
    report = {
        "data": str(DATA),
        "originals": len(originals),
        "copies": len(copies),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "wrong_matches": matches - right_matches,
        "copies_not_credited": len(copies) - credited,
        "ms_per_article": round(1000 * elapsed / len(stream), 2),
        "targets": {"precision": 0.99, "recall": 0.95},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"copies: precision {precision:.4f}  recall {recall:.4f}  ({len(originals)} originals, "
        f"{len(copies)} copies, {report['ms_per_article']} ms/article)\nwrote {args.output}"
    )


if __name__ == "__main__":
    main()

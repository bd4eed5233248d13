"""`python -m bench.claims [--split dev|train] [--errors FILE]`: attribution extraction on PolNeAR.

Extracts claims from every text of the split in one process (model loaded once), scores them with the
metric of ../shared/data/README.md and writes bench/results/claims.json. `--errors FILE` writes the missed
and spurious attributions for study (do that on train, not dev).
"""

import argparse
import json
import os
import time
from pathlib import Path

from rich.console import Console

from bench.claims.polnear import Attribution, Document, match, read_split
from newshub.claims.extract import ExtractedClaim, extract_claims_batch, load_model

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "claims" / "polnear"
RESULT = Path(__file__).resolve().parents[1] / "results" / "claims.json"


def as_attribution(claim: ExtractedClaim) -> Attribution:
    source = ((claim.source.start, claim.source.end),) if claim.source else None
    return Attribution(source, ((claim.content.start, claim.content.end),))


def cpu_time() -> float:
    """CPU seconds of this process and of its finished workers."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def score(documents: list[Document], processes: int) -> tuple[dict, list[list[ExtractedClaim]]]:
    load_model()
    started, cpu_started = time.perf_counter(), cpu_time()
    with Console().status(f"extracting claims from {len(documents)} documents"):
        predictions = extract_claims_batch([document.text for document in documents], processes=processes)
    seconds, cpu_seconds = time.perf_counter() - started, cpu_time() - cpu_started
    matched = predicted = gold = 0
    for document, claims in zip(documents, predictions, strict=True):
        mine = [as_attribution(claim) for claim in claims]
        matched += match(document.text, mine, list(document.attributions))
        predicted += len(mine)
        gold += len(document.attributions)
    precision = matched / predicted if predicted else 0.0
    recall = matched / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if matched else 0.0
    summary = {
        "documents": len(documents),
        "gold": gold,
        "predicted": predicted,
        "matched": matched,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "seconds": round(seconds, 2),
        "processes": processes,
        "documents_per_second": round(len(documents) / seconds, 2) if seconds else None,
        # Other work shares the machine: CPU time says what extraction itself costs (all processes).
        "cpu_seconds": round(cpu_seconds, 2),
        "documents_per_cpu_second": round(len(documents) / cpu_seconds, 2) if cpu_seconds else None,
    }
    return summary, predictions


def write_errors(path: Path, documents: list[Document], predictions: list[list[ExtractedClaim]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for document, claims in zip(documents, predictions, strict=True):
            gold = list(document.attributions)
            out.write(f"=== {document.name}\n")
            for claim in claims:
                hit = match(document.text, [as_attribution(claim)], gold)
                source = claim.source.text if claim.source else None
                mark = "OK " if hit else "FP "
                out.write(f"{mark} [{source}] <{claim.cue.text}> {claim.content.text[:160]!r}\n")
            for truth in gold:
                found = match(document.text, [as_attribution(claim) for claim in claims], [truth])
                if not found:
                    source = " ".join(document.text[s:e] for s, e in truth.source) if truth.source else None
                    content = " ".join(document.text[s:e] for s, e in truth.content)
                    out.write(f"FN  [{source}] {content[:160]!r}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", action="append", choices=["dev", "train"])
    parser.add_argument("--limit", type=int, default=None, help="score only the first N documents")
    parser.add_argument("--errors", type=Path, default=None)
    parser.add_argument("--processes", type=int, default=2, help="worker processes (default 2: two cores)")
    args = parser.parse_args()
    console = Console()
    if not args.data.is_dir():
        console.print(f"[yellow]skipped:[/] PolNeAR not found at {args.data}")
        return
    report: dict = {"data": str(args.data), "splits": {}}
    for split in args.split or ["dev"]:
        documents = read_split(args.data / split)[: args.limit]
        summary, predictions = score(documents, args.processes)
        report["splits"][split] = summary
        console.print(f"{split}: " + ", ".join(f"{key} {value}" for key, value in summary.items()))
        if args.errors:
            write_errors(args.errors, documents, predictions)
    report["targets"] = {"f1": 0.60, "precision": 0.70, "documents_per_second": 20}
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    console.print(f"written {RESULT}")


if __name__ == "__main__":
    main()

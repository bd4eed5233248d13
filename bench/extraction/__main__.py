"""`python -m bench.extraction [--sweep] [--data DIR]`: article body extraction, side by side.

Runs Newshub's extractor (newshub.ingest.extract), plain trafilatura (defaults) and newspaper4k on the
181 pages of the ScrapingHub article-extraction-benchmark (../shared/data/extraction), scores each with
the benchmark's own metric (bench/extraction/metric.py) and times it, one process, one page at a time.
`--sweep` also scores our extractor under the trafilatura options it was chosen from.
Writes bench/results/extraction.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import platform
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura
from rich.console import Console
from rich.table import Table

from bench.extraction.metric import score
from newshub.ingest import extract as newshub_extract

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "extraction"
RESULT = Path(__file__).resolve().parents[1] / "results" / "extraction.json"
FALLBACK_URL = "https://example.org/article"
SWEEP = {
    "include_comments=False": {"include_comments": False, "include_tables": True},
    "+ favor_precision": {"include_comments": False, "include_tables": True, "favor_precision": True},
    "+ favor_recall": {"include_comments": False, "include_tables": True, "favor_recall": True},
    "+ include_tables=False": {"include_comments": False, "include_tables": False},
    "+ fast (chosen)": {"include_comments": False, "include_tables": True, "fast": True},
}

Extractor = Callable[[bytes, str], str]


def newshub_text(html: bytes, url: str) -> str:
    article = newshub_extract.extract_article(html, url)
    return article.text if article else ""


def trafilatura_text(html: bytes, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def newspaper_text(html: bytes, url: str) -> str:
    import newspaper

    article = newspaper.Article(url, fetch_images=False)
    article.download(input_html=html.decode("utf-8", errors="replace"))
    article.parse()
    return article.text


def load_pages(data: Path) -> list[tuple[str, bytes, str, str]]:
    """(id, html, url, gold body) per page."""
    gold = json.loads((data / "ground-truth.json").read_text())
    return [
        (page_id, gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes()),
         entry.get("url") or FALLBACK_URL, entry["articleBody"])
        for page_id, entry in sorted(gold.items())
    ]  # fmt: skip


def run(name: str, extractor: Extractor, pages: list[tuple[str, bytes, str, str]]) -> dict:
    predictions, failures = [], 0
    started = time.perf_counter()
    for _page_id, html, url, _gold in pages:
        try:
            predictions.append(extractor(html, url))
        except Exception as error:  # a crash counts as an empty extraction, as in the benchmark
            logging.getLogger(__name__).debug("extractor=%s url=%s error=%r", name, url, error)
            predictions.append("")
            failures += 1
    seconds = time.perf_counter() - started
    result = score([(predicted, page[3]) for predicted, page in zip(predictions, pages, strict=True)])
    return {
        "extractor": name,
        "f1": round(result.f1, 4),
        "precision": round(result.precision, 4),
        "recall": round(result.recall, 4),
        "pages_per_second": round(len(pages) / seconds, 1),
        "seconds": round(seconds, 2),
        "errors": failures,
    }


def sweep(pages: list[tuple[str, bytes, str, str]]) -> list[dict]:
    chosen = newshub_extract.EXTRACTION_OPTIONS
    rows = []
    try:
        for name, options in SWEEP.items():
            newshub_extract.EXTRACTION_OPTIONS = options
            rows.append(run(f"newshub {name}", newshub_text, pages))
    finally:
        newshub_extract.EXTRACTION_OPTIONS = chosen
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sweep", action="store_true", help="also score the trafilatura options tried")
    args = parser.parse_args()
    console = Console()
    if not (args.data / "ground-truth.json").exists():
        console.print(f"[yellow]skipped:[/] no evaluation data at {args.data}")
        return
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    pages = load_pages(args.data)
    trafilatura_text(pages[0][1], pages[0][2])  # warm up imports and caches outside the timing
    rows = [
        run("newshub", newshub_text, pages),
        run("trafilatura (defaults)", trafilatura_text, pages),
        run("newspaper4k", newspaper_text, pages),
    ]
    if args.sweep:
        rows += sweep(pages)
    table = Table("extractor", "F1", "precision", "recall", "pages/s", "errors", title=f"{len(pages)} pages")
    for row in rows:
        table.add_row(
            row["extractor"], f"{row['f1']:.4f}", f"{row['precision']:.4f}", f"{row['recall']:.4f}",
            f"{row['pages_per_second']:.1f}", str(row["errors"]),
        )  # fmt: skip
    console.print(table)
    speedup = rows[0]["pages_per_second"] / rows[2]["pages_per_second"]
    console.print(f"newshub is {speedup:.1f}x newspaper4k's pages/s (target 2x); F1 target 0.958")
    result = {
        "benchmark": "extraction",
        "data": "ScrapingHub article-extraction-benchmark, 181 pages",
        "metric": "shingle (4-gram) precision/recall averaged over pages; F1 of the averages",
        "extraction_options": newshub_extract.EXTRACTION_OPTIONS,
        "results": rows,
        "speedup_vs_newspaper4k": round(speedup, 2),
        "machine": {"python": platform.python_version(), "processor": platform.machine()},
        "note": "pages/s measured on a 2-core machine shared with other work: noisy",
    }
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2))
    console.print(f"written to {RESULT}")


if __name__ == "__main__":
    main()

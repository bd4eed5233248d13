"""`newshub claims extract FILE` / `... --dir IN OUT [--processes N]`: who says what in text or HTML files.

Prints (or writes, one OUT/<name>.json per IN/<name>.txt|.html) JSON: {"text": <the text the offsets refer
to>, "claims": [{"speaker", "speaker_kind", "source": {start, end, text} | null, "cue", "content",
"stance"}]}.
HTML is reduced to its main text with trafilatura first; offsets then index that text. The model is loaded
once for a whole directory.
"""

import json
import logging
from pathlib import Path

import trafilatura
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import track

from newshub.claims.extract import ExtractedClaim, extract_claims_batch

logger = logging.getLogger(__name__)
SUFFIXES = (".txt", ".html", ".htm")
BATCH = 16


def read_text(path: Path) -> str:
    raw = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix.lower() in (".html", ".htm"):
        return trafilatura.extract(raw, include_comments=False, include_tables=False) or ""
    return raw


def as_json(text: str, claims: list[ExtractedClaim]) -> dict:
    return {
        "text": text,
        "claims": [
            {
                "speaker": claim.speaker,
                "speaker_kind": claim.speaker_kind,
                "source": claim.source.as_dict() if claim.source else None,
                "cue": claim.cue.as_dict(),
                "content": claim.content.as_dict(),
                "stance": claim.stance,
            }
            for claim in claims
        ],
    }


class Command(BaseCommand):
    help = "Attributed claims (who says what) in text or HTML files."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        extract = actions.add_parser("extract", help="print the claims of FILE, or of every file in a folder")
        extract.add_argument("file", nargs="?", type=Path, help="a .txt or .html file")
        extract.add_argument(
            "--dir", nargs=2, type=Path, metavar=("IN", "OUT"), help="every .txt/.html in IN"
        )
        extract.add_argument(
            "--processes", type=int, default=1, help="worker processes for --dir (one per core; default 1)"
        )

    def handle(self, *args, **options) -> None:
        if options["dir"]:
            self.extract_dir(*options["dir"], processes=max(1, options["processes"]))
        elif options["file"]:
            self.extract_file(options["file"])
        else:
            raise CommandError("give a FILE or --dir IN OUT")

    def extract_file(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        text = read_text(path)
        claims = extract_claims_batch([text])[0]
        self.stdout.write(json.dumps(as_json(text, claims), ensure_ascii=False, indent=2))

    def extract_dir(self, source: Path, target: Path, processes: int = 1) -> None:
        if not source.is_dir():
            raise CommandError(f"no such folder: {source}")
        target.mkdir(parents=True, exist_ok=True)
        paths = sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
        size = BATCH * processes
        batches = [paths[offset : offset + size] for offset in range(0, len(paths), size)]
        for batch in track(batches, description="extracting claims"):
            texts = [read_text(path) for path in batch]
            for path, text, claims in zip(
                batch, texts, extract_claims_batch(texts, processes=processes), strict=True
            ):
                document = json.dumps(as_json(text, claims), ensure_ascii=False, indent=2)
                (target / f"{path.stem}.json").write_text(document, encoding="utf-8")
        self.stderr.write(f"{len(paths)} files written to {target}")

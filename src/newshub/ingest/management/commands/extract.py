"""`newshub extract FILE.html --url URL`: one page through the extractor, as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from newshub.ingest.extract import extract_article


class Command(BaseCommand):
    help = "Extract the article from a saved HTML page and print it as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="an HTML file")
        parser.add_argument("--url", required=True, help="the URL the page was fetched from")

    def handle(self, *args, file: Path, url: str, **options) -> None:
        try:
            body = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        article = extract_article(body, url)
        if article is None:
            raise CommandError(f"{file}: no article found on this page")
        fields = ("title", "text", "lead", "authors", "published", "language", "canonical_url", "image")
        data = article.as_json()
        self.stdout.write(json.dumps({key: data[key] for key in fields}, ensure_ascii=False, indent=2))

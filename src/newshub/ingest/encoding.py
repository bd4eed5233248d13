"""Bytes to text for HTML pages: the charset the server declared, else trafilatura's detection."""

from __future__ import annotations

import codecs
import logging

from trafilatura.utils import decode_file

logger = logging.getLogger(__name__)


def decode_html(body: bytes, declared_charset: str | None = None) -> str:
    """Never fails: an unknown or wrong declared charset falls back to detection, then to UTF-8 with
    replacement characters, so a page with invalid bytes still yields its readable text."""
    if declared_charset:
        try:
            return body.decode(codecs.lookup(declared_charset).name)
        except (LookupError, UnicodeDecodeError):
            logger.info("charset_mismatch declared=%s", declared_charset)
    return decode_file(body)

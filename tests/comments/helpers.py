"""Building comment form posts as a browser would send them."""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

from django.core import signing
from django.utils import timezone

from newshub.comments.forms import TOKEN_SALT
from newshub.stories.models import Story


def form_token(story_id: int, age_seconds: float = 30.0, nonce: str | None = None) -> str:
    """A token as the page would have issued it `age_seconds` ago."""
    payload = {"story": story_id, "issued": time.time() - age_seconds, "nonce": nonce or secrets.token_hex(8)}
    return signing.dumps(payload, salt=TOKEN_SALT)


def comment_data(story: Story, text: str = "Good to see it open again.", **overrides) -> dict:
    data = {
        "author_name": "Ada",
        "author_email": "",
        "text": text,
        "parent": "",
        "token": form_token(story.pk),
        "homepage": "",
    }
    data.update(overrides)
    return data


def old(days: int):
    return timezone.now() - timedelta(days=days)

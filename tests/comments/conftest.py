"""Comment test helpers: a story open for comments, a form token of a chosen age, an isolated spam filter."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from newshub.comments.services import filter_store
from newshub.stories.models import Story


@pytest.fixture(autouse=True)
def isolated_comments(settings, tmp_path):
    """Each test gets its own spam-filter file and empty rate-limit / nonce counters."""
    settings.NEWSHUB_HOME = tmp_path
    settings.NEWSHUB_AKISMET_KEY = ""
    settings.NEWSHUB_AKISMET_URL = ""
    filter_store.forget()
    cache.clear()
    yield
    filter_store.forget()
    cache.clear()


@pytest.fixture
def story(db) -> Story:
    return Story.objects.create(title="Bridge reopens after repairs", last_seen=timezone.now())

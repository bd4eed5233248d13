"""The production settings with Django's dummy cache: every page and API answer is built afresh.

bench/web serves its "uncached" runs with these, so the figures show the full cost of a page."""

from newshub.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

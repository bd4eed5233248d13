"""Schemathesis generates requests from /api/openapi.json and checks the app's answers against it:
no server errors, documented status codes and content types, responses matching their schemas.
In process (WSGI) and bounded to a few examples per operation, so it stays a quick test."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.search.corpus import build_corpus

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def corpus(settings):
    # Requests go through the raw WSGI handler, whose request signals would close the test's database
    # connection in the middle of its transaction; Django's own test client unhooks them the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # Generated Basic credentials are checked with the password hasher: use a fast one here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield build_corpus()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_matches_its_schema(case, corpus):
    case.call_and_validate()

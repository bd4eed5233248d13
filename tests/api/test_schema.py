"""Schemathesis generates requests from /api/openapi.json and checks the app's answers against it:
no server errors, documented status codes and content types, responses matching their schemas.
In process (WSGI) and bounded to a few examples per operation, so it stays a quick test."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.search.corpus import build_corpus

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def corpus(settings):
    # Generated Basic credentials are checked with the password hasher: use a fast one here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    return build_corpus()


@schema.parametrize()
@hypothesis_settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_matches_its_schema(case, corpus):
    case.call_and_validate()

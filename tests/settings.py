"""Test settings: the real settings, in a throwaway data folder, with local test servers allowed."""

import os
import tempfile

os.environ.setdefault("NEWSHUB_HOME", tempfile.mkdtemp(prefix="newshub-test-"))
os.environ.setdefault("NEWSHUB_ALLOW_PRIVATE_NETWORKS", "1")

from newshub.settings import *  # noqa: F403

NEWSHUB_MIN_HOST_DELAY = 0.0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A file, not SQLite's shared-cache memory database: threads then see WAL and busy timeouts as in production
# instead of shared-cache table locks.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(os.environ["NEWSHUB_HOME"], "test.sqlite3")}  # noqa: F405

"""Test settings: the real settings, in a throwaway data folder, with local test servers allowed."""

import atexit
import os
import shutil
import tempfile

_own_home = tempfile.mkdtemp(prefix="newshub-test-")
atexit.register(shutil.rmtree, _own_home, ignore_errors=True)
os.environ.setdefault("NEWSHUB_HOME", _own_home)
os.environ.setdefault("NEWSHUB_ALLOW_PRIVATE_NETWORKS", "1")

from newshub.settings import *  # noqa: E402, F403

NEWSHUB_MIN_HOST_DELAY = 0.0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A file, not SQLite's shared-cache memory database: threads then see WAL and busy timeouts as in production
# instead of shared-cache table locks.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(os.environ["NEWSHUB_HOME"], "test.sqlite3")}  # noqa: F405

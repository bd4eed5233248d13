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

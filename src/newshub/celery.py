"""The Celery application: the same pipeline stages as `newshub run`, driven by workers on many machines.

Queues separate I/O from CPU: `fetch` (polling feeds, downloading and extracting pages: many concurrent,
mostly waiting), `process` (entity recognition, attribution: one per core) and `cluster` (story
assignment: exactly one worker process, since the clusterer's state lives in its memory). Tasks are
acknowledged late and rejected when a worker dies, so a killed worker's task runs again elsewhere; the
stages are idempotent, so running again duplicates nothing. The tasks are in newshub.tasks; the commands
are `newshub worker`, `newshub scheduler` and `newshub status`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newshub.settings")

app = Celery("newshub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["newshub"], related_name="tasks")

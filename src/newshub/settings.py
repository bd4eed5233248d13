"""Django settings, read from NEWSHUB_* environment variables with safe defaults.

Everything a deployment changes is an environment variable; the defaults give a private, embedded
installation (SQLite in a per-user data folder) that is safe to expose: DEBUG off, a secret key
generated once and kept beside the database.
"""

import os
import secrets
from pathlib import Path

from platformdirs import user_data_dir

from newshub.database import database_from_url

BASE_DIR = Path(__file__).resolve().parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


NEWSHUB_HOME = Path(os.environ.get("NEWSHUB_HOME") or user_data_dir("newshub", appauthor=False))
NEWSHUB_HOME.mkdir(parents=True, exist_ok=True)


def load_or_create_secret_key(home: Path) -> str:
    """Keep one random key per installation, so sessions survive restarts without a key in the code."""
    if os.environ.get("NEWSHUB_SECRET_KEY"):
        return os.environ["NEWSHUB_SECRET_KEY"]
    key_file = home / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = load_or_create_secret_key(NEWSHUB_HOME)
DEBUG = env_flag("NEWSHUB_DEBUG")
ALLOWED_HOSTS = env_list("NEWSHUB_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("NEWSHUB_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "newshub.sources",
    "newshub.ingest",
    "newshub.stories",
    "newshub.claims",
    "newshub.comments",
    "newshub.web",
    "newshub.search",
    "newshub.api",
    "newshub.demo",
    "newshub.ops",
    # django-ninja's templates and static files: the API docs page loads Swagger UI from here, not a CDN.
    "ninja",
]

MIDDLEWARE = [
    # Outermost, so it stores pages with every other middleware's headers (newshub.web.pagecache).
    "newshub.web.pagecache.PageStoreMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newshub.urls"
WSGI_APPLICATION = "newshub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("NEWSHUB_DATABASE_URL") or f"sqlite:///{NEWSHUB_HOME / 'newshub.sqlite3'}"
DATABASES = {"default": database_from_url(DATABASE_URL)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = NEWSHUB_HOME / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "newshub.web.storage.StaticFilesStorage"},
}

REDIS_URL = os.environ.get("NEWSHUB_REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Pages, API answers and search result pages of one process: more than the default 300 entries.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Newshub's own settings -------------------------------------------------------------------
NEWSHUB_ALLOW_PRIVATE_NETWORKS = env_flag("NEWSHUB_ALLOW_PRIVATE_NETWORKS")
NEWSHUB_LOAD_DEMO = env_flag("NEWSHUB_LOAD_DEMO", default=True)
NEWSHUB_MAX_BODY_BYTES = int(os.environ.get("NEWSHUB_MAX_BODY_BYTES", 10 * 1024 * 1024))
NEWSHUB_MIN_HOST_DELAY = float(os.environ.get("NEWSHUB_MIN_HOST_DELAY", "1.0"))
NEWSHUB_KEEP_RAW_HTML = env_flag("NEWSHUB_KEEP_RAW_HTML")
NEWSHUB_POLL_INTERVAL = int(os.environ.get("NEWSHUB_POLL_INTERVAL", "900"))
NEWSHUB_MAX_ENTRIES_PER_POLL = int(os.environ.get("NEWSHUB_MAX_ENTRIES_PER_POLL", "100"))
NEWSHUB_INGEST_WORKERS = int(os.environ.get("NEWSHUB_INGEST_WORKERS", "4"))
NEWSHUB_CATEGORIES = env_list(
    "NEWSHUB_CATEGORIES", "World,Politics,Business,Technology,Science,Health,Sports,Entertainment"
)
NEWSHUB_COMMENTS_CLOSE_AFTER_DAYS = int(os.environ.get("NEWSHUB_COMMENTS_CLOSE_AFTER_DAYS", "14"))
NEWSHUB_AKISMET_KEY = os.environ.get("NEWSHUB_AKISMET_KEY", "")
NEWSHUB_AKISMET_URL = os.environ.get("NEWSHUB_AKISMET_URL", "")
NEWSHUB_BROKER_URL = os.environ.get("NEWSHUB_BROKER_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "format": "%(asctime)s level=%(levelname)s logger=%(name)s %(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": os.environ.get("NEWSHUB_LOG_LEVEL", "WARNING")},
    "loggers": {
        "newshub": {"level": os.environ.get("NEWSHUB_LOG_LEVEL", "INFO"), "propagate": True},
    },
}

# --- Celery (used only when NEWSHUB_BROKER_URL is set) --------------------------------------------
# Queues: `fetch` (polls and page downloads: I/O, many at once), `process` (claims and the stories
# stage's preparation: CPU, one per core), `cluster` (story assignment: exactly one worker process,
# concurrency 1, since the clustering state lives in its memory). See newshub.tasks.
CELERY_BROKER_URL = NEWSHUB_BROKER_URL or "memory://"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "process"
CELERY_TASK_ROUTES = {
    "newshub.tasks.poll_feed": {"queue": "fetch"},
    "newshub.tasks.poll_due_feeds": {"queue": "fetch"},
}
# Redis redelivers a task whose worker vanished without a word after this long; longer than any poll.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Keep each worker's database connection between tasks (Celery would otherwise open one per task);
# newshub.tasks still drops broken or CONN_MAX_AGE-expired ones, as Django does between requests.
CELERY_DB_REUSE_MAX = 1000
# A pool process loads the language models before it reports ready (newshub.tasks.warm_up_models).
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 120
CELERY_BEAT_SCHEDULE_FILENAME = str(NEWSHUB_HOME / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "poll-due-feeds": {"task": "newshub.tasks.poll_due_feeds", "schedule": 60.0},
    "finish-round": {"task": "newshub.tasks.finish_round", "schedule": 60.0},
    "requeue-unplaced-articles": {"task": "newshub.tasks.requeue_unplaced_articles", "schedule": 10 * 60.0},
    "purge-comment-data": {"task": "newshub.tasks.purge_comment_data", "schedule": 24 * 3600.0},
}

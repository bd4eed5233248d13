import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newshub.settings")
django_application = get_wsgi_application()

from newshub.web.pagecache import serve_stored_pages  # noqa: E402  (needs the settings above)

# Pages that are the same for every reader without a session are answered before Django runs.
application = serve_stored_pages(django_application)

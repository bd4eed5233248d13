"""htmx is served from Newshub itself (no CDN), loaded without blocking the page, and its licence kept."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders


def test_pages_load_the_vendored_htmx_deferred(client, newsroom):
    html = client.get(newsroom["story"].get_absolute_url()).content.decode()
    assert re.search(r'<script src="/static/web/htmx(\.[0-9a-f]+)?\.min\.js" defer></script>', html)
    assert f'hx-get="/comments/story/{newsroom["story"].pk}/write/"' in html
    assert "unpkg.com" not in html and "cdn" not in html.lower()


def test_the_vendored_htmx_carries_its_licence():
    path = finders.find("web/htmx.min.js")
    first_line = Path(path).read_text(encoding="utf-8").splitlines()[0]
    assert "htmx 2." in first_line and "0BSD" in first_line

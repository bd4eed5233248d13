"""The demo outlets' pages served by Newshub itself, so the demo's "Read at" links lead somewhere.

Only while the demo is wanted (NEWSHUB_LOAD_DEMO, on by default); a real deployment turns it off.
"""

from functools import lru_cache

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from newshub.demo.corpus import load_corpus
from newshub.demo.server import Page, render_site

SITES_PATH = "/demo-sites"


@lru_cache(maxsize=4)
def rendered_site(base_url: str) -> dict[str, Page]:
    return render_site(load_corpus(timezone.now()), base_url)


def demo_page(request: HttpRequest, path: str) -> HttpResponse:
    if not settings.NEWSHUB_LOAD_DEMO:
        raise Http404("The demo is turned off")
    page = rendered_site(request.build_absolute_uri(SITES_PATH)).get("/" + path)
    if page is None:
        raise Http404("No such demo page")
    return HttpResponse(page.body, content_type=page.content_type)

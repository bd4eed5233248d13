"""Template helpers of the reader site."""

from functools import lru_cache
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.text import slugify

register = template.Library()


@register.inclusion_tag("web/_category_nav.html", takes_context=True)
def category_nav(context: template.Context) -> dict:
    current = context.get("category", "")
    return {"categories": settings.NEWSHUB_CATEGORIES, "current": current}


@register.simple_tag(takes_context=True)
def optional_include(context: template.Context, template_name: str) -> str:
    """Render another app's template if it exists: other apps fill the story page's blocks
    (who says what, comments) without the site breaking before they land."""
    try:
        included = get_template(template_name)
    except template.TemplateDoesNotExist:
        return ""
    return included.render(context.flatten(), context.get("request"))


@register.simple_tag
def optional_url(name: str, *args: object) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def category_url(name: str) -> str:
    """The category page's URL, or "" for a name with no ASCII slug (the name is shown unlinked)."""
    return _category_url(name, get_script_prefix())


@lru_cache(maxsize=1024)
def _category_url(name: str, script_prefix: str) -> str:
    # Every story card and the navigation of every page link categories: a handful of names.
    slug = slugify(name)
    return optional_url("web:category", slug) if slug else ""


@register.simple_tag(takes_context=True)
def category_link(context: template.Context, name: str) -> str:
    """A link to the category's page (the current one marked), or the bare name if it has none.
    A tag rather than an included template: it is on every story card."""
    url = category_url(name)
    if not url:
        return conditional_escape(name)
    if name == context.get("current"):
        return format_html('<a href="{}" aria-current="page">{}</a>', url, name)
    return format_html('<a href="{}">{}</a>', url, name)


@register.filter
def web_url(url: str) -> str:
    """The URL if it is an http(s) link, else "": a stored URL never becomes a javascript: link."""
    return url if urlsplit(url or "").scheme in {"http", "https"} else ""


@register.simple_tag
def feed_url(name: str, kind: str, arg: object = None) -> str:
    """The URL of one of the feeds (feeds:front-rss, feeds:story-atom, ...), "" if there is none."""
    return optional_url(f"feeds:{name}-{kind}", *([] if arg in (None, "") else [arg]))


@register.filter
def svg_number(value: float, places: int) -> str:
    """A chart coordinate with `places` decimals, never localized: floatformat's work (Decimal,
    locale) for a fraction of its time, on every bar of every story page's charts."""
    return f"{float(value):.{int(places)}f}"

"""`{% comment_section story %}` (thread and form) and `|comment_text` (plain text made safe to show)."""

from __future__ import annotations

import nh3
from django import template
from django.utils.html import linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

LINK_REL = "nofollow ugc noopener"


@register.filter(is_safe=True)
def comment_text(text: str) -> SafeString:
    """Escaped text, paragraphs and line breaks kept, web addresses made into links that pass no reputation.

    urlize escapes everything it does not turn into a link; nh3 then allows nothing but those links and the
    breaks, and sets their rel — so a comment can never carry markup of its own."""
    html = linebreaks(urlize(str(text), nofollow=True, autoescape=True), autoescape=False)
    return mark_safe(
        nh3.clean(
            html,
            tags={"a", "br", "p"},
            attributes={"a": {"href"}},
            url_schemes={"http", "https", "mailto"},
            link_rel=LINK_REL,
        )
    )


@register.inclusion_tag("comments/_thread.html", takes_context=True)
def comment_section(context: template.Context, story) -> dict:
    from ..views import reply_initial, section_context

    request, messages = context.get("request"), context.get("messages")
    # Only a reply or a message after posting makes the section one reader's own; otherwise the form
    # comes later (with htmx), and the story page can be kept whole for every reader.
    section = section_context(request, story, form_later=not (reply_initial(request) or messages))
    section["csrf_token"] = context.get("csrf_token")
    section["messages"] = messages
    return section


@register.simple_tag
def moderation_counts() -> dict:
    from ..models import Comment, CommentStatus

    return {
        "pending": Comment.objects.filter(status=CommentStatus.PENDING).count(),
        "spam": Comment.objects.filter(status=CommentStatus.SPAM).count(),
    }

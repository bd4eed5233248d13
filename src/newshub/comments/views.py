"""Posting a comment (works without JavaScript; htmx gets the comment section back) and the privacy page."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from newshub.api.cache import cached_for_story
from newshub.stories.models import Story

from . import akismet_signal, ratelimit
from .forms import CommentForm, consume_nonce
from .models import Comment, CommentStatus
from .services import DATA_RETENTION_DAYS, PostContext, hash_ip, store_comment

log = logging.getLogger(__name__)

OUTCOME_MESSAGES = {
    CommentStatus.APPROVED: "Thank you: your comment is published.",
    CommentStatus.PENDING: "Thank you: your comment will appear once a moderator has read it.",
    CommentStatus.SPAM: "Your comment was held as possible spam; a moderator may still publish it.",
}


def comments_closed(story: Story) -> bool:
    return story.last_seen < timezone.now() - timedelta(days=settings.NEWSHUB_COMMENTS_CLOSE_AFTER_DAYS)


def published_thread(story: Story) -> list[Comment]:
    replies = Comment.objects.filter(status=CommentStatus.APPROVED)
    return list(
        Comment.objects.filter(story=story, parent=None, status=CommentStatus.APPROVED).prefetch_related(
            Prefetch("replies", queryset=replies, to_attr="published_replies")
        )
    )


def rendered_thread(story: Story, closed: bool) -> dict:
    """The published comments as HTML, and how many: the same for every reader, so kept in the cache until
    the story or one of its comments changes (a new, approved or removed comment bumps the story)."""

    def render_thread() -> dict:
        comments = published_thread(story)
        html = render_to_string("comments/_comments.html", {"comments": comments, "closed": closed})
        return {"html": mark_safe(html), "count": len(comments)}

    return cached_for_story(story.pk, f"comment-thread:{int(closed)}", render_thread)


def section_context(
    request: HttpRequest, story: Story, form: CommentForm | None = None, form_later: bool = False
) -> dict:
    """The comment section's context; with `form_later`, a link to the form (which htmx swaps in) instead
    of the form, so the section is the same for every reader."""
    closed = comments_closed(story)
    shows_form = not (closed or form_later)
    return {
        "story": story,
        "thread": rendered_thread(story, closed),
        "closed": closed,
        "form": (form or CommentForm(story=story, initial=reply_initial(request))) if shows_form else None,
        "write_url": reverse("comments:write", args=[story.pk]) if form_later else "",
        "request": request,
    }


def reply_initial(request: HttpRequest | None) -> dict:
    reply_to = request.GET.get("reply_to", "") if request is not None else ""
    return {"parent": int(reply_to)} if reply_to.isdigit() else {}


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client wants it to be unless a proxy we trust set it.
    return request.META.get("REMOTE_ADDR", "")


def error_codes(form: CommentForm | None) -> str:
    if form is None:
        return ""
    return ",".join(
        sorted({error.code or "invalid" for errors in form.errors.as_data().values() for error in errors})
    )


def refuse(
    request: HttpRequest, story: Story, status: int, form: CommentForm | None = None, notice: str = ""
) -> HttpResponse:
    """The comment section again, with the form's errors or a notice saying why the post was refused."""
    log.info("comment_refused story=%s status=%d reason=%s", story.pk, status, notice or error_codes(form))
    if form is not None:
        form.renew_token()
    template = "comments/_thread.html" if request.headers.get("HX-Request") else "comments/form_page.html"
    context = section_context(request, story, form) | {"notice": notice}
    return render(request, template, context, status=status)


def too_many_posts() -> HttpResponse:
    log.info("comment_refused status=429 reason=rate_limit")
    return HttpResponse(
        "Too many comments in a short time; please wait a minute.",
        status=429,
        content_type="text/plain; charset=utf-8",
        headers={"Retry-After": "60"},
    )


@require_POST
def post_comment(request: HttpRequest, story_id: int) -> HttpResponse:
    # The address's limit comes first and costs one cache call: a flood is turned away before any query.
    ip = client_ip(request)
    if ratelimit.exceeded(ratelimit.PER_IP, hash_ip(ip)):
        return too_many_posts()
    story = get_object_or_404(Story, pk=story_id)
    if comments_closed(story):
        return refuse(request, story, status=403, notice="Comments are closed on this story.")
    if ratelimit.exceeded(ratelimit.PER_STORY, str(story.pk)):
        return too_many_posts()
    form = CommentForm(request.POST, story=story)
    if not form.is_valid():
        return refuse(request, story, status=400, form=form)
    if not consume_nonce(form.nonce):
        form.add_error(None, "This form was already sent; reload the page to write another comment.")
        return refuse(request, story, status=400, form=form)
    story_url = request.build_absolute_uri(story.get_absolute_url())
    comment = store_comment(
        story=story,
        parent=form.cleaned_data["parent"],
        author_name=form.cleaned_data["author_name"],
        author_email=form.cleaned_data["author_email"],
        text=form.cleaned_data["text"],
        context=PostContext(
            ip=ip,
            user_agent=request.headers.get("User-Agent", ""),
            site_url=request.build_absolute_uri("/"),
            permalink=story_url,
            seconds_to_post=form.seconds_to_post,
        ),
    )
    messages.info(request, OUTCOME_MESSAGES[CommentStatus(comment.status)])
    if request.headers.get("HX-Request"):
        return render(request, "comments/_thread.html", section_context(request, story))
    anchor = f"#comment-{comment.pk}" if comment.status == CommentStatus.APPROVED else "#comments"
    return HttpResponseRedirect(story.get_absolute_url() + anchor, status=303)


@require_GET
@never_cache
def write_comment(request: HttpRequest, story_id: int) -> HttpResponse:
    """The comment form, made for this reader (its tokens are theirs alone): the story page swaps it in
    with htmx; without JavaScript it comes on a page of its own."""
    story = get_object_or_404(Story, pk=story_id)
    template = "comments/_form.html" if request.headers.get("HX-Request") else "comments/form_page.html"
    return render(request, template, section_context(request, story))


def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "comments/privacy.html",
        {"retention_days": DATA_RETENTION_DAYS, "akismet": akismet_signal.is_configured()},
    )

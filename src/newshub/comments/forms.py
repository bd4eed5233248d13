"""The comment form: plain text, one level of replies, a honeypot and a signed timestamp against bots."""

from __future__ import annotations

import re
import secrets
import time

from django import forms
from django.core import signing
from django.core.cache import cache

from .models import Comment, CommentStatus

MAX_TEXT_CHARACTERS = 5000
MIN_SECONDS_TO_POST = 2.0
FORM_VALID_SECONDS = 24 * 3600
TOKEN_SALT = "newshub.comments.form"
# Control characters other than tab, line feed and carriage return: binary data, not something people type.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def issue_token(story_id: int) -> str:
    """A signed, timestamped token naming the story and a one-time nonce."""
    payload = {"story": story_id, "issued": time.time(), "nonce": secrets.token_hex(8)}
    return signing.dumps(payload, salt=TOKEN_SALT)


def consume_nonce(nonce: str) -> bool:
    """True the first time a form's nonce is used; a replayed form gets False."""
    return cache.add(f"comments:nonce:{nonce}", 1, timeout=FORM_VALID_SECONDS)


def plain_text(value: str, what: str) -> str:
    if CONTROL_CHARACTERS.search(value) or "\ufffd" in value:
        raise forms.ValidationError(
            f"The {what} contains binary data or control characters; please write plain text.",
            code="binary",
        )
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


class CommentForm(forms.Form):
    author_name = forms.CharField(label="Name", max_length=100)
    author_email = forms.EmailField(
        label="E-mail (optional)", required=False, help_text="Never shown, never sent anywhere."
    )
    text = forms.CharField(
        label="Comment",
        max_length=MAX_TEXT_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_TEXT_CHARACTERS}),
        strip=False,
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput)
    # The honeypot: hidden from people by CSS and aria-hidden, filled in by bots that fill in everything.
    homepage = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, story, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.story = story
        self.seconds_to_post: float | None = None
        self.nonce = ""
        if not self.is_bound:
            self.initial.setdefault("token", issue_token(story.pk))

    def renew_token(self) -> None:
        """A refused form comes back with a fresh token, so the reader can fix it and post again."""
        self.data = self.data.copy()
        self.data["token"] = issue_token(self.story.pk)

    def clean_author_name(self) -> str:
        name = plain_text(self.cleaned_data["author_name"], "name")
        if not name:
            raise forms.ValidationError("Please give a name.", code="required")
        return name

    def clean_text(self) -> str:
        text = plain_text(self.cleaned_data["text"], "comment")
        if not text:
            raise forms.ValidationError("The comment is empty.", code="required")
        return text

    def clean_homepage(self) -> str:
        if self.cleaned_data["homepage"]:
            raise forms.ValidationError(
                "This comment looks automated (a hidden field was filled in).", code="honeypot"
            )
        return ""

    def clean_token(self) -> str:
        try:
            payload = signing.loads(self.cleaned_data["token"], salt=TOKEN_SALT, max_age=FORM_VALID_SECONDS)
            issued = float(payload["issued"])
            if time.time() - issued > FORM_VALID_SECONDS:
                raise signing.SignatureExpired("form issued too long ago")
        except signing.SignatureExpired as error:
            raise forms.ValidationError(
                "This form has expired; reload the page to comment.", code="expired"
            ) from error
        except (signing.BadSignature, ValueError, TypeError, KeyError) as error:
            raise forms.ValidationError(
                "This form was tampered with; reload the page to comment.", code="bad_token"
            ) from error
        if payload.get("story") != self.story.pk:
            raise forms.ValidationError("This form belongs to another story.", code="wrong_story")
        self.seconds_to_post = max(time.time() - issued, 0.0)
        if self.seconds_to_post < MIN_SECONDS_TO_POST:
            raise forms.ValidationError(
                f"Posted {self.seconds_to_post:.0f} s after the page loaded: too fast. "
                "Please take a moment and post again.",
                code="too_fast",
            )
        self.nonce = str(payload.get("nonce", ""))
        return self.cleaned_data["token"]

    def clean_parent(self) -> Comment | None:
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = Comment.objects.filter(pk=parent_id, story=self.story, status=CommentStatus.APPROVED).first()
        if parent is None:
            raise forms.ValidationError("The comment you are replying to is not here.", code="no_parent")
        # One level of replies: a reply to a reply joins the thread of the comment it answers.
        return parent.parent or parent

    def clean(self) -> dict:
        cleaned = super().clean()
        text = cleaned.get("text")
        if text and Comment.objects.filter(story=self.story, text=text).exists():
            raise forms.ValidationError("This comment has already been posted here.", code="duplicate")
        return cleaned

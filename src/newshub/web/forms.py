"""The search form: whatever a reader types becomes valid options or is ignored, never an error page."""

from django import forms
from django.conf import settings

from newshub.search.query import MAX_OFFSET

MAX_QUERY_LENGTH = 10_000


def category_choices() -> list[tuple[str, str]]:
    return [("", "Any category"), *((name, name) for name in settings.NEWSHUB_CATEGORIES)]


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=MAX_QUERY_LENGTH, strip=True)
    kind = forms.ChoiceField(
        label="Show", choices=[("stories", "Stories"), ("articles", "Articles")], required=False
    )
    category = forms.ChoiceField(label="Category", required=False)
    outlet = forms.SlugField(label="Outlet", required=False, widget=forms.HiddenInput)
    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_OFFSET, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": "Search stories and articles"})

    def full_clean(self) -> None:
        """A bad filter (an unknown category, a malformed date) is dropped, not reported: the words
        the reader typed are still searched."""
        super().full_clean()
        for name in list(self.errors):
            if name != "q":
                self.cleaned_data[name] = None
                del self.errors[name]

    def search_options(self) -> dict:
        data = self.cleaned_data
        return {
            "q": data["q"],
            "kind": data.get("kind") or "stories",
            "category": data.get("category") or None,
            "outlet": data.get("outlet") or None,
            "since": data.get("since"),
            "until": data.get("until"),
        }

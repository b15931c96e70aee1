"""The search boxes of the registry and the catalogue: one limit and one message, on pages and API alike."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenjobs.templatetags.portal import number

# A name, a code or a national ID fits easily; a longer text is a paste by mistake, not a search.
SEARCH_MAX_LENGTH = 100


class SearchField(forms.CharField):
    """A search text of at most SEARCH_MAX_LENGTH characters.

    A longer one is an error, never cut short or dropped: the page says so and lists nothing, rather
    than answering a search nobody asked for (or the whole list, as if nothing had been typed).
    """

    widget = forms.SearchInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("Search"))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if len(value) > SEARCH_MAX_LENGTH:
            message = _(
                "A search has at most %(limit)s characters; this one has %(length)s. "
                "Shorten it to a few words."
            )
            raise forms.ValidationError(
                message % {"limit": number(SEARCH_MAX_LENGTH), "length": number(len(value))},
                code="search_too_long",
            )


def search_error(form) -> str | None:
    """The search box's error of a bound filter form, if its text could not be searched."""
    errors = form.errors.get("q") if form.is_bound else None
    return errors[0] if errors else None

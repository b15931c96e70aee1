"""The kinds of notification, registered by the apps that send them.

A notification is stored as its kind and parameters (names, statuses, references as codes), never as
a sentence: it is read in the language of whoever opens the inbox, and switching the portal's
language switches the inbox too. Each kind says how it reads (`render`, from the parameters alone, so
a page of notifications costs no query per row), where it leads (`link`) and which channels it offers.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

APPLICANT = "applicant"
STAFF = "staff"
ANYONE = "anyone"


@dataclass(frozen=True)
class Kind:
    code: str
    label: object  # what the preferences page calls this kind of event
    render: Callable[[dict], str]  # the sentence in the active language (may be safe HTML)
    link: Callable[[dict], str | None]  # the path of the case it is about
    audience: str = APPLICANT
    # E-mail: on unless the person turned it off. `email_optional=False` for mail a person must get
    # (an attempt to sign up with their details); `emailed_by_app` when the app's own task sends it.
    email_default: bool = True
    email_optional: bool = True
    emailed_by_app: bool = True
    # Urgent: offered by SMS too (and sent by default, where a mobile number is known).
    urgent: bool = False

    def offered_to(self, user) -> bool:
        if self.audience == ANYONE:
            return True
        if self.audience == STAFF:
            return bool(getattr(user, "is_agency_staff", False))
        return bool(getattr(user, "is_applicant", False))


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.code] = kind
    return kind


def _unknown_render(params: dict) -> str:
    return str(_("A notification this version of the portal cannot show."))


def get(code: str) -> Kind:
    """The kind, or a stand-in for one that no longer exists: an old row must not break the inbox."""
    kind = KINDS.get(code)
    if kind is None:
        return Kind(code=code, label=code, render=_unknown_render, link=lambda params: None, audience="")
    return kind


def ordered(user) -> list[Kind]:
    """The kinds this person can receive, in the order they were registered."""
    return [kind for kind in KINDS.values() if kind.offered_to(user)]

"""What accounts tell people in their notification centre (see notifications.kinds)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import kinds

SIGN_UP_ATTEMPT = "account.sign_up_attempt"


def _sign_up_attempt_text(params: dict) -> str:
    return _(
        "Someone tried to open a new account with your e-mail address, national ID or mobile number. "
        "If it was not you, change your password."
    )


def _link(params: dict) -> str:
    return reverse("accounts:password_change")


# The e-mail cannot be turned off: it is how a person learns that someone is using their details.
kinds.register(
    kinds.Kind(
        SIGN_UP_ATTEMPT,
        gettext_lazy("Someone tried to sign up with my details"),
        _sign_up_attempt_text,
        _link,
        audience=kinds.ANYONE,
        email_optional=False,
    )
)

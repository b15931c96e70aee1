"""Demo accounts, one per role, all with settings.DEMO_PASSWORD. Loading twice changes nothing.

The staff accounts, which belong to an agency, are made by agencies.demo with this module's
`account_upsert`.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from greenjobs.demo_clock import moment

from .models import Kind


def demo_password() -> str:
    """The demo accounts' password; refuses an empty one, and the public default outside a local demo."""
    password = settings.DEMO_PASSWORD
    if not password:
        raise ImproperlyConfigured("Set DEMO_PASSWORD to load the demo accounts.")
    if password == settings.COMMITTED_DEMO_PASSWORD and not settings.COMMITTED_DEMO_PASSWORD_ALLOWED:
        raise ImproperlyConfigured(
            "DEMO_PASSWORD is the password published in the README; choose another one for this deployment."
        )
    return password


def verified_at():
    """When the demo accounts confirmed their address: just after they joined."""
    return moment(820, 9, 20)


def account_upsert(username: str, **fields):
    """Creates or refreshes one demo account with the demo password."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if created:
        # The accounts predate every demo record (the oldest registration is about 790 days old).
        user.date_joined = moment(820, 9, 0)
    for key, value in fields.items():
        setattr(user, key, value)
    user.set_password(demo_password())
    user.save()
    return user


@transaction.atomic
def load() -> list[tuple[str, str]]:
    """Creates or refreshes the demo accounts; returns (username, description) for each."""
    demo_password()  # refuses a missing or public password before anything is written
    verified = verified_at()
    rows = []

    account_upsert(
        "applicant",
        kind=Kind.APPLICANT,
        email="applicant@example.ir",
        first_name="رضا",
        last_name="نوروزی",
        national_id="0371234565",
        mobile="09121234567",
        email_verified_at=verified,
    )
    rows.append(("applicant", "Applicant (entrepreneur)"))
    account_upsert(
        "programme_manager",
        kind=Kind.PROGRAMME_MANAGER,
        email="programme@example.ir",
        first_name="سارا",
        last_name="کاظمی",
        email_verified_at=verified,
    )
    rows.append(("programme_manager", "Programme manager (steering committee)"))
    account_upsert(
        "admin",
        kind=Kind.PROGRAMME_MANAGER,
        email="admin@example.ir",
        first_name="مدیر",
        last_name="سامانه",
        is_staff=True,
        is_superuser=True,
        email_verified_at=verified,
    )
    rows.append(("admin", "Administrator (Django admin)"))
    return rows

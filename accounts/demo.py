"""Demo accounts, one per role, all with settings.DEMO_PASSWORD. Loading twice changes nothing."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from agencies.models import Agency, StaffRole
from agencies.services import membership_assign
from greenjobs.demo_clock import moment

from .models import Kind

DEMO_STAFF = [
    ("doe_officer", "DOE", StaffRole.OFFICER, "مریم", "احمدی"),
    ("doe_reviewer", "DOE", StaffRole.REVIEWER, "علی", "کریمی"),
    ("mcls_officer", "MCLS", StaffRole.OFFICER, "زهرا", "موسوی"),
    ("mcls_reviewer", "MCLS", StaffRole.REVIEWER, "حسین", "رضایی"),
    ("mcls_manager", "MCLS", StaffRole.MANAGER, "فاطمه", "حسینی"),
    ("tvto_officer", "TVTO", StaffRole.OFFICER, "محمد", "جعفری"),
]


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


@transaction.atomic
def load() -> list[tuple[str, str]]:
    """Creates or refreshes the demo accounts; returns (username, description) for each."""
    User = get_user_model()
    password = demo_password()
    # The accounts predate every demo record (the oldest registration is about 790 days old).
    joined = moment(820, 9, 0)
    verified = moment(820, 9, 20)
    rows = []

    def upsert(username, **fields):
        user, _created = User.objects.get_or_create(username=username, defaults=fields)
        if _created:
            user.date_joined = joined
        for key, value in fields.items():
            setattr(user, key, value)
        user.set_password(password)
        user.save()
        return user

    upsert(
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
    for username, code, role, first_name, last_name in DEMO_STAFF:
        user = upsert(
            username,
            kind=Kind.AGENCY_STAFF,
            email=f"{username}@example.ir",
            first_name=first_name,
            last_name=last_name,
            email_verified_at=verified,
        )
        membership_assign(user=user, agency=Agency.objects.get(code=code), role=role, actor=None)
        rows.append((username, f"{code} {role}"))
    upsert(
        "programme_manager",
        kind=Kind.PROGRAMME_MANAGER,
        email="programme@example.ir",
        first_name="سارا",
        last_name="کاظمی",
        email_verified_at=verified,
    )
    rows.append(("programme_manager", "Programme manager (steering committee)"))
    upsert(
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

"""The demo's agency staff: an account and a membership each, with the other demo accounts' password."""

from django.db import transaction

from accounts.demo import account_upsert, demo_password, verified_at
from accounts.models import Kind

from .models import Agency, StaffRole
from .services import membership_assign

DEMO_STAFF = [
    ("doe_officer", "DOE", StaffRole.OFFICER, "مریم", "احمدی"),
    ("doe_reviewer", "DOE", StaffRole.REVIEWER, "علی", "کریمی"),
    ("mcls_officer", "MCLS", StaffRole.OFFICER, "زهرا", "موسوی"),
    ("mcls_reviewer", "MCLS", StaffRole.REVIEWER, "حسین", "رضایی"),
    ("mcls_manager", "MCLS", StaffRole.MANAGER, "فاطمه", "حسینی"),
    ("tvto_officer", "TVTO", StaffRole.OFFICER, "محمد", "جعفری"),
]


@transaction.atomic
def load() -> list[tuple[str, str]]:
    """Creates or refreshes the demo staff; returns (username, description) for each."""
    demo_password()  # refuses a missing or public password before anything is written
    verified = verified_at()
    rows = []
    for username, code, role, first_name, last_name in DEMO_STAFF:
        user = account_upsert(
            username,
            kind=Kind.AGENCY_STAFF,
            email=f"{username}@example.ir",
            first_name=first_name,
            last_name=last_name,
            email_verified_at=verified,
        )
        membership_assign(user=user, agency=Agency.objects.get(code=code), role=role, actor=None)
        rows.append((username, f"{code} {role}"))
    return rows

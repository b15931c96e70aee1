from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Kind
from accounts.services import staff_user_create

from .models import StaffMembership, StaffRole


@transaction.atomic
def membership_assign(*, user, agency, role: str, actor) -> StaffMembership:
    """Places a staff account in one agency with one role; reassigning replaces the previous one."""
    if role not in StaffRole.values:
        raise ValidationError({"role": _("Choose officer, reviewer or manager.")})
    if user.kind != Kind.AGENCY_STAFF:
        raise ValidationError(_("Only agency staff accounts can belong to an agency."))
    membership, _created = StaffMembership.objects.select_for_update().update_or_create(
        user=user, defaults={"agency": agency, "role": role, "is_active": True, "assigned_by": actor}
    )
    return membership


@transaction.atomic
def staff_account_create(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    password: str | None,
    agency,
    role: str,
    actor,
    mobile: str = "",
):
    """An administrator creates an agency staff account with its membership; staff never sign up."""
    user = staff_user_create(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        password=password,
        actor=actor,
        mobile=mobile,
    )
    membership_assign(user=user, agency=agency, role=role, actor=actor)
    return user

from django.db import transaction
from django.utils.translation import gettext as _

from greenjobs.exceptions import DomainError
from greenjobs.formats import format_number
from greenjobs.text import normalize_persian

from ..models import LoanScheme
from ..permissions import can_manage_schemes

FIELDS = (
    "code", "title_fa", "title_en", "description_fa", "description_en", "budget", "max_amount", "min_amount",
    "interest_rate", "term_months", "grace_months", "grace_starts", "grace_interest", "opens_on", "closes_on",
    "requires_verified_registration", "weight_knowledge_based", "weight_jobs_per_rial", "weight_environment",
    "weight_county", "is_published",
)  # fmt: skip


def _apply(scheme: LoanScheme, data: dict) -> None:
    for field in FIELDS:
        if field in data:
            value = data[field]
            if field in ("title_fa", "description_fa") and value:
                value = normalize_persian(value)
            if field == "code" and value:
                value = value.strip().upper()
            setattr(scheme, field, value)


@transaction.atomic
def scheme_create(*, actor, data: dict, priority_counties=()) -> LoanScheme:
    if not can_manage_schemes(actor):
        raise DomainError(_("Only MCLS managers manage loan schemes."), code="forbidden", status_code=403)
    scheme = LoanScheme(created_by=actor)
    _apply(scheme, data)
    scheme.full_clean()
    scheme.save()
    scheme.priority_counties.set(priority_counties)
    return scheme


@transaction.atomic
def scheme_update(*, scheme_id: int, actor, data: dict, priority_counties=None) -> LoanScheme:
    if not can_manage_schemes(actor):
        raise DomainError(_("Only MCLS managers manage loan schemes."), code="forbidden", status_code=403)
    scheme = LoanScheme.objects.select_for_update().get(pk=scheme_id)
    _apply(scheme, data)
    if scheme.budget < scheme.committed:
        from django.core.exceptions import ValidationError

        raise ValidationError(
            {"budget": _("The budget cannot go below what is already committed (%(committed)s Rials).")
             % {"committed": format_number(scheme.committed)}}
        )  # fmt: skip
    scheme.full_clean()
    scheme.save()
    if priority_counties is not None:
        scheme.priority_counties.set(priority_counties)
    return scheme

"""Reads of certificates: who sees which, the public check by code, and the registry's certified staff."""

from django.db.models import Count, Exists, OuterRef, Q

from greenjobs.text import fold_digits, search_key
from programs.models import GreenJob

from ..models import Certificate
from ..permissions import visible_enrolments
from .activities import jalali_year_bounds

STATUS_VALID = "valid"
STATUS_REVOKED = "revoked"


def _with_related(queryset):
    return queryset.select_related(
        "enrolment__person", "enrolment__session__course", "enrolment__session__centre", "revoked_by"
    )


def certificates_for(user, filters: dict | None = None):
    """The certificates this user may see (TVTO and the steering committee: all; a person: their own).

    Filters: q (serial, code, standard code, national ID or the holder's name), status (valid|revoked),
    course (id), year (Jalali year of issue).
    """
    filters = filters or {}
    queryset = _with_related(Certificate.objects.filter(enrolment__in=visible_enrolments(user)))
    if filters.get("status") == STATUS_VALID:
        queryset = queryset.filter(revoked_at__isnull=True)
    elif filters.get("status") == STATUS_REVOKED:
        queryset = queryset.filter(revoked_at__isnull=False)
    if filters.get("course"):
        queryset = queryset.filter(enrolment__session__course_id=filters["course"])
    if filters.get("year"):
        first, next_first = jalali_year_bounds(int(filters["year"]))
        queryset = queryset.filter(issued_on__gte=first, issued_on__lt=next_first)
    text = (filters.get("q") or "").strip()
    if text:
        latin = fold_digits(text)
        condition = (
            Q(serial__icontains=latin)
            | Q(verification_code=text)
            | Q(enrolment__session__course__standard_code__iexact=latin)
            | Q(enrolment__person__national_id=latin)
        )
        for word in text.split():
            key = search_key(word)
            if key:
                condition |= Q(enrolment__person__first_name__icontains=key) | Q(
                    enrolment__person__last_name__icontains=key
                )
        queryset = queryset.filter(condition)
    return queryset.order_by("-issued_on", "-pk")


def certificate_detail(*, user, certificate_id: int) -> Certificate | None:
    """One certificate with what its PDF prints, or None when it does not exist for this user."""
    return certificates_for(user).filter(pk=certificate_id).first()


def certificate_by_code(code: str) -> Certificate | None:
    """The public check: an exact match on the unguessable code, nothing else."""
    if not code or len(code) > Certificate._meta.get_field("verification_code").max_length:
        return None
    return _with_related(Certificate.objects.filter(verification_code=code)).first()


def _valid_certificate_of_holder():
    return Certificate.objects.filter(
        enrolment__person__national_id=OuterRef("holder_national_id"), revoked_at__isnull=True
    )


def certified_employees(business) -> tuple[int, int]:
    """(certified, total): of a business's green-job holders, how many hold a valid certificate. One query."""
    counts = GreenJob.objects.filter(business=business).aggregate(
        total=Count("pk"),
        certified=Count("pk", filter=Exists(_valid_certificate_of_holder())),
    )
    return counts["certified"], counts["total"]

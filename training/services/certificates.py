"""Certificates: one per passed enrolment, an unguessable code, a public check, and revocation."""

import secrets

import jdatetime
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from greenjobs.exceptions import ConflictError, DomainError

from ..models import Certificate, Enrolment
from ..permissions import can_manage_training


def _next_serial(year: int) -> str:
    prefix = f"GJQ-{year}-"
    last = Certificate.objects.filter(serial__startswith=prefix).aggregate(last=Max("serial"))["last"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:06d}"


def issue_for_session(*, session_id: int) -> int:
    """Issues the missing certificates of a session's passed enrolments. Safe to run any number of times."""
    issued = 0
    pending = Enrolment.objects.filter(
        session_id=session_id, status=Enrolment.Status.ENROLLED, passed=True, certificate__isnull=True
    ).values_list("pk", flat=True)
    for enrolment_id in list(pending):
        issued += issue(enrolment_id=enrolment_id) is not None
    return issued


def issue(*, enrolment_id: int) -> Certificate | None:
    """The certificate of one passed enrolment, made once: a second call returns None and changes nothing."""
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update()
            .filter(pk=enrolment_id, passed=True, status=Enrolment.Status.ENROLLED)
            .first()
        )
        if enrolment is None or Certificate.objects.filter(enrolment=enrolment).exists():
            return None
        today = timezone.localdate()
        year = jdatetime.date.fromgregorian(date=today).year
        # Serials run per Jalali year; if a parallel issuer took the same number, the unique index says so
        # and the next number is tried.
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    return Certificate.objects.create(
                        enrolment=enrolment, serial=_next_serial(year),
                        verification_code=secrets.token_urlsafe(18), issued_on=today,
                    )  # fmt: skip
            except IntegrityError:
                if Certificate.objects.filter(enrolment=enrolment).exists():
                    return None
        raise ConflictError(_("Could not number the certificate; try again."), code="serial_conflict")


@transaction.atomic
def revoke(*, certificate_id: int, actor, reason: str) -> Certificate:
    if not can_manage_training(actor):
        raise DomainError(_("Only TVTO staff revoke certificates."), code="forbidden", status_code=403)
    if not (reason or "").strip():
        raise DomainError(
            _("Write why the certificate is revoked; the verification page shows it."), code="reason_required"
        )
    certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
    if certificate.revoked_at:
        raise ConflictError(_("This certificate is already revoked."), code="already_revoked")
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason.strip()
    certificate.revoked_by = actor
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    return certificate


def mask_name(full_name: str) -> str:
    """Shows enough of a name to recognise it, not to harvest it: «رضا نوروزی» → «ر** ن*****»."""
    return " ".join(word[0] + "*" * max(len(word) - 1, 2) for word in full_name.split() if word)

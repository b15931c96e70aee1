"""Certificates: one per passed enrolment, an unguessable code, a public check, and revocation."""

import secrets

import jdatetime
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from greenjobs import workflow as engine
from greenjobs.exceptions import ConflictError, DomainError

from ..models import Certificate, Enrolment
from ..permissions import can_manage_training
from ..workflow import CERTIFICATE_TRANSITIONS
from .transitions import CERTIFICATE_FLOW


def _next_serial(year: int) -> str:
    prefix = f"GJQ-{year}-"
    last = Certificate.objects.filter(serial__startswith=prefix).aggregate(last=Max("serial"))["last"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:06d}"


def certificates_issue_for_session(*, session_id: int) -> int:
    """Issues the missing certificates of a session's passed enrolments. Safe to run any number of times."""
    issued = 0
    pending = Enrolment.objects.filter(
        session_id=session_id, status=Enrolment.Status.ENROLLED, passed=True, certificate__isnull=True
    ).values_list("pk", flat=True)
    for enrolment_id in list(pending):
        issued += certificate_issue(enrolment_id=enrolment_id) is not None
    return issued


def certificate_issue(*, enrolment_id: int) -> Certificate | None:
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
                    certificate = Certificate.objects.create(
                        enrolment=enrolment, serial=_next_serial(year),
                        verification_code=secrets.token_urlsafe(18), issued_on=today,
                    )  # fmt: skip
                    engine.created(
                        CERTIFICATE_FLOW, certificate, CERTIFICATE_TRANSITIONS["issue"], actor=None
                    )
                    return certificate
            except IntegrityError:
                if Certificate.objects.filter(enrolment=enrolment).exists():
                    return None
        raise ConflictError(_("Could not number the certificate; try again."), code="serial_conflict")


def certificate_revoke(*, certificate_id: int, actor, reason: str) -> Certificate:
    if not can_manage_training(actor):
        raise DomainError(_("Only TVTO staff revoke certificates."), code="forbidden", status_code=403)
    if not (reason or "").strip():
        raise DomainError(
            _("Write why the certificate is revoked; the verification page shows it."), code="reason_required"
        )

    def effects(certificate, transition, now):
        certificate.revoked_at = now
        certificate.revoked_reason = reason.strip()
        certificate.revoked_by = actor

    return engine.apply(
        CERTIFICATE_FLOW, "revoke", obj_id=certificate_id, actor=actor, reason=reason, effects=effects
    )


def mask_name(full_name: str) -> str:
    """Shows enough of a name to recognise it, not to harvest it: «رضا نوروزی» → «ر** ن*****»."""
    return " ".join(word[0] + "*" * max(len(word) - 1, 2) for word in full_name.split() if word)

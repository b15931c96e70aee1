"""Site visits: DOE or MCLS plan one (for a loan, often for a flagged round) and record what they found."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenjobs import uploads
from greenjobs.exceptions import ConflictError, DomainError
from greenjobs.permissions import membership_of
from greenjobs.text import normalize_persian
from incentives.validators import validate_portal_date

from ..models import CHECKLIST, CHECKLIST_ANSWERS, Round, SiteVisit, VisitPhoto, VisitStatus
from ..permissions import can_visit

MAX_PHOTOS = 10


def _require_visitor(actor):
    if not can_visit(actor):
        raise DomainError(_("Only DOE and MCLS staff make site visits."), code="forbidden", status_code=403)
    return membership_of(actor).agency


def _checked_date(value, field: str) -> datetime.date:
    if value is None:
        raise ValidationError({field: _("Enter the date.")})
    try:
        validate_portal_date(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc
    return value


@transaction.atomic
def visit_plan(*, round_id: int, actor, due_on: datetime.date) -> SiteVisit:
    agency = _require_visitor(actor)
    round_ = Round.objects.select_related("loan").filter(pk=round_id).first()
    if round_ is None:
        raise DomainError(_("No such monitoring round."), code="not_found", status_code=404)
    due_on = _checked_date(due_on, "due_on")
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("A visit is planned for today or later.")})
    return SiteVisit.objects.create(
        loan=round_.loan, round=round_, agency=agency, due_on=due_on, planned_by=actor
    )


@transaction.atomic
def visit_record(
    *, visit_id: int, actor, visited_on: datetime.date, checklist: dict, findings: str, photos=()
) -> SiteVisit:
    """Records a planned visit as done: the checklist's answers, the findings and up to ten photos."""
    _require_visitor(actor)
    visit = SiteVisit.objects.select_for_update().filter(pk=visit_id).first()
    if visit is None:
        raise DomainError(_("No such visit."), code="not_found", status_code=404)
    if visit.status == VisitStatus.DONE:
        raise ConflictError(_("This visit is already recorded."), code="already_done")
    visited_on = _checked_date(visited_on, "visited_on")
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit is recorded once it has taken place.")})
    answers = {value for value, _label in CHECKLIST_ANSWERS}
    visit.checklist = {
        key: checklist.get(key) if checklist.get(key) in answers else "unseen" for key, _label in CHECKLIST
    }
    visit.findings = normalize_persian(findings or "").strip()
    if not visit.findings:
        raise ValidationError({"findings": _("Write what the visit found.")})
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most ten photos.")})
    for photo in photos:
        # Every file checked before any is stored, so a bad third photo leaves no first two behind.
        try:
            uploads.check_document(photo)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from exc
    visit.visited_on = visited_on
    visit.status = VisitStatus.DONE
    visit.recorded_by = actor
    visit.save()
    for photo in photos:
        with uploads.document_stored(photo, "visit-photos") as stored, transaction.atomic():
            VisitPhoto.objects.create(
                visit=visit, stored_name=stored.stored_name, size=stored.size, sha256=stored.sha256,
                original_name=uploads.clean_file_name(photo.name), content_type=stored.content_type,
                uploaded_by=actor,
            )  # fmt: skip
    return visit

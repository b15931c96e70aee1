"""The DOE officer's checklist. The decision itself goes through registrations.business_transition."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenjobs.exceptions import ConflictError, DomainError

from .. import notices
from ..models import CATEGORY_UNITS, Assessment, AssessmentItem, RegistrationStatus, RequirementCategory


def _open_assessment_for_officer(assessment_id: int, actor) -> Assessment:
    assessment = (
        Assessment.objects.select_for_update().select_related("business").filter(pk=assessment_id).first()
    )
    if assessment is None:
        raise DomainError(_("No such assessment."), code="not_found", status_code=404)
    if assessment.officer_id != actor.pk:
        raise DomainError(
            _("Only the officer assigned to this assessment can change its checklist."),
            code="forbidden",
            status_code=403,
        )
    if assessment.status != Assessment.Status.IN_PROGRESS or (
        assessment.business.status != RegistrationStatus.UNDER_ASSESSMENT
    ):
        raise ConflictError(_("This assessment is closed for changes."), code="assessment_closed")
    return assessment


@transaction.atomic
def assessment_item_save(
    *,
    assessment_id: int,
    actor,
    category: str,
    description: str,
    baseline: Decimal | None = None,
    current: Decimal | None = None,
    compliant: bool = True,
    note: str = "",
    item_id: int | None = None,
) -> AssessmentItem:
    """Adds or edits a checklist line. Measurements are in the category's unit, so savings add up."""
    assessment = _open_assessment_for_officer(assessment_id, actor)
    if item_id is not None:
        item = assessment.items.filter(pk=item_id).first()
        if item is None:
            raise DomainError(_("No such checklist item."), code="not_found", status_code=404)
    else:
        item = AssessmentItem(assessment=assessment)
    if category not in RequirementCategory.values:
        raise ValidationError({"category": _("Choose a requirement.")})
    unit = CATEGORY_UNITS[RequirementCategory(category)]
    if unit and (baseline is None) != (current is None):
        raise ValidationError(
            {"current": _("Enter both the baseline and the current measurement, or neither.")}
        )
    if unit and baseline is None and compliant and not (note or "").strip():
        # A measured requirement marked as met with nothing measured would count as met on no evidence
        # (and an input the browser emptied would pass unseen): the officer says why, or measures.
        raise ValidationError(
            {
                "baseline": _(
                    "Enter the baseline and current measurements, or say in the note why there are none."
                )
            }
        )
    if not unit:
        baseline = current = None
    if compliant is False and not (note or "").strip():
        raise ValidationError({"note": _("Say which part of the requirement is not met.")})
    item.category = category
    item.description = description.strip()
    item.unit = unit
    item.baseline = baseline
    item.current = current
    item.compliant = compliant
    item.note = (note or "").strip()
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def assessment_item_delete(*, assessment_id: int, actor, item_id: int) -> None:
    assessment = _open_assessment_for_officer(assessment_id, actor)
    deleted, _per_model = assessment.items.filter(pk=item_id).delete()
    if not deleted:
        raise DomainError(_("No such checklist item."), code="not_found", status_code=404)


@transaction.atomic
def assessment_mark_ready(*, assessment_id: int, actor, summary: str) -> Assessment:
    """The officer hands the finished checklist to a DOE reviewer for the decision."""
    assessment = _open_assessment_for_officer(assessment_id, actor)
    covered = set(assessment.items.values_list("category", flat=True))
    missing = [RequirementCategory(c).label for c in RequirementCategory.values if c not in covered]
    if missing:
        raise DomainError(
            _("The checklist does not cover: %(missing)s.") % {"missing": "، ".join(str(m) for m in missing)},
            code="checklist_incomplete",
        )
    if not (summary or "").strip():
        raise ValidationError({"summary": _("Write a short summary for the reviewer.")})
    assessment.summary = summary.strip()
    assessment.status = Assessment.Status.READY
    assessment.ready_at = timezone.now()
    assessment.save(update_fields=["summary", "status", "ready_at"])
    notices.checklist_ready(assessment)
    return assessment


@transaction.atomic
def assessment_reopen(*, assessment_id: int, actor) -> Assessment:
    """The officer takes a checklist back before the reviewer has decided."""
    assessment = Assessment.objects.select_for_update().filter(pk=assessment_id, officer=actor).first()
    if assessment is None or assessment.status != Assessment.Status.READY:
        raise ConflictError(_("Only a checklist waiting for decision can be taken back."), code="not_ready")
    assessment.status = Assessment.Status.IN_PROGRESS
    assessment.ready_at = None
    assessment.save(update_fields=["status", "ready_at"])
    return assessment

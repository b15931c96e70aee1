"""Awareness activities (G5): each agency records and corrects its own, and nobody else's."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.permissions import membership_of
from greenjobs.exceptions import DomainError
from greenjobs.text import normalize_persian

from ..models import AwarenessActivity
from ..permissions import can_edit_activity, can_record_activities

FIELDS = (
    "title", "kind", "held_on", "county", "audience",
    "workers_count", "employers_count", "others_count", "description",
)  # fmt: skip
COUNTS = ("workers_count", "employers_count", "others_count")


def _require_recorder(actor):
    if not can_record_activities(actor):
        raise DomainError(
            _("Only staff of DOE, MCLS and TVTO record awareness activities."),
            code="forbidden",
            status_code=403,
        )


def _apply(activity: AwarenessActivity, data: dict) -> None:
    for field in FIELDS:
        if field in data:
            setattr(activity, field, data[field])
    activity.title = normalize_persian(activity.title or "")
    activity.description = (activity.description or "").strip()
    errors = {}
    for field in COUNTS:
        value = getattr(activity, field)
        if value is None:
            setattr(activity, field, 0)
        elif int(value) < 0:
            errors[field] = [_("A number of people cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    activity.full_clean(exclude=["agency", "recorded_by"])


@transaction.atomic
def activity_create(*, actor, data: dict) -> AwarenessActivity:
    """Records an activity for the actor's own agency; the agency is never taken from the form."""
    _require_recorder(actor)
    activity = AwarenessActivity(agency=membership_of(actor).agency, recorded_by=actor)
    _apply(activity, data)
    activity.save()
    return activity


@transaction.atomic
def activity_update(*, activity_id: int, actor, data: dict) -> AwarenessActivity:
    _require_recorder(actor)
    activity = AwarenessActivity.objects.select_for_update().select_related("agency").get(pk=activity_id)
    if not can_edit_activity(actor, activity):
        raise DomainError(
            _("Each agency corrects only its own activities."), code="forbidden", status_code=403
        )
    _apply(activity, data)
    activity.save()
    return activity

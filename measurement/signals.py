"""What the measurement hears from the apps below it: a record that moves the figures asks for the
dashboards' refresh, and one dated in a period whose figures are already stored is noted as a late change.

Receivers connected here keep the direction of the layers: the apps know nothing of the measurement.
"""

from django.db.models.signals import post_delete, post_save

from incentives.models import ApplicationEvent, Disbursement, Payment
from monitoring.models import RoundEvent
from programs.models import GreenOccupation, Project, RegistrationEvent
from training.models import AwarenessActivity, Certificate, Enrolment

from .models import IndicatorTarget, ManualValue
from .services import snapshots

# Each record that feeds an indicator, with the day a person may set in the past: the day that decides
# which period it belongs to. The events are stamped when they happen, so they are never late.
DATED = {
    Disbursement: lambda row: [row.paid_on],
    Payment: lambda row: [row.paid_on],
    AwarenessActivity: lambda row: [row.held_on],
    GreenOccupation: lambda row: [row.introduced_on],
    Project: lambda row: [row.awarded_on],
    Certificate: lambda row: [row.issued_on, row.revoked_at],
    # A round is counted in the period of the month it checks, whenever it is verified or decided.
    RoundEvent: lambda row: [row.round.month],
}
MOVES_FIGURES = (
    RegistrationEvent, ApplicationEvent, Enrolment, IndicatorTarget, ManualValue, *DATED,
)  # fmt: skip


def _changed(sender, instance, **kwargs):
    for day in DATED.get(sender, lambda row: [])(instance):
        snapshots.late_change_note(day=day, what=f"{sender._meta.label_lower} #{instance.pk}")
    snapshots.progress_refresh_request()


def connect() -> None:
    for model in MOVES_FIGURES:
        post_save.connect(_changed, sender=model, dispatch_uid=f"measurement-{model._meta.label_lower}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"measurement-del-{model._meta.label_lower}")

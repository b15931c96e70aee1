"""What the loans tell people in their notification centre (see notifications.kinds).

The applicant hears of every move of their application (as their e-mail tells them); the staff who
work the stage an application moves into hear that it reached them, and that its deadline is near.
Who works a stage is read off the transition table: whoever may make a move out of it.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.selectors import staff_ids
from greenjobs import notes
from greenjobs.formats import format_date, format_digits
from greenjobs.workflow import OWNER, SYSTEM
from notifications import kinds, reminders
from notifications.services import notify

from .models import ApplicationEvent, LoanApplication, Stage
from .workflow import MOVES, STAGE_SLA_DAYS

RETURNED = "loan.returned"
DECISION = "loan.decision"
MONEY = "loan.money"
UPDATE = "loan.update"
ARRIVED = "staff.loan_arrived"
SLA = "staff.loan_sla"

MONEY_MOVES = ("disburse", "fall_into_arrears")


def _stage(code: str) -> str:
    try:
        return str(Stage(code).label)
    except ValueError:
        return code


def _reference(params: dict):
    return format_html('<bdi class="identifier" dir="ltr">{}</bdi>', params["reference"])


def _applicant_text(params: dict):
    move = MOVES.get(params["action"])
    what = str(move.applicant_label) if move and move.applicant_label else _stage(params["to"])
    reason = Truncator(notes.render(params.get("reason", ""))).chars(300)
    if reason:
        return format_html(
            _("Loan application {reference}: {what}: {reason}"),
            reference=_reference(params), what=what, reason=reason,
        )  # fmt: skip
    return format_html(_("Loan application {reference}: {what}."), reference=_reference(params), what=what)


def _arrived_text(params: dict):
    return format_html(
        _("Loan application {reference} of “{business}” reached your stage: {stage}."),
        reference=_reference(params), business=params["business"], stage=_stage(params["to"]),
    )  # fmt: skip


def _sla_text(params: dict):
    return format_html(
        _(
            "Loan application {reference} has been “{stage}” since {since}; "
            "its {days}-day deadline falls on {due}."
        ),
        reference=_reference(params), stage=_stage(params["stage"]),
        since=format_date(datetime.date.fromisoformat(params["since"])),
        days=format_digits(params["days"]), due=format_date(datetime.date.fromisoformat(params["due"])),
    )  # fmt: skip


def _link(params: dict) -> str:
    return reverse("incentives:application_detail", args=[params["application_id"]])


for code, label, urgent in (
    (RETURNED, gettext_lazy("My loan application returned for correction"), True),
    (DECISION, gettext_lazy("My loan approved or rejected"), True),
    (MONEY, gettext_lazy("A tranche of my loan paid, or an instalment overdue"), True),
    (UPDATE, gettext_lazy("Other news on my loan application"), False),
):
    kinds.register(kinds.Kind(code, label, _applicant_text, _link, urgent=urgent))
kinds.register(
    kinds.Kind(
        ARRIVED, gettext_lazy("A loan application reached my stage"), _arrived_text, _link,
        audience=kinds.STAFF, email_default=False, emailed_by_app=False,
    )
)  # fmt: skip
kinds.register(
    kinds.Kind(
        SLA, gettext_lazy("A loan application's stage deadline is near"), _sla_text, _link,
        audience=kinds.STAFF, email_default=False, emailed_by_app=False,
    )
)  # fmt: skip


def applicant_kind(event: ApplicationEvent) -> str:
    if event.to_stage == Stage.RETURNED:
        return RETURNED
    if event.to_stage in (Stage.APPROVED, Stage.REJECTED):
        return DECISION
    if event.action in MONEY_MOVES:
        return MONEY
    return UPDATE


def stage_workers(stage: str) -> dict[str, set[str]]:
    """Agency code -> the roles that may move an application out of `stage` (those who work it)."""
    workers: dict[str, set[str]] = {}
    for move in MOVES.values():
        if stage in move.sources and move.who not in (OWNER, SYSTEM):
            workers.setdefault(move.who, set()).update(move.roles)
    return workers


def _staff_of(stage: str, *, exclude=()) -> list[int]:
    recipients = []
    for agency_code, roles in sorted(stage_workers(stage).items()):
        recipients += staff_ids(
            agency_code=agency_code,
            roles=sorted(roles),
            limit=settings.NOTIFICATION_STAFF_FANOUT,
            exclude=exclude,
        )
    return recipients


def event_recorded(event: ApplicationEvent) -> None:
    """In the event's transaction: the applicant's notification, and the staff's when a stage is reached."""
    application = event.application
    key = f"incentives.event:{event.pk}"
    notify(
        recipients=[application.applicant_id],
        kind=applicant_kind(event),
        params={
            "application_id": application.pk, "reference": application.reference, "action": event.action,
            "to": event.to_stage, "reason": event.reason,
        },
        key=key,
        at=event.at,
    )  # fmt: skip
    if event.from_stage != event.to_stage:
        notify(
            recipients=_staff_of(event.to_stage, exclude=[event.actor_id]),
            kind=ARRIVED,
            params={
                "application_id": application.pk, "reference": application.reference,
                "business": application.business.legal_name, "to": event.to_stage,
            },
            key=key,
            at=event.at,
        )  # fmt: skip


def remind_sla(*, now=None, within_days: int, limit: int) -> int:
    """Tells the staff of each stage of the applications whose stage deadline falls within `within_days`."""
    now = now or timezone.now()
    created = 0
    for stage, days in STAGE_SLA_DAYS.items():
        sla = datetime.timedelta(days=days)
        due = (
            LoanApplication.objects.filter(
                stage=stage,
                stage_changed_at__gt=now - sla,
                stage_changed_at__lte=now - sla + datetime.timedelta(days=within_days),
            )
            .select_related("scheme")
            .order_by("stage_changed_at", "pk")[:limit]
        )
        due = list(due)
        recipients = _staff_of(stage) if due else []
        for application in due:
            since = timezone.localtime(application.stage_changed_at)
            created += len(
                notify(
                    recipients=recipients,
                    kind=SLA,
                    params={
                        "application_id": application.pk, "reference": application.reference,
                        "stage": stage, "since": since.date().isoformat(), "days": days,
                        "due": (since + sla).date().isoformat(),
                    },
                    key=f"incentives.sla:{application.pk}:{stage}:{int(application.stage_changed_at.timestamp())}",
                    at=now,
                )
            )  # fmt: skip
    return created


reminders.register("loans", remind_sla)

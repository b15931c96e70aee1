"""What the registry tells people in their notification centre (see notifications.kinds).

The owner hears of every move of their registration (as their e-mail tells them); DOE's staff hear
that a registration reached their stage (officers: submitted; reviewers: the checklist is ready) and
that its deadline is near.
"""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.selectors import staff_ids
from greenjobs import notes
from greenjobs.formats import format_date, format_digits
from notifications import kinds, reminders
from notifications.services import notify

from .models import Assessment, Business, RegistrationEvent, RegistrationStatus

CHANGES_REQUESTED = "registration.changes_requested"
DECISION = "registration.decision"
UPDATE = "registration.update"
ARRIVED = "staff.registration_arrived"
SLA = "staff.registration_sla"

# The stages DOE works, and the SLA that counts in each.
SLA_STATUSES = (RegistrationStatus.SUBMITTED, RegistrationStatus.UNDER_ASSESSMENT)


def _status(code: str) -> str:
    try:
        return str(RegistrationStatus(code).label)
    except ValueError:
        return code


def _reason(params: dict) -> str:
    return Truncator(notes.render(params.get("reason", ""))).chars(300)


def _owner_text(params: dict) -> str:
    values = {"name": params["name"], "status": _status(params["to"]), "reason": _reason(params)}
    if params["to"] == RegistrationStatus.CHANGES_REQUESTED:
        return _("DOE asked for changes to the registration of “%(name)s”: %(reason)s") % values
    if params["to"] == RegistrationStatus.REJECTED:
        return _("The registration of “%(name)s” was rejected: %(reason)s") % values
    return _("The registration of “%(name)s” is now “%(status)s”.") % values


def _arrived_text(params: dict) -> str:
    if params.get("step") == "ready":
        return _("The checklist of “%(name)s” is ready for your decision.") % {"name": params["name"]}
    return _("The registration of “%(name)s” was submitted and waits for an assessing officer.") % {
        "name": params["name"]
    }


def _sla_text(params: dict) -> str:
    return _(
        "The registration of “%(name)s” has been “%(status)s” since %(since)s; "
        "its %(days)s-day deadline falls on %(due)s."
    ) % {
        "name": params["name"],
        "status": _status(params["status"]),
        "since": format_date(datetime.date.fromisoformat(params["since"])),
        "days": format_digits(params["days"]),
        "due": format_date(datetime.date.fromisoformat(params["due"])),
    }


def _link(params: dict) -> str:
    return reverse("programs:business_detail", args=[params["business_id"]])


for code, label, urgent in (
    (CHANGES_REQUESTED, gettext_lazy("Changes requested on my business registration"), True),
    (DECISION, gettext_lazy("My business registration verified or rejected"), True),
    (UPDATE, gettext_lazy("Other news on my business registration"), False),
):
    kinds.register(kinds.Kind(code, label, _owner_text, _link, urgent=urgent))
kinds.register(
    kinds.Kind(
        ARRIVED, gettext_lazy("A business registration reached my stage"), _arrived_text, _link,
        audience=kinds.STAFF, email_default=False, emailed_by_app=False,
    )
)  # fmt: skip
kinds.register(
    kinds.Kind(
        SLA, gettext_lazy("A business registration's deadline is near"), _sla_text, _link,
        audience=kinds.STAFF, email_default=False, emailed_by_app=False,
    )
)  # fmt: skip


def owner_kind(to_status: str) -> str:
    if to_status == RegistrationStatus.CHANGES_REQUESTED:
        return CHANGES_REQUESTED
    if to_status in (RegistrationStatus.VERIFIED, RegistrationStatus.REJECTED):
        return DECISION
    return UPDATE


def event_recorded(event: RegistrationEvent) -> None:
    """In the event's transaction: the owner's notification, and DOE's officers' for a new case."""
    business = event.business
    key = f"programs.event:{event.pk}"
    notify(
        recipients=[business.owner_id],
        kind=owner_kind(event.to_status),
        params={
            "business_id": business.pk, "name": business.legal_name, "from": event.from_status,
            "to": event.to_status, "reason": event.reason,
        },
        key=key,
        at=event.at,
    )  # fmt: skip
    if event.to_status == RegistrationStatus.SUBMITTED:
        _tell_staff(
            business, roles=("officer",), step="submitted", key=key, at=event.at, actor=event.actor_id
        )


def checklist_ready(assessment: Assessment) -> None:
    """In the transaction that hands the checklist over: DOE's reviewers have a decision to make."""
    _tell_staff(
        assessment.business,
        roles=("reviewer",),
        step="ready",
        key=f"programs.ready:{assessment.pk}:{int(assessment.ready_at.timestamp())}",
        at=assessment.ready_at,
        actor=assessment.officer_id,
    )


def _tell_staff(business, *, roles, step, key, at, actor) -> None:
    recipients = staff_ids(
        agency_code="DOE", roles=roles, limit=settings.NOTIFICATION_STAFF_FANOUT, exclude=[actor]
    )
    notify(
        recipients=recipients,
        kind=ARRIVED,
        params={"business_id": business.pk, "name": business.legal_name, "step": step},
        key=key,
        at=at,
    )


def remind_sla(*, now=None, within_days: int, limit: int) -> int:
    """Tells DOE's staff of the registrations whose assessment deadline falls within `within_days`."""
    now = now or timezone.now()
    sla = datetime.timedelta(days=settings.ASSESSMENT_SLA_DAYS)
    ready = Assessment.objects.filter(business=OuterRef("pk"), status=Assessment.Status.READY)
    due = (
        Business.objects.filter(
            status__in=SLA_STATUSES,
            status_changed_at__gt=now - sla,
            status_changed_at__lte=now - sla + datetime.timedelta(days=within_days),
        )
        .annotate(checklist_ready=Exists(ready))
        .order_by("status_changed_at", "pk")
        .values("pk", "legal_name", "status", "status_changed_at", "assigned_officer_id", "checklist_ready")[
            :limit
        ]
    )
    fanout = settings.NOTIFICATION_STAFF_FANOUT
    officers = staff_ids(agency_code="DOE", roles=("officer",), limit=fanout)
    reviewers = staff_ids(agency_code="DOE", roles=("reviewer",), limit=fanout)
    created = 0
    for case in due:
        if case["status"] == RegistrationStatus.SUBMITTED:
            recipients = officers
        elif case["checklist_ready"]:
            recipients = reviewers
        else:
            recipients = [case["assigned_officer_id"]]
        since = timezone.localtime(case["status_changed_at"])
        created += len(
            notify(
                recipients=recipients,
                kind=SLA,
                params={
                    "business_id": case["pk"], "name": case["legal_name"], "status": case["status"],
                    "since": since.date().isoformat(), "days": settings.ASSESSMENT_SLA_DAYS,
                    "due": (since + sla).date().isoformat(),
                },
                key=f"programs.sla:{case['pk']}:{case['status']}:{int(case['status_changed_at'].timestamp())}",
                at=now,
            )
        )  # fmt: skip
    return created


reminders.register("registrations", remind_sla)

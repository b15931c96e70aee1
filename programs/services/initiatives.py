"""Writes for joint initiatives (with their milestones) and for G6 projects (with their bids and award).

Who may: the manager of the lead agency, or a programme manager (the steering committee). An agency
manager only ever creates what their own agency leads, and cannot hand the lead to another agency.
Every write locks the row it changes, so two people editing at once cannot both win.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from greenjobs import workflow as engine
from greenjobs.exceptions import ConflictError, DomainError
from greenjobs.jalali import format_date
from greenjobs.text import fold_digits, normalize_persian
from greenjobs.workflow import Workflow

from ..models import Bid, Initiative, Milestone, Project, ProjectEvent
from ..permissions import can_choose_lead, can_create_initiatives, can_manage_initiative, membership_of
from ..workflow import PROJECT_TRANSITIONS

INITIATIVE_FIELDS = ("title_fa", "title_en", "description", "lead_agency", "budget", "starts_on", "ends_on")
PROJECT_FIELDS = (
    "title_fa", "title_en", "description", "lead_agency", "estimated_value", "bids_close_on",
    "weight_price", "weight_technical", "weight_knowledge_based",
)  # fmt: skip
WEIGHT_FIELDS = ("weight_price", "weight_technical", "weight_knowledge_based")
BID_FIELDS = (
    "bidder", "national_business_id", "is_knowledge_based", "knowledge_based_as_of", "amount",
    "technical_score", "submitted_on",
)  # fmt: skip


def _forbidden(message) -> DomainError:
    return DomainError(message, code="forbidden", status_code=403)


def _require_create(actor) -> None:
    if not can_create_initiatives(actor):
        raise _forbidden(_("Only agency managers and programme managers can create these records."))


def _require_manage(actor, lead_agency_id: int) -> None:
    if not can_manage_initiative(actor, lead_agency_id):
        raise _forbidden(_("Only a manager of the lead agency or a programme manager can change this."))


def _lead_for(actor, lead_agency, current_lead_id: int | None = None):
    """The lead agency an actor may set: a programme manager picks any; an agency manager keeps theirs."""
    if can_choose_lead(actor):
        if lead_agency is None:
            raise ValidationError({"lead_agency": _("Choose the lead agency.")})
        return lead_agency
    own = membership_of(actor).agency
    expected_id = current_lead_id or own.pk
    if lead_agency is not None and lead_agency.pk != expected_id:
        raise ValidationError(
            {"lead_agency": _("Only a programme manager can give the lead to another agency.")}
        )
    return lead_agency or own


def _not_found(message) -> DomainError:
    return DomainError(message, code="not_found", status_code=404)


def _text(value) -> str:
    return normalize_persian(value or "")


def _plain(value) -> str:
    return "\n".join(line.rstrip() for line in (value or "").replace("\r\n", "\n").split("\n")).strip()


# --- initiatives --------------------------------------------------------------------------------------------


def _apply_initiative(initiative: Initiative, data: dict) -> None:
    for field in INITIATIVE_FIELDS:
        if field not in data or field == "lead_agency":
            continue
        value = data[field]
        if field in ("title_fa", "title_en"):
            value = _text(value)
        elif field == "description":
            value = _plain(value)
        elif field == "budget":
            value = value or 0
        setattr(initiative, field, value)


def _validate_initiative(initiative: Initiative, goals, partners) -> None:
    errors = {}
    if initiative.starts_on and initiative.ends_on and initiative.ends_on < initiative.starts_on:
        errors["ends_on"] = [_("The end date cannot be before the start date.")]
    if goals is not None and not list(goals):
        errors["goals"] = [_("Choose at least one goal of the memorandum that this initiative serves.")]
    if partners is not None and any(agency.pk == initiative.lead_agency_id for agency in partners):
        errors["partners"] = [_("The lead agency cannot also be a partner.")]
    if initiative.pk and initiative.starts_on and initiative.ends_on:
        outside = initiative.milestones.exclude(
            due_on__gte=initiative.starts_on, due_on__lte=initiative.ends_on
        ).exists()
        if outside:
            errors.setdefault("ends_on", []).append(
                _("Some milestones fall outside these dates; change their due dates first.")
            )
    try:
        # The date order was checked above with a clearer message than the constraint's.
        initiative.full_clean(exclude=["created_by"], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(m for m in messages if m not in errors.get(field, []))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def initiative_create(*, actor, data: dict) -> Initiative:
    """data: title_fa, title_en, description, lead_agency, goals, partners, budget, starts_on, ends_on."""
    _require_create(actor)
    initiative = Initiative(created_by=actor)
    _apply_initiative(initiative, data)
    initiative.lead_agency = _lead_for(actor, data.get("lead_agency"))
    goals = list(data.get("goals") or [])
    partners = list(data.get("partners") or [])
    _validate_initiative(initiative, goals, partners)
    initiative.save()
    initiative.goals.set(goals)
    initiative.partners.set(partners)
    return initiative


def _locked_initiative(initiative_id: int) -> Initiative:
    initiative = Initiative.objects.select_for_update().filter(pk=initiative_id).first()
    if initiative is None:
        raise _not_found(_("No such initiative."))
    return initiative


@transaction.atomic
def initiative_update(*, initiative_id: int, actor, data: dict) -> Initiative:
    """Changes what data names; goals and partners are replaced as whole sets when given."""
    initiative = _locked_initiative(initiative_id)
    _require_manage(actor, initiative.lead_agency_id)
    _apply_initiative(initiative, data)
    if "lead_agency" in data:
        initiative.lead_agency = _lead_for(actor, data["lead_agency"], initiative.lead_agency_id)
    goals = list(data["goals"]) if "goals" in data else None
    partners = list(data["partners"]) if "partners" in data else None
    _validate_initiative(
        initiative, goals, partners if partners is not None else list(initiative.partners.all())
    )
    initiative.save()
    if goals is not None:
        initiative.goals.set(goals)
    if partners is not None:
        initiative.partners.set(partners)
    return initiative


def _check_day(field: str, day, *, today: datetime.date, not_before=None, not_before_message=None):
    if day is None:
        raise ValidationError({field: _("Enter a date.")})
    if day > today:
        raise ValidationError({field: _("The date cannot be in the future.")})
    if not_before is not None and day < not_before:
        raise ValidationError({field: not_before_message})


@transaction.atomic
def milestone_add(*, initiative_id: int, actor, title: str, due_on: datetime.date) -> Milestone:
    initiative = _locked_initiative(initiative_id)
    _require_manage(actor, initiative.lead_agency_id)
    milestone = Milestone(initiative=initiative, title=_text(title), due_on=due_on)
    if due_on and not (initiative.starts_on <= due_on <= initiative.ends_on):
        raise ValidationError({"due_on": _("The due date must fall within the initiative's dates.")})
    milestone.full_clean(exclude=["completed_on"])
    milestone.save()
    return milestone


@transaction.atomic
def milestone_complete(
    *, milestone_id: int, actor, completed_on: datetime.date | None = None, today: datetime.date | None = None
) -> Milestone:
    """Records when a milestone was done (today unless said); done after its due date, it stays late."""
    milestone = (
        Milestone.objects.select_for_update().select_related("initiative").filter(pk=milestone_id).first()
    )
    if milestone is None:
        raise _not_found(_("No such milestone."))
    _require_manage(actor, milestone.initiative.lead_agency_id)
    if milestone.completed_on is not None:
        raise ConflictError(_("This milestone is already recorded as done."), code="already_done")
    today = today or timezone.localdate()
    completed_on = completed_on or today
    _check_day(
        "completed_on",
        completed_on,
        today=today,
        not_before=milestone.initiative.starts_on,
        not_before_message=_("A milestone cannot be done before its initiative starts."),
    )
    milestone.completed_on = completed_on
    milestone.save(update_fields=["completed_on"])
    return milestone


# --- projects (G6) ------------------------------------------------------------------------------------------


def _apply_project(project: Project, data: dict) -> None:
    for field in PROJECT_FIELDS:
        if field not in data or field == "lead_agency":
            continue
        value = data[field]
        if field in ("title_fa", "title_en"):
            value = _text(value)
        elif field == "description":
            value = _plain(value)
        setattr(project, field, value)


def _validate_project(project: Project) -> None:
    errors = {}
    if sum(getattr(project, field) or 0 for field in WEIGHT_FIELDS) <= 0:
        errors["weight_price"] = [_("At least one weight must be more than zero.")]
    try:
        project.full_clean(exclude=["awarded_bid", "awarded_by", "awarded_on", "award_reason", "status"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_create(*, actor, data: dict) -> Project:
    _require_create(actor)
    project = Project()
    _apply_project(project, data)
    project.lead_agency = _lead_for(actor, data.get("lead_agency"))
    _validate_project(project)
    project.save()
    return project


def _locked_project(project_id: int) -> Project:
    project = Project.objects.select_for_update().filter(pk=project_id).first()
    if project is None:
        raise _not_found(_("No such project."))
    return project


def _not_open(project: Project) -> ConflictError:
    if project.status == Project.Status.AWARDED:
        return ConflictError(_("This project has already been awarded."), code="already_awarded")
    return ConflictError(_("This project is closed."), code="closed")


def _require_open(project: Project) -> None:
    if project.status != Project.Status.OPEN:
        raise _not_open(project)


def _record_project(project, transition, *, actor, from_status, to_status, reason, at) -> ProjectEvent:
    return ProjectEvent.objects.create(
        project=project,
        from_status=from_status,
        to_status=to_status,
        action=transition.name,
        actor=actor,
        reason=reason,
        at=at,
    )


PROJECT_FLOW = Workflow(
    transitions=PROJECT_TRANSITIONS,
    model=Project,
    may=lambda transition, project, user: can_manage_initiative(user, project.lead_agency_id),
    record=_record_project,
    out_of_place=lambda transition, project: _not_open(project),
    not_found_message=_lazy("No such project."),
    forbidden_message=_lazy("Only a manager of the lead agency or a programme manager can change this."),
    reason_message=_lazy("Write why the project is cancelled; the project page shows it."),
    stale_message=_lazy(
        "Someone else changed this project a moment ago; it is now “%(status)s”. Reload and check."
    ),
    not_possible_message=_lazy("“%(action)s” is not possible while the project is “%(status)s”."),
)


def project_actions(project: Project, user) -> list:
    """The project's buttons for this user; the service checks again when one is pressed."""
    return engine.available(PROJECT_TRANSITIONS, project, user, may=PROJECT_FLOW.may)


@transaction.atomic
def bid_add(*, project_id: int, actor, data: dict, today: datetime.date | None = None) -> Bid:
    """Records a bid received for an open project, with the bidder's knowledge-based status and its date."""
    project = _locked_project(project_id)
    _require_manage(actor, project.lead_agency_id)
    _require_open(project)
    today = today or timezone.localdate()
    bid = Bid(project=project)
    for field in BID_FIELDS:
        if field in data:
            setattr(bid, field, data[field])
    bid.bidder = _text(bid.bidder)
    bid.national_business_id = fold_digits(bid.national_business_id or "").strip()
    bid.submitted_on = bid.submitted_on or today
    errors = {}
    if bid.submitted_on > today:
        errors["submitted_on"] = [_("The date cannot be in the future.")]
    elif bid.submitted_on > project.bids_close_on:
        errors["submitted_on"] = [_("Bids closed before this date: a late bid cannot be recorded.")]
    if bid.is_knowledge_based and bid.knowledge_based_as_of is None:
        errors["knowledge_based_as_of"] = [_("Enter the date the knowledge-based status was confirmed.")]
    elif bid.knowledge_based_as_of and bid.knowledge_based_as_of > today:
        errors["knowledge_based_as_of"] = [_("The date cannot be in the future.")]
    if not bid.is_knowledge_based:
        bid.knowledge_based_as_of = None
    same_firm = project.bids.filter(national_business_id=bid.national_business_id)
    if bid.national_business_id and same_firm.exists():
        errors["national_business_id"] = [_("This firm has already bid for this project.")]
    try:
        bid.full_clean(exclude=["project"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    bid.save()
    return bid


def project_award(
    *,
    project_id: int,
    actor,
    bid_id: int,
    reason: str,
    awarded_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Project:
    """Awards an open project to one of its bids, with the reason, once.

    The project row is locked first, so of two people awarding at once the second waits, then finds it
    awarded and is told so. The reason is always required, and should say why when the chosen bid is
    not the top-ranked one. Bids are taken to the end of the closing day, so the award comes after it.
    """
    reason = _plain(reason)

    def effects(project, transition, now):
        bid = project.bids.filter(pk=bid_id).first()
        if bid is None:
            raise ValidationError({"bid": _("Choose one of this project's bids.")})
        if not reason:
            raise ValidationError({"reason": _("Give the reason for the award.")})
        day = today or timezone.localdate()
        _check_day(
            "awarded_on",
            awarded_on or day,
            today=day,
            not_before=project.bids_close_on + datetime.timedelta(days=1),
            not_before_message=_("Bids are taken until the end of %(day)s; the award can only come after.")
            % {"day": format_date(project.bids_close_on)},
        )
        project.awarded_bid = bid
        project.award_reason = reason
        project.awarded_on = awarded_on or day
        project.awarded_by = actor

    return engine.apply(PROJECT_FLOW, "award", obj_id=project_id, actor=actor, reason=reason, effects=effects)


def project_cancel(*, project_id: int, actor, reason: str, expected_status: str | None = None) -> Project:
    """Cancels an open project, with the reason the project page shows; it then takes no bids or award."""
    return engine.apply(
        PROJECT_FLOW,
        "cancel",
        obj_id=project_id,
        actor=actor,
        reason=_plain(reason),
        expected_status=expected_status,
    )

"""The registration lifecycle as data: which move is allowed from where, and who may make it."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from greenjobs import workflow as engine
from greenjobs.permissions import membership_of
from greenjobs.workflow import OWNER, SYSTEM, Transition

from .models import Project
from .models import RegistrationStatus as S

ProjectStatus = Project.Status

# `who` is "owner", "system", or the DOE role: "doe_officer" or "doe_reviewer".
TRANSITIONS = engine.table(
    Transition("submit", (S.DRAFT, S.CHANGES_REQUESTED), S.SUBMITTED, OWNER, _("Submit for assessment")),
    Transition(
        "request_renewal",
        (S.VERIFIED, S.EXPIRED),
        S.SUBMITTED,
        OWNER,
        _("Ask for renewal"),
        style="secondary",
    ),
    Transition(
        "start_assessment", (S.SUBMITTED,), S.UNDER_ASSESSMENT, "doe_officer", _("Start the assessment")
    ),
    Transition(
        "verify",
        (S.UNDER_ASSESSMENT,),
        S.VERIFIED,
        "doe_reviewer",
        _("Verify as green"),
        style="success",
        decides=True,
    ),
    Transition(
        "request_changes",
        (S.UNDER_ASSESSMENT,),
        S.CHANGES_REQUESTED,
        "doe_reviewer",
        _("Return for changes"),
        needs_reason=True,
        style="warning",
        decides=True,
    ),
    Transition(
        "reject",
        (S.UNDER_ASSESSMENT,),
        S.REJECTED,
        "doe_reviewer",
        _("Reject"),
        needs_reason=True,
        style="danger",
        decides=True,
    ),
    Transition("expire", (S.VERIFIED,), S.EXPIRED, SYSTEM, _("Expire")),
)


def assessed_by(transition: Transition, business, user) -> bool:
    """Whether this user assessed the registration they would now decide: one person does not do both."""
    return transition.decides and user.is_authenticated and business.assigned_officer_id == user.pk


_STAFF_ROLES = {"doe_officer": "officer", "doe_reviewer": "reviewer"}


def role_can(transition: Transition, user) -> bool:
    """Holds the DOE role a staff transition needs; the same for every registration, so queues can ask it."""
    if transition.who not in _STAFF_ROLES or user is None or not user.is_authenticated:
        return False
    membership = membership_of(user)
    if membership is None or membership.agency.code != "DOE":
        return False
    return _STAFF_ROLES[transition.who] == membership.role


def actor_can(transition: Transition, business, user) -> bool:
    """Whether this user holds the role the transition needs, for this registration."""
    if transition.who == OWNER:
        return user.is_authenticated and business.owner_id == user.pk
    return role_can(transition, user) and not assessed_by(transition, business, user)


def available_actions(business, user) -> list[Transition]:
    """The transitions to offer this user as buttons; the service checks again when one is pressed."""
    return engine.available(TRANSITIONS, business, user, may=actor_can)


def staff_transitions_filter(user) -> Q:
    """The registrations on which `available_actions` offers this member of staff a transition, as a filter."""
    condition = Q(pk__in=[])
    for transition in TRANSITIONS.values():
        if role_can(transition, user):
            here = Q(status__in=transition.sources)
            if transition.decides:
                here &= ~Q(assigned_officer_id=user.pk)
            condition |= here
    return condition


# --- projects (G6): awarded once, or cancelled with a reason, by whoever manages the project -----------------

PROJECT_TRANSITIONS = engine.table(
    Transition("award", (ProjectStatus.OPEN,), ProjectStatus.AWARDED, "manager", _("Record the award")),
    Transition(
        "cancel",
        (ProjectStatus.OPEN,),
        ProjectStatus.CANCELLED,
        "manager",
        _("Cancel the project"),
        needs_reason=True,
        style="outline-danger",
    ),
)

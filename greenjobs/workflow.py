"""The one guarded door for status changes: transition tables as data, and `apply` that checks and records.

An app describes its lifecycle as a `Workflow`: its table of `Transition`s, its model, its rule for who may
act (the engine only reads `who`/`roles` through that rule), its event row and its own wording for the
errors. `apply` then does the same thing for every app, in this order: lock the row, refuse a stale form,
ask the actor rule, check the source status, demand the reason, let the app do its own checks and
effects, record the event and change the status. This module imports no app.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .exceptions import ConflictError, DomainError

OWNER = "owner"
SYSTEM = "system"  # done by the portal itself (a periodic task), never by a person


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    # Who may trigger it, as data the app's rule reads: "owner", "system", or the app's own staff key
    # (a role, or an agency code with `roles`).
    who: str
    label: object  # the button, as the actor sees it
    roles: tuple[str, ...] = ()
    applicant_label: object = None  # the line in the applicant's history
    # The line staff read in the history, where the applicant's own wording ("You ...") would mislead them.
    staff_label: object = None
    needs_reason: bool = False
    # A decision: the app may forbid one person from deciding twice (separation of duties).
    decides: bool = False
    style: str = "primary"

    def history_label(self, *, for_owner: bool):
        return self.applicant_label if for_owner or self.staff_label is None else self.staff_label


def table(*transitions: Transition) -> dict[str, Transition]:
    return {t.name: t for t in transitions}


@dataclass(frozen=True)
class Workflow:
    transitions: dict[str, Transition]
    model: Any
    # may(transition, obj, actor) -> bool: whether this person holds what the transition needs.
    may: Callable[[Transition, Any, Any], bool]
    # record(obj, transition, *, actor, from_status, to_status, reason, at) -> the saved event row.
    record: Callable[..., Any]
    # The app's words, lazy so each error is put in the language active when it is raised; formatted
    # with %(status)s (or the status field's own name, e.g. %(stage)s) and %(action)s.
    stale_message: object
    not_possible_message: object
    not_found_message: object = _("No such record.")
    forbidden_message: object = _("You may not do this.")
    reason_message: object = _("Write the reason; the applicant will read it.")
    status_field: str = "status"
    changed_at_field: str | None = None
    select_related: tuple[str, ...] = ()
    # veto(transition, obj, actor): raises a more precise refusal than "you may not" (e.g. separation of
    # duties) before the actor rule is asked.
    veto: Callable[[Transition, Any, Any], None] | None = None
    # out_of_place(transition, obj): the app's own error for a move from the wrong status, where its
    # callers know a more precise code than "invalid_transition".
    out_of_place: Callable[[Transition, Any], Exception] | None = None
    # notify(event): called inside the transaction that wrote the event (an outbox records the mail with it).
    notify: Callable[[Any], None] | None = None
    # save(obj): how the app saves the moved row (to turn an integrity error into its own message).
    save: Callable[[Any], None] | None = None

    def status_of(self, obj) -> str:
        return getattr(obj, self.status_field)

    def status_display(self, obj) -> str:
        return getattr(obj, f"get_{self.status_field}_display")()


def lock(workflow: Workflow, obj_id: int):
    """The row under `select_for_update` (only its own table: joined rows stay unlocked), or not found."""
    queryset = workflow.model.objects.select_for_update(of=("self",))
    if workflow.select_related:
        queryset = queryset.select_related(*workflow.select_related)
    obj = queryset.filter(pk=obj_id).first()
    if obj is None:
        raise DomainError(str(workflow.not_found_message), code="not_found", status_code=404)
    return obj


def _wording(workflow: Workflow, obj, transition: Transition) -> dict:
    # Under "status" and under the app's own field name ("stage"), as the app's messages spell it.
    status = workflow.status_display(obj)
    return {"action": transition.label, "status": status, workflow.status_field: status}


def check(
    workflow: Workflow, transition: Transition, obj, actor, *, reason: str, expected_status=None
) -> str:
    """Every guard of a transition on a locked row, in a fixed order; returns the cleaned reason."""
    if expected_status is not None and workflow.status_of(obj) != expected_status:
        raise ConflictError(
            workflow.stale_message % _wording(workflow, obj, transition),
            code="stale",
        )
    if transition.who == SYSTEM:
        if actor is not None:
            raise DomainError(
                str(_("This action is done by the portal itself.")), code="system_only", status_code=403
            )
    else:
        if workflow.veto is not None:
            workflow.veto(transition, obj, actor)
        if not workflow.may(transition, obj, actor):
            raise DomainError(str(workflow.forbidden_message), code="forbidden", status_code=403)
    if workflow.status_of(obj) not in transition.sources:
        if workflow.out_of_place is not None:
            raise workflow.out_of_place(transition, obj)
        raise ConflictError(
            workflow.not_possible_message % _wording(workflow, obj, transition),
            code="invalid_transition",
        )
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise DomainError(str(workflow.reason_message), code="reason_required")
    return reason


def move(workflow: Workflow, obj, transition: Transition, *, actor, reason: str = "", target=None, at=None):
    """Records the event and moves the row, without checks: the caller holds the lock and has checked.

    The row is not saved here, so an app may change more of it first; `apply` saves it.
    """
    at = at or timezone.now()
    target = target or transition.target
    event = workflow.record(
        obj,
        transition,
        actor=actor,
        from_status=workflow.status_of(obj),
        to_status=target,
        reason=reason,
        at=at,
    )
    setattr(obj, workflow.status_field, target)
    if workflow.changed_at_field:
        setattr(obj, workflow.changed_at_field, at)
    if workflow.notify is not None:
        workflow.notify(event)
    return event


def created(workflow: Workflow, obj, transition: Transition, *, actor, reason: str = "", at=None):
    """Records the birth of a row in its first status (from nothing), as its first event."""
    event = workflow.record(
        obj,
        transition,
        actor=actor,
        from_status="",
        to_status=workflow.status_of(obj),
        reason=reason,
        at=at or timezone.now(),
    )
    if workflow.notify is not None:
        workflow.notify(event)
    return event


def apply(
    workflow: Workflow,
    name: str,
    *,
    obj_id: int | None = None,
    obj=None,
    actor,
    reason: str = "",
    expected_status: str | None = None,
    effects: Callable[[Any, Transition, Any], str | None] | None = None,
    on_commit: Iterable[Callable[[], None]] = (),
):
    """The one door a status change goes through: checks, moves, records and notifies.

    Pass `obj_id`, or `obj` when the caller already holds its row lock (a lock order to keep, as a
    session before its enrolments). `expected_status` is the status the actor saw; if someone moved the
    row meanwhile, the second person is told instead of acting on something they have not seen.
    `effects(obj, transition, now)` does the app's own checks and changes once the common guards pass;
    it may return another target status. `on_commit` callables run only once the transaction has
    committed.
    """
    transition = workflow.transitions.get(name)
    if transition is None:
        raise DomainError(str(_("Unknown action.")), code="unknown_action")
    with transaction.atomic():
        if obj is None:
            obj = lock(workflow, obj_id)
        reason = check(workflow, transition, obj, actor, reason=reason, expected_status=expected_status)
        now = timezone.now()
        target = effects(obj, transition, now) if effects is not None else None
        move(workflow, obj, transition, actor=actor, reason=reason, target=target, at=now)
        if workflow.save is not None:
            workflow.save(obj)
        else:
            obj.save()
        for callback in on_commit:
            transaction.on_commit(callback)
    return obj


def available(transitions: dict[str, Transition], obj, user, *, may, status_field: str = "status") -> list:
    """The transitions to offer this user as buttons; `apply` checks everything again when one is pressed."""
    status = getattr(obj, status_field)
    return [t for t in transitions.values() if status in t.sources and t.who != SYSTEM and may(t, obj, user)]

"""MCLS's decision on a flagged round: the consequence the scheme allows, carried out and recorded.

A warning sets a new deadline, checked by a follow-up round of that month; a changed rate rebuilds the
loan's future instalments through the repayment service; a recall makes the outstanding principal due.
The loan's own change is done by incentives' services under the loan's row lock, inside the same
transaction as the decision: a refusal there records no decision (lock order: round, then loan).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from greenjobs import workflow as engine
from incentives.services import repayments

from ..models import Decision, DecisionKind
from .rounds import ROUND_FLOW, follow_up_round

LONGEST_WARNING_DAYS = 366


def _checked(kind, *, new_deadline, new_rate, recall_due_on) -> dict:
    today = timezone.localdate()
    errors = {}
    if kind not in DecisionKind.values:
        errors["kind"] = [_("Choose a decision the scheme allows.")]
    elif kind == DecisionKind.WARNING:
        if new_deadline is None:
            errors["new_deadline"] = [_("Set the new deadline.")]
        elif not today < new_deadline <= today + datetime.timedelta(days=LONGEST_WARNING_DAYS):
            errors["new_deadline"] = [_("The new deadline must be after today and within a year.")]
    elif kind == DecisionKind.RATE and new_rate is None:
        errors["new_rate"] = [_("Enter the new annual interest rate.")]
    elif kind == DecisionKind.RECALL and recall_due_on is None:
        errors["recall_due_on"] = [_("Set the day the recalled amount is due.")]
    if errors:
        raise ValidationError(errors)
    return {
        "new_deadline": new_deadline if kind == DecisionKind.WARNING else None,
        "new_rate": new_rate if kind == DecisionKind.RATE else None,
        "recall_due_on": recall_due_on if kind == DecisionKind.RECALL else None,
    }


def round_decide(
    *,
    round_id: int,
    actor,
    kind: str,
    reason: str,
    new_deadline: datetime.date | None = None,
    new_rate=None,
    recall_due_on: datetime.date | None = None,
    expected_status: str | None = None,
) -> Decision:
    fields = _checked(kind, new_deadline=new_deadline, new_rate=new_rate, recall_due_on=recall_due_on)
    decision = {}

    def effects(round_, move, now):
        why = (reason or "").strip()
        follow_up = None
        if kind == DecisionKind.WARNING:
            follow_up = follow_up_round(round_, deadline=fields["new_deadline"])
        elif kind == DecisionKind.RATE:
            repayments.loan_rate_change(
                application_id=round_.loan_id, actor=actor, annual_rate=fields["new_rate"], reason=why
            )
        else:
            repayments.loan_recall(
                application_id=round_.loan_id, actor=actor, due_on=fields["recall_due_on"], reason=why
            )
        round_.sla_due_on = None
        decision["row"] = Decision.objects.create(
            round=round_,
            kind=kind,
            follow_up=follow_up,
            reason=why,
            decided_by=actor,
            decided_at=now,
            **fields,
        )

    engine.apply(
        ROUND_FLOW, "decide", obj_id=round_id, actor=actor, reason=reason, expected_status=expected_status,
        effects=effects,
    )  # fmt: skip
    return decision["row"]


def latest_decisions(round_ids) -> dict[int, Decision]:
    latest = {}
    for decision in Decision.objects.filter(round_id__in=round_ids).order_by("decided_at", "pk"):
        latest[decision.round_id] = decision
    return latest

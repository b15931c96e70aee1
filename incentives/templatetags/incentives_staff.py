"""What the staff side of a loan application shows: the panel on its page and the queue's badges."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

from ..forms.staff import ContractForm, DisbursementForm, PaymentForm, TransitionForm
from ..models import Stage
from ..permissions import has_staff_panel, staff_actions
from ..workflow import MOVES, PAYMENT, REPAYING_STAGES, STAGE_SLA_DAYS

register = template.Library()

FACTOR_LABELS = {
    "knowledge_based": _("Knowledge-based company"),
    "jobs_per_rial": _("Green jobs per billion Rials"),
    "environment": _("Environmental gain"),
    "county": _("Priority county"),
}


@register.filter
def sla_days(stage):
    """The days a stage may take before queues flag it, or None where no limit applies."""
    return STAGE_SLA_DAYS.get(stage)


@register.filter
def past_sla(application) -> bool:
    limit = STAGE_SLA_DAYS.get(application.stage)
    return limit is not None and application.days_in_stage > limit


@register.filter
def score_factors(breakdown) -> list[dict]:
    """The stored breakdown ({factor: {weight, value, points}}) as rows a reader understands."""
    breakdown = breakdown or {}
    # The database returns JSON keys in its own order; the factors read best in the scheme's order.
    names = [name for name in FACTOR_LABELS if name in breakdown] + sorted(
        set(breakdown) - set(FACTOR_LABELS)
    )
    rows = []
    for name in names:
        part = breakdown[name]
        rows.append(
            {
                "name": name,
                "label": FACTOR_LABELS.get(name, name),
                "weight": part.get("weight", 0),
                "percent": int((Decimal(str(part.get("value", 0))) * 100).to_integral_value()),
                "points": Decimal(str(part.get("points", 0))),
            }
        )
    return rows


@register.simple_tag
def staff_panel(application, user, posted=None):
    """Everything the staff panel needs, or None for the applicant and for anyone without a staff role.

    The forms are built here, so the application page's view needs to know nothing about them. `posted`
    holds the forms of a refused post ({"transition", "contract", "disbursement", "payment"}): they are
    shown as typed, with their errors, instead of fresh ones.
    """
    if not has_staff_panel(user, application):
        return None
    posted = posted or {}
    posted_move = posted["transition"].data.get("action") if posted.get("transition") else None
    # The same rule as the dashboards' counts and the queue's "ready for my action" filter.
    offered = staff_actions(application, user)
    actions = []
    for name in offered:
        move = MOVES.get(name)
        if move is None or name == "disburse":
            continue
        if move.name == posted_move:
            form = posted["transition"]
        else:
            form = TransitionForm(
                initial={"action": move.name, "expected_stage": application.stage},
                auto_id=f"id_{move.name}_%s",
            )
        if move.needs_reason:
            form.fields["reason"].widget.attrs["required"] = True
        contract_form = None
        if move.name == "contract":
            contract_form = posted.get("contract") or ContractForm()
        actions.append({"move": move, "form": form, "contract_form": contract_form})

    instalments = list(application.instalments.all())
    remaining = max(application.approved_amount - application.disbursed_amount, 0)
    next_due = next((i for i in instalments if i.paid < i.amount), None)
    disbursement_form = payment_form = None
    if "disburse" in offered:
        disbursement_form = posted.get("disbursement") or DisbursementForm(
            initial={"amount": remaining}, auto_id="id_disburse_%s"
        )
    if PAYMENT in offered:
        first = application.overdue_amount or (next_due.amount - next_due.paid if next_due else None)
        payment_form = posted.get("payment") or PaymentForm(initial={"amount": first})
    return {
        "stage_sla": STAGE_SLA_DAYS.get(application.stage),
        "late": past_sla(application),
        "factors": score_factors(application.score_breakdown),
        "actions": actions,
        "remaining": remaining,
        "disbursements": list(application.disbursements.all()),
        "payments": list(application.payments.all()),
        "outstanding": sum(i.amount - i.paid for i in instalments),
        "next_due": next_due,
        "disbursement_form": disbursement_form,
        "payment_form": payment_form,
        "shows_money": application.approved_amount > 0,
        "shows_repayment": application.stage in (*REPAYING_STAGES, Stage.SETTLED),
    }

"""The application's stages as data: one row per move, with who may make it and what the applicant reads.

`who` and `roles` name the staff who may act (an agency code and its roles; "owner" is the applicant).
`decides` marks the moves that decide a stage: one person may decide only one stage of the same
application.
"""

from django.utils.translation import gettext_lazy as _

from greenjobs import workflow as engine
from greenjobs.permissions import membership_of
from greenjobs.workflow import OWNER, SYSTEM, Transition

from .models import WITHDRAWABLE_STAGES
from .models import Stage as S

# A move is a transition of the engine; `who` is "owner", "system" or the agency code, with its `roles`.
Move = Transition

MOVES = engine.table(
    Move("submit", (S.DRAFT,), S.SUBMITTED, "owner", _("Submit the application"), applicant_label=_("You submitted the application"), staff_label=_("The applicant submitted the application")),
    Move("resubmit", (S.RETURNED,), S.SUBMITTED, "owner", _("Send the corrected application"), applicant_label=_("You sent the corrections"), staff_label=_("The applicant sent the corrections")),
    Move("withdraw", WITHDRAWABLE_STAGES, S.WITHDRAWN, "owner", _("Withdraw the application"), applicant_label=_("You withdrew the application"), style="outline-danger", staff_label=_("The applicant withdrew the application")),
    Move("start_environmental_review", (S.SUBMITTED,), S.ENVIRONMENTAL_REVIEW, "DOE", _("Start the environmental review"), roles=("reviewer",), applicant_label=_("DOE started the environmental review")),
    Move("environment_accept", (S.ENVIRONMENTAL_REVIEW,), S.CREDIT_REVIEW, "DOE", _("Environmentally acceptable: send to MCLS"), roles=("reviewer",), applicant_label=_("DOE accepted the environmental commitments"), decides=True, style="success"),
    Move("environment_reject", (S.ENVIRONMENTAL_REVIEW,), S.REJECTED, "DOE", _("Refuse on environmental grounds"), roles=("reviewer",), applicant_label=_("DOE refused the application on environmental grounds"), needs_reason=True, decides=True, style="danger"),
    Move("environment_return", (S.ENVIRONMENTAL_REVIEW,), S.RETURNED, "DOE", _("Return to the applicant for correction"), roles=("reviewer",), applicant_label=_("DOE returned the application for correction"), needs_reason=True, style="warning"),
    Move("credit_accept", (S.CREDIT_REVIEW,), S.DECISION, "MCLS", _("Eligible: send for decision"), roles=("reviewer",), applicant_label=_("MCLS found the application eligible"), decides=True, style="success"),
    Move("credit_reject", (S.CREDIT_REVIEW,), S.REJECTED, "MCLS", _("Not eligible: reject"), roles=("reviewer",), applicant_label=_("MCLS found the application not eligible"), needs_reason=True, decides=True, style="danger"),
    Move("credit_return", (S.CREDIT_REVIEW,), S.RETURNED, "MCLS", _("Return to the applicant for correction"), roles=("reviewer",), applicant_label=_("MCLS returned the application for correction"), needs_reason=True, style="warning"),
    Move("approve", (S.DECISION,), S.APPROVED, "MCLS", _("Approve"), roles=("manager",), applicant_label=_("The loan was approved"), decides=True, style="success"),
    Move("reject", (S.DECISION,), S.REJECTED, "MCLS", _("Reject"), roles=("manager",), applicant_label=_("The loan was not approved"), needs_reason=True, decides=True, style="danger"),
    Move("decision_return", (S.DECISION,), S.RETURNED, "MCLS", _("Return to the applicant for correction"), roles=("manager",), applicant_label=_("MCLS returned the application for correction"), needs_reason=True, style="warning"),
    Move("contract", (S.APPROVED,), S.CONTRACTED, "MCLS", _("Record the signed contract"), roles=("officer", "manager"), applicant_label=_("The loan contract was signed")),
    Move("disburse", (S.CONTRACTED, S.DISBURSED), S.DISBURSED, "MCLS", _("Record a disbursement"), roles=("officer", "manager"), applicant_label=_("A tranche of the loan was paid")),
    Move("start_repayment", (S.DISBURSED,), S.REPAYING, "system", _("Start repayment"), applicant_label=_("Repayment started")),
    Move("fall_into_arrears", (S.REPAYING,), S.IN_ARREARS, "system", _("Mark in arrears"), applicant_label=_("An instalment is overdue")),
    Move("catch_up", (S.IN_ARREARS,), S.REPAYING, "system", _("Back on schedule"), applicant_label=_("The overdue instalments were paid")),
    Move("settle", (S.REPAYING, S.IN_ARREARS), S.SETTLED, "system", _("Settle"), applicant_label=_("The loan was repaid in full")),
    # The consequences of a shortfall of promised jobs (monitoring): MCLS's decision, recorded on the loan
    # by the service that carries it out; the stage stays what it was.
    Move("change_rate", (S.REPAYING, S.IN_ARREARS), S.REPAYING, "system", _("Change the interest rate"), applicant_label=_("The interest rate of the outstanding amount was changed")),
    Move("recall", (S.REPAYING, S.IN_ARREARS), S.REPAYING, "system", _("Recall the outstanding amount"), applicant_label=_("The outstanding amount of the loan was recalled")),
)  # fmt: skip

# Where a returned application goes back to when the applicant resubmits it.
RESUME_STAGE = {
    "environment_return": S.ENVIRONMENTAL_REVIEW,
    "credit_return": S.CREDIT_REVIEW,
    "decision_return": S.DECISION,
}

# Days an application may wait in a stage before staff queues flag it.
STAGE_SLA_DAYS = {
    S.SUBMITTED: 5,
    S.ENVIRONMENTAL_REVIEW: 10,
    S.CREDIT_REVIEW: 10,
    S.DECISION: 7,
    S.APPROVED: 14,
    S.CONTRACTED: 14,
}


def role_may(move: Move, user) -> bool:
    """Holds the agency role a staff move needs; the same for every application, so queues can ask it."""
    if move.who in (OWNER, SYSTEM) or user is None or not user.is_authenticated:
        return False
    membership = membership_of(user)
    return membership is not None and membership.agency.code == move.who and membership.role in move.roles


def actor_may(move: Move, application, user) -> bool:
    """Holds the role the move needs, for this application (no stage rules here)."""
    if move.who == OWNER:
        return user is not None and user.is_authenticated and application.applicant_id == user.pk
    return role_may(move, user)


def available_moves(application, user) -> list[Move]:
    """Buttons to show; the service checks everything again when one is pressed."""
    return engine.available(MOVES, application, user, may=actor_may, status_field="stage")


# --- what a member of staff can do on an application: the staff panel's buttons and forms ------------------

DISBURSING_STAGES = MOVES["disburse"].sources
REPAYING_STAGES = (S.REPAYING, S.IN_ARREARS)
PAYMENT = "payment"  # the money desk's form on a loan under repayment; not a stage change

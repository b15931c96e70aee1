"""A monitoring round's statuses as data: one row per move, with who may make it and what the applicant reads.

`who` is "owner" (the applicant of the loan), "system" (the daily run, an import) or an agency code with
its `roles`. A verification lands on "verified" or, past the scheme's tolerance, on "shortfall": the
service chooses the target.
"""

from django.utils.translation import gettext_lazy as _

from greenjobs import workflow as engine
from greenjobs.permissions import membership_of
from greenjobs.workflow import OWNER, SYSTEM, Transition

from .models import RoundStatus as S

VERIFIERS = ("officer", "reviewer", "manager")

MOVES = engine.table(
    Transition("plan", (), S.PENDING, "system", _("Plan the round"), applicant_label=_("The monitoring round was planned")),
    Transition("report", (S.PENDING, S.OVERDUE), S.REPORTED, "owner", _("Send the report"), applicant_label=_("You sent the report"), staff_label=_("The applicant sent the report"), style="success"),
    Transition("miss", (S.PENDING,), S.OVERDUE, "system", _("Mark as not reported"), applicant_label=_("The report was not sent by its deadline")),
    Transition("verify", (S.REPORTED, S.VERIFIED, S.SHORTFALL), S.VERIFIED, "MCLS", _("Check against the insurance lists"), roles=VERIFIERS, applicant_label=_("MCLS checked the report against the insurance lists")),
    Transition("verify_imported", (S.REPORTED,), S.VERIFIED, "system", _("Check against the insurance lists"), applicant_label=_("The report was checked against the insurance lists")),
    Transition("decide", (S.SHORTFALL, S.OVERDUE), S.DECIDED, "MCLS", _("Record the decision"), roles=("manager",), applicant_label=_("MCLS recorded a decision on this round"), needs_reason=True, decides=True, style="danger"),
)  # fmt: skip

# Days MCLS has to verify a report, and to decide on a flagged round, before its queue marks it late.
VERIFY_SLA_DAYS = 15
DECIDE_SLA_DAYS = 15


def role_may(move: Transition, user) -> bool:
    if move.who in (OWNER, SYSTEM) or user is None or not user.is_authenticated:
        return False
    membership = membership_of(user)
    return membership is not None and membership.agency.code == move.who and membership.role in move.roles


def actor_may(move: Transition, round_, user) -> bool:
    if move.who == OWNER:
        return user is not None and user.is_authenticated and round_.loan.applicant_id == user.pk
    return role_may(move, user)


def available_moves(round_, user) -> list[Transition]:
    return engine.available(MOVES, round_, user, may=actor_may)

"""Monitoring in the demo: the loans under repayment have their rounds (planned when their repayment started);
here their applicants report, MCLS imports a workshop list, a shortfall gets a warning, a report is missed.

Each step goes through the real services; loading twice adds nothing (a round already reported is left).
"""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from incentives.models import LoanApplication, Stage
from programs.demo import DEMO_PDF

from . import months
from .models import Decision, DecisionKind, Round, RoundStatus, SiteVisit, Workshop
from .services import decisions, imports, rounds, visits

User = get_user_model()

# National IDs of the demo's workers (valid check digits) and their names, and the workshop codes.
WORKERS = ["0041200101", "0041200111", "0041200128", "0041200136"]
NAMES = {
    "0041200101": "حسین رحیمی",
    "0041200111": "فاطمه نادری",
    "0041200128": "امیر سلطانی",
    "0041200136": "لیلا محمدی",
}
WORKSHOPS = ["1402000001", "1402000002"]


def _staff(username):
    return User.objects.filter(username=username).first()


def _report(round_, people, workshop: str) -> None:
    owner = round_.loan.applicant
    if not Workshop.objects.filter(code=workshop).exists():
        rounds.workshop_add(round_id=round_.pk, actor=owner, code=workshop)
    occupation = round_.lines.select_related("occupation").first().occupation
    for national_id in people:
        rounds.employee_add(
            round_id=round_.pk, actor=owner, national_id=national_id, name=NAMES[national_id],
            occupation=occupation, started_on=round_.month - datetime.timedelta(days=60),
        )  # fmt: skip
    rounds.document_upload(
        round_id=round_.pk, actor=owner, kind="insurance_list",
        uploaded=SimpleUploadedFile("list-bimeh.pdf", DEMO_PDF, "application/pdf"),
    )  # fmt: skip
    rounds.round_report(round_id=round_.pk, actor=owner)


def _import(rows, actor) -> None:
    text = "national_id,workshop_code,month,days\n" + "".join(
        f"{national_id},{code},{months.label(month, persian=False)},{days}\n"
        for national_id, code, month, days in rows
    )
    job = imports.import_create_job(
        actor=actor,
        uploaded=SimpleUploadedFile("bimeh.csv", io.BytesIO(text.encode()).getvalue(), "text/csv"),
    )
    imports.import_run(job_id=job.pk)


def load() -> int:
    """Returns how many rounds it reported."""
    officer, manager = _staff("mcls_officer"), _staff("mcls_manager")
    if officer is None or manager is None:
        return 0
    rounds.rounds_plan_due()
    today = timezone.localdate()
    loans = list(
        LoanApplication.objects.filter(stage__in=(Stage.REPAYING, Stage.IN_ARREARS, Stage.SETTLED))
        .filter(monitoring_rounds__isnull=False)
        .distinct()
        .order_by("pk")
    )
    reported = 0
    # The first loan reports; the others miss their reports and are flagged.
    for index, loan in enumerate(loans[:1]):
        due = list(Round.objects.filter(loan=loan, month__lte=today).order_by("number"))
        if not due or due[0].status != RoundStatus.PENDING:
            continue
        with transaction.atomic():
            first = due[0]
            workshop = WORKSHOPS[index % len(WORKSHOPS)]
            people = WORKERS[index * 2 : index * 2 + 2]
            _report(first, people, workshop)
            reported += 1
            # The list has the first person the whole month and the second for a few days only.
            _import([(people[0], workshop, first.month, 30), (people[1], workshop, first.month, 8)], officer)
            first.refresh_from_db()
            if first.status == RoundStatus.SHORTFALL and not Decision.objects.filter(round=first).exists():
                decisions.round_decide(
                    round_id=first.pk, actor=manager, kind=DecisionKind.WARNING,
                    new_deadline=today + datetime.timedelta(days=45),
                    reason="دو شغل از چهار شغل وعده‌داده‌شده در فهرست بیمه کارگاه دیده نمی‌شود.",
                )  # fmt: skip
            if not SiteVisit.objects.filter(round=first).exists():
                visits.visit_plan(
                    round_id=first.pk, actor=officer, due_on=today + datetime.timedelta(days=10)
                )
            if len(due) > 1 and due[1].status == RoundStatus.PENDING:
                # The next round is reported too and waits in MCLS's queue for its list.
                _report(due[1], people[:1], workshop)
    # The reports owed past their deadline are flagged (a loan that missed two is flagged on its own).
    rounds.rounds_mark_missed(today=today)
    return reported

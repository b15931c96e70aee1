"""Two loan schemes and applications in every stage, moved through the real services.

Keyed by scheme code and (business, scheme, purpose): loading twice adds nothing.
"""

import datetime
import uuid

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from programs.demo import DEMO_PDF
from programs.models import Business, County, GreenOccupation

from .models import LoanApplication, LoanScheme
from .services import applications, repayments

SCHEMES = [
    {
        "code": "GL-1405", "title_fa": "تسهیلات ویژه مشاغل سبز ۱۴۰۵", "title_en": "Special green-jobs loans 1405",
        "description_fa": "تسهیلات قرض‌الحسنه و کم‌بهره برای کارآفرینان و تولیدکنندگانی که ملاحظات زیست‌محیطی را رعایت می‌کنند.",
        "description_en": "Low-interest loans for entrepreneurs and producers who observe environmental considerations.",
        "budget": 60_000_000_000, "max_amount": 8_000_000_000, "min_amount": 500_000_000, "interest_rate": "4.00",
        "term_months": 36, "grace_months": 6, "weight_knowledge_based": 20, "weight_jobs_per_rial": 40,
        "weight_environment": 25, "weight_county": 15, "counties": ["kahak", "khalajestan", "jafarabad"],
    },
    {
        "code": "GL-KB-1405", "title_fa": "تسهیلات فناوری‌های سبز دانش‌بنیان", "title_en": "Knowledge-based green technology loans",
        "description_fa": "برای شرکت‌های دانش‌بنیان فعال در فناوری‌های محیط زیست.",
        "description_en": "For knowledge-based companies in environmental technologies.",
        "budget": 40_000_000_000, "max_amount": 10_000_000_000, "min_amount": 1_000_000_000, "interest_rate": "6.00",
        "term_months": 24, "grace_months": 3, "weight_knowledge_based": 45, "weight_jobs_per_rial": 20,
        "weight_environment": 30, "weight_county": 5, "counties": [],
    },
]  # fmt: skip

# business id stem (from programs.demo), scheme, target stage, amount (Rial), jobs, kWh saved, months since
PLAN = [
    ("1086000001", "GL-1405", "withdrawn", 2_000_000_000, 2, 20_000, 0),
    ("1086000001", "GL-1405", "repaying", 5_000_000_000, 4, 90_000, 9),
    ("1086000002", "GL-1405", "rejected", 3_000_000_000, 1, 0, 0),
    ("1086000002", "GL-1405", "decision", 6_000_000_000, 6, 35_000, 0),
    ("1086000003", "GL-1405", "credit_review", 2_500_000_000, 3, 12_000, 0),
    ("1086000004", "GL-1405", "environmental_review", 4_000_000_000, 5, 60_000, 0),
    ("1086000013", "GL-1405", "in_arrears", 3_000_000_000, 3, 25_000, 14),
    ("1086000014", "GL-1405", "contracted", 2_000_000_000, 2, 8_000, 0),
    ("1086000015", "GL-1405", "disbursed", 6_000_000_000, 5, 45_000, 1),
    ("1086000001", "GL-KB-1405", "draft", 7_000_000_000, 6, 120_000, 0),
    ("1086000002", "GL-KB-1405", "submitted", 3_500_000_000, 2, 30_000, 0),
    ("1086000003", "GL-KB-1405", "settled", 1_200_000_000, 1, 10_000, 30),
    ("1086000003", "GL-KB-1405", "returned", 2_000_000_000, 2, 15_000, 0),
    ("1086000004", "GL-KB-1405", "approved", 5_000_000_000, 4, 70_000, 0),
]

PATH = [
    ("submit", None),
    ("start_environmental_review", "doe_reviewer"),
    ("environment_accept", "doe_reviewer"),
    ("credit_accept", "mcls_reviewer"),
    ("approve", "mcls_manager"),
]


def _business_id(stem: str) -> str:
    from programs.demo import _business_id as make

    return make(stem)


def _schemes(manager) -> dict:
    today = timezone.localdate()
    schemes = {}
    for row in SCHEMES:
        data = {key: value for key, value in row.items() if key != "counties"}
        scheme, _created = LoanScheme.objects.get_or_create(
            code=row["code"],
            defaults={
                **data, "opens_on": today - datetime.timedelta(days=900), "closes_on": today + datetime.timedelta(days=120),
                "created_by": manager,
            },
        )  # fmt: skip
        scheme.priority_counties.set(County.objects.filter(code__in=row["counties"]))
        schemes[row["code"]] = scheme
    return schemes


@transaction.atomic
def load() -> int:
    User = get_user_model()
    staff = {
        name: User.objects.get(username=name)
        for name in ("doe_reviewer", "mcls_reviewer", "mcls_manager", "mcls_officer")
    }
    schemes = _schemes(staff["mcls_manager"])
    occupation = GreenOccupation.objects.get(code="GJ-EN-01")
    created = 0
    for stem, code, target, amount, jobs, kwh, months_ago in PLAN:
        business = (
            Business.objects.filter(national_business_id=_business_id(stem)).select_related("owner").first()
        )
        if business is None:
            continue
        scheme = schemes[code]
        purpose = f"طرح توسعه سبز — {target}"
        if LoanApplication.objects.filter(business=business, scheme=scheme, purpose=purpose).exists():
            continue
        owner = business.owner
        application = applications.application_create(
            applicant=owner, business=business, scheme=scheme,
            data={"amount": amount, "purpose": purpose, "energy_saving_kwh": kwh, "water_saving_m3": kwh // 20,
                  "commitments": "کاهش مصرف انرژی و تفکیک پسماند در محل"},
        )  # fmt: skip
        applications.planned_job_set(
            application_id=application.pk, actor=owner, occupation=occupation, count=jobs
        )
        applications.document_upload(
            application_id=application.pk,
            actor=owner,
            kind="business_plan",
            uploaded=SimpleUploadedFile("tarh-tojihi.pdf", DEMO_PDF, "application/pdf"),
        )
        created += 1
        _advance(application, target, owner, staff, months_ago)
    return created


def _move(application, name, actor, **extra):
    applications.application_transition(application_id=application.pk, actor=actor, name=name, **extra)
    application.refresh_from_db()


def _shift_back(application, delta):
    """Moves the review that led to a contract dated in the past back before that date, keeping its order:
    a contract may not be dated before the application was submitted and approved."""
    LoanApplication.objects.filter(pk=application.pk).update(
        submitted_at=F("submitted_at") - delta, stage_changed_at=F("stage_changed_at") - delta
    )
    application.events.update(at=F("at") - delta)
    application.refresh_from_db()


def _advance(application, target, owner, staff, months_ago):
    if target == "draft":
        return
    if target == "withdrawn":
        _move(application, "submit", owner)
        _move(application, "withdraw", owner, reason="تأمین مالی از منبع دیگر")
        return
    for name, who in PATH:
        if target == "rejected" and name == "environment_accept":
            _move(
                application,
                "environment_reject",
                staff["doe_reviewer"],
                reason="فرایند تولید پسماند خطرناک دارد.",
            )
            return
        if target == "returned" and name == "credit_accept":
            _move(
                application,
                "credit_return",
                staff["mcls_reviewer"],
                reason="صورت‌های مالی سال گذشته پیوست شود.",
            )
            return
        _move(application, name, owner if who is None else staff[who])
        if application.stage == target:
            return
    officer = staff["mcls_officer"]
    start = timezone.localdate() - datetime.timedelta(days=30 * months_ago)
    _shift_back(application, datetime.timedelta(days=30 * months_ago + 1))
    _move(application, "contract", officer, contract_number=f"GJ-{application.pk:05d}", contracted_on=start)
    if target == "contracted":
        return
    if target == "disbursed":
        repayments.disbursement_record(
            application_id=application.pk,
            actor=officer,
            amount=application.approved_amount // 2,
            paid_on=start,
            request_key=uuid.uuid4().hex,
        )
        return
    repayments.disbursement_record(
        application_id=application.pk,
        actor=officer,
        amount=application.approved_amount,
        paid_on=start,
        request_key=uuid.uuid4().hex,
    )
    application.refresh_from_db()
    today = timezone.localdate()
    if target == "settled":
        left = sum(i.amount for i in application.instalments.all())
        repayments.payment_record(
            application_id=application.pk,
            actor=officer,
            amount=left,
            paid_on=today,
            reference="DEMO-SETTLE",
            request_key=uuid.uuid4().hex,
        )
    elif target == "repaying":
        due = sum(i.amount for i in application.instalments.all() if i.due_on < today)
        if due:
            repayments.payment_record(
                application_id=application.pk,
                actor=officer,
                amount=due,
                paid_on=today,
                reference="DEMO-PAID",
                request_key=uuid.uuid4().hex,
            )
    repayments.arrears_refresh_all(today=today)

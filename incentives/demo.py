"""Two loan schemes and applications in every stage, moved through the real services.

Each application follows a timeline counted back from the day the demo is loaded: created ≤ submitted ≤
each review ≤ approval ≤ contract ≤ tranches ≤ repayments, none in the future. Every step is moved back
to its day right after the service recorded it, so the service's own date checks see a coherent past.
Keyed by scheme code and (business, scheme, amount): loading twice adds nothing.
"""

import datetime
import uuid

import jdatetime
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from greenjobs.demo_clock import day, moment, office_moment
from programs.demo import DEMO_PDF
from programs.demo import _business_id as business_id_of
from programs.models import Business, County, GreenOccupation

from .models import ApplicationDocument, ApplicationEvent, Disbursement, LoanApplication, LoanScheme, Payment
from .services import applications, repayments, schemes

# Days before the demo's day that each scheme opened, and after it that it closes.
SCHEMES = [
    {
        "code": "GLGREEN", "title_fa": "تسهیلات ویژه مشاغل سبز", "title_en": "Special green-jobs loans",
        "description_fa": "تسهیلات قرض‌الحسنه و کم‌بهره برای کارآفرینان و تولیدکنندگانی که ملاحظات زیست‌محیطی را رعایت می‌کنند.",
        "description_en": "Low-interest loans for entrepreneurs and producers who observe environmental considerations.",
        "budget": 60_000_000_000, "max_amount": 8_000_000_000, "min_amount": 500_000_000, "interest_rate": "4.00",
        "term_months": 36, "grace_months": 6, "weight_knowledge_based": 20, "weight_jobs_per_rial": 40,
        "weight_environment": 25, "weight_county": 15, "counties": ["kahak", "khalajestan", "jafarabad"],
        "opened_days_ago": 560, "closes_in_days": 120,
    },
    {
        "code": "GLKBTECH", "title_fa": "تسهیلات فناوری‌های سبز دانش‌بنیان", "title_en": "Knowledge-based green technology loans",
        "description_fa": "برای شرکت‌های دانش‌بنیان فعال در فناوری‌های محیط زیست.",
        "description_en": "For knowledge-based companies in environmental technologies.",
        "budget": 40_000_000_000, "max_amount": 10_000_000_000, "min_amount": 1_000_000_000, "interest_rate": "6.00",
        "term_months": 24, "grace_months": 3, "weight_knowledge_based": 45, "weight_jobs_per_rial": 20,
        "weight_environment": 30, "weight_county": 5, "counties": [],
        "opened_days_ago": 330, "closes_in_days": 200,
    },
]  # fmt: skip

# Repayment stories, after the last tranche:
#   ("late_pair",)      every instalment paid on its due date, except the one before last, paid late together
#                       with the last one (the loan fell into arrears and caught up);
#   ("stopped", n)      paid on time until the borrower stopped; the last n instalments due are unpaid;
#   ("settled_early", d) the whole balance paid in one payment d days ago, before the first instalment.
# business id stem (programs.demo), scheme, stage it ends in, amount (Rial), jobs, kWh saved, purpose,
# steps as (action, days ago); "tranche" pays half of the approved amount, "tranche_rest" the rest.
PLAN = [
    ("1086000001", "GLGREEN", "withdrawn", 2_000_000_000, 2, 20_000, "نصب نیروگاه خورشیدی کوچک روی بام کارگاه",
     [("create", 470), ("submit", 466), ("withdraw", 452)]),
    ("1086000001", "GLGREEN", "repaying", 5_000_000_000, 4, 90_000, "خرید و نصب پنل‌های خورشیدی و اینورتر برای خط تولید",
     [("create", 445), ("submit", 441), ("start_environmental_review", 436), ("environment_accept", 428),
      ("credit_accept", 419), ("approve", 412), ("contract", 404), ("tranche", 395), ("tranche_rest", 370),
      ("repay", ("late_pair",))]),
    ("1086000002", "GLGREEN", "rejected", 3_000_000_000, 1, 0, "راه‌اندازی خط بازیافت باتری‌های فرسوده",
     [("create", 400), ("submit", 396), ("start_environmental_review", 390), ("environment_reject", 383)]),
    ("1086000002", "GLGREEN", "decision", 6_000_000_000, 6, 35_000, "توسعه خط بازیافت پلاستیک و خرید دستگاه پرس",
     [("create", 60), ("submit", 55), ("start_environmental_review", 50), ("environment_accept", 41),
      ("credit_accept", 33)]),
    ("1086000003", "GLGREEN", "credit_review", 2_500_000_000, 3, 12_000, "اجرای آبیاری قطره‌ای در باغ‌های پسته",
     [("create", 45), ("submit", 42), ("start_environmental_review", 37), ("environment_accept", 28)]),
    ("1086000004", "GLGREEN", "environmental_review", 4_000_000_000, 5, 60_000, "خرید دستگاه تولید عایق پشم سنگ",
     [("create", 25), ("submit", 22), ("start_environmental_review", 15)]),
    ("1086000013", "GLGREEN", "in_arrears", 3_000_000_000, 3, 25_000, "تجهیز کارگاه تفکیک و بازیافت پسماند الکترونیکی",
     [("create", 465), ("submit", 461), ("start_environmental_review", 455), ("environment_accept", 447),
      ("credit_accept", 438), ("approve", 431), ("contract", 423), ("tranche", 415), ("tranche_rest", 400),
      ("repay", ("stopped", 3))]),
    ("1086000014", "GLGREEN", "contracted", 2_000_000_000, 2, 8_000, "نوسازی شبکه آبیاری و نصب کنتور هوشمند آب",
     [("create", 120), ("submit", 116), ("start_environmental_review", 110), ("environment_accept", 101),
      ("credit_accept", 92), ("approve", 84), ("contract", 70)]),
    ("1086000015", "GLGREEN", "disbursed", 6_000_000_000, 5, 45_000, "ساخت واحد نمونه ساختمان کم‌مصرف با عایق و پنجره دوجداره",
     [("create", 300), ("submit", 295), ("start_environmental_review", 288), ("environment_accept", 279),
      ("credit_accept", 270), ("approve", 262), ("contract", 250), ("tranche", 238)]),
    ("1086000001", "GLKBTECH", "draft", 7_000_000_000, 6, 120_000, "ساخت نمونه صنعتی اینورتر خورشیدی بومی",
     [("create", 12)]),
    ("1086000002", "GLKBTECH", "submitted", 3_500_000_000, 2, 30_000, "سامانه هوشمند پایش پسماند شهری",
     [("create", 10), ("submit", 7)]),
    ("1086000003", "GLKBTECH", "settled", 1_200_000_000, 1, 10_000, "حسگرهای رطوبت خاک برای آبیاری هوشمند",
     [("create", 320), ("submit", 316), ("start_environmental_review", 311), ("environment_accept", 303),
      ("credit_accept", 296), ("approve", 289), ("contract", 281), ("tranche", 270), ("tranche_rest", 262),
      ("repay", ("settled_early", 215))]),
    ("1086000003", "GLKBTECH", "returned", 2_000_000_000, 2, 15_000, "گلخانه هوشمند با مصرف آب کم",
     [("create", 35), ("submit", 30), ("start_environmental_review", 26), ("environment_accept", 20),
      ("credit_return", 12)]),
    ("1086000004", "GLKBTECH", "approved", 5_000_000_000, 4, 70_000, "تولید عایق حرارتی از نانوالیاف",
     [("create", 75), ("submit", 71), ("start_environmental_review", 66), ("environment_accept", 58),
      ("credit_accept", 50), ("approve", 40)]),
]  # fmt: skip

ACTORS = {
    "submit": None, "withdraw": None,
    "start_environmental_review": "doe_reviewer", "environment_accept": "doe_reviewer",
    "environment_reject": "doe_reviewer",
    "credit_accept": "mcls_reviewer", "credit_return": "mcls_reviewer",
    "approve": "mcls_manager", "contract": "mcls_officer",
}  # fmt: skip

REASONS = {
    "withdraw": "تأمین مالی طرح از منبع دیگری انجام شد.",
    "environment_reject": "فرایند تولید پسماند خطرناک دارد و برنامه‌ای برای مدیریت آن ارائه نشده است.",
    "credit_return": "صورت‌های مالی حسابرسی‌شده سال گذشته پیوست شود.",
}


def _schemes(manager) -> dict:
    result = {}
    for row in SCHEMES:
        scheme = LoanScheme.objects.filter(code=row["code"]).first()
        if scheme is None:
            data = {
                key: value
                for key, value in row.items()
                if key not in ("counties", "opened_days_ago", "closes_in_days")
            }
            data["opens_on"] = day(row["opened_days_ago"])
            data["closes_on"] = day(-row["closes_in_days"])
            scheme = schemes.scheme_create(
                actor=manager, data=data, priority_counties=County.objects.filter(code__in=row["counties"])
            )
        result[row["code"]] = scheme
    return result


@transaction.atomic
def load() -> int:
    User = get_user_model()
    staff = {
        name: User.objects.get(username=name)
        for name in ("doe_reviewer", "mcls_reviewer", "mcls_manager", "mcls_officer")
    }
    by_code = _schemes(staff["mcls_manager"])
    occupation = GreenOccupation.objects.get(code="GJ-EN-01")
    created = 0
    for index, (stem, code, target, amount, jobs, kwh, purpose, steps) in enumerate(PLAN):
        business = (
            Business.objects.filter(national_business_id=business_id_of(stem)).select_related("owner").first()
        )
        if business is None:
            continue
        scheme = by_code[code]
        if LoanApplication.objects.filter(business=business, scheme=scheme, amount=amount).exists():
            continue
        application = _play(index, business, scheme, amount, jobs, kwh, purpose, steps, occupation, staff)
        application.refresh_from_db()
        if application.stage != target:
            raise RuntimeError(
                f"The demo loan {application.reference} ended in {application.stage}, not {target}."
            )
        created += 1
    return created


def _events_after(application, since_pk: int):
    return ApplicationEvent.objects.filter(application=application, pk__gt=since_pk).order_by("pk")


def _last_event_pk(application) -> int:
    return application.events.order_by("-pk").values_list("pk", flat=True).first() or 0


def _stamp(application, since_pk: int, at: datetime.datetime, **fields) -> None:
    """Moves what the last service call recorded back to `at` (a minute apart when it recorded several)."""
    last = at
    for offset, pk in enumerate(_events_after(application, since_pk).values_list("pk", flat=True)):
        last = at + datetime.timedelta(minutes=offset)
        ApplicationEvent.objects.filter(pk=pk).update(at=last)
    LoanApplication.objects.filter(pk=application.pk).update(stage_changed_at=last, updated_at=last, **fields)


def _play(index, business, scheme, amount, jobs, kwh, purpose, steps, occupation, staff) -> None:
    owner = business.owner
    officer = staff["mcls_officer"]
    application = None
    for step, (action, when) in enumerate(steps):
        at = office_moment(when, index * 5 + step * 2) if isinstance(when, int) else None
        if action == "create":
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
            _stamp(application, 0, at, created_at=at)
            ApplicationDocument.objects.filter(application=application).update(
                uploaded_at=at + datetime.timedelta(minutes=9)
            )
            continue
        since = _last_event_pk(application)
        if action in ("tranche", "tranche_rest"):
            application.refresh_from_db()
            share = application.approved_amount // 2 if action == "tranche" else None
            disbursement = repayments.disbursement_record(
                application_id=application.pk,
                actor=officer,
                amount=share or application.approved_amount - application.disbursed_amount,
                paid_on=at.date(),
                request_key=uuid.uuid4().hex,
            )
            Disbursement.objects.filter(pk=disbursement.pk).update(recorded_at=at)
            _stamp(application, since, at)
        elif action == "repay":
            _repay(application, officer, when, seed=index)
        else:
            actor = owner if ACTORS[action] is None else staff[ACTORS[action]]
            extra = {}
            if action == "contract":
                extra = {"contract_number": f"GJ-{application.pk:05d}", "contracted_on": at.date()}
            applications.application_transition(
                application_id=application.pk,
                actor=actor,
                name=action,
                reason=REASONS.get(action, ""),
                **extra,
            )
            _stamp(application, since, at, **({"submitted_at": at} if action == "submit" else {}))
    return application


def _pay(application, officer, amount: int, on: datetime.date, number: int, seed: int) -> None:
    at = office_moment((day(0) - on).days, seed + number)
    payment = repayments.payment_record(
        application_id=application.pk,
        actor=officer,
        amount=amount,
        paid_on=on,
        reference=f"MLT{jdatetime.date.fromgregorian(date=on).strftime('%Y%m%d')}{application.pk:03d}{number:02d}",
        request_key=uuid.uuid4().hex,
    )
    Payment.objects.filter(pk=payment.pk).update(recorded_at=at)


def _repay(application, officer, story, *, seed: int) -> None:
    today = day(0)
    since = _last_event_pk(application)
    due = list(application.instalments.filter(due_on__lt=today).order_by("number"))
    kind = story[0]
    if kind == "settled_early":
        left = sum(application.instalments.values_list("amount", flat=True))
        _pay(application, officer, left, day(story[1]), 1, seed)
    elif kind == "late_pair":
        for instalment in due[:-2]:
            _pay(application, officer, instalment.amount, instalment.due_on, instalment.number, seed)
        if due[-2:]:
            late_on = min(due[-1].due_on + datetime.timedelta(days=3), today - datetime.timedelta(days=1))
            _pay(application, officer, sum(i.amount for i in due[-2:]), late_on, due[-1].number, seed)
    else:  # stopped
        for instalment in due[: -story[1]]:
            _pay(application, officer, instalment.amount, instalment.due_on, instalment.number, seed)
    repayments.arrears_refresh_all(today=today)
    _stamp_repayment_events(application, since)


def _stamp_repayment_events(application, since_pk: int) -> None:
    """Dates the portal's own moves (arrears, catching up, settlement) to when the payments made them true.

    The services judged them against today; the story's first late instalment was noticed by the nightly
    run after its due date, and the payment that cleared the arrears or the balance caught up or settled it.
    """
    payments = list(application.payments.order_by("paid_on", "pk"))
    covered, cleared_on = 0, {}
    instalments = list(application.instalments.order_by("number"))
    for payment in payments:
        covered += payment.amount
        total = 0
        for instalment in instalments:
            total += instalment.amount
            if total <= covered and instalment.number not in cleared_on:
                cleared_on[instalment.number] = payment
    today = day(0)
    late = [
        i
        for i in instalments
        if i.due_on < today and (i.number not in cleared_on or cleared_on[i.number].paid_on > i.due_on)
    ]
    last_at = None
    for event in _events_after(application, since_pk):
        if event.action == "fall_into_arrears" and late:
            at = moment((today - late[0].due_on).days - 1, 1, 30)
        elif event.action in ("catch_up", "settle") and payments:
            clearing = (
                cleared_on.get(late[-1].number) if late and event.action == "catch_up" else payments[-1]
            )
            at = clearing.recorded_at + datetime.timedelta(minutes=1)
        else:
            continue
        ApplicationEvent.objects.filter(pk=event.pk).update(at=at)
        last_at = at
    if last_at is not None:
        LoanApplication.objects.filter(pk=application.pk).update(stage_changed_at=last_at, updated_at=last_at)

"""Demo registrations in every status, made through the services so their histories are real.

Each registration has a timeline counted back from the day the demo is loaded (created ≤ submitted ≤
assessment ≤ decision ≤ expiry), spread over the past quarters; every step is moved back to its day right
after the service has recorded it, so the next step already sees a coherent past.
Keyed by national business ID: loading twice adds nothing.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import Kind
from greenjobs.demo_clock import day, moment, office_moment
from greenjobs.text import to_persian_digits

from . import seed
from .models import Assessment, Business, BusinessDocument, County, GreenOccupation, RegistrationEvent
from .services import assessments, registrations
from .services.denormalised import rebuild_denormalised

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _business_id(ten: str) -> str:
    weights = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)
    tens = int(ten[9]) + 2
    total = sum((tens + int(ten[i])) * w for i, w in enumerate(weights)) % 11
    return ten + str(0 if total == 10 else total)


def _national_id(nine: str) -> str:
    total = sum(int(nine[i]) * (10 - i) for i in range(9)) % 11
    return nine + str(total if total < 2 else 11 - total)


# name, business id stem, county, sector, occupation codes, knowledge-based, target status, verified kind,
# days ago of: (created, submitted, assessment started, checklist ready, decided). The loans demo applies
# with the verified ones, so they were verified long enough ago; the expired one was verified more than
# REGISTRATION_VALIDITY_DAYS ago.
REGISTRATIONS = [
    ("آفتاب‌گستر قم", "1086000001", "qom", "energy", ["GJ-EN-01", "GJ-EN-01", "GJ-EN-03"], True, "verified", "new_green", (530, 526, 519, 508, 503)),
    ("تعاونی بازیافت کوثر", "1086000002", "qom", "waste", ["GJ-WS-01", "GJ-WS-01", "GJ-WS-04"], False, "verified", "greened_existing", (512, 509, 501, 490, 486)),
    ("کشت و صنعت سبز کهک", "1086000003", "kahak", "agriculture", ["GJ-WA-01", "GJ-AG-02"], False, "verified", "greened_existing", (488, 484, 477, 466, 461)),
    ("عایق‌سازان جعفرآباد", "1086000004", "jafarabad", "construction", ["GJ-CN-01", "GJ-CN-02"], True, "verified", "new_green", (300, 296, 288, 279, 274)),
    ("آجر پاک خلجستان", "1086000005", "khalajestan", "manufacturing", ["GJ-MF-02"], False, "expired", "greened_existing", (790, 786, 779, 768, 764)),
    ("کمپوست طلای سبز", "1086000006", "qom", "waste", ["GJ-WS-02"], False, "ready", "", (44, 40, 31, 20, None)),
    ("انرژی پاک پردیسان", "1086000007", "qom", "energy", ["GJ-EN-02"], True, "under_assessment", "", (21, 17, 9, None, None)),
    ("گلخانه هوشمند سلفچگان", "1086000008", "qom", "agriculture", ["GJ-AG-03"], False, "submitted", "", (29, 25, None, None, None)),
    ("خودروی برقی قم", "1086000009", "qom", "transport", ["GJ-TR-01"], True, "submitted", "", (6, 3, None, None, None)),
    ("قالی‌بافان رنگ‌گیاهی", "1086000010", "kahak", "manufacturing", ["GJ-MF-03"], False, "changes_requested", "", (75, 70, 62, 50, 46)),
    ("ریخته‌گری دود سیاه", "1086000011", "qom", "manufacturing", ["GJ-MF-01"], False, "rejected", "", (250, 247, 240, 229, 225)),
    ("بوم‌گردی کویر مسیله", "1086000012", "qom", "tourism", ["GJ-TO-01"], False, "draft", "", (2, None, None, None, None)),
    ("بازیافت الکترونیک البرز", "1086000013", "qom", "waste", ["GJ-WS-03", "GJ-WS-03"], True, "verified", "new_green", (505, 500, 493, 483, 478)),
    ("آب‌رسان قطره‌ای کهک", "1086000014", "kahak", "water", ["GJ-WA-01", "GJ-WA-01"], False, "verified", "greened_existing", (200, 196, 188, 176, 171)),
    ("ساختمان سبز پردیس", "1086000015", "jafarabad", "construction", ["GJ-CN-01", "GJ-CN-03"], False, "verified", "greened_existing", (380, 375, 368, 356, 352)),
]  # fmt: skip

MEASUREMENTS = [
    ("energy", "مصرف برق سالانه کنتور اصلی", Decimal("180000"), Decimal("126000")),
    ("water", "مصرف آب سالانه", Decimal("5200"), Decimal("3900")),
    ("materials", "مواد اولیه مصرفی", Decimal("320"), Decimal("290")),
    ("waste", "پسماند ارسالی به دفن", Decimal("85"), Decimal("30")),
    ("emissions", "ذرات معلق خروجی دودکش", Decimal("1400"), Decimal("900")),
    ("permits", "پروانه محیط زیستی معتبر", None, None),
]

OWNERS = [
    ("مهدی", "صادقی"), ("فرزانه", "رستمی"), ("جواد", "مرادی"), ("نسرین", "کاظمی‌پور"), ("اکبر", "توکلی"),
]  # fmt: skip

# Names of the people holding the registered green jobs.
STAFF_NAMES = [
    "علیرضا محمدی", "فاطمه زارعی", "محسن قربانی", "مریم نجفی", "رضا باقری", "سمانه عسگری", "حسن ابراهیمی",
    "زهره میرزایی", "مجید سلطانی", "شیوا فرهادی", "یاسر کرمی", "نازنین امینی", "وحید جمالی",
    "آزاده رحیمی", "هادی خسروی",
]  # fmt: skip

# A person signs up before registering anything.
ACCOUNTS_SINCE_DAYS = 800


def _owners():
    User = get_user_model()
    owners = []
    for index, (first, last) in enumerate(OWNERS, start=1):
        joined = moment(ACCOUNTS_SINCE_DAYS - index, 9 + index, 5 * index)
        user, _created = User.objects.get_or_create(
            username=f"owner{index}@example.ir",
            defaults={
                "email": f"owner{index}@example.ir",
                "kind": Kind.APPLICANT,
                "first_name": first,
                "last_name": last,
                "national_id": _national_id(f"05{index:07d}"),
                "mobile": f"0913000000{index}",
                "date_joined": joined,
                "email_verified_at": joined + datetime.timedelta(minutes=4),
            },
        )
        if _created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        owners.append(user)
    return owners


def _stamp(business, at, **fields) -> None:
    """Moves the step just recorded (the newest event and the business's own clock) back to `at`."""
    latest = business.events.order_by("-pk").values_list("pk", flat=True).first()
    RegistrationEvent.objects.filter(pk=latest).update(at=at)
    Business.objects.filter(pk=business.pk).update(status_changed_at=at, updated_at=at, **fields)


@transaction.atomic
def load() -> int:
    seed.load()
    User = get_user_model()
    applicant = User.objects.get(username="applicant")
    officer = User.objects.get(username="doe_officer")
    reviewer = User.objects.get(username="doe_reviewer")
    owners = [applicant, *_owners()]
    counties = {county.code: county for county in County.objects.all()}
    occupations = {occupation.code: occupation for occupation in GreenOccupation.objects.all()}
    created = 0
    for index, (name, stem, county, sector, codes, kb, target, kind, days) in enumerate(REGISTRATIONS):
        business_id = _business_id(stem)
        if Business.objects.filter(national_business_id=business_id).exists():
            continue
        _register(
            index, owners[index % len(owners)], officer, reviewer, counties, occupations,
            name, business_id, county, sector, codes, kb, target, kind, days,
        )  # fmt: skip
        created += 1
    # The history above was moved back in time after the workflow recorded it; the columns it keeps
    # for the figures follow the moved events.
    rebuild_denormalised()
    return created


def _register(index, owner, officer, reviewer, counties, occupations, *row) -> None:
    name, business_id, county, sector, codes, kb, target, kind, days = row
    created_days, submitted_days, started_days, ready_days, decided_days = days
    seed_at = index * 7

    def at(days_ago, step):
        return office_moment(days_ago, seed_at + step * 3)

    opened = at(created_days, 0)
    business = registrations.business_create(
        owner=owner,
        data={
            "legal_name": name, "national_business_id": business_id, "legal_form": "private_jsc",
            "sector": sector, "county": counties[county],
            "address": f"{counties[county].name_fa}، خیابان اصلی، پلاک {to_persian_digits(index + 1)}",
            "employees_total": len(codes) + 3, "is_knowledge_based": kb,
            "knowledge_based_number": f"KB-{1400 + index}" if kb else "",
            "knowledge_based_as_of": day(created_days + 120) if kb else None,
        },
    )  # fmt: skip
    for person, code in enumerate(codes):
        registrations.green_job_add(
            business_id=business.pk,
            actor=owner,
            occupation=occupations[code],
            holder_name=STAFF_NAMES[(index + person * 5) % len(STAFF_NAMES)],
            holder_national_id=_national_id(f"4{index:02d}{person:06d}"),
        )
    registrations.document_upload(
        business_id=business.pk,
        actor=owner,
        kind="licence",
        uploaded=SimpleUploadedFile("parvaneh-kasb.pdf", DEMO_PDF, "application/pdf"),
    )
    _stamp(business, opened, created_at=opened)
    BusinessDocument.objects.filter(business=business).update(
        uploaded_at=opened + datetime.timedelta(minutes=12)
    )
    if target == "draft":
        return

    submitted = at(submitted_days, 1)
    registrations.business_transition(business_id=business.pk, actor=owner, name="submit")
    _stamp(business, submitted, submitted_at=submitted)
    if target == "submitted":
        return

    started = at(started_days, 2)
    registrations.business_transition(business_id=business.pk, actor=officer, name="start_assessment")
    _stamp(business, started)
    assessment = business.assessments.get(status="in_progress")
    Assessment.objects.filter(pk=assessment.pk).update(started_at=started)
    failing = target == "rejected"
    for category, description, baseline, current in MEASUREMENTS:
        compliant = not (failing and category == "emissions")
        assessments.assessment_item_save(
            assessment_id=assessment.pk,
            actor=officer,
            category=category,
            description=description,
            baseline=baseline,
            current=current if compliant else (baseline * 2 if baseline else None),
            compliant=compliant,
            note="" if compliant else "انتشار ذرات دو برابر حد مجاز",
        )
    if target == "under_assessment":
        return

    ready = at(ready_days, 3)
    assessments.assessment_mark_ready(
        assessment_id=assessment.pk,
        actor=officer,
        summary="بازدید میدانی انجام شد و اندازه‌گیری‌ها ثبت شد.",
    )
    Assessment.objects.filter(pk=assessment.pk).update(ready_at=ready)
    if target == "ready":
        return

    decided = at(decided_days, 4)
    if target == "rejected":
        registrations.business_transition(
            business_id=business.pk,
            actor=reviewer,
            name="reject",
            reason="انتشار ذرات معلق بیش از حد مجاز و بدون برنامه اصلاح.",
        )
        _stamp(business, decided)
    elif target == "changes_requested":
        registrations.business_transition(
            business_id=business.pk,
            actor=reviewer,
            name="request_changes",
            reason="پروانه بهره‌برداری به‌روز بارگذاری شود.",
        )
        _stamp(business, decided)
    else:
        registrations.business_transition(
            business_id=business.pk, actor=reviewer, name="verify", verified_kind=kind
        )
        expires_on = decided.date() + datetime.timedelta(days=settings.REGISTRATION_VALIDITY_DAYS)
        _stamp(business, decided, verified_at=decided, expires_on=expires_on)
    Assessment.objects.filter(pk=assessment.pk).update(decided_at=decided)
    if target == "expired":
        # The nightly run noticed the lapse the night after the last valid day.
        registrations.registrations_expire_due()
        _stamp(business, moment((day(0) - expires_on).days - 1, 1, 30))

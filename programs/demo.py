"""Demo registrations in every status, made through the services so their histories are real.

Keyed by national business ID: loading twice adds nothing.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Kind

from . import seed
from .models import Business, County, GreenOccupation
from .services import assessments, registrations

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


# name, business id stem, county, sector, occupation codes, knowledge-based, target status, verified kind, days ago
REGISTRATIONS = [
    ("آفتاب‌گستر قم", "1086000001", "qom", "energy", ["GJ-EN-01", "GJ-EN-01", "GJ-EN-03"], True, "verified", "new_green", 200),
    ("تعاونی بازیافت کوثر", "1086000002", "qom", "waste", ["GJ-WS-01", "GJ-WS-01", "GJ-WS-04"], False, "verified", "greened_existing", 150),
    ("کشت و صنعت سبز کهک", "1086000003", "kahak", "agriculture", ["GJ-WA-01", "GJ-AG-02"], False, "verified", "greened_existing", 120),
    ("عایق‌سازان جعفرآباد", "1086000004", "jafarabad", "construction", ["GJ-CN-01", "GJ-CN-02"], True, "verified", "new_green", 90),
    ("آجر پاک خلجستان", "1086000005", "khalajestan", "manufacturing", ["GJ-MF-02"], False, "expired", "greened_existing", 800),
    ("کمپوست طلای سبز", "1086000006", "qom", "waste", ["GJ-WS-02"], False, "ready", "", 20),
    ("انرژی پاک پردیسان", "1086000007", "qom", "energy", ["GJ-EN-02"], True, "under_assessment", "", 9),
    ("گلخانه هوشمند سلفچگان", "1086000008", "qom", "agriculture", ["GJ-AG-03"], False, "submitted", "", 25),
    ("خودروی برقی قم", "1086000009", "qom", "transport", ["GJ-TR-01"], True, "submitted", "", 3),
    ("قالی‌بافان رنگ‌گیاهی", "1086000010", "kahak", "manufacturing", ["GJ-MF-03"], False, "changes_requested", "", 12),
    ("ریخته‌گری دود سیاه", "1086000011", "qom", "manufacturing", ["GJ-MF-01"], False, "rejected", "", 40),
    ("بوم‌گردی کویر مسیله", "1086000012", "qom", "tourism", ["GJ-TO-01"], False, "draft", "", 2),
    ("بازیافت الکترونیک البرز", "1086000013", "qom", "waste", ["GJ-WS-03", "GJ-WS-03"], True, "verified", "new_green", 70),
    ("آب‌رسان قطره‌ای کهک", "1086000014", "kahak", "water", ["GJ-WA-01", "GJ-WA-01"], False, "verified", "greened_existing", 60),
    ("ساختمان سبز پردیس", "1086000015", "jafarabad", "construction", ["GJ-CN-01", "GJ-CN-03"], False, "verified", "greened_existing", 50),
]  # fmt: skip

MEASUREMENTS = [
    ("energy", "مصرف برق سالانه کنتور اصلی", Decimal("180000"), Decimal("126000")),
    ("water", "مصرف آب سالانه", Decimal("5200"), Decimal("3900")),
    ("materials", "مواد اولیه مصرفی", Decimal("320"), Decimal("290")),
    ("waste", "پسماند ارسالی به دفن", Decimal("85"), Decimal("30")),
    ("emissions", "ذرات معلق خروجی دودکش", Decimal("1400"), Decimal("900")),
    ("permits", "پروانه محیط زیستی معتبر", None, None),
]


def _owners():
    User = get_user_model()
    owners = []
    for index in range(1, 6):
        user, _created = User.objects.get_or_create(
            username=f"owner{index}@example.ir",
            defaults={
                "email": f"owner{index}@example.ir",
                "kind": Kind.APPLICANT,
                "first_name": "مالک",
                "last_name": f"نمونه {index}",
                "national_id": _national_id(f"05{index:07d}"),
                "mobile": f"0913000000{index}",
                "email_verified_at": timezone.now(),
            },
        )
        if _created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        owners.append(user)
    return owners


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
    for index, (name, stem, county, sector, codes, kb, target, kind, days_ago) in enumerate(REGISTRATIONS):
        business_id = _business_id(stem)
        if Business.objects.filter(national_business_id=business_id).exists():
            continue
        owner = owners[index % len(owners)]
        business = registrations.business_create(
            owner=owner,
            data={
                "legal_name": name, "national_business_id": business_id, "legal_form": "private_jsc",
                "sector": sector, "county": counties[county], "address": f"{counties[county].name_fa}، خیابان اصلی، پلاک {index + 1}",
                "employees_total": len(codes) + 3, "is_knowledge_based": kb,
                "knowledge_based_number": f"KB-{1400 + index}" if kb else "",
                "knowledge_based_as_of": datetime.date(2025, 1, 1) if kb else None,
            },
        )  # fmt: skip
        for person, code in enumerate(codes):
            registrations.green_job_add(
                business_id=business.pk,
                actor=owner,
                occupation=occupations[code],
                holder_name=f"کارمند {person + 1} {name}",
                holder_national_id=_national_id(f"4{index:02d}{person:06d}"),
            )
        registrations.document_upload(
            business_id=business.pk,
            actor=owner,
            kind="licence",
            uploaded=SimpleUploadedFile("parvaneh-kasb.pdf", DEMO_PDF, "application/pdf"),
        )
        created += 1
        if target == "draft":
            continue
        registrations.business_transition(business_id=business.pk, actor=owner, name="submit")
        if target == "submitted":
            _backdate(business, days_ago)
            continue
        registrations.business_transition(business_id=business.pk, actor=officer, name="start_assessment")
        assessment = business.assessments.get(status="in_progress")
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
            _backdate(business, days_ago)
            continue
        assessments.assessment_mark_ready(
            assessment_id=assessment.pk,
            actor=officer,
            summary="بازدید میدانی انجام شد و اندازه‌گیری‌ها ثبت شد.",
        )
        if target == "ready":
            _backdate(business, days_ago)
            continue
        if target == "rejected":
            registrations.business_transition(
                business_id=business.pk,
                actor=reviewer,
                name="reject",
                reason="انتشار ذرات معلق بیش از حد مجاز و بدون برنامه اصلاح.",
            )
        elif target == "changes_requested":
            registrations.business_transition(
                business_id=business.pk,
                actor=reviewer,
                name="request_changes",
                reason="پروانه بهره‌برداری به‌روز بارگذاری شود.",
            )
        else:
            registrations.business_transition(
                business_id=business.pk, actor=reviewer, name="verify", verified_kind=kind
            )
            if target == "expired":
                Business.objects.filter(pk=business.pk).update(
                    expires_on=timezone.localdate() - datetime.timedelta(days=5)
                )
                registrations.registrations_expire_due()
        _backdate(business, days_ago)
    return created


def _backdate(business, days_ago: int) -> None:
    """Spreads the demo over past months so ageing, trends and periods have something to show."""
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    Business.objects.filter(pk=business.pk).update(status_changed_at=moment, submitted_at=moment)

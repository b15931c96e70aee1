"""Centres, courses, past and upcoming sessions, enrolments in every state, certificates and awareness
activities, made through the services. Keyed by natural keys: loading twice adds nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Kind
from agencies.models import Agency
from programs.models import County, GreenOccupation

from .models import AwarenessActivity, Course, Enrolment, Session, TrainingCentre
from .services import certificates, enrolment, results

CENTRES = [
    ("مرکز آموزش فنی و حرفه‌ای شماره ۱ قم", "TVTO centre no. 1, Qom", "tvto", "qom"),
    ("مرکز آموزش فنی و حرفه‌ای کهک", "TVTO centre, Kahak", "tvto", "kahak"),
    ("آموزشگاه آزاد انرژی‌های نو پارس", "Pars renewable energy institute", "private", "qom"),
]

COURSES = [
    ("TS-7411-PV-01", "نصب و نگهداری سامانه‌های فتوولتائیک", "Installing and maintaining PV systems", "GJ-EN-01", 120, "workers"),
    ("TS-2149-EA-01", "ممیزی انرژی برای کارفرمایان صنعتی", "Energy auditing for industrial employers", "GJ-EN-02", 60, "employers"),
    ("TS-6114-DI-01", "آبیاری قطره‌ای و مدیریت آب مزرعه", "Drip irrigation and farm water management", "GJ-WA-01", 80, "job_seekers"),
    ("TS-9612-RS-01", "تفکیک و بازیافت پسماند", "Sorting and recycling waste", "GJ-WS-01", 40, "entrepreneurs"),
]  # fmt: skip

TRAINEES = [
    ("کوثر", "ملکی"), ("بهزاد", "سلیمانی"), ("نرگس", "فتحی"), ("امید", "رحمانی"), ("الهام", "شریفی"),
    ("سعید", "قاسمی"), ("مینا", "اکبری"), ("حامد", "یوسفی"), ("زینب", "عباسی"), ("کیان", "نادری"),
    ("لیلا", "حیدری"), ("پویا", "طاهری"),
]  # fmt: skip


def _national_id(nine: str) -> str:
    total = sum(int(nine[i]) * (10 - i) for i in range(9)) % 11
    return nine + str(total if total < 2 else 11 - total)


def _trainees():
    User = get_user_model()
    people = [User.objects.get(username="applicant")]
    for index, (first, last) in enumerate(TRAINEES, start=1):
        user, created = User.objects.get_or_create(
            username=f"trainee{index}@example.ir",
            defaults={
                "email": f"trainee{index}@example.ir", "kind": Kind.APPLICANT, "first_name": first, "last_name": last,
                "national_id": _national_id(f"06{index:07d}"), "mobile": f"0935000{index:04d}",
                "email_verified_at": timezone.now(),
            },
        )  # fmt: skip
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        people.append(user)
    return people


@transaction.atomic
def load() -> int:
    if Session.objects.exists():
        return 0
    User = get_user_model()
    tvto = User.objects.get(username="tvto_officer")
    counties = {county.code: county for county in County.objects.all()}
    centres = [
        TrainingCentre.objects.get_or_create(
            name_fa=name_fa, defaults={"name_en": name_en, "kind": kind, "county": counties[county]}
        )[0]
        for name_fa, name_en, kind, county in CENTRES
    ]
    courses = [
        Course.objects.get_or_create(
            standard_code=code,
            defaults={"title_fa": fa, "title_en": en, "occupation": GreenOccupation.objects.get(code=occupation),
                      "hours": hours, "audience": audience},
        )[0]
        for code, fa, en, occupation, hours, audience in COURSES
    ]  # fmt: skip
    people = _trainees()
    today = timezone.localdate()

    # A finished session: attendance taken, results recorded, certificates issued (one later revoked).
    past = Session.objects.create(
        course=courses[0], centre=centres[0], starts_on=today - datetime.timedelta(days=90),
        ends_on=today - datetime.timedelta(days=60), capacity=12, instructor="مهندس رضا کاظمی", created_by=tvto,
    )  # fmt: skip
    for person in people[:8]:
        enrolment._enrol_locked(past, person, by=tvto)
    meetings = [
        results.meeting_add(
            session_id=past.pk, actor=tvto, held_on=past.starts_on + datetime.timedelta(days=7 * i)
        )
        for i in range(4)
    ]
    seated = list(past.enrolments.order_by("pk"))
    for index, meeting in enumerate(meetings):
        present = [e.pk for n, e in enumerate(seated) if not (n == 7 and index > 0)]
        results.attendance_record(meeting_id=meeting.pk, actor=tvto, present_enrolment_ids=present)
    scores = {e.pk: (85, 90) for e in seated[:5]}
    scores[seated[5].pk] = (55, 70)  # below the pass mark in theory
    scores[seated[6].pk] = (72, 64)
    scores[seated[7].pk] = (90, 95)  # attended one meeting in four: fails on attendance
    results.results_record(session_id=past.pk, actor=tvto, scores=scores)
    certificates.issue_for_session(session_id=past.pk)
    revoked = seated[4].certificate
    certificates.revoke(certificate_id=revoked.pk, actor=tvto, reason="مدارک هویتی ارائه‌شده نادرست بود.")

    # A second finished session for employers.
    employers = Session.objects.create(
        course=courses[1], centre=centres[2], starts_on=today - datetime.timedelta(days=40),
        ends_on=today - datetime.timedelta(days=30), capacity=6, instructor="دکتر سمیه رنجبر", created_by=tvto,
    )  # fmt: skip
    for person in people[8:12]:
        enrolment._enrol_locked(employers, person, by=tvto)
    meeting = results.meeting_add(session_id=employers.pk, actor=tvto, held_on=employers.starts_on)
    seated = list(employers.enrolments.order_by("pk"))
    results.attendance_record(meeting_id=meeting.pk, actor=tvto, present_enrolment_ids=[e.pk for e in seated])
    results.results_record(session_id=employers.pk, actor=tvto, scores={e.pk: (78, 81) for e in seated})
    certificates.issue_for_session(session_id=employers.pk)

    # Upcoming sessions: one with seats, one full with a wait list, one where someone cancelled.
    upcoming = Session.objects.create(
        course=courses[2], centre=centres[1], starts_on=today + datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=50), capacity=15, instructor="مهندس علی نیک‌پور", created_by=tvto,
    )  # fmt: skip
    for person in people[1:5]:
        enrolment.enrol(session_id=upcoming.pk, person=person, actor=person)
    full = Session.objects.create(
        course=courses[3], centre=centres[0], starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=14), capacity=3, instructor="خانم مریم صفایی", created_by=tvto,
    )  # fmt: skip
    for person in people[5:11]:
        enrolment.enrol(session_id=full.pk, person=person, actor=person)
    first_seated = full.enrolments.filter(status=Enrolment.Status.ENROLLED).order_by("pk").first()
    enrolment.cancel(enrolment_id=first_seated.pk, actor=first_seated.person)
    Session.objects.create(
        course=courses[0], centre=centres[1], starts_on=today + datetime.timedelta(days=45),
        ends_on=today + datetime.timedelta(days=75), capacity=20, instructor="مهندس رضا کاظمی", created_by=tvto,
    )  # fmt: skip

    _activities(today)
    return Session.objects.count()


def _activities(today):
    User = get_user_model()
    recorders = {
        code: User.objects.get(username=f"{code.lower()}_officer") for code in ("DOE", "MCLS", "TVTO")
    }
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    rows = [
        ("کارگاه صرفه‌جویی انرژی در واحدهای صنعتی", "workshop", "DOE", 120, "employers", 12, 45, 0),
        ("همایش مشاغل سبز و توسعه پایدار قم", "seminar", "MCLS", 60, "entrepreneurs", 80, 65, 40),
        ("بازدید میدانی از کارخانه بازیافت شکوهیه", "site_visit", "TVTO", 35, "workers", 28, 4, 0),
        ("پویش رسانه‌ای «قم سبز»", "media", "DOE", 15, "workers", 1500, 300, 2200),
        ("کارگاه ایمنی و بهداشت در مشاغل سبز", "workshop", "MCLS", 200, "workers", 95, 10, 0),
    ]
    for title, kind, agency, days_ago, audience, workers, employers, others in rows:
        AwarenessActivity.objects.get_or_create(
            title=title,
            defaults={
                "kind": kind, "agency": agencies[agency], "held_on": today - datetime.timedelta(days=days_ago),
                "audience": audience, "workers_count": workers, "employers_count": employers, "others_count": others,
                "recorded_by": recorders[agency], "county": County.objects.get(code="qom"),
            },
        )  # fmt: skip

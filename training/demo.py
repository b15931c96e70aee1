"""Centres, courses, past and upcoming sessions, enrolments in every state, certificates and awareness
activities, made through the services. Keyed by natural keys: loading twice adds nothing.

Dates count back from the day the demo is loaded: people enrol before a session starts, meetings fall
inside the session's dates (one per date), results follow the last meeting and certificates the results;
awareness activities are spread over the past quarters.
"""

import datetime

import jdatetime
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from accounts.models import Kind
from agencies.models import Agency
from greenjobs.demo_clock import day, moment, office_moment
from programs.models import County, GreenOccupation

from .models import AwarenessActivity, Certificate, Course, Enrolment, Session, TrainingCentre
from .services import catalogue, certificates, enrolment, results

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
    ("کوثر", "ملکی", "Kowsar Maleki"), ("بهزاد", "سلیمانی", "Behzad Soleimani"), ("نرگس", "فتحی", "Narges Fathi"),
    ("امید", "رحمانی", "Omid Rahmani"), ("الهام", "شریفی", "Elham Sharifi"), ("سعید", "قاسمی", "Saeed Ghasemi"),
    ("مینا", "اکبری", "Mina Akbari"), ("حامد", "یوسفی", "Hamed Yousefi"), ("زینب", "عباسی", "Zeinab Abbasi"),
    ("کیان", "نادری", "Kian Naderi"), ("لیلا", "حیدری", "Leila Heidari"), ("پویا", "طاهری", "Pouya Taheri"),
]  # fmt: skip
# Who signs each demo centre's certificates (fa name, en name, fa title, en title).
SIGNATORIES = [
    ("مهندس زهرا کریمی", "Zahra Karimi", "رئیس مرکز", "Head of the centre"),
    ("مهندس علی موسوی", "Ali Mousavi", "رئیس مرکز", "Head of the centre"),
    ("دکتر مریم رضایی", "Maryam Rezaei", "مدیر آموزشگاه", "Director of the institute"),
]


def _national_id(nine: str) -> str:
    total = sum(int(nine[i]) * (10 - i) for i in range(9)) % 11
    return nine + str(total if total < 2 else 11 - total)


def _trainees():
    User = get_user_model()
    people = [User.objects.get(username="applicant")]
    for index, (first, last, latin) in enumerate(TRAINEES, start=1):
        user, created = User.objects.get_or_create(
            username=f"trainee{index}@example.ir",
            defaults={
                "email": f"trainee{index}@example.ir", "kind": Kind.APPLICANT, "first_name": first, "last_name": last,
                "latin_name": latin,
                "national_id": _national_id(f"06{index:07d}"), "mobile": f"0935000{index:04d}",
                "date_joined": moment(470 - index, 9 + index % 8, index * 4),
                "email_verified_at": moment(470 - index, 9 + index % 8, index * 4 + 3),
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
            name_fa=name_fa,
            defaults={
                "name_en": name_en, "kind": kind, "county": counties[county],
                "signatory_name_fa": signatory[0], "signatory_name_en": signatory[1],
                "signatory_title_fa": signatory[2], "signatory_title_en": signatory[3],
            },
        )[0]
        for (name_fa, name_en, kind, county), signatory in zip(CENTRES, SIGNATORIES, strict=True)
    ]  # fmt: skip
    courses = [
        Course.objects.get_or_create(
            standard_code=code,
            defaults={"title_fa": fa, "title_en": en, "occupation": GreenOccupation.objects.get(code=occupation),
                      "hours": hours, "audience": audience},
        )[0]
        for code, fa, en, occupation, hours, audience in COURSES
    ]  # fmt: skip
    people = _trainees()

    # A finished session: attendance taken, results recorded, certificates issued (one later revoked).
    past = Session.objects.create(
        course=courses[0], centre=centres[0], starts_on=day(420), ends_on=day(390), capacity=12,
        instructor="مهندس رضا کاظمی", created_by=tvto,
    )  # fmt: skip
    for number, person in enumerate(people[:8]):
        _backdate_request(enrolment._enrol_locked(past, person, by=tvto), 445 - number, number)
    meetings = _meetings(past, tvto, [0, 9, 18, 27])
    seated = list(past.enrolments.order_by("pk"))
    for index, meeting in enumerate(meetings):
        present = [e.pk for n, e in enumerate(seated) if not (n == 7 and index > 0)]
        results.attendance_record(meeting_id=meeting.pk, actor=tvto, present_enrolment_ids=present)
    scores = {e.pk: (85, 90) for e in seated[:5]}
    scores[seated[5].pk] = (55, 70)  # below the pass mark in theory
    scores[seated[6].pk] = (72, 64)
    scores[seated[7].pk] = (90, 95)  # attended one meeting in four: fails on attendance
    _results(past, tvto, scores, recorded_days_ago=386, issued_days_ago=380)
    revoked = seated[4].certificate
    certificates.certificate_revoke(
        certificate_id=revoked.pk, actor=tvto, reason="مدارک هویتی ارائه‌شده نادرست بود."
    )
    Certificate.objects.filter(pk=revoked.pk).update(revoked_at=office_moment(330, 4))

    # A second finished session for employers, in a later quarter.
    employers = Session.objects.create(
        course=courses[1], centre=centres[2], starts_on=day(112), ends_on=day(102), capacity=6,
        instructor="دکتر سمیه رنجبر", created_by=tvto,
    )  # fmt: skip
    for number, person in enumerate(people[8:12]):
        _backdate_request(enrolment._enrol_locked(employers, person, by=tvto), 130 - number, number)
    seated = list(employers.enrolments.order_by("pk"))
    for meeting in _meetings(employers, tvto, [0, 3, 6, 10]):
        results.attendance_record(
            meeting_id=meeting.pk, actor=tvto, present_enrolment_ids=[e.pk for e in seated]
        )
    _results(employers, tvto, {e.pk: (78, 81) for e in seated}, recorded_days_ago=100, issued_days_ago=95)

    # A session called off for want of a venue, before it started.
    called_off = Session.objects.create(
        course=courses[2], centre=centres[1], starts_on=day(160), ends_on=day(150), capacity=10,
        instructor="مهندس علی نیک‌پور", created_by=tvto,
    )  # fmt: skip
    catalogue.session_cancel(session_id=called_off.pk, actor=tvto)

    # Upcoming sessions: one with seats, one full with a wait list, one where someone cancelled.
    upcoming = Session.objects.create(
        course=courses[2], centre=centres[1], starts_on=day(-20), ends_on=day(-50), capacity=15,
        instructor="مهندس علی نیک‌پور", created_by=tvto,
    )  # fmt: skip
    for number, person in enumerate(people[1:5]):
        _backdate_request(
            enrolment.enrolment_create(session_id=upcoming.pk, person=person, actor=person),
            14 - number,
            number,
        )
    full = Session.objects.create(
        course=courses[3], centre=centres[0], starts_on=day(-10), ends_on=day(-14), capacity=3,
        instructor="خانم مریم صفایی", created_by=tvto,
    )  # fmt: skip
    for number, person in enumerate(people[5:11]):
        _backdate_request(
            enrolment.enrolment_create(session_id=full.pk, person=person, actor=person), 9 - number, number
        )
    first_seated = full.enrolments.filter(status=Enrolment.Status.ENROLLED).order_by("requested_at").first()
    enrolment.enrolment_cancel(enrolment_id=first_seated.pk, actor=first_seated.person)
    Session.objects.create(
        course=courses[0], centre=centres[1], starts_on=day(-45), ends_on=day(-75), capacity=20,
        instructor="مهندس رضا کاظمی", created_by=tvto,
    )  # fmt: skip

    _activities()
    return Session.objects.count()


def _backdate_request(record, days_ago: int, seed: int):
    Enrolment.objects.filter(pk=record.pk).update(requested_at=office_moment(days_ago, seed * 5))
    return record


def _meetings(session, actor, offsets):
    """One meeting per date, each `offset` days after the session starts (all within its dates)."""
    return [
        results.meeting_add(
            session_id=session.pk, actor=actor, held_on=session.starts_on + datetime.timedelta(days=offset)
        )
        for offset in offsets
    ]


def _results(session, actor, scores, *, recorded_days_ago: int, issued_days_ago: int) -> None:
    """Results some days after the last meeting; certificates, numbered in their own Jalali year, after."""
    results.results_record(session_id=session.pk, actor=actor, scores=scores)
    Enrolment.objects.filter(session=session, result_recorded_at__isnull=False).update(
        result_recorded_at=office_moment(recorded_days_ago, session.pk)
    )
    certificates.certificates_issue_for_session(session_id=session.pk)
    issued_on = day(issued_days_ago)
    year = jdatetime.date.fromgregorian(date=issued_on).year
    issued = Certificate.objects.filter(enrolment__session=session).order_by("pk")
    issued.update(issued_on=issued_on, serial=Concat(Value("DEMO-"), Cast("pk", CharField())))
    for certificate in issued:
        # The serial is numbered in the year of issue, as the service does on the day itself.
        Certificate.objects.filter(pk=certificate.pk).update(serial=certificates._next_serial(year))


# title, kind, agency, days ago, audience, workers, employers, others: spread over the past quarters.
ACTIVITIES = [
    ("کارگاه صرفه‌جویی انرژی در واحدهای صنعتی", "workshop", "DOE", 505, "employers", 12, 45, 0),
    ("همایش مشاغل سبز و توسعه پایدار قم", "seminar", "MCLS", 430, "entrepreneurs", 80, 65, 40),
    ("کارگاه ایمنی و بهداشت در مشاغل سبز", "workshop", "MCLS", 350, "workers", 95, 10, 0),
    ("بازدید میدانی از کارخانه بازیافت شکوهیه", "site_visit", "TVTO", 265, "workers", 28, 4, 0),
    ("نشست آشنایی کارفرمایان با تسهیلات سبز", "seminar", "MCLS", 190, "employers", 5, 70, 12),
    ("کارگاه آبیاری کم‌آب برای کشاورزان کهک", "workshop", "TVTO", 125, "workers", 60, 8, 15),
    ("پویش رسانه‌ای «قم سبز»", "media", "DOE", 48, "workers", 1500, 300, 2200),
    ("بازدید از نیروگاه خورشیدی تصفیه‌خانه قم", "site_visit", "DOE", 16, "entrepreneurs", 20, 14, 6),
]  # fmt: skip


def _activities():
    User = get_user_model()
    recorders = {
        code: User.objects.get(username=f"{code.lower()}_officer") for code in ("DOE", "MCLS", "TVTO")
    }
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    qom = County.objects.get(code="qom")
    for number, (title, kind, agency, days_ago, audience, workers, employers, others) in enumerate(
        ACTIVITIES
    ):
        activity, created = AwarenessActivity.objects.get_or_create(
            title=title,
            defaults={
                "kind": kind, "agency": agencies[agency], "held_on": day(days_ago), "audience": audience,
                "workers_count": workers, "employers_count": employers, "others_count": others,
                "recorded_by": recorders[agency], "county": qom,
            },
        )  # fmt: skip
        if created:
            # Recorded the working day after it was held.
            AwarenessActivity.objects.filter(pk=activity.pk).update(
                recorded_at=office_moment(max(days_ago - 1, 0), number)
            )

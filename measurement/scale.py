"""Scale data: N records with the shape and spread of the real ones, written with COPY (issue 12).

A "record" is a business registration (40 %), a loan application (30 %) or a training enrolment (30 %),
each with its children: green jobs, the registration's events, assessments and checklist items; the loan's
events, tranches, instalments and payments; the enrolment's session, meetings, attendance, result,
certificate and training events. Every row follows the real workflows (programs/workflow.py,
incentives/workflow.py, training/workflow.py) in time order, within the window of `days` days that ends
at `end`, and satisfies every constraint of the schema.

Speed: rows are made with plain Python from one seeded random.Random and streamed to PostgreSQL with
COPY, a chunk of records per transaction; ids are reserved from the tables' sequences in blocks, so a
child names its parent without asking the database. Memory is bounded by one chunk.

Additive: a second run adds as many records again (usernames, business IDs, serials, request keys and
verification codes are made from the reserved ids, so they never collide with the first run).
"""

import bisect
import datetime
import functools
import json
import math
import random
import resource
import time
import zoneinfo
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import jdatetime
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Kind, User
from agencies.models import Agency, StaffMembership, StaffRole
from greenjobs.text import search_key
from incentives import notes, scoring
from incentives.models import (
    ApplicationEvent,
    Disbursement,
    GraceInterest,
    GraceStart,
    Instalment,
    LoanApplication,
    LoanScheme,
    Payment,
    PlannedJob,
)
from incentives.services import schedule as schedule_math
from incentives.validators import EARLIEST_DATE, LATEST_DATE
from programs.models import (
    CATEGORY_UNITS,
    Assessment,
    AssessmentItem,
    Business,
    County,
    GreenJob,
    GreenOccupation,
    LegalForm,
    OccupationKind,
    RegistrationEvent,
    Sector,
)
from programs.services.denormalised import rebuild_denormalised
from training.models import (
    Attendance,
    AwarenessActivity,
    Certificate,
    Course,
    Enrolment,
    Meeting,
    Session,
    TrainingCentre,
    TrainingEvent,
)
from training.services.results import passes

from . import notes as figure_notes
from .services import snapshots

DAY = 86_400
NULL = "\\N"
CHUNK_RECORDS = 20_000
SHARES = {"registrations": 0.4, "loans": 0.3, "enrolments": 0.3}

FIRST_NAMES = (
    "علی",
    "محمد",
    "حسین",
    "رضا",
    "مهدی",
    "فاطمه",
    "زهرا",
    "مریم",
    "سارا",
    "نرگس",
    "امیر",
    "حمید",
    "سمیه",
    "الهام",
    "مجید",
    "کاظم",
    "لیلا",
    "نازنین",
    "پریسا",
    "جواد",
    "هادی",
    "یاسمن",
    "مرتضی",
    "آرش",
)
LAST_NAMES = (
    "احمدی",
    "محمدی",
    "حسینی",
    "رضایی",
    "کریمی",
    "موسوی",
    "جعفری",
    "قمی",
    "صادقی",
    "رحیمی",
    "نوروزی",
    "کاظمی",
    "اکبری",
    "طاهری",
    "فراهانی",
    "سلطانی",
    "یزدانی",
    "شریفی",
    "باقری",
    "نجفی",
    "زارعی",
    "عباسی",
)
NAME_WORDS = (
    "سبز",
    "پاک",
    "آفتاب",
    "نسیم",
    "البرز",
    "کویر",
    "مهر",
    "آبان",
    "باران",
    "نور",
    "ستاره",
    "دانه",
    "افق",
    "پویا",
    "رویش",
    "زاگرس",
    "فردا",
    "امید",
    "نگین",
    "کوثر",
)
NAME_TRADES = (
    "انرژی",
    "بازیافت",
    "آبیاری",
    "صنعت",
    "کشاورزی",
    "ساختمان",
    "حمل‌ونقل",
    "خدمات محیطی",
    "گردشگری",
    "فناوری",
    "پلاستیک",
    "کمپوست",
)
STREETS = ("صفائیه", "باجک", "عمار یاسر", "امام خمینی", "پردیسان", "زنبیل‌آباد", "توحید", "شهید فاطمی")
# Assessment checklist lines: (category, what was checked, typical baseline per year).
CHECKLIST = (
    ("energy", "مصرف برق و گاز کارگاه", 250_000),
    ("water", "مصرف آب فرایند و آبیاری", 12_000),
    ("materials", "مصرف مواد اولیه", 400),
    ("waste", "پسماند تولیدی", 120),
)
CHANGES_REASONS = ("پروانه بهره‌برداری پیوست نشده است.", "اندازه‌گیری مصرف آب ناقص است.")
REJECT_REASONS = ("فعالیت با ضوابط محیط‌زیستی سازگار نیست.", "پسماند خطرناک بدون مجوز دفع می‌شود.")
LOAN_RETURN_REASONS = ("پیش‌فاکتور تجهیزات به‌روز نیست.", "صورت‌های مالی امضا نشده‌اند.")
LOAN_REJECT_REASONS = ("طرح با اولویت‌های طرح تسهیلات هم‌خوان نیست.", "سابقه اعتباری کافی نیست.")
PURPOSES = (
    "خرید تجهیزات کم‌مصرف و نصب پنل خورشیدی",
    "راه‌اندازی خط بازیافت پسماند",
    "نوسازی سامانه آبیاری قطره‌ای",
    "خرید دستگاه تصفیه پساب",
)


class ScaleError(Exception):
    """Why the data cannot be generated here, in words for the operator."""


# --- identifiers with their check digits ----------------------------------------------------------------


def national_id(body: int) -> str:
    """A valid 10-digit national ID from a 9-digit body (see greenjobs.validators)."""
    digits = f"{body % 1_000_000_000:09d}"
    total = sum(int(digits[i]) * (10 - i) for i in range(9)) % 11
    check = total if total < 2 else 11 - total
    value = f"{digits}{check}"
    return value if len(set(value)) > 1 else national_id(body + 1)


_BUSINESS_ID_WEIGHTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)


def business_id(body: int) -> str:
    """A valid 11-digit legal-entity ID from a 10-digit body (see greenjobs.validators)."""
    digits = f"{body % 10_000_000_000:010d}"
    tens = int(digits[9]) + 2
    total = sum((tens + int(digits[i])) * w for i, w in enumerate(_BUSINESS_ID_WEIGHTS)) % 11
    return f"{digits}{0 if total == 10 else total}"


# --- COPY writers -----------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value)


class Table:
    """One model's rows as COPY text, flushed in batches; columns the generator leaves get their default."""

    FLUSH_ROWS = 20_000

    def __init__(self, model: type[models.Model], fields: tuple[str, ...]):
        self.model = model
        self.fields = fields
        columns = [model._meta.get_field(name).column for name in fields]
        suffix = []
        for model_field in model._meta.concrete_fields:
            if model_field.name in fields or model_field.attname in fields:
                continue
            if model_field.has_db_default():
                continue  # the database fills it
            default = model_field.get_default()
            if default is None and not model_field.null:
                raise ScaleError(
                    f"{model.__name__}.{model_field.name} has no default; the generator must fill it"
                )
            columns.append(model_field.column)
            suffix.append(_text(default))
        self.suffix = "".join("\t" + value for value in suffix) + "\n"
        quoted = ", ".join(f'"{column}"' for column in columns)
        self.sql = f'COPY "{model._meta.db_table}" ({quoted}) FROM STDIN'
        self.lines: list[str] = []
        self.count = 0

    def add(self, *values: str) -> None:
        self.lines.append("\t".join(values) + self.suffix)
        if len(self.lines) >= self.FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.lines:
            return
        with connection.connection.cursor() as cursor, cursor.copy(self.sql) as copy:
            copy.write("".join(self.lines))
        self.count += len(self.lines)
        self.lines = []


class Ids:
    """Ids reserved from each table's sequence in blocks: children name parents with no round trip."""

    BLOCK = 50_000

    def __init__(self):
        self.free: dict[str, tuple[int, int]] = {}

    def next(self, model: type[models.Model]) -> int:
        table = model._meta.db_table
        nxt, last = self.free.get(table, (1, 0))
        if nxt > last:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                    [table, table, self.BLOCK],
                )
                last = cursor.fetchone()[0]
            nxt = last - self.BLOCK + 1
        self.free[table] = (nxt + 1, last)
        return nxt


# --- time -------------------------------------------------------------------------------------------------


class Clock:
    """The window [start, end] in epoch seconds, and the portal's local dates of its moments."""

    def __init__(self, *, days: int, end: datetime.date):
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        now = timezone.now().timestamp()
        end_of_day = datetime.datetime.combine(end, datetime.time(23, 59, 59), self.tz).timestamp()
        self.end = int(min(now, end_of_day))
        self.start = self.end - days * DAY
        self.end_date = self.date(self.end)
        self.start_date = self.date(self.start)
        # Waits between steps shrink with a short window, so even a one-day window shows whole workflows.
        self.scale = min(1.0, days / 365)

    @functools.lru_cache(maxsize=100_000)  # noqa: B019 - one clock per run; a run spans a few years
    def _date_of_half_hour(self, half_hours: int) -> datetime.date:
        return datetime.datetime.fromtimestamp(half_hours * 1800, self.tz).date()

    def date(self, ts: int) -> datetime.date:
        # Tehran's offset from UTC is a whole number of half hours, so a date never changes inside one.
        return self._date_of_half_hour(ts // 1800)

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> int:
        return int(datetime.datetime.combine(day, datetime.time(hour, minute), self.tz).timestamp())

    @staticmethod
    def text(ts: int) -> str:
        return datetime.datetime.fromtimestamp(ts, datetime.UTC).isoformat(sep=" ")


# --- the reference data the records hang on ---------------------------------------------------------------


@dataclass
class Staff:
    doe_officers: list[int]
    doe_reviewers: list[int]
    mcls_officers: list[int]
    mcls_reviewers: list[int]
    mcls_managers: list[int]
    tvto_officers: list[int]


@dataclass
class SchemeInfo:
    id: int
    code: str
    opens_on: datetime.date
    closes_on: datetime.date
    min_amount: int
    max_amount: int
    rate: Decimal
    term: int
    grace: int
    grace_starts: str
    capitalise: bool
    weights: dict
    priority_counties: set
    committed: int = 0
    disbursed: int = 0


@dataclass
class Reference:
    staff: Staff
    counties: list[int]
    occupations: list[int]
    schemes: list[SchemeInfo]
    courses: list[tuple[int, Decimal, int]]  # id, pass mark, minimum attendance
    centres: list[int]
    agencies: list[int]
    schemes_by_day: dict = field(default_factory=dict)


STAFF_PLAN = (
    ("doe_officers", "DOE", StaffRole.OFFICER, 6),
    ("doe_reviewers", "DOE", StaffRole.REVIEWER, 4),
    ("mcls_officers", "MCLS", StaffRole.OFFICER, 3),
    ("mcls_reviewers", "MCLS", StaffRole.REVIEWER, 3),
    ("mcls_managers", "MCLS", StaffRole.MANAGER, 2),
    ("tvto_officers", "TVTO", StaffRole.OFFICER, 4),
)


def _staff() -> Staff:
    """The staff acting in the generated histories: accounts of their own, made once, reused later."""
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    missing = {"DOE", "MCLS", "TVTO"} - set(agencies)
    if missing:
        raise ScaleError(f"The agencies {sorted(missing)} are missing; run `manage.py migrate` first.")
    found = {}
    for key, code, role, count in STAFF_PLAN:
        ids = []
        for number in range(1, count + 1):
            user, created = User.objects.get_or_create(
                username=f"scale_{code.lower()}_{role}_{number}",
                defaults={"kind": Kind.AGENCY_STAFF, "first_name": FIRST_NAMES[number], "last_name": code},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                StaffMembership.objects.create(user=user, agency=agencies[code], role=role)
            ids.append(user.pk)
        found[key] = ids
    return Staff(**found)


def _jalali_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    start = jdatetime.date(year, 1, 1).togregorian()
    return start, jdatetime.date(year + 1, 1, 1).togregorian() - datetime.timedelta(days=1)


def _schemes(clock: Clock, counties: list[int]) -> list[SchemeInfo]:
    """The published schemes, plus a generated one for each Jalali year of the window none covers."""
    schemes = list(LoanScheme.objects.filter(is_published=True).prefetch_related("priority_counties"))
    day = clock.start_date
    while day <= clock.end_date:
        if not any(s.opens_on <= day <= s.closes_on for s in schemes):
            year = jdatetime.date.fromgregorian(date=day).year
            opens_on, closes_on = _jalali_year_bounds(year)
            scheme, created = LoanScheme.objects.get_or_create(
                code=f"GJS-{year}",
                defaults={
                    "title_fa": f"تسهیلات مشاغل سبز سال {year}",
                    "title_en": f"Green jobs loans {year}",
                    "budget": 10**15,
                    "max_amount": 20_000_000_000,
                    "min_amount": 500_000_000,
                    "interest_rate": Decimal("4.00"),
                    "term_months": 36,
                    "grace_months": 6,
                    "opens_on": max(opens_on, EARLIEST_DATE),
                    "closes_on": min(closes_on, LATEST_DATE),
                },
            )
            if created:
                scheme.priority_counties.set(counties[:2])
            if not scheme.is_published or not scheme.opens_on <= day <= scheme.closes_on:
                raise ScaleError(
                    f"Scheme {scheme.code} exists but does not cover {day}; publish or widen it."
                )
            schemes.append(scheme)
        day += datetime.timedelta(days=1)
    return [
        SchemeInfo(
            id=s.pk,
            code=s.code,
            opens_on=s.opens_on,
            closes_on=s.closes_on,
            min_amount=s.min_amount,
            max_amount=s.max_amount,
            rate=s.interest_rate,
            term=s.term_months,
            grace=s.grace_months,
            grace_starts=s.grace_starts,
            capitalise=s.grace_interest == GraceInterest.CAPITALISED,
            weights={
                "knowledge_based": s.weight_knowledge_based,
                "jobs_per_rial": s.weight_jobs_per_rial,
                "environment": s.weight_environment,
                "county": s.weight_county,
            },
            priority_counties={c.pk for c in s.priority_counties.all()},
        )
        for s in schemes
    ]


def _catalogue(
    rng: random.Random, clock: Clock, records: int, staff: Staff
) -> tuple[list[int], list, list[int]]:
    """Occupations (a few new ones in the window), courses and centres; made when the catalogue is thin."""
    today = clock.end_date
    for _n in range(max(2, records // 200_000)):
        number = GreenOccupation.objects.count() + 1
        sector = rng.choice(Sector.values)
        occupation = GreenOccupation(
            code=f"GSC-{number:05d}-{rng.randrange(10**4):04d}",
            name_fa=f"کارشناس {rng.choice(NAME_TRADES)} سبز",
            name_en=f"Green {sector} specialist",
            sector=sector,
            kind=rng.choice(OccupationKind.values),
            requirements_fa="کاهش مصرف انرژی و آب و مدیریت پسماند مطابق ضوابط سازمان حفاظت محیط زیست.",
            introduced_on=clock.start_date
            + datetime.timedelta(days=rng.randrange((today - clock.start_date).days + 1)),
        )
        occupation.refresh_search_text()
        occupation.save()
    occupations = list(GreenOccupation.objects.filter(is_active=True).values_list("pk", flat=True))
    counties = list(County.objects.values_list("pk", flat=True))
    if not counties:
        raise ScaleError("No counties; run `manage.py migrate` (a data migration loads them).")
    if TrainingCentre.objects.filter(is_active=True).count() < 2:
        for number in range(1, 4):
            TrainingCentre.objects.create(
                name_fa=f"مرکز آموزش فنی و حرفه‌ای شماره {number} قم",
                name_en=f"TVTO centre {number}, Qom",
                kind=TrainingCentre.Kind.TVTO,
                county_id=counties[number % len(counties)],
            )
    if Course.objects.filter(is_active=True).count() < 4:
        for number, audience in enumerate(("workers", "employers", "job_seekers", "entrepreneurs"), start=1):
            Course.objects.get_or_create(
                standard_code=f"GSC-{number:03d}",
                defaults={
                    "title_fa": f"دوره مهارت سبز {number}",
                    "title_en": f"Green skills course {number}",
                    "occupation_id": occupations[number % len(occupations)],
                    "hours": 40 + 8 * number,
                    "audience": audience,
                },
            )
    courses = list(
        Course.objects.filter(is_active=True).values_list("pk", "pass_mark", "min_attendance_percent")
    )
    centres = list(TrainingCentre.objects.filter(is_active=True).values_list("pk", flat=True))
    return occupations, courses, centres


# --- the generator ----------------------------------------------------------------------------------------


@dataclass
class Interval:
    """A time a business was verified: a loan can be applied for within it."""

    business: int
    owner: int
    county: int
    knowledge_based: bool
    start: int
    end: int


class Generator:
    def __init__(self, *, records: int, days: int, seed: int, end: datetime.date, out: Callable[[str], None]):
        self.records, self.days, self.out = records, days, out
        self.rng = random.Random(seed)  # noqa: S311 - made-up data, reproducible by its seed
        self.clock = Clock(days=days, end=end)
        self.ids = Ids()
        self.validity = settings.REGISTRATION_VALIDITY_DAYS
        self.tables = {
            "user": Table(
                User,
                (
                    "id",
                    "password",
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "is_staff",
                    "is_active",
                    "is_superuser",
                    "date_joined",
                    "kind",
                    "national_id",
                    "email_verified_at",
                    "language",
                    "search_text",
                ),
            ),
            "business": Table(
                Business,
                (
                    "id",
                    "owner_id",
                    "legal_name",
                    "national_business_id",
                    "legal_form",
                    "sector",
                    "county_id",
                    "address",
                    "postal_code",
                    "employees_total",
                    "is_knowledge_based",
                    "knowledge_based_number",
                    "knowledge_based_as_of",
                    "knowledge_based_expires_on",
                    "status",
                    "status_changed_at",
                    "verified_kind",
                    "verified_at",
                    "expires_on",
                    "submitted_at",
                    "assigned_officer_id",
                    "search_text",
                    "created_at",
                    "updated_at",
                ),
            ),
            "greenjob": Table(
                GreenJob, ("id", "business_id", "occupation_id", "holder_name", "holder_national_id")
            ),
            "regevent": Table(
                RegistrationEvent,
                ("id", "business_id", "from_status", "to_status", "actor_id", "reason", "at"),
            ),
            "assessment": Table(
                Assessment,
                (
                    "id",
                    "business_id",
                    "officer_id",
                    "status",
                    "summary",
                    "started_at",
                    "ready_at",
                    "decided_by_id",
                    "decided_at",
                    "decision",
                ),
            ),
            "item": Table(
                AssessmentItem,
                (
                    "id",
                    "assessment_id",
                    "category",
                    "description",
                    "unit",
                    "baseline",
                    "current",
                    "compliant",
                    "note",
                ),
            ),
            "loan": Table(
                LoanApplication,
                (
                    "id",
                    "applicant_id",
                    "business_id",
                    "scheme_id",
                    "amount",
                    "purpose",
                    "jobs_to_create",
                    "energy_saving_kwh",
                    "water_saving_m3",
                    "materials_saving_t",
                    "waste_reduction_t",
                    "commitments",
                    "stage",
                    "stage_changed_at",
                    "returned_from",
                    "submitted_at",
                    "priority_score",
                    "score_breakdown",
                    "approved_amount",
                    "contract_number",
                    "contracted_on",
                    "operation_starts_on",
                    "disbursed_amount",
                    "first_disbursed_on",
                    "overdue_amount",
                    "days_late",
                    "arrears_checked_on",
                    "created_at",
                    "updated_at",
                ),
            ),
            "planned": Table(PlannedJob, ("id", "application_id", "occupation_id", "count")),
            "loanevent": Table(
                ApplicationEvent,
                ("id", "application_id", "from_stage", "to_stage", "action", "actor_id", "reason", "at"),
            ),
            "disbursement": Table(
                Disbursement,
                ("id", "application_id", "amount", "paid_on", "request_key", "recorded_by_id", "recorded_at"),
            ),
            "instalment": Table(
                Instalment,
                (
                    "id",
                    "application_id",
                    "number",
                    "due_on",
                    "principal",
                    "interest",
                    "amount",
                    "balance_after",
                    "paid",
                ),
            ),
            "payment": Table(
                Payment,
                (
                    "id",
                    "application_id",
                    "amount",
                    "paid_on",
                    "reference",
                    "request_key",
                    "recorded_by_id",
                    "recorded_at",
                ),
            ),
            "session": Table(
                Session,
                (
                    "id",
                    "course_id",
                    "centre_id",
                    "starts_on",
                    "ends_on",
                    "capacity",
                    "instructor",
                    "status",
                    "enrolled_count",
                    "created_by_id",
                ),
            ),
            "meeting": Table(Meeting, ("id", "session_id", "number", "held_on")),
            "enrolment": Table(
                Enrolment,
                (
                    "id",
                    "session_id",
                    "person_id",
                    "status",
                    "requested_at",
                    "enrolled_by_id",
                    "theory_score",
                    "practical_score",
                    "passed",
                    "result_recorded_by_id",
                    "result_recorded_at",
                ),
            ),
            "attendance": Table(
                Attendance, ("id", "enrolment_id", "meeting_id", "present", "recorded_by_id")
            ),
            "certificate": Table(
                Certificate,
                (
                    "id",
                    "enrolment_id",
                    "serial",
                    "verification_code",
                    "issued_on",
                    "status",
                    "revoked_at",
                    "revoked_reason",
                    "revoked_by_id",
                ),
            ),
            "trainevent": Table(
                TrainingEvent,
                (
                    "id",
                    "session_id",
                    "enrolment_id",
                    "certificate_id",
                    "action",
                    "from_status",
                    "to_status",
                    "actor_id",
                    "reason",
                    "at",
                ),
            ),
        }
        self.serials: dict[int, int] = {}
        self.chunk_businesses: list[int] = []
        self.holders: list[str] = []
        self.taken_national_ids: set[str] = set()
        self.taken_business_ids: set[str] = set()
        self.counts = Counter()

    # -- helpers

    def gap(self, low_days: float, high_days: float) -> int:
        return int(self.rng.uniform(low_days, high_days) * DAY * self.clock.scale) + 60

    def name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def new_user(self, joined: int) -> int:
        user_id = self.ids.next(User)
        first, last = self.name()
        nid = national_id(700_000_000 + user_id)
        joined_text = Clock.text(joined)
        self.tables["user"].add(
            str(user_id),
            "!scale",
            f"scale{user_id}",
            first,
            last,
            f"scale{user_id}@example.org",
            "f",
            "t",
            "f",
            joined_text,
            Kind.APPLICANT,
            NULL if nid in self.taken_national_ids else nid,
            joined_text,
            "fa",
            search_key(f"{first} {last}"),
        )
        return user_id

    def staff(self, key: str) -> int:
        return self.rng.choice(getattr(self.ref.staff, key))

    # -- the run

    def run(self) -> dict:
        started = time.monotonic()
        if connection.vendor != "postgresql":
            raise ScaleError(
                "The scale generator writes with PostgreSQL's COPY; this database is not PostgreSQL."
            )
        staff = _staff()
        occupations, courses, centres = _catalogue(self.rng, self.clock, self.records, staff)
        counties = list(County.objects.values_list("pk", flat=True))
        self.ref = Reference(
            staff=staff,
            counties=counties,
            occupations=occupations,
            schemes=_schemes(self.clock, counties),
            courses=courses,
            centres=centres,
            agencies=list(Agency.objects.values_list("pk", flat=True)),
        )
        self.taken_national_ids = set(
            User.objects.exclude(national_id=None).values_list("national_id", flat=True)
        )
        self.taken_business_ids = set(
            Business.objects.exclude(national_business_id="").values_list("national_business_id", flat=True)
        )
        done = 0
        while done < self.records:
            size = min(CHUNK_RECORDS, self.records - done)
            with transaction.atomic():
                self.chunk(size)
                for table in self.tables.values():
                    table.flush()
                self.update_schemes()
                # The registry's columns for the figures, from the events just written (the generator
                # leaves them at their defaults rather than restate the rule).
                rebuild_denormalised(business_ids=self.chunk_businesses)
                self.chunk_businesses = []
            done += size
            self.out(
                f"{done:>9,} / {self.records:,} records  {time.monotonic() - started:7.1f} s  "
                f"peak RSS {peak_rss_mb():,.0f} MB"
            )
        with transaction.atomic():
            self.awareness()
            for table in self.tables.values():
                table.flush()
        # The records went into past periods behind the workflow's back: figures stored before are dropped
        # (the drop is recorded) and computed again from the records when next needed.
        snapshots.figures_rebuild(reason=figure_notes.records_generated(self.records))
        self.out("Analysing the tables…")
        with connection.cursor() as cursor:
            # VACUUM sets the visibility map that index-only scans need; it cannot run inside a transaction
            # (a caller's atomic block, a test), where ANALYZE alone still gives the planner its numbers.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            for table in self.tables.values():
                cursor.execute(f'{command} "{table.model._meta.db_table}"')
        rows = {table.model._meta.label: table.count for table in self.tables.values()}
        return {"rows": rows, "seconds": time.monotonic() - started, "peak_rss_mb": peak_rss_mb()}

    def update_schemes(self) -> None:
        # The budget invariant holds: what the generated approvals commit is added to the scheme's committed
        # amount, and a budget too small for it is raised in the same statement (a scale run is not a demo).
        with connection.cursor() as cursor:
            for scheme in self.ref.schemes:
                if scheme.committed or scheme.disbursed:
                    cursor.execute(
                        "UPDATE incentives_loanscheme SET committed = committed + %s, "
                        "disbursed = disbursed + %s, "
                        "budget = GREATEST(budget, committed + %s + (committed + %s) / 4) WHERE id = %s",
                        [scheme.committed, scheme.disbursed, scheme.committed, scheme.committed, scheme.id],
                    )
                    scheme.committed = scheme.disbursed = 0

    def chunk(self, size: int) -> None:
        registrations = round(size * SHARES["registrations"])
        loans = round(size * SHARES["loans"])
        enrolments = size - registrations - loans
        intervals = self.registrations(registrations)
        self.loans(loans, intervals)
        self.enrolments(enrolments)
        self.counts.update(registrations=registrations, loans=loans, enrolments=enrolments)

    # -- registrations

    def registrations(self, count: int) -> list[Interval]:
        intervals: list[Interval] = []
        made = 0
        while made < count:
            owned = min(count - made, self.rng.choice((1, 1, 2, 3, 3, 4, 5, 5)))
            starts = sorted(self.rng.randint(self.clock.start, self.clock.end) for _n in range(owned))
            owner = self.new_user(max(self.clock.start, starts[0] - self.gap(0, 3)))
            for t0 in starts:
                intervals.extend(self.registration(owner, t0))
            made += owned
        return intervals

    def registration(self, owner: int, t0: int, *, force_verify: bool = False) -> list[Interval]:
        rng, end = self.rng, self.clock.end
        business = self.ids.next(Business)
        self.chunk_businesses.append(business)
        county = rng.choice(self.ref.counties)
        kb = rng.random() < 0.15
        events: list[tuple[str, str, int, str, int]] = [("", "draft", owner, "", t0)]
        state = {
            "status": "draft",
            "submitted_at": None,
            "verified_at": None,
            "expires_on": None,
            "kind": "",
            "officer": None,
        }
        intervals: list[Interval] = []

        def move(to: str, actor, at: int, reason: str = "") -> None:
            events.append((state["status"], to, actor, reason, at))
            state["status"] = to

        def assess(at: int) -> str | None:
            """One assessment cycle from `submitted`; returns the decision, or None when the window ends."""
            officer = self.staff("doe_officers")
            move("under_assessment", officer, at)
            state["officer"] = officer
            ready = at + self.gap(1, 12)
            decided = ready + self.gap(0.2, 6)
            if force_verify:
                outcome = "verified"
            else:
                roll = rng.random()
                outcome = "verified" if roll < 0.74 else ("changes_requested" if roll < 0.88 else "rejected")
            open_status = None if ready > end else ("ready" if decided > end else "decided")
            self.assessment(business, officer, at, ready, decided, outcome, open_status)
            if open_status != "decided":
                return None
            reviewer = self.staff("doe_reviewers")
            reason = {
                "changes_requested": rng.choice(CHANGES_REASONS),
                "rejected": rng.choice(REJECT_REASONS),
            }
            move(outcome, reviewer, decided, reason.get(outcome, ""))
            if outcome == "verified":
                state["verified_at"] = decided
                state["kind"] = rng.choice(OccupationKind.values)
                state["expires_on"] = self.clock.date(decided) + datetime.timedelta(days=self.validity)
            return outcome

        t = t0 + self.gap(0.1, 7)
        if (force_verify or rng.random() > 0.04) and t <= end:
            move("submitted", owner, t)
            state["submitted_at"] = t
            for _cycle in range(6):
                t += self.gap(0.5, 12)
                if t > end:
                    break
                outcome = assess(t)
                t = events[-1][4]
                if outcome is None or outcome == "rejected":
                    break
                if outcome == "changes_requested":
                    t += self.gap(2, 30)
                    if rng.random() < 0.25 or t > end:
                        break
                    move("submitted", owner, t)
                    continue
                # Verified: valid until it lapses or the owner asks for renewal before it does.
                expiry = self.clock.at(state["expires_on"] + datetime.timedelta(days=1), 0, 30)
                renew = rng.random() < 0.4
                renew_at = expiry - self.gap(1, 60) if renew else expiry + self.gap(5, 150)
                lapses = not renew and expiry <= end
                valid_until = min(end, renew_at if renew else expiry)
                intervals.append(Interval(business, owner, county, kb, t, valid_until))
                if lapses:
                    move("expired", None, expiry)
                    if rng.random() > 0.3:
                        break
                if renew_at > end:
                    break
                t = renew_at
                move("submitted", owner, t)

        final = state["status"]
        jobs = rng.choice((1, 1, 2, 2, 2, 3, 3, 4))
        created = Clock.text(t0)
        last = Clock.text(events[-1][4])
        kind_of = rng.choice(("شرکت", "تعاونی", "کارگاه"))
        legal_name = f"{kind_of} {rng.choice(NAME_WORDS)} {rng.choice(NAME_TRADES)} قم"
        address = f"قم، خیابان {rng.choice(STREETS)}، کوچه {rng.randint(1, 60)}، پلاک {rng.randint(1, 300)}"
        bid = business_id(1_400_000_000 + business)
        if bid in self.taken_business_ids:
            bid = ""
        kb_as_of = self.clock.date(t0) - datetime.timedelta(days=rng.randint(30, 900)) if kb else None
        officer = state["officer"]
        self.tables["business"].add(
            str(business),
            str(owner),
            legal_name,
            bid,
            rng.choice(LegalForm.values),
            rng.choice(Sector.values),
            str(county),
            address,
            f"37{rng.randrange(10**8):08d}",
            str(jobs + rng.randint(0, 25)),
            "t" if kb else "f",
            f"KB-{business}" if kb else "",
            _text(kb_as_of),
            _text(kb_as_of and kb_as_of + datetime.timedelta(days=3 * 365)),
            final,
            last,
            state["kind"] if state["verified_at"] else "",
            Clock.text(state["verified_at"]) if state["verified_at"] else NULL,
            _text(state["expires_on"]),
            Clock.text(state["submitted_at"]) if state["submitted_at"] else NULL,
            str(officer) if officer else NULL,
            search_key(f"{legal_name} {address} {bid}"),
            created,
            last,
        )
        seen = set()
        for _n in range(jobs):
            holder = self.holder()
            if holder in seen:
                continue
            seen.add(holder)
            first, last_name = self.name()
            self.tables["greenjob"].add(
                str(self.ids.next(GreenJob)),
                str(business),
                str(rng.choice(self.ref.occupations)),
                f"{first} {last_name}",
                holder,
            )
        for from_status, to_status, actor, reason, at in events:
            self.tables["regevent"].add(
                str(self.ids.next(RegistrationEvent)),
                str(business),
                from_status,
                to_status,
                str(actor) if actor else NULL,
                reason,
                Clock.text(at),
            )
        return intervals

    def holder(self) -> str:
        """A person in a green job: about one in ten already holds one in another business."""
        if self.holders and self.rng.random() < 0.1:
            return self.rng.choice(self.holders)
        person = national_id(self.rng.randrange(10**9))
        if len(self.holders) < 20_000:
            self.holders.append(person)
        else:
            self.holders[self.rng.randrange(len(self.holders))] = person
        return person

    def assessment(self, business, officer, started, ready, decided, outcome, open_status) -> None:
        rng = self.rng
        assessment = self.ids.next(Assessment)
        if open_status == "decided":
            status, decided_fields = (
                "decided",
                (str(self.staff("doe_reviewers")), Clock.text(decided), outcome),
            )
        else:
            status, decided_fields = open_status or "in_progress", (NULL, NULL, "")
        self.tables["assessment"].add(
            str(assessment),
            str(business),
            str(officer),
            status,
            "بازدید میدانی انجام و چک‌لیست تکمیل شد." if open_status else "",
            Clock.text(started),
            Clock.text(ready) if open_status else NULL,
            *decided_fields,
        )
        # A decided-against checklist has a line that fails; a verified one meets every requirement.
        failing = rng.randrange(len(CHECKLIST)) if outcome != "verified" else -1
        for index, (category, description, typical) in enumerate(CHECKLIST):
            baseline = round(typical * rng.uniform(0.3, 3), 2)
            current = round(baseline * rng.uniform(0.55, 0.98), 2) if open_status else None
            self.tables["item"].add(
                str(self.ids.next(AssessmentItem)),
                str(assessment),
                category,
                description,
                str(CATEGORY_UNITS[category]),
                f"{baseline:.2f}",
                NULL if current is None else f"{current:.2f}",
                "f" if index == failing and open_status else "t",
                "",
            )

    # -- loans

    def loans(self, count: int, intervals: list[Interval]) -> None:
        while not intervals:
            # Too few verified businesses in this chunk (a tiny run): one more verified registration.
            owner = self.new_user(self.clock.start)
            intervals = self.registration(owner, self.clock.start, force_verify=True)
        cumulative = []
        total = 0
        for interval in intervals:
            total += max(1, interval.end - interval.start)
            cumulative.append(total)
        open_pairs: set[tuple[int, int]] = set()
        for _n in range(count):
            for _attempt in range(20):
                # A moment drawn uniformly over all the verified time, and the business verified then.
                pick = self.rng.randrange(total)
                index = bisect.bisect_right(cumulative, pick)
                interval = intervals[index]
                at = interval.start + pick - (cumulative[index - 1] if index else 0)
                schemes = [
                    s
                    for s in self.schemes_on(self.clock.date(at))
                    if (interval.business, s.id) not in open_pairs
                ]
                if schemes:
                    break
            else:
                continue
            scheme = self.rng.choice(schemes)
            if self.loan(interval, scheme, at):
                open_pairs.add((interval.business, scheme.id))

    def schemes_on(self, day: datetime.date) -> list[SchemeInfo]:
        found = self.ref.schemes_by_day.get(day)
        if found is None:
            found = [s for s in self.ref.schemes if s.opens_on <= day <= s.closes_on]
            self.ref.schemes_by_day[day] = found
        return found

    def loan(self, interval: Interval, scheme: SchemeInfo, created: int) -> bool:
        """One application from its draft on; returns whether it is still open (holds its place)."""
        rng, end = self.rng, self.clock.end
        app = self.ids.next(LoanApplication)
        applicant = interval.owner
        step = max(1, (scheme.max_amount - scheme.min_amount) // 20)
        amount = max(1, min(scheme.max_amount, scheme.min_amount + step * rng.randint(0, 20)))
        if amount - amount % 1_000_000 >= max(scheme.min_amount, 1):
            amount -= amount % 1_000_000  # round sums, as people ask for
        jobs = rng.randint(1, 8)
        savings = (
            rng.choice((0, 20_000, 60_000, 120_000)),
            rng.choice((0, 1_000, 3_000)),
            rng.choice((0, 10, 40)),
            rng.choice((0, 15, 50)),
        )
        score, breakdown = self.score(scheme, amount, jobs, savings, interval)
        events: list[tuple[str, str, str, int | None, str, int]] = [
            ("", "draft", "create", applicant, "", created)
        ]
        st = {
            "stage": "draft",
            "submitted_at": None,
            "returned_from": "",
            "approved": 0,
            "contract": "",
            "contracted_on": None,
            "operation": None,
            "disbursed": 0,
            "first": None,
            "overdue": 0,
            "late": 0,
            "checked": None,
        }

        def move(action: str, to: str, actor, at: int, reason: str = "") -> bool:
            if at > end:
                return False
            events.append((st["stage"], to, action, actor, reason, at))
            st["stage"] = to
            return True

        t = min(created + self.gap(0.05, 2), max(created + 60, interval.end))
        submitted = rng.random() > 0.03 and t <= interval.end and move("submit", "submitted", applicant, t)
        if submitted:
            st["submitted_at"] = t
            plan = (
                (
                    "environmental_review",
                    "DOE",
                    "doe_reviewers",
                    "environment_accept",
                    "credit_review",
                    "environment_reject",
                    "environment_return",
                ),
                (
                    "credit_review",
                    "MCLS",
                    "mcls_reviewers",
                    "credit_accept",
                    "decision",
                    "credit_reject",
                    "credit_return",
                ),
                ("decision", "MCLS", "mcls_managers", "approve", "approved", "reject", "decision_return"),
            )
            t += self.gap(0.3, 5)
            ok = move("start_environmental_review", "environmental_review", self.staff("doe_reviewers"), t)
            stage_index = 0
            returns = 0
            while ok and stage_index < len(plan):
                here, _agency, who, accept, onward, refuse, give_back = plan[stage_index]
                t += self.gap(1, 10)
                if rng.random() < 0.01:
                    move("withdraw", "withdrawn", applicant, t)
                    break
                roll = rng.random()
                actor = self.staff(who)
                if roll < 0.86 or returns >= 2:
                    ok = move(accept, onward, actor, t)
                    stage_index += 1
                    if ok and accept == "approve":
                        st["approved"] = amount
                        scheme.committed += amount
                elif roll < 0.93:
                    move(refuse, "rejected", actor, t, rng.choice(LOAN_REJECT_REASONS))
                    break
                else:
                    if not move(give_back, "returned", actor, t, rng.choice(LOAN_RETURN_REASONS)):
                        break
                    returns += 1
                    st["returned_from"] = here
                    t += self.gap(2, 20)
                    if rng.random() < 0.2 or not move("resubmit", here, applicant, t):
                        break
                    st["returned_from"] = ""
            if st["stage"] == "approved":
                self.money(app, scheme, amount, t, st, move)
        if not st["submitted_at"]:
            score, breakdown = Decimal(0), {}
        last = events[-1][5]
        self.tables["loan"].add(
            str(app),
            str(applicant),
            str(interval.business),
            str(scheme.id),
            str(amount),
            rng.choice(PURPOSES),
            str(jobs),
            *(f"{value}.00" for value in savings),
            "پایش ماهانه مصرف انرژی و آب و گزارش به اداره کل حفاظت محیط زیست",
            st["stage"],
            Clock.text(last),
            st["returned_from"],
            Clock.text(st["submitted_at"]) if st["submitted_at"] else NULL,
            str(score),
            _text(breakdown),
            str(st["approved"]),
            st["contract"],
            _text(st["contracted_on"]),
            _text(st["operation"]),
            str(st["disbursed"]),
            _text(st["first"]),
            str(st["overdue"]),
            str(st["late"]),
            _text(st["checked"]),
            Clock.text(created),
            Clock.text(last),
        )
        self.tables["planned"].add(
            str(self.ids.next(PlannedJob)), str(app), str(rng.choice(self.ref.occupations)), str(jobs)
        )
        for from_stage, to_stage, action, actor, reason, at in events:
            self.tables["loanevent"].add(
                str(self.ids.next(ApplicationEvent)),
                str(app),
                from_stage,
                to_stage,
                action,
                str(actor) if actor else NULL,
                reason,
                Clock.text(at),
            )
        return st["stage"] not in ("withdrawn", "rejected", "settled")

    def _score(self, scheme_index: int, amount: int, jobs: int, savings: tuple, kb: bool, priority: bool):
        scheme = self.ref.schemes[scheme_index]
        billions = Decimal(amount) / Decimal(1_000_000_000)
        values = {
            "knowledge_based": Decimal(1) if kb else Decimal(0),
            "jobs_per_rial": scoring._clamp(
                (Decimal(jobs) / billions if billions else Decimal(0)) / scoring.JOBS_PER_BILLION_RIAL_FULL
            ),
            "environment": scoring._clamp(
                sum(
                    Decimal(v) / Decimal(full)
                    for v, full in zip(savings, scoring.SAVINGS_FULL.values(), strict=True)
                )
                / 2
            ),
            "county": Decimal(1) if priority else Decimal(0),
        }
        return self._breakdown(scheme.weights, values)

    @staticmethod
    def _breakdown(weights: dict, values: dict):
        """incentives.scoring.score over precomputed factors (it reads them off model instances)."""
        total_weight = sum(weights.values()) or 1
        breakdown, total = {}, Decimal(0)
        for name, weight in weights.items():
            points = (Decimal(100) * weight * values[name] / total_weight).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
            breakdown[name] = {
                "weight": weight,
                "value": str(values[name].quantize(Decimal("0.001"))),
                "points": str(points),
            }
            total += points
        return total.quantize(Decimal("0.01")), breakdown

    def score(self, scheme, amount, jobs, savings, interval):
        index = self.ref.schemes.index(scheme)
        return self._score(
            index,
            amount,
            jobs,
            savings,
            interval.knowledge_based,
            interval.county in scheme.priority_counties,
        )

    def money(self, app: int, scheme: SchemeInfo, amount: int, t: int, st: dict, move) -> None:
        """Contract, tranches, schedule, repayments and arrears, up to the end of the window."""
        rng, clock = self.rng, self.clock
        t += self.gap(3, 25)
        contracted_on = clock.date(t)
        if not move("contract", "contracted", self.staff("mcls_officers"), t):
            return
        st["contract"] = f"GJC-{app}"
        st["contracted_on"] = contracted_on
        if scheme.grace_starts == GraceStart.OPERATION:
            st["operation"] = contracted_on + datetime.timedelta(days=rng.randint(0, 60))
        tranches = rng.choice((1, 1, 2, 2, 3))
        parts = [amount // tranches] * tranches
        parts[-1] += amount - sum(parts)
        for part in parts:
            t += self.gap(1, 40)
            paid_on = clock.date(t)
            if not move(
                "disburse",
                "disbursed",
                self.staff("mcls_officers"),
                t,
                notes.tranche_paid(amount=part, paid_on=paid_on),
            ):
                return
            disbursement = self.ids.next(Disbursement)
            self.tables["disbursement"].add(
                str(disbursement),
                str(app),
                str(part),
                paid_on.isoformat(),
                f"scale-d-{disbursement}",
                self.events_actor(),
                Clock.text(t),
            )
            st["disbursed"] += part
            scheme.disbursed += part
            st["first"] = st["first"] or paid_on
        t += 1
        move("start_repayment", "repaying", None, t)
        start = st["first"]
        if scheme.grace_starts == GraceStart.OPERATION and st["operation"]:
            start = st["operation"]
        lines = _schedule(amount, scheme.rate, scheme.term, scheme.grace, scheme.capitalise, start)
        # How this borrower pays: most on time, some late, a few stop paying.
        roll = rng.random()
        kind = "good" if roll < 0.7 else ("late" if roll < 0.9 else "stops")
        stop_after = rng.randint(0, max(0, len(lines) - 1)) if kind == "stops" else len(lines)
        end_date = clock.end_date
        pays: list[int | None] = []
        floor = self.clock.at(st["first"], 10) + 3600
        for number, line in enumerate(lines, start=1):
            if number > stop_after:
                pays.append(None)
                continue
            if kind == "late" and rng.random() < 0.3:
                day = line.due_on + datetime.timedelta(days=rng.randint(3, 70))
            else:
                day = line.due_on - datetime.timedelta(days=rng.randint(0, 6))
            moment = max(clock.at(day, 9) + rng.randint(0, 4 * 3600), floor)
            pays.append(moment if moment <= clock.end else None)
            if pays[-1] is None:
                pays[-1:] = [None]
                stop_after = number  # later instalments wait behind this one
            else:
                floor = moment
        dues = [line.due_on for line in lines]
        # The days the arrears job sees an instalment overdue, and the payments that clear it, in time order.
        moments = sorted(
            [(clock.at(d + datetime.timedelta(days=1), 0, 5), 0, i) for i, d in enumerate(dues)]
            + [(p, 1, i) for i, p in enumerate(pays) if p is not None]
        )
        paid_count = 0
        for at, what, index in moments:
            if at > clock.end:
                break
            if what == 1:
                paid_count = index + 1
                payment = self.ids.next(Payment)
                paid_day = clock.date(at)
                self.tables["payment"].add(
                    str(payment),
                    str(app),
                    str(lines[index].amount),
                    paid_day.isoformat(),
                    f"BR-{payment}",
                    f"scale-p-{payment}",
                    self.events_actor(),
                    Clock.text(at),
                )
                if paid_count == len(lines):
                    move("settle", "settled", None, at)
                elif st["stage"] == "in_arrears" and not (dues[paid_count] < paid_day):
                    move("catch_up", "repaying", None, at)
            elif st["stage"] == "repaying" and index >= paid_count:
                move("fall_into_arrears", "in_arrears", None, at)
        overdue_lines = [line for line in lines[paid_count:] if line.due_on < end_date]
        if st["stage"] in ("repaying", "in_arrears"):
            st["overdue"] = sum(line.amount for line in overdue_lines)
            st["late"] = (end_date - overdue_lines[0].due_on).days if overdue_lines else 0
            st["checked"] = end_date
        for number, line in enumerate(lines, start=1):
            self.tables["instalment"].add(
                str(self.ids.next(Instalment)),
                str(app),
                str(number),
                line.due_on.isoformat(),
                str(line.principal),
                str(line.interest),
                str(line.amount),
                str(line.balance_after),
                str(line.amount if number <= paid_count else 0),
            )

    def events_actor(self) -> str:
        return str(self.staff("mcls_officers"))

    # -- training

    def enrolments(self, count: int) -> None:
        clock = self.clock
        trainees = [self.new_user(clock.start) for _n in range(max(1, math.ceil(count / 1.5)))]
        made = 0
        while made < count:
            size = min(count - made, 20)
            self.session(size, trainees)
            made += size

    def session(self, size: int, trainees: list[int]) -> None:
        rng, clock = self.rng, self.clock
        session = self.ids.next(Session)
        course, pass_mark, min_attendance = rng.choice(self.ref.courses)
        window = (clock.end_date - clock.start_date).days
        starts_on = clock.start_date + datetime.timedelta(days=rng.randint(min(2, window), window + 30))
        ends_on = starts_on + datetime.timedelta(days=rng.randint(6, 40))
        capacity = rng.randint(max(1, size - 4), size + 6)
        tvto = self.staff("tvto_officers")
        events: list[
            tuple[int | None, str, str, str, int | None, str, int]
        ] = []  # enrolment, action, from, to…
        earliest = max(clock.start, clock.at(starts_on, 8) - 45 * DAY)
        latest = min(clock.end, clock.at(starts_on, 8) - DAY)
        if latest <= earliest:
            earliest, latest = clock.start, max(clock.start, min(clock.end, clock.at(starts_on, 8) - 3600))
        people = rng.sample(trainees, min(size, len(trainees)))
        people += [self.new_user(clock.start) for _n in range(size - len(people))]
        asked = sorted(rng.randint(earliest, latest) for _n in range(size))
        rows = []  # [id, person, status, requested_at]
        enrolled = []
        waiting = []
        for person, at in zip(people, asked, strict=True):
            enrolment = self.ids.next(Enrolment)
            by_staff = rng.random() < 0.2
            status = "enrolled" if len(enrolled) < capacity else "waitlisted"
            row = [enrolment, person, status, at, tvto if by_staff else person]
            rows.append(row)
            events.append(
                (enrolment, "enrol" if status == "enrolled" else "waitlist", "", status, row[4], "", at)
            )
            (enrolled if status == "enrolled" else waiting).append(row)
        # A few cancel before the start; the first on the wait list takes the seat.
        for row in list(enrolled):
            if rng.random() < 0.05:
                at = row[3] + self.gap(0.5, 10)
                if at > latest:
                    continue
                enrolled.remove(row)
                row[2] = "cancelled"
                events.append((row[0], "cancel", "enrolled", "cancelled", row[1], "", at))
                if waiting:
                    promoted = waiting.pop(0)
                    promoted[2] = "enrolled"
                    enrolled.append(promoted)
                    events.append((promoted[0], "promote", "waitlisted", "enrolled", None, "", at + 1))
        status = "planned"
        finished_at = None
        if rng.random() < 0.03:
            cancel_at = min(clock.end, max(asked[-1] + 3600, clock.at(starts_on, 8) - DAY))
            if cancel_at > asked[-1]:
                status = "cancelled"
                events.append((None, "cancel", "planned", "cancelled", tvto, "", cancel_at))
        if status == "planned":
            finished_at = clock.at(ends_on + datetime.timedelta(days=rng.randint(1, 5)), 11)
            if finished_at > clock.end:
                finished_at = None
        self.tables["session"].add(
            str(session),
            str(course),
            str(rng.choice(self.ref.centres)),
            starts_on.isoformat(),
            ends_on.isoformat(),
            str(capacity),
            " ".join(self.name()),
            "finished" if finished_at else status,
            str(len(enrolled)),
            str(tvto),
        )
        results: dict[int, tuple] = {}
        if finished_at:
            span = (ends_on - starts_on).days
            days = sorted(rng.sample(range(span + 1), 4))
            meetings = []
            for number, offset in enumerate(days, start=1):
                meeting = self.ids.next(Meeting)
                meetings.append(meeting)
                self.tables["meeting"].add(
                    str(meeting),
                    str(session),
                    str(number),
                    (starts_on + datetime.timedelta(days=offset)).isoformat(),
                )
            for row in enrolled:
                present = [rng.random() < 0.97 for _m in meetings]
                for meeting, here in zip(meetings, present, strict=True):
                    self.tables["attendance"].add(
                        str(self.ids.next(Attendance)),
                        str(row[0]),
                        str(meeting),
                        "t" if here else "f",
                        str(tvto),
                    )
                theory = Decimal(rng.randint(50, 100))
                practical = Decimal(rng.randint(55, 100))
                attendance = sum(present) * 100 // len(present)
                passed = passes(
                    theory=theory,
                    practical=practical,
                    attendance=attendance,
                    course=_Course(pass_mark, min_attendance),
                )
                results[row[0]] = (theory, practical, passed)
            events.append((None, "finish", "planned", "finished", tvto, "", finished_at))
        for row in rows:
            result = results.get(row[0])
            self.tables["enrolment"].add(
                str(row[0]),
                str(session),
                str(row[1]),
                row[2],
                Clock.text(row[3]),
                str(row[4]),
                *(
                    (
                        f"{result[0]}.00",
                        f"{result[1]}.00",
                        "t" if result[2] else "f",
                        str(tvto),
                        Clock.text(finished_at),
                    )
                    if result
                    else (NULL, NULL, NULL, NULL, NULL)
                ),
            )
        for enrolment, action, from_status, to_status, actor, reason, at in events:
            self.tables["trainevent"].add(
                str(self.ids.next(TrainingEvent)),
                str(session),
                str(enrolment) if enrolment else NULL,
                NULL,
                action,
                from_status,
                to_status,
                str(actor) if actor else NULL,
                reason,
                Clock.text(at),
            )
        for enrolment, (_theory, _practical, passed) in results.items():
            if passed:
                self.certificate(session, enrolment, finished_at + 120, tvto)

    def certificate(self, session: int, enrolment: int, at: int, tvto: int) -> None:
        rng, clock = self.rng, self.clock
        certificate = self.ids.next(Certificate)
        issued_on = clock.date(at)
        year = jdatetime.date.fromgregorian(date=issued_on).year
        if year not in self.serials:
            last = Certificate.objects.filter(serial__startswith=f"GJQ-{year}-").order_by("-serial").first()
            self.serials[year] = int(last.serial.rsplit("-", 1)[1]) if last else 0
        self.serials[year] += 1
        code = f"{rng.getrandbits(96):024x}{certificate:x}"
        revoked_at = at + self.gap(5, 200) if rng.random() < 0.02 else None
        if revoked_at is not None and revoked_at > clock.end:
            revoked_at = None
        reason = "مدرک بر اساس اطلاعات نادرست صادر شده بود." if revoked_at else ""
        self.tables["certificate"].add(
            str(certificate),
            str(enrolment),
            f"GJQ-{year}-{self.serials[year]:06d}",
            code,
            issued_on.isoformat(),
            "revoked" if revoked_at else "issued",
            Clock.text(revoked_at) if revoked_at else NULL,
            reason,
            str(tvto) if revoked_at else NULL,
        )
        self.tables["trainevent"].add(
            str(self.ids.next(TrainingEvent)),
            str(session),
            str(enrolment),
            str(certificate),
            "issue",
            "",
            "issued",
            NULL,
            "",
            Clock.text(at),
        )
        if revoked_at:
            self.tables["trainevent"].add(
                str(self.ids.next(TrainingEvent)),
                str(session),
                str(enrolment),
                str(certificate),
                "revoke",
                "issued",
                "revoked",
                str(tvto),
                reason,
                Clock.text(revoked_at),
            )

    def awareness(self) -> None:
        rng, clock = self.rng, self.clock
        window = (clock.end_date - clock.start_date).days
        activities = []
        for _n in range(max(3, self.records // 5_000)):
            held_on = clock.start_date + datetime.timedelta(days=rng.randint(0, window))
            activities.append(
                AwarenessActivity(
                    title=f"کارگاه آموزشی {rng.choice(NAME_TRADES)} سبز",
                    kind=rng.choice(AwarenessActivity.Kind.values),
                    agency_id=rng.choice(self.ref.agencies),
                    held_on=held_on,
                    county_id=rng.choice(self.ref.counties),
                    audience=rng.choice(("workers", "employers")),
                    workers_count=rng.randint(0, 120),
                    employers_count=rng.randint(0, 40),
                    others_count=rng.randint(0, 30),
                    recorded_by_id=self.staff("tvto_officers"),
                )
            )
        created = AwarenessActivity.objects.bulk_create(activities)
        # recorded_at is auto_now_add: the record is dated the day after the activity, within the window.
        for activity in created:
            AwarenessActivity.objects.filter(pk=activity.pk).update(
                recorded_at=datetime.datetime.fromtimestamp(
                    min(clock.end, clock.at(activity.held_on + datetime.timedelta(days=1), 10)), datetime.UTC
                )
            )
        self.counts["awareness"] += len(created)


@dataclass(frozen=True)
class _Course:
    pass_mark: Decimal
    min_attendance_percent: int


def _schedule(principal, rate, term, grace, capitalise, start):
    return schedule_math.build(
        principal=principal,
        annual_rate=rate,
        term_months=term,
        grace_months=grace,
        capitalise_grace=capitalise,
        start=start,
    ).lines


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

"""Bulk import of existing business registrations from the agencies' spreadsheets (CSV or Excel).

The whole file is checked before anything is written: one bad row and nothing is imported. A business
already in the registry under the same national business ID is skipped, so running a file twice, or
a file that overlaps an earlier one, never duplicates a registration.
"""

import csv
import datetime
import hashlib
import io
import logging
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import filetype
import openpyxl
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Kind
from greenjobs import uploads
from greenjobs.exceptions import DomainError
from greenjobs.formats import format_digits, format_number
from greenjobs.jalali import JalaliDateError, parse_jalali
from greenjobs.outbox.services import enqueue
from greenjobs.spreadsheets import column_positions
from greenjobs.text import fold_digits, normalize_persian, search_key
from greenjobs.validators import normalize_business_id, normalize_mobile, normalize_national_id

from .. import notes
from ..models import (
    Business,
    County,
    GreenJob,
    GreenOccupation,
    ImportJob,
    LegalForm,
    OccupationKind,
    RegistrationEvent,
    RegistrationStatus,
    Sector,
)
from ..models.registration_rules import (
    employees_total_problem,
    knowledge_based_date_problems,
    validate_employees_total,
)
from ..permissions import can_import, is_doe

logger = logging.getLogger(__name__)
User = get_user_model()

MAX_ROWS = 5000
# Beyond this many problems the report stops listing them: the file needs fixing at its source anyway.
MAX_REPORTED_ERRORS = 500
EXTENSIONS = (".csv", ".xlsx")
IMPORTABLE_STATUSES = (RegistrationStatus.VERIFIED, RegistrationStatus.SUBMITTED)


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_BYTES * 4


# --- the columns --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header_fa: str
    help: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple = ()
    example: str = ""


COLUMNS = (
    Column(
        "legal_name", "نام حقوقی", gettext_lazy("The registered name of the business."),
        required=True, aliases=("نام کسب و کار", "نام شرکت"), example="شرکت انرژی پاک قم",
    ),
    Column(
        "national_business_id", "شناسه ملی",
        gettext_lazy("11 digits. A business already in the registry with this ID is skipped, not copied."),
        required=True, aliases=("شناسه ملی کسب و کار",), example="14101234563",
    ),
    Column(
        "legal_form", "نوع شخصیت حقوقی", gettext_lazy("One of the codes below, or its name."),
        required=True, aliases=("شکل حقوقی",), choices=LegalForm.choices, example="private_jsc",
    ),
    Column(
        "sector", "حوزه فعالیت", gettext_lazy("One of the codes below, or its name."),
        required=True, aliases=("بخش",), choices=Sector.choices, example="energy",
    ),
    Column(
        "county", "شهرستان", gettext_lazy("The county's code or its name in Persian or English."),
        required=True, example="qom",
    ),
    Column(
        "address", "نشانی", gettext_lazy("The postal address."),
        required=True, aliases=("آدرس",), example="قم، بلوار امین، کوچه ۱۲، پلاک ۴",
    ),
    Column("postal_code", "کد پستی", gettext_lazy("10 digits; may be left empty."), example="3719891234"),
    Column(
        "employees_total", "تعداد کل کارکنان",
        gettext_lazy("Everyone employed, at least as many as the people listed in green jobs."),
        required=True, aliases=("تعداد کارکنان",), example="12",
    ),
    Column(
        "is_knowledge_based", "دانش بنیان", gettext_lazy("yes or no (بله or خیر, 1 or 0); empty means no."),
        example="yes",
    ),
    Column(
        "knowledge_based_number", "شماره گواهی دانش بنیان",
        gettext_lazy("Required for a knowledge-based company, empty otherwise."), example="KB-1402-1234",
    ),
    Column(
        "knowledge_based_as_of", "تاریخ وضعیت دانش بنیان",
        gettext_lazy("Jalali date (1402/10/01). Required for a knowledge-based company."),
        aliases=("تاریخ دانش بنیان",), example="1402/10/01",
    ),
    Column(
        "knowledge_based_expires_on", "تاریخ انقضای گواهی دانش بنیان",
        gettext_lazy("Jalali date; may be left empty."), example="1406/10/01",
    ),
    Column(
        "owner_national_id", "کد ملی مالک",
        gettext_lazy(
            "10 digits. The applicant account with this national ID becomes the owner; if there is none, "
            "one is created (existing accounts are never changed)."
        ),
        required=True, example="0371234565",
    ),
    Column(
        "owner_first_name", "نام مالک", gettext_lazy("Required when the owner has no account yet."),
        example="مریم",
    ),
    Column(
        "owner_last_name", "نام خانوادگی مالک", gettext_lazy("Required when the owner has no account yet."),
        example="احمدی",
    ),
    Column(
        "owner_mobile", "موبایل مالک", gettext_lazy("For example 0912 345 6789; may be left empty."),
        aliases=("تلفن همراه مالک",), example="09121234567",
    ),
    Column(
        "owner_email", "رایانامه مالک", gettext_lazy("May be left empty."),
        aliases=("ایمیل مالک", "پست الکترونیک مالک"), example="maryam.ahmadi@example.ir",
    ),
    Column(
        "status", "وضعیت",
        gettext_lazy(
            "verified or submitted. A verification older than the validity period is imported as expired."
        ),
        required=True, choices=tuple((status.value, status.label) for status in IMPORTABLE_STATUSES),
        example="verified",
    ),
    Column(
        "verified_kind", "نوع تایید", gettext_lazy("For a verified business: one of the codes below."),
        aliases=("نوع شغل سبز",), choices=OccupationKind.choices, example="new_green",
    ),
    Column(
        "verified_on", "تاریخ تایید",
        gettext_lazy("For a verified business: the Jalali date of verification."), example="1404/12/01",
    ),
    Column(
        "green_jobs", "مشاغل سبز",
        gettext_lazy(
            "Each person in a green job as occupation code:national ID:name, separated by semicolons "
            "(; or ؛). At least one."
        ),
        required=True, aliases=("شاغلان سبز",),
        example="GJ-EN-01:0377654329:علی رضایی; GJ-EN-03:0371112222:زهرا کریمی",
    ),
)  # fmt: skip
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}

# Columns agencies keep for themselves (a row counter, remarks); read past, never imported.
IGNORED_HEADERS = ("row", "#", "no", "ردیف", "شماره ردیف", "notes", "remarks", "توضیحات")

# Persian words the agencies' sheets use for the coded values, besides the codes and the labels.
CHOICE_ALIASES = {
    "legal_form": {
        "sole": ("مالکیت انفرادی", "شخص حقیقی", "تک مالکی"),
        "private_jsc": ("سهامی خاص",),
        "llc": ("مسئولیت محدود", "با مسئولیت محدود"),
        "cooperative": ("تعاونی",),
        "public_jsc": ("سهامی عام",),
        "ngo": ("سازمان مردم نهاد", "سمن", "موسسه غیر تجاری"),
    },
    "sector": {
        "energy": ("انرژی",),
        "water": ("آب",),
        "waste": ("پسماند", "بازیافت"),
        "agriculture": ("کشاورزی",),
        "construction": ("ساختمان",),
        "manufacturing": ("صنعت", "تولید"),
        "transport": ("حمل و نقل",),
        "services": ("خدمات", "خدمات محیط زیستی"),
        "tourism": ("گردشگری", "بوم گردی"),
    },
    "status": {
        "verified": ("تایید شده", "سبز تایید شده"),
        "submitted": ("ارسال شده", "در انتظار بررسی", "ثبت شده"),
    },
    "verified_kind": {
        "new_green": ("سبز جدید", "شغل سبز جدید", "جدید"),
        "greened_existing": ("سبز شده", "موجود سبز شده", "شغل موجود سبز شده"),
    },
}
YES = ("yes", "y", "true", "1", "بله", "بلی", "آری", "دارد")
NO = ("no", "n", "false", "0", "خیر", "نه", "ندارد", "")


def _key(text) -> str:
    """Two spellings of one header or code give the same key: case, spaces, ZWNJ, _ and - do not count."""
    return re.sub(r"[\s_\-*]", "", search_key(str(text)))


YES_KEYS = {_key(word) for word in YES}
NO_KEYS = {_key(word) for word in NO}


def _header_lookup() -> dict[str, str]:
    lookup = {}
    for column in COLUMNS:
        for name in (column.key, column.header_fa, *column.aliases):
            lookup[_key(name)] = column.key
    return lookup


def template_rows() -> list[list[str]]:
    """The header and one example row of the CSV template; the example passes the import's checks."""
    return [list(COLUMN_KEYS), [column.example for column in COLUMNS]]


# --- reading the file ---------------------------------------------------------------------------------------


def parse_file(fileobj, name: str) -> list[dict]:
    """The data rows of a CSV (UTF-8, with or without BOM) or .xlsx file as dicts keyed by column.

    Each row also carries `_row`, its row number in the spreadsheet (the header is row 1). Empty rows
    are passed over. Raises ValidationError for a file that is not a readable spreadsheet of this import.
    """
    extension = Path(name or "").suffix.lower()
    if extension not in EXTENSIONS:
        raise ValidationError(
            _(
                "Only CSV (UTF-8) and Excel (.xlsx) files are accepted. "
                "In Excel, use “Save as” and choose one of them."
            ),
            code="file_type",
        )
    fileobj.seek(0)
    data = fileobj.read()
    fileobj.seek(0)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty_file")
    table = _read_csv(data) if extension == ".csv" else _read_xlsx(data)
    return _rows_from_table(table)


def _read_csv(data: bytes) -> list[list]:
    head = data[:8192]
    if b"\x00" in head or filetype.guess(head) is not None:
        raise ValidationError(_("This file is not a CSV file, whatever its name says."), code="file_type")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The CSV file is not in UTF-8. In Excel, save it as “CSV UTF-8 (Comma delimited)”."),
            code="encoding",
        ) from exc
    if text.lstrip().startswith("<"):
        raise ValidationError(
            _("This file is a web page or an XML document, not a spreadsheet, whatever its name says."),
            code="file_type",
        )
    first_line = text.split("\n", 1)[0]
    # Excel writes ; or tabs instead of commas under some regional settings.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ValidationError(
            _("The CSV file is damaged: %(problem)s") % {"problem": exc}, code="file_damaged"
        ) from exc


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes) -> list[list]:
    damaged = ValidationError(
        _("This Excel file cannot be read; it may be damaged. Open it in Excel and save it again as .xlsx."),
        code="file_damaged",
    )
    if not data.startswith(b"PK\x03\x04"):
        raise ValidationError(
            _("This file is not an Excel (.xlsx) workbook, whatever its name says."), code="file_type"
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign zip
        raise damaged from exc
    try:
        rows, filled = [], 0
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            cells = [_cell(value) for value in values]
            rows.append(cells)
            filled += any(cells)
            if filled > MAX_ROWS + 1:
                break  # enough to report the file as too long
        return rows
    except Exception as exc:
        raise damaged from exc
    finally:
        workbook.close()


def _rows_from_table(table: list[list]) -> list[dict]:
    if not table or not any(str(cell).strip() for cell in table[0]):
        raise ValidationError(
            _("The first row must hold the column names of the template."), code="no_header"
        )
    positions = column_positions(
        table[0],
        lookup=_header_lookup(),
        key=_key,
        ignored={_key(title) for title in IGNORED_HEADERS},
        required=[column.key for column in COLUMNS if column.required],
    )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = dict.fromkeys(COLUMN_KEYS, "")
        for index, key in positions.items():
            if index < len(cells):
                value = cells[index]
                values[key] = value.strip() if isinstance(value, str) else value
        if not any(values.values()):
            continue
        if len(rows) == MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(limit)s rows. Split it into smaller files.")
                % {"limit": format_number(MAX_ROWS)},
                code="too_many_rows",
            )
        values["_row"] = number
        rows.append(values)
    if not rows:
        raise ValidationError(_("The file has no rows below the column names."), code="no_rows")
    return rows


# --- checking the rows --------------------------------------------------------------------------------------


def _choice_lookup(key: str, choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        names = [value, *CHOICE_ALIASES.get(key, {}).get(value, ())]
        for language in ("en", "fa"):
            with translation.override(language):
                names.append(str(label))
        for name in names:
            lookup.setdefault(_key(name), value)
    return lookup


def _try(normalise, value):
    try:
        return normalise(str(value)) if value else None
    except ValidationError:
        return None


def _normalise_email(value: str) -> str:
    email = User.objects.normalize_email(value.strip()).lower()
    validate_email(email)
    return email


@dataclass
class _Lookups:
    """Everything the rows refer to, read in a few queries for the whole file."""

    counties: dict
    occupations: dict
    choices: dict
    users_by_national_id: dict
    mobile_owners: dict
    taken_logins: set
    existing_business_ids: set

    @classmethod
    def load(cls, rows: list[dict]) -> "_Lookups":
        national_ids, mobiles, logins, business_ids = set(), set(), set(), set()
        for row in rows:
            national_ids.add(_try(normalize_national_id, row["owner_national_id"]))
            mobiles.add(_try(normalize_mobile, row["owner_mobile"]))
            logins.add(_try(_normalise_email, row["owner_email"]))
            business_ids.add(_try(normalize_business_id, row["national_business_id"]))
        national_ids.discard(None)
        mobiles.discard(None)
        logins.discard(None)
        business_ids.discard(None)
        logins |= national_ids  # an owner without e-mail signs in with the national ID as username

        counties = {}
        for county in County.objects.all():
            for name in (county.code, county.name_fa, county.name_en):
                counties[_key(name)] = county
        taken = set()
        for email, username in (
            User.objects.annotate(email_key=Lower("email"), username_key=Lower("username"))
            .filter(Q(email_key__in=logins) | Q(username_key__in=logins))
            .values_list("email_key", "username_key")
        ):
            taken.update((email, username))
        live = ~Q(status__in=[RegistrationStatus.DRAFT, RegistrationStatus.REJECTED])
        existing = set()
        for business_id, import_key in Business.objects.filter(
            Q(import_key__in=business_ids) | (Q(national_business_id__in=business_ids) & live)
        ).values_list("national_business_id", "import_key"):
            existing.update((business_id, import_key))
        return cls(
            counties=counties,
            occupations={occupation.code.upper(): occupation for occupation in GreenOccupation.objects.all()},
            choices={
                "legal_form": _choice_lookup("legal_form", LegalForm.choices),
                "sector": _choice_lookup("sector", Sector.choices),
                "status": _choice_lookup("status", COLUMNS_BY_KEY["status"].choices),
                "verified_kind": _choice_lookup("verified_kind", OccupationKind.choices),
            },
            users_by_national_id={
                user["national_id"]: user
                for user in User.objects.filter(national_id__in=national_ids).values(
                    "id", "national_id", "kind"
                )
            },
            mobile_owners=dict(User.objects.filter(mobile__in=mobiles).values_list("mobile", "national_id")),
            taken_logins=taken,
            existing_business_ids=existing - {""},
        )


@dataclass
class _RowChecker:
    """Checks one row, collecting every problem in it rather than stopping at the first."""

    raw: dict
    errors: list
    problems: int = 0

    @property
    def row(self) -> int:
        return self.raw["_row"]

    def error(self, column: str, message) -> None:
        self.problems += 1
        self.errors.append({"row": self.row, "column": column, "message": str(message)})

    def filled(self, key: str) -> bool:
        return self.raw.get(key) not in ("", None)

    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.raw.get(key, "")
        value = "" if value is None else str(value).strip()
        if required and not value:
            self.error(key, _("This column is required; it is empty."))
        elif max_length and len(value) > max_length:
            self.error(key, _("At most %(limit)s characters.") % {"limit": format_number(max_length)})
            return ""
        return value

    def normalised(self, key: str, normalise, *, required: bool = False):
        value = self.text(key, required=required)
        if not value:
            return ""
        try:
            return normalise(value)
        except ValidationError as exc:
            self.error(key, exc.messages[0])
            return ""

    def choice(self, key: str, lookup: dict, *, required: bool = False) -> str:
        value = self.text(key, required=required)
        if not value:
            return ""
        if _key(value) not in lookup:
            self.error(key, _("“%(value)s” is not one of the accepted values.") % {"value": value})
            return ""
        return lookup[_key(value)]

    def date(self, key: str, *, required: bool = False, not_after: datetime.date | None = None):
        value = self.raw.get(key, "")
        if isinstance(value, datetime.date):  # an Excel date cell: already a Gregorian date
            parsed = value
        else:
            text = self.text(key, required=required)
            if not text:
                return None
            try:
                parsed = parse_jalali(text)
            except JalaliDateError as exc:
                self.error(key, exc)
                return None
        if not_after and parsed > not_after:
            self.error(key, _("This date is in the future."))
            return None
        return parsed


def validate_rows(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """Checks every row against the registry; returns the rows ready to write and the problems found.

    A problem is {"row": spreadsheet row number, "column": column key, "message": translated text}.
    """
    lookups = _Lookups.load(rows)
    errors: list[dict] = []
    clean_rows = []
    business_rows: dict[str, int] = {}  # national business ID → first row using it in this file
    new_owners: dict[str, dict] = {}  # national ID → the account this file creates
    new_mobiles: dict[str, str] = {}
    new_logins: dict[str, str] = {}
    today = timezone.localdate()

    for raw in rows:
        check = _RowChecker(raw, errors)
        row = {"row": check.row}
        legal_name = normalize_persian(check.text("legal_name", required=True, max_length=200))
        business_id = check.normalised("national_business_id", normalize_business_id, required=True)
        if business_id in business_rows:
            check.error(
                "national_business_id",
                _("This national business ID is already in row %(row)s of this file.")
                % {"row": format_digits(business_rows[business_id])},
            )
        elif business_id:
            business_rows[business_id] = check.row
        legal_form = check.choice("legal_form", lookups.choices["legal_form"], required=True)
        sector = check.choice("sector", lookups.choices["sector"], required=True)
        county = None
        county_text = check.text("county", required=True)
        if county_text:
            county = lookups.counties.get(_key(county_text))
            if county is None:
                check.error(
                    "county", _("“%(value)s” is not a county of Qom province.") % {"value": county_text}
                )
        address = normalize_persian(check.text("address", required=True))
        postal_code = fold_digits(check.text("postal_code")).replace(" ", "").replace("-", "")
        if postal_code and not re.fullmatch(r"\d{10}", postal_code):
            check.error("postal_code", _("A postal code has exactly 10 digits."))
        employees_text = re.sub(r"[\s,٬]", "", fold_digits(check.text("employees_total", required=True)))
        employees = None
        if employees_text:
            if re.fullmatch(r"\d{1,7}", employees_text):
                employees = int(employees_text)
                try:
                    validate_employees_total(employees)
                except ValidationError as exc:
                    check.error("employees_total", exc.messages[0])
                    employees = None
            else:
                check.error("employees_total", _("Write a whole number of people."))

        knowledge_text = check.text("is_knowledge_based")
        is_knowledge_based = _key(knowledge_text) in YES_KEYS
        if not is_knowledge_based and _key(knowledge_text) not in NO_KEYS:
            check.error("is_knowledge_based", _("Write yes or no."))
        knowledge_number = check.text("knowledge_based_number", max_length=40)
        knowledge_as_of = check.date("knowledge_based_as_of")
        knowledge_expires = check.date("knowledge_based_expires_on")
        for key, problem in knowledge_based_date_problems(
            knowledge_as_of, knowledge_expires, today=today
        ).items():
            check.error(key, problem)
        if is_knowledge_based:
            if not knowledge_number:
                check.error(
                    "knowledge_based_number", _("A knowledge-based company needs its certificate number.")
                )
            if not check.filled("knowledge_based_as_of"):
                check.error(
                    "knowledge_based_as_of", _("A knowledge-based company needs the date of its status.")
                )
        else:
            for key, value in (
                ("knowledge_based_number", knowledge_number),
                ("knowledge_based_as_of", knowledge_as_of),
                ("knowledge_based_expires_on", knowledge_expires),
            ):
                if value:
                    check.error(key, _("Fill this only for a knowledge-based company."))

        status = check.choice("status", lookups.choices["status"], required=True)
        verified_kind = check.choice("verified_kind", lookups.choices["verified_kind"])
        verified_on = check.date("verified_on", not_after=today)
        if status == RegistrationStatus.VERIFIED:
            if not check.filled("verified_kind"):
                check.error("verified_kind", _("A verified business needs the kind of its verification."))
            if not check.filled("verified_on"):
                check.error("verified_on", _("A verified business needs the date of its verification."))
        elif status:
            if check.filled("verified_kind"):
                check.error("verified_kind", _("Only a verified business has a kind of verification."))
            if check.filled("verified_on"):
                check.error("verified_on", _("Only a verified business has a date of verification."))

        green_jobs = _check_green_jobs(check, lookups)
        head_count = None if employees is None else employees_total_problem(employees, len(green_jobs))
        if head_count:
            check.error("employees_total", head_count)

        owner = _check_owner(check, lookups, new_owners, new_mobiles, new_logins)

        if check.problems:
            continue
        expires_on = None
        if status == RegistrationStatus.VERIFIED:
            expires_on = verified_on + datetime.timedelta(days=settings.REGISTRATION_VALIDITY_DAYS)
            if expires_on < today:
                status = RegistrationStatus.EXPIRED
        row.update(
            skip=business_id in lookups.existing_business_ids,
            owner=owner,
            green_jobs=green_jobs,
            business={
                "legal_name": legal_name, "national_business_id": business_id, "import_key": business_id,
                "legal_form": legal_form, "sector": sector, "county_id": county.pk, "address": address,
                "postal_code": postal_code, "employees_total": employees,
                "is_knowledge_based": is_knowledge_based, "knowledge_based_number": knowledge_number,
                "knowledge_based_as_of": knowledge_as_of, "knowledge_based_expires_on": knowledge_expires,
                "status": status, "verified_kind": verified_kind,
                "verified_on": verified_on, "expires_on": expires_on,
            },
        )  # fmt: skip
        clean_rows.append(row)
    return clean_rows, errors


def _check_green_jobs(check: _RowChecker, lookups: _Lookups) -> list[dict]:
    text = check.text("green_jobs", required=True)
    problems_before = check.problems
    jobs, holders = [], set()
    for piece in re.split(r"[;؛\n]", text):
        if not piece.strip():
            continue
        parts = [part.strip() for part in piece.split(":", 2)]
        if len(parts) != 3 or not all(parts):
            check.error(
                "green_jobs",
                _("“%(value)s”: write each person as occupation code:national ID:name.")
                % {"value": piece.strip()},
            )
            continue
        code, national_id, name = parts
        occupation = lookups.occupations.get(fold_digits(code).upper())
        if occupation is None:
            check.error("green_jobs", _("“%(code)s” is not an occupation of the catalogue.") % {"code": code})
        elif not occupation.is_active:
            check.error("green_jobs", _("“%(code)s” is no longer in the catalogue.") % {"code": code})
        try:
            national_id = normalize_national_id(national_id)
        except ValidationError as exc:
            check.error("green_jobs", f"{national_id}: {exc.messages[0]}")
            continue
        if national_id in holders:
            check.error(
                "green_jobs",
                _("%(national_id)s is listed twice in this business.") % {"national_id": national_id},
            )
        holders.add(national_id)
        name = normalize_persian(name)
        if len(name) > 200:
            check.error("green_jobs", _("A name has at most 200 characters."))
        if occupation is not None:
            jobs.append(
                {"occupation_id": occupation.pk, "holder_national_id": national_id, "holder_name": name}
            )
    if text and not jobs and check.problems == problems_before:
        check.error("green_jobs", _("List at least one person in a green job."))
    return jobs


def _check_owner(check: _RowChecker, lookups: _Lookups, new_owners, new_mobiles, new_logins) -> dict | None:
    problems_before = check.problems
    national_id = check.normalised("owner_national_id", normalize_national_id, required=True)
    if not national_id:
        return None
    existing = lookups.users_by_national_id.get(national_id)
    if existing is not None:
        if existing["kind"] != Kind.APPLICANT:
            check.error(
                "owner_national_id", _("This national ID belongs to an account that is not an applicant's.")
            )
            return None
        return {"national_id": national_id, "user_id": existing["id"]}
    if national_id in new_owners:  # a second business of an owner this file introduces
        return new_owners[national_id]
    first_name = normalize_persian(check.text("owner_first_name", required=True, max_length=150))
    last_name = normalize_persian(check.text("owner_last_name", required=True, max_length=150))
    mobile = check.normalised("owner_mobile", normalize_mobile)
    if mobile and (
        lookups.mobile_owners.get(mobile, national_id) != national_id
        or new_mobiles.get(mobile, national_id) != national_id
    ):
        check.error("owner_mobile", _("An account with this mobile number already exists."))
    email = check.normalised("owner_email", _normalise_email)
    username = email or national_id
    if email and (email in lookups.taken_logins or new_logins.get(email, national_id) != national_id):
        check.error("owner_email", _("An account with this e-mail address already exists."))
    elif not email and national_id in lookups.taken_logins:
        check.error(
            "owner_email", _("Another account uses this national ID as its username; give an e-mail address.")
        )
    owner = {
        "national_id": national_id, "user_id": None, "first_name": first_name, "last_name": last_name,
        "mobile": mobile or None, "email": email, "username": username,
    }  # fmt: skip
    if check.problems == problems_before:  # later rows of this owner may leave the owner's details empty
        new_owners[national_id] = owner
        if mobile:
            new_mobiles[mobile] = national_id
        new_logins[username] = national_id
    return owner


# --- dry run, job, run --------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    total_rows: int
    create_count: int = 0
    skip_count: int = 0
    errors: list = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.error_count


def _require_importer(actor) -> None:
    if actor is None or not actor.is_authenticated or not can_import(actor):
        raise DomainError(
            _("Only officers and managers of the environment directorate import registrations."),
            code="forbidden",
            status_code=403,
        )


def _check_size(uploaded) -> None:
    if uploaded.size > max_upload_bytes():
        raise ValidationError(
            _("The file is too large: at most %(limit)s MB is accepted.")
            % {"limit": format_number(max_upload_bytes() // (1024 * 1024))},
            code="file_too_large",
        )


def import_dry_run(*, actor, uploaded) -> ImportReport:
    """Checks a file exactly as the import would, and writes nothing."""
    _require_importer(actor)
    _check_size(uploaded)
    rows = parse_file(uploaded, uploaded.name)
    clean_rows, errors = validate_rows(rows)
    skipped = sum(row["skip"] for row in clean_rows)
    return ImportReport(
        total_rows=len(rows),
        create_count=0 if errors else len(clean_rows) - skipped,
        skip_count=0 if errors else skipped,
        errors=errors[:MAX_REPORTED_ERRORS],
        error_count=len(errors),
    )


def import_create_job(*, actor, uploaded) -> ImportJob:
    """Stores the file privately and queues its import; rows are checked again when the job runs."""
    _require_importer(actor)
    _check_size(uploaded)
    rows = parse_file(uploaded, uploaded.name)  # a file that is no spreadsheet is refused here and now
    extension = Path(uploaded.name).suffix.lower()
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    stored_name = uploads.private_storage().save(f"imports/{uuid.uuid4().hex}{extension}", uploaded)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                created_by=actor, original_name=uploads.clean_file_name(uploaded.name),
                stored_name=stored_name,
                sha256=digest.hexdigest(), total_rows=len(rows),
            )  # fmt: skip
            enqueue("programs.tasks.run_import", job.pk)
    except Exception:
        uploads.private_storage().delete(stored_name)
        raise
    return job


def _progress_key(job_id: int) -> str:
    return f"programs:import-progress:{job_id}"


def _fail(job_id: int, *, message: str, errors: list | None = None) -> str:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status == ImportJob.Status.SUCCEEDED:
            return str(job.status)
        job.status = ImportJob.Status.FAILED
        job.message = message
        job.errors = (errors or [])[:MAX_REPORTED_ERRORS]
        job.processed_rows = 0
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "errors", "processed_rows", "finished_at"])
    cache.delete(_progress_key(job_id))
    return str(job.status)


def _claim(job_id: int) -> ImportJob | None:
    """Marks the job running, or returns None when it has already finished (a repeated delivery)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("created_by").filter(pk=job_id).first()
        if job is None or job.status in (ImportJob.Status.SUCCEEDED, ImportJob.Status.FAILED):
            return None
        job.status = ImportJob.Status.RUNNING
        job.processed_rows = 0
        job.message = _("Checking the rows…")
        job.save(update_fields=["status", "processed_rows", "message"])
    cache.delete(_progress_key(job_id))  # left over from a delivery whose worker died
    return job


def import_run(*, job_id: int) -> str:
    """Runs one import job to its end; safe to call again for the same job. Returns the job's status.

    Progress during the writing transaction goes to the cache: the job row itself stays locked by
    that transaction, which also keeps two deliveries of the same task from importing twice.
    """
    job = _claim(job_id)
    if job is None:
        status = ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
        return status or "missing"
    with translation.override(job.created_by.language or settings.LANGUAGE_CODE):
        try:
            if not can_import(job.created_by):
                return _fail(job_id, message=_("The person who uploaded this file may no longer import."))
            with uploads.private_storage().open(job.stored_name, "rb") as fileobj:
                rows = parse_file(fileobj, job.original_name)
            clean_rows, errors = validate_rows(rows)
            if errors:
                message = ngettext(
                    "One problem was found; nothing was imported. Correct the file and try again.",
                    "%(count)s problems were found; nothing was imported. Correct the file and try again.",
                    len(errors),
                ) % {"count": format_number(len(errors))}
                return _fail(job_id, errors=errors, message=message)
            ImportJob.objects.filter(pk=job_id).update(total_rows=len(rows), message=_("Importing…"))
            reason = notes.imported_from(name=job.original_name)
            return _write_rows(job_id, clean_rows, reason=reason)
        except ValidationError as exc:
            return _fail(job_id, message=" ".join(exc.messages))
        except IntegrityError:
            return _fail(
                job_id,
                message=_(
                    "Someone registered one of these businesses or owners while the import ran; nothing was "
                    "imported. Run the import again: rows already in the registry will be skipped."
                ),
            )
        except Exception:
            logger.exception("import job %s failed", job_id)
            return _fail(
                job_id, message=_("The import stopped on an unexpected error; nothing was imported.")
            )


@transaction.atomic
def _write_rows(job_id: int, clean_rows: list[dict], *, reason: str) -> str:
    job = ImportJob.objects.select_for_update().select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.RUNNING:
        return str(job.status)  # another delivery of the task finished it while this one was checking
    now = timezone.now()
    owners: dict[str, int] = {}
    created = skipped = 0
    for done, row in enumerate(clean_rows, start=1):
        if row["skip"]:
            skipped += 1
        else:
            owner = row["owner"]
            owner_id = owner["user_id"] or owners.get(owner["national_id"])
            if owner_id is None:
                owner_id = owners[owner["national_id"]] = _create_applicant_account(**owner).pk
            _create_business(owner_id=owner_id, row=row, actor=job.created_by, reason=reason, now=now)
            created += 1
        if done % 10 == 0:
            cache.set(_progress_key(job_id), done, timeout=3600)
    job.status = ImportJob.Status.SUCCEEDED
    job.processed_rows = len(clean_rows)
    job.total_rows = len(clean_rows)
    job.created_count = created
    job.skipped_count = skipped
    job.errors = []
    job.message = ""
    job.finished_at = timezone.now()
    job.save()
    transaction.on_commit(lambda: cache.delete(_progress_key(job_id)))
    return str(job.status)


def _create_applicant_account(*, national_id, first_name, last_name, mobile, email, username, user_id=None):
    """An applicant account for an owner known only from an agency's sheet.

    It has no usable password and an unverified e-mail address, so nobody can sign in with it until
    the owner is given access; its identifiers were normalised and checked free by validate_rows.
    """
    user = User(
        username=username, email=email, national_id=national_id, mobile=mobile, first_name=first_name,
        last_name=last_name, kind=Kind.APPLICANT, email_verified_at=None,
    )  # fmt: skip
    user.set_unusable_password()
    user.save()
    return user


def _create_business(*, owner_id: int, row: dict, actor, reason: str, now) -> Business:
    data = dict(row["business"])
    verified_on = data.pop("verified_on")
    business = Business(owner_id=owner_id, **data)
    if verified_on:
        business.verified_at = timezone.make_aware(datetime.datetime.combine(verified_on, datetime.time.min))
        business.status_changed_at = business.verified_at
    else:
        business.submitted_at = now
        business.status_changed_at = now
    business.refresh_search_text()
    business.save()
    GreenJob.objects.bulk_create(GreenJob(business=business, **job) for job in row["green_jobs"])
    RegistrationEvent.objects.create(
        business=business, from_status="", to_status=business.status, actor=actor, reason=reason, at=now
    )
    return business


# --- reads for the import pages -----------------------------------------------------------------------------


def import_jobs_for(user):
    """Import jobs are DOE's working records: DOE staff see them all, nobody else any."""
    if not is_doe(user):
        return ImportJob.objects.none()
    return ImportJob.objects.select_related("created_by")


def live_processed_rows(job: ImportJob) -> int:
    """Rows written so far: while the writing transaction is open the count lives in the cache."""
    if job.status == ImportJob.Status.RUNNING:
        return max(job.processed_rows, cache.get(_progress_key(job.pk)) or 0)
    return job.processed_rows


def describe_errors(errors: list[dict]) -> list[dict]:
    """The problems with each column's Persian header beside its key, for the error tables."""
    described = []
    for error in errors:
        column = COLUMNS_BY_KEY.get(error.get("column"))
        described.append({**error, "header_fa": column.header_fa if column else ""})
    return described

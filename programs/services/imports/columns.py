"""The registry import's columns: headers in fa and en, the Persian words for coded values, the template."""

from django.conf import settings
from django.utils.translation import gettext_lazy

from greenjobs.spreadsheets import Column, Schema, header_key

from ...models import LegalForm, OccupationKind, RegistrationStatus, Sector

MAX_ROWS = 5000
IMPORTABLE_STATUSES = (RegistrationStatus.VERIFIED, RegistrationStatus.SUBMITTED)


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_BYTES * 4


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
YES_KEYS = {header_key(word) for word in YES}
NO_KEYS = {header_key(word) for word in NO}

SCHEMA = Schema(
    COLUMNS,
    max_rows=MAX_ROWS,
    no_header_message=gettext_lazy("The first row must hold the column names of the template."),
)


def parse_file(fileobj, name: str) -> list[dict]:
    """The data rows of a CSV (UTF-8, with or without BOM) or .xlsx file as dicts keyed by column.

    Each row also carries `_row`, its row number in the spreadsheet (the header is row 1). Empty rows
    are passed over. Raises ValidationError for a file that is not a readable spreadsheet of this import.
    """
    return SCHEMA.read(fileobj, name)


def template_rows() -> list[list[str]]:
    """The header and one example row of the CSV template; the example passes the import's checks."""
    return [list(COLUMN_KEYS), [column.example for column in COLUMNS]]

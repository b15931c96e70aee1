"""The insurance list's columns: the insurance organisation's Persian headers, English keys, the template."""

from django.conf import settings
from django.utils.translation import gettext_lazy

from greenjobs.spreadsheets import Column, Schema

MAX_ROWS = 20_000


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_BYTES * 4


COLUMNS = (
    Column(
        "national_id", "کد ملی", gettext_lazy("The insured person's 10-digit national ID, in any digits."),
        required=True, aliases=("کدملی", "شماره ملی", "کد ملی بیمه شده"), example="0012345679",
    ),
    Column(
        "workshop_code", "کد کارگاه", gettext_lazy("The workshop's 10-digit insurance code."),
        required=True, aliases=("شماره کارگاه", "کد کارگاه بیمه"), example="1234567890",
    ),
    Column(
        "month", "سال و ماه", gettext_lazy("The Jalali year and month of the list, as 1405/03."),
        required=True, aliases=("ماه", "سال ماه", "سال/ماه", "دوره"), example="1405/03",
    ),
    Column(
        "days", "روزهای کارکرد", gettext_lazy("Days insured in that month, 0 to the month's length."),
        required=True, aliases=("تعداد روز", "روز کارکرد", "روزهای بیمه", "کارکرد"), example="30",
    ),
)  # fmt: skip
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}

SCHEMA = Schema(
    COLUMNS,
    max_rows=MAX_ROWS,
    no_header_message=gettext_lazy("The first row must hold the column names of the template."),
)


def parse_file(fileobj, name: str) -> list[dict]:
    return SCHEMA.read(fileobj, name)


def template_rows() -> list[list[str]]:
    return [[column.key for column in COLUMNS], [column.example for column in COLUMNS]]

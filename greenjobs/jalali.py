"""Jalali (Solar Hijri) dates: shown under fa, entered in either calendar, stored as Gregorian dates."""

import datetime
import re

import jdatetime
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .text import fold_digits, to_persian_digits

MONTHS_FA = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)  # fmt: skip


class JalaliDateError(ValueError):
    pass


def to_jalali(value: datetime.date) -> jdatetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return jdatetime.date.fromgregorian(date=value)


def month_length(year: int, month: int) -> int:
    """Days in a Jalali month: 31 in the first six, 30 in the next five, 29 or (leap year) 30 in Esfand."""
    if month == 12 and jdatetime.date(year, 1, 1).isleap():
        return 30
    return jdatetime.j_days_in_month[month - 1]


def parse_jalali(text: str) -> datetime.date:
    """'1403/12/30' (any digits, / or -) → the Gregorian date; raises JalaliDateError if no such day."""
    match = re.fullmatch(r"\s*(\d{3,4})[/\-.](\d{1,2})[/\-.](\d{1,2})\s*", fold_digits(text or ""))
    if not match:
        raise JalaliDateError(_("Enter a date as year/month/day, for example 1404/01/15."))
    year, month, day = (int(part) for part in match.groups())
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError as exc:
        raise JalaliDateError(_("There is no such day in the Jalali calendar.")) from exc


# The year tells the calendar apart: no plausible date of the portal has a Jalali year outside the
# first range or a Gregorian one outside the second, and the two never overlap. A year in neither is
# refused, not read as some far-off day (2026/12/20 read as Jalali is the year 2647).
JALALI_YEARS = range(1300, 1500)
GREGORIAN_YEARS = range(1921, 2121)
_DATE = re.compile(r"\s*(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})\s*")


def date_example() -> str:
    """A sample date in the format the pages show in the active language, for placeholders and errors."""
    return to_persian_digits("1404/01/15") if is_persian() else "2025-04-04"


def parse_date(text: str) -> datetime.date:
    """A date typed as year/month/day in either calendar (any digits; '/', '-' or '.' between).

    Pages show Jalali dates under fa and Gregorian ones under en, so a date input must read both:
    what the page shows, and what the person may have copied from a letter in the other language.
    """
    match = _DATE.fullmatch(fold_digits(text or ""))
    if not match:
        raise JalaliDateError(
            _("Enter a date as year/month/day, for example %(example)s.") % {"example": date_example()}
        )
    year, month, day = (int(part) for part in match.groups())
    if year in JALALI_YEARS:
        try:
            return jdatetime.date(year, month, day).togregorian()
        except ValueError as exc:
            raise JalaliDateError(_("There is no such day in the Jalali calendar.")) from exc
    if year in GREGORIAN_YEARS:
        try:
            return datetime.date(year, month, day)
        except ValueError as exc:
            raise JalaliDateError(_("There is no such day in the calendar.")) from exc
    raise JalaliDateError(
        _("%(year)s is not a year this portal can read; enter a date such as %(example)s.")
        % {
            "year": to_persian_digits(match.group(1)) if is_persian() else match.group(1),
            "example": date_example(),
        }
    )


def format_date_input(value) -> str:
    """A date as a date input shows it: the calendar and digits of the page, read back by parse_date."""
    if not hasattr(value, "year"):
        return value
    if not is_persian():
        return value.isoformat() if not isinstance(value, datetime.datetime) else value.date().isoformat()
    jdate = to_jalali(value)
    return to_persian_digits(f"{jdate.year:04d}/{jdate.month:02d}/{jdate.day:02d}")


def is_persian() -> bool:
    return (translation.get_language() or "fa").startswith("fa")


def format_date(value, style: str = "short") -> str:
    """Under fa: ۱۴۰۳/۱۲/۳۰ (short) or ۳۰ اسفند ۱۴۰۳ (long). Under en: the Gregorian date."""
    if value in (None, ""):
        return ""
    if not is_persian():
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "Y-m-d" if style == "short" else "j F Y")
    try:
        jdate = to_jalali(value)
    except (ValueError, OverflowError):
        # Beyond the Jalali calendar's range (a stored 9999-12-31): shown as stored, never an error page.
        return to_persian_digits(value.isoformat()[:10])
    if style == "long":
        text = f"{jdate.day} {MONTHS_FA[jdate.month - 1]} {jdate.year}"
    else:
        text = f"{jdate.year:04d}/{jdate.month:02d}/{jdate.day:02d}"
    return to_persian_digits(text)


def format_datetime(value) -> str:
    if value in (None, ""):
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    clock = local.strftime("%H:%M")
    if not is_persian():
        return f"{format_date(local)} {clock}"
    return f"{format_date(local)} {to_persian_digits(clock)}"

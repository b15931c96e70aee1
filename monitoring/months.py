"""Jalali months, the unit of insurance lists and of monitoring rounds, stored as their first day."""

import datetime
import re

import jdatetime
from django.utils.translation import gettext as _

from greenjobs.jalali import JALALI_YEARS, month_length, to_jalali
from greenjobs.text import fold_digits, to_persian_digits


class MonthError(ValueError):
    pass


def month_start(day: datetime.date) -> datetime.date:
    """The first day of the Jalali month that holds `day`, as a Gregorian date."""
    jday = to_jalali(day)
    return jdatetime.date(jday.year, jday.month, 1).togregorian()


def month_end(start: datetime.date) -> datetime.date:
    jday = to_jalali(start)
    return jdatetime.date(jday.year, jday.month, month_length(jday.year, jday.month)).togregorian()


def days_in(start: datetime.date) -> int:
    jday = to_jalali(start)
    return month_length(jday.year, jday.month)


def label(start: datetime.date | None, *, persian: bool) -> str:
    """1405/03 (۱۴۰۵/۰۳ in Persian digits)."""
    if start is None:
        return ""
    jday = to_jalali(start)
    text = f"{jday.year:04d}/{jday.month:02d}"
    return to_persian_digits(text) if persian else text


def parse(value) -> datetime.date:
    """A Jalali year and month as an insurance list writes it (1405/03, 1405-3, 140503, any digits), or an
    Excel date cell (its Jalali month), as the month's first day; raises MonthError otherwise."""
    if isinstance(value, datetime.date):
        return month_start(value)
    text = fold_digits(str(value or "")).strip()
    match = re.fullmatch(r"(\d{4})\s*[/\-.]\s*(\d{1,2})", text) or re.fullmatch(r"(\d{4})(\d{2})", text)
    if not match:
        raise MonthError(_("Write the Jalali year and month as 1405/03."))
    year, month = int(match.group(1)), int(match.group(2))
    if year not in JALALI_YEARS or not 1 <= month <= 12:
        raise MonthError(_("There is no such Jalali month."))
    return jdatetime.date(year, month, 1).togregorian()

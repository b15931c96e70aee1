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
    jdate = to_jalali(value)
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

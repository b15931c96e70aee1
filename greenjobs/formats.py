"""The one formatting path for what people read: numbers, money, percentages and dates.

Each kind has one function, and each follows the active language: under fa Persian digits, "٬"
between thousands, "٫" before decimals, "٪" after a percentage and Jalali dates; under en Latin
digits, ",", ".", "%" and Gregorian dates. Templates reach these through the `portal` filters;
translated messages built in Python pass their numbers through them before interpolating.

Identifiers (tracking numbers, national IDs, serials, verification codes) are not numbers: they are
shown as stored, in Latin digits and left to right, in every language, so that what a person reads
on a page, a letter or an SMS is exactly what they can type into a search box or a URL.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .jalali import format_date, format_datetime, is_persian
from .text import to_persian_digits

__all__ = [
    "format_date",
    "format_datetime",
    "format_digits",
    "format_money",
    "format_number",
    "format_percent",
]


def _localise(text: str) -> str:
    """Latin '1,234.5' in the reader's script: '۱٬۲۳۴٫۵' under fa, unchanged under en."""
    if not is_persian():
        return text
    return to_persian_digits(text.replace(",", "٬").replace(".", "٫"))


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def format_number(value, decimals: int | None = None) -> str:
    """A grouped number in the reader's digits.

    `decimals=None` keeps at most two decimals and drops trailing zeros (12 → ۱۲, 12.50 → ۱۲٫۵);
    an integer gives exactly that many (0 rounds half up to a whole number).
    """
    amount = _decimal(value)
    if amount is None:
        return "" if value in (None, "") else str(value)
    places = 2 if decimals is None else decimals
    amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{amount:,.{places}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return _localise(text)


def format_digits(value) -> str:
    """A numeral that is read but not grouped (a year, a position, a meeting number)."""
    if value is None:
        return ""
    return to_persian_digits(value) if is_persian() else str(value)


def format_money(rials, unit: str = "rial") -> str:
    """Whole Rials (as stored) shown as Rial or Toman (ten Rials), grouped, with the unit's name."""
    if rials is None or rials == "":
        return ""
    amount = int(rials) // 10 if unit == "toman" else int(rials)
    label = _("Toman") if unit == "toman" else _("Rial")
    return f"{format_number(amount, 0)} {label}"


def format_percent(value, decimals: int | None = None) -> str:
    """A percentage with its sign: ۴۵٪ under fa, 45% under en (same decimals rule as numbers)."""
    text = format_number(value, decimals)
    if not text:
        return ""
    return f"{text}٪" if is_persian() else f"{text}%"

"""Reading numbers as people type them, and showing limits in the reader's digits.

One reader serves every numeric form field and API field: Persian, Arabic-Indic and Latin digits,
thousands separators where they cannot be mistaken for anything else, and the Persian decimal
separator. Anything it cannot read is refused, never turned into an empty value.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .templatetags.portal import number, quantity
from .text import fold_digits

# The widest whole number a column holds (bigint): larger would fail in the database, not on the form.
BIGINT_MAX = 2**63 - 1

# Longer than any amount, count or measurement the portal stores; refused before any parsing.
MAX_INPUT_LENGTH = 40

# Thousands separators: Latin comma, Persian momayyez, Arabic comma, apostrophe, underscore, and the
# spaces and joiners that keyboards and copy-paste put between groups.
_GROUP = "[,\u066c\u060c'_ \u00a0\u2009\u202f\u200c]"
# Bidirectional marks that copying from a right-to-left page leaves around a number.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MINUS = "-\u2212\u2010\u2011\u2012\u2013"
_PLAIN = re.compile("[0-9]+")
_GROUPED = re.compile(f"[0-9]{{1,3}}(?:{_GROUP}[0-9]{{3}})+")


class NumberError(ValueError):
    """The text is not a number this reader can be sure of."""


def read_number(value, *, decimals: bool) -> str:
    """The canonical Latin text of a typed number ("-1234.5"), or NumberError.

    Grouping must be regular (1-3 digits, then groups of three), so "12,5" is refused rather than read
    as 125 or 12.5. Where decimals are not allowed, a decimal separator is refused too: "1.000" may mean
    a thousand to one reader and one to another.
    """
    text = _INVISIBLE.sub("", fold_digits(str(value))).strip()
    if not text or len(text) > MAX_INPUT_LENGTH:
        raise NumberError(value)
    sign = ""
    if text[0] in _MINUS or text[0] == "+":
        sign = "-" if text[0] in _MINUS else ""
        text = text[1:].lstrip()
    whole, fraction = text, None
    separators = [mark for mark in ("\u066b", ".", "/") if mark in text]
    if separators:
        if not decimals or len(separators) > 1 or text.count(separators[0]) > 1:
            raise NumberError(value)
        whole, fraction = text.split(separators[0])
        if not whole and not fraction:
            raise NumberError(value)
        if fraction and not _PLAIN.fullmatch(fraction):
            raise NumberError(value)
        whole, fraction = whole or "0", fraction or None
    if not (_PLAIN.fullmatch(whole) or _GROUPED.fullmatch(whole)):
        raise NumberError(value)
    digits = re.sub(_GROUP, "", whole)
    return f"{sign}{digits}.{fraction}" if fraction is not None else f"{sign}{digits}"


def read_integer(value) -> int:
    return int(read_number(value, decimals=False))


def read_decimal(value) -> Decimal:
    try:
        return Decimal(read_number(value, decimals=True))
    except InvalidOperation as exc:  # pragma: no cover - read_number lets through digits only
        raise NumberError(value) from exc


def _display(value) -> str:
    # The one formatting path for numbers on pages, so a limit reads like every other number there.
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        return str(value)
    if isinstance(value, int):
        return number(value)
    return quantity(value)


display_number = lazy(_display, str)


class _LocalizedParams:
    """A validator whose message shows its numbers in the digits of whoever reads the message."""

    def __call__(self, value):
        try:
            super().__call__(value)
        except ValidationError as exc:
            params = {key: display_number(item) for key, item in (exc.params or {}).items()}
            raise ValidationError(exc.message, code=exc.code, params=params) from None


class MinValueValidator(_LocalizedParams, validators.MinValueValidator):
    message = _("Enter %(limit_value)s or more.")


class MaxValueValidator(_LocalizedParams, validators.MaxValueValidator):
    message = _("Enter %(limit_value)s or less.")


class DecimalValidator(_LocalizedParams, validators.DecimalValidator):
    messages = {
        "invalid": _("Enter a number."),
        "max_digits": _("Enter at most %(max)s digits in all."),
        "max_decimal_places": _("Enter at most %(max)s digits after the decimal separator."),
        "max_whole_digits": _("Enter at most %(max)s digits before the decimal separator."),
    }


def localize_validators(found: list) -> list:
    """The same limits, with messages in the reader's digits."""
    result = []
    for validator in found:
        if type(validator) is validators.MinValueValidator:
            validator = MinValueValidator(validator.limit_value)
        elif type(validator) is validators.MaxValueValidator:
            validator = MaxValueValidator(validator.limit_value)
        elif type(validator) is validators.DecimalValidator:
            validator = DecimalValidator(validator.max_digits, validator.decimal_places)
        result.append(validator)
    return result


def bounds_of(found) -> tuple:
    """The tightest (min, max) that a list of validators allows, for a form field built from a model."""
    low = high = None
    for validator in found:
        if isinstance(validator, validators.MinValueValidator) and not callable(validator.limit_value):
            low = validator.limit_value if low is None else max(low, validator.limit_value)
        elif isinstance(validator, validators.MaxValueValidator) and not callable(validator.limit_value):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
    return low, high

"""Iranian identifiers: national ID (کد ملی) and mobile numbers, in every digit script."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .text import fold_digits


def _strip(value: str) -> str:
    return re.sub(r"[\s\-_.]", "", fold_digits(str(value or "")))


def normalize_national_id(value: str) -> str:
    """Returns the ten ASCII digits of a valid national ID, or raises ValidationError.

    The last digit is a check digit: s = Σ digit[i]·(10−i) for the first nine, r = s mod 11;
    the check digit is r when r < 2, else 11 − r. Codes of one repeated digit pass that sum
    but are never issued, so they are refused too.
    """
    digits = _strip(value)
    if not re.fullmatch(r"\d{8,10}", digits):
        raise ValidationError(_("A national ID has exactly 10 digits."), code="national_id_format")
    # Older cards drop leading zeros; the registry pads them back.
    digits = digits.zfill(10)
    if len(set(digits)) == 1:
        raise ValidationError(_("This national ID is not valid."), code="national_id_repeated")
    total = sum(int(digits[i]) * (10 - i) for i in range(9)) % 11
    check = int(digits[9])
    expected = total if total < 2 else 11 - total
    if check != expected:
        raise ValidationError(
            _("This national ID is not valid: its check digit does not match."), code="national_id_checksum"
        )
    return digits


def validate_national_id(value: str) -> None:
    normalize_national_id(value)


def normalize_mobile(value: str) -> str:
    """An Iranian mobile number as 09121234567, whatever prefix and digits it was typed with."""
    digits = _strip(value).removeprefix("+")
    if digits.startswith("0098"):
        digits = "0" + digits[4:]
    elif digits.startswith("98") and len(digits) == 12:
        digits = "0" + digits[2:]
    elif digits.startswith("9") and len(digits) == 10:
        digits = "0" + digits
    if not re.fullmatch(r"09\d{9}", digits):
        raise ValidationError(
            _("Enter an Iranian mobile number such as 0912 345 6789."), code="mobile_format"
        )
    return digits


def validate_mobile(value: str) -> None:
    normalize_mobile(value)


_BUSINESS_ID_WEIGHTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)


def normalize_business_id(value: str) -> str:
    """Returns the 11 ASCII digits of a valid legal-entity national ID (شناسه ملی), or raises.

    The check digit: with t = digit[9] + 2, s = Σ (t + digit[i])·w[i] over the first ten digits,
    r = s mod 11 (10 counts as 0), and r must equal the eleventh digit.
    """
    digits = _strip(value)
    if not re.fullmatch(r"\d{11}", digits):
        raise ValidationError(_("A national business ID has exactly 11 digits."), code="business_id_format")
    if len(set(digits)) == 1:
        raise ValidationError(_("This national business ID is not valid."), code="business_id_repeated")
    tens = int(digits[9]) + 2
    total = sum((tens + int(digits[i])) * weight for i, weight in enumerate(_BUSINESS_ID_WEIGHTS)) % 11
    if total == 10:
        total = 0
    if total != int(digits[10]):
        raise ValidationError(
            _("This national business ID is not valid: its check digit does not match."),
            code="business_id_checksum",
        )
    return digits


def validate_business_id(value: str) -> None:
    normalize_business_id(value)

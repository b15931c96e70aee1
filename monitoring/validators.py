"""The insurance workshop code (کد کارگاه), in any digits."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from greenjobs.text import fold_digits

WORKSHOP_CODE_LENGTH = 10


def normalize_workshop_code(value) -> str:
    digits = re.sub(r"[\s\-_.]", "", fold_digits(str(value or "")))
    if not re.fullmatch(rf"\d{{{WORKSHOP_CODE_LENGTH}}}", digits):
        raise ValidationError(
            _("An insurance workshop code has exactly 10 digits."), code="workshop_code_format"
        )
    return digits


def validate_workshop_code(value) -> None:
    normalize_workshop_code(value)

"""Checks on single values of the loans: the dates a person may type and the shape of a scheme's code."""

import datetime
import re

import jdatetime
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from greenjobs.jalali import JALALI_YEARS, format_date
from greenjobs.text import fold_digits

# Every date of a scheme or a loan lies within these Jalali years. Beyond them a date is a typing mistake,
# and far beyond them (Gregorian 9999) the Jalali calendar itself cannot show it.
# The same Jalali years the portal's date reader accepts (greenjobs.jalali.JALALI_YEARS).
EARLIEST_DATE: datetime.date = jdatetime.date(JALALI_YEARS.start, 1, 1).togregorian()
LATEST_DATE: datetime.date = jdatetime.date(JALALI_YEARS.stop - 1, 12, 29).togregorian()


@deconstructible
class PortalDateValidator:
    """Refuses a date outside EARLIEST_DATE … LATEST_DATE, naming the bounds in the reader's calendar."""

    code = "date_out_of_range"

    def __call__(self, value):
        if value is None:
            return
        if not EARLIEST_DATE <= value <= LATEST_DATE:
            raise ValidationError(
                _("Enter a date between %(earliest)s and %(latest)s.")
                % {"earliest": format_date(EARLIEST_DATE), "latest": format_date(LATEST_DATE)},
                code=self.code,
            )

    def __eq__(self, other):
        return isinstance(other, PortalDateValidator)


validate_portal_date = PortalDateValidator()

# Latin capitals and digits, groups joined by single hyphens, starting with a letter: GL1404, GL-KB-1405.
# The code is part of the scheme's address, so nothing that needs escaping in a URL.
SCHEME_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*")


def normalize_scheme_code(value):
    """What people type for a code (gl-1404, ۱۴۰۴ digits, stray spaces around it) in its stored form."""
    if not isinstance(value, str):
        return value
    return fold_digits(value).strip().upper()


def validate_scheme_code(value):
    if not SCHEME_CODE.fullmatch(value or ""):
        raise ValidationError(
            _(
                "Use Latin letters and digits, starting with a letter, with single hyphens between "
                "groups, for example GL-1404."
            ),
            code="invalid_code",
        )

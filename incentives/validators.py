"""Checks on single values of the loans: the dates a person may type and the shape of a scheme's code."""

import datetime
import itertools
import re

import jdatetime
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from greenjobs.formats import format_digits
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


# The months after repayment starts at which a loan's jobs are checked: at most a round a month for ten
# years, which is already more than any scheme's term.
LONGEST_MONITORING_MONTH = 120
MAX_MONITORING_ROUNDS = 12


def normalize_monitoring_months(value) -> str:
    """ "6, 12, 24" (any digits; commas, Persian commas or spaces between) as "6,12,24"; raises
    ValidationError unless the months are whole, between 1 and 120, and in increasing order."""
    text = fold_digits(str(value or "")).replace("،", ",").replace("٬", ",")
    parts = [part for part in re.split(r"[,\s;]+", text.strip()) if part]
    if not parts or not all(re.fullmatch(r"\d{1,3}", part) for part in parts):
        raise ValidationError(
            _("Write the months as whole numbers separated by commas, for example 6,12,24."),
            code="monitoring_months_format",
        )
    months = [int(part) for part in parts]
    if len(months) > MAX_MONITORING_ROUNDS:
        raise ValidationError(
            _("At most %(count)s monitoring rounds.") % {"count": format_digits(MAX_MONITORING_ROUNDS)},
            code="monitoring_months_count",
        )
    if any(month < 1 or month > LONGEST_MONITORING_MONTH for month in months):
        raise ValidationError(
            _("Each month must be between 1 and %(limit)s.")
            % {"limit": format_digits(LONGEST_MONITORING_MONTH)},
            code="monitoring_months_range",
        )
    if any(later <= earlier for earlier, later in itertools.pairwise(months)):
        raise ValidationError(
            _("Write the months in increasing order, each once."), code="monitoring_months_order"
        )
    return ",".join(str(month) for month in months)


def validate_monitoring_months(value) -> None:
    normalize_monitoring_months(value)

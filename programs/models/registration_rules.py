"""What an applicant may state about the enterprise: the bounds on its numbers and the order of its dates.

The one statement of these rules. The model checks them when it is cleaned, so the wizard, the API, the
spreadsheet import and the admin all refuse the same values with the same message; the API serializer
and the import call the same functions to answer before reaching the model.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from greenjobs.jalali import format_date
from greenjobs.templatetags.portal import number

# No enterprise in Qom province comes near this; a larger figure is a typing mistake (999,999,999,999).
MAX_EMPLOYEES = 100_000
# Knowledge-based status exists since the knowledge-based companies act of 1389 (2010); nothing is older.
KNOWLEDGE_BASED_SINCE = datetime.date(2010, 3, 21)  # 1389/01/01
# Certificates are issued for a few years; an expiry further ahead than this is a mistyped year.
CERTIFICATE_YEARS_AHEAD = 10


def validate_employees_total(value: int | None) -> None:
    if value is not None and value > MAX_EMPLOYEES:
        raise ValidationError(
            _("At most %(limit)s people; check the number of employees.") % {"limit": number(MAX_EMPLOYEES)},
            code="employees_too_many",
        )


def employees_total_problem(total: int, green_jobs: int) -> str | None:
    """The total head count cannot be fewer than the people the registration lists in green jobs."""
    if total < green_jobs:
        return _(
            "Employees in total (%(total)s) cannot be fewer than the employees in green jobs (%(green)s)."
        ) % {"total": number(total), "green": number(green_jobs)}
    return None


def green_job_room_problem(total: int, listed: int) -> str | None:
    """Whether one more person may be listed in a green job, given the total head count."""
    if listed + 1 > total:
        return _(
            "The business has %(total)s employees in total and %(listed)s of them are listed in green jobs "
            "already. Raise the number of employees on the “Location and staff” step first."
        ) % {"total": number(total), "listed": number(listed)}
    return None


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def knowledge_based_date_problems(
    as_of: datetime.date | None, expires_on: datetime.date | None, *, today: datetime.date | None = None
) -> dict[str, str]:
    """The problems of a knowledge-based certificate's issue and expiry dates, per field."""
    today = today or timezone.localdate()
    problems = {}
    if as_of is not None:
        if as_of > today:
            problems["knowledge_based_as_of"] = _(
                "The date of the knowledge-based status cannot be in the future."
            )
        elif as_of < KNOWLEDGE_BASED_SINCE:
            problems["knowledge_based_as_of"] = _(
                "Enter a date from %(date)s on; no knowledge-based status is older."
            ) % {"date": format_date(KNOWLEDGE_BASED_SINCE)}
    if expires_on is not None:
        latest = _years_after(today, CERTIFICATE_YEARS_AHEAD)
        if as_of is not None and expires_on <= as_of:
            problems["knowledge_based_expires_on"] = _(
                "The certificate must expire after the date of its status (%(date)s)."
            ) % {"date": format_date(as_of)}
        elif expires_on > latest:
            problems["knowledge_based_expires_on"] = _(
                "Enter an expiry date no later than %(date)s; check the year."
            ) % {"date": format_date(latest)}
        elif expires_on < KNOWLEDGE_BASED_SINCE:
            problems["knowledge_based_expires_on"] = _(
                "Enter a date from %(date)s on; no knowledge-based certificate is older."
            ) % {"date": format_date(KNOWLEDGE_BASED_SINCE)}
    return problems

"""The order of a loan's dates: submitted ≤ approved ≤ contract ≤ each tranche; payments after the first
tranche; none of them after today. Every service that records one of these dates checks it here first, so
pages, the API and any other caller refuse the same dates with the same words.

"Today" is the portal's local date (settings.TIME_ZONE, Asia/Tehran), as everywhere else in the portal.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from greenjobs.jalali import format_date

from ..validators import validate_portal_date


def today() -> datetime.date:
    return timezone.localdate()


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _check(field: str, day: datetime.date, floors: list[tuple[datetime.date | None, str]]) -> None:
    """Raises a field error when `day` is outside the portal's dates, after today, or before a floor.

    `floors` pairs each earlier date with the message naming it; the latest floor that is broken is
    reported, since it is the one the person must move past."""
    try:
        validate_portal_date(day)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc
    now = today()
    if day > now:
        raise ValidationError(
            {field: _("The date cannot be in the future; today is %(today)s.") % {"today": format_date(now)}}
        )
    broken = [(floor, message) for floor, message in floors if floor is not None and day < floor]
    if broken:
        floor, message = max(broken, key=lambda pair: pair[0])
        raise ValidationError({field: message % {"date": format_date(floor)}})


def approval_day(application) -> datetime.date | None:
    last = application.events.filter(action="approve").aggregate(at=Max("at"))["at"]
    return _local_day(last)


def first_tranche_day(application) -> datetime.date | None:
    return application.disbursements.aggregate(day=Min("paid_on"))["day"]


def check_contract_dates(
    application, *, contracted_on: datetime.date, operation_starts_on: datetime.date | None
) -> None:
    _check(
        "contracted_on",
        contracted_on,
        [
            (
                _local_day(application.submitted_at),
                _("The contract cannot be dated before the application was submitted (%(date)s)."),
            ),
            (
                approval_day(application),
                _("The contract cannot be dated before the loan was approved (%(date)s)."),
            ),
        ],
    )
    if operation_starts_on is not None:
        # Operation may start later than today (it is planned in the contract), but not before the contract.
        try:
            validate_portal_date(operation_starts_on)
        except ValidationError as exc:
            raise ValidationError({"operation_starts_on": exc.messages}) from exc
        if operation_starts_on < contracted_on:
            raise ValidationError(
                {
                    "operation_starts_on": _("Operation cannot start before the contract date (%(date)s).")
                    % {"date": format_date(contracted_on)}
                }
            )


def check_tranche_date(application, paid_on: datetime.date) -> None:
    last_tranche = application.disbursements.aggregate(day=Max("paid_on"))["day"]
    _check(
        "paid_on",
        paid_on,
        [
            (application.contracted_on, _("A tranche cannot be paid before the contract date (%(date)s).")),
            (
                last_tranche,
                _(
                    "A tranche cannot be dated before the last tranche recorded (%(date)s); record the "
                    "tranches in the order they were paid."
                ),
            ),
        ],
    )


def check_payment_date(application, paid_on: datetime.date) -> None:
    _check(
        "paid_on",
        paid_on,
        [
            (
                first_tranche_day(application),
                _("A repayment cannot be dated before the first tranche was paid out (%(date)s)."),
            )
        ],
    )

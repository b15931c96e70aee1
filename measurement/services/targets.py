"""The steering committee's part of the measurement: yearly targets, and the figures only a person knows.

Both are set by programme managers only; every row keeps who set it and when (set_by/set_at,
entered_by/entered_at), and setting a value again replaces it rather than adding a second one.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenjobs.exceptions import DomainError
from greenjobs.formats import format_digits

from ..models import Indicator, IndicatorTarget, ManualValue
from ..periods import Period, PeriodError
from ..permissions import can_set_targets

# The memorandum was signed in 1404; targets far outside its life are typing mistakes.
FIRST_YEAR = 1400
LAST_YEAR = 1420
# IndicatorTarget.value and ManualValue.value are DecimalField(max_digits=20, decimal_places=2).
LARGEST = Decimal("999999999999999999.99")


def _require_programme_manager(actor) -> None:
    if not can_set_targets(actor):
        raise DomainError(
            _("Only the programme managers set indicator targets and enter their values."),
            code="forbidden",
            status_code=403,
        )


def _indicator(indicator_id: int) -> Indicator:
    indicator = Indicator.objects.filter(pk=indicator_id).first()
    if indicator is None:
        raise DomainError(_("No such indicator."), code="not_found", status_code=404)
    return indicator


def _amount(value, field: str) -> Decimal:
    """A non-negative figure with at most two decimals (counts, Rials, per cent and measured savings)."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    if amount < 0:
        raise ValidationError({field: _("The figure cannot be negative.")})
    if amount > LARGEST:
        raise ValidationError({field: _("The figure is too large.")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("Use at most two decimal places.")})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def target_set(*, actor, indicator_id: int, jalali_year: int, value) -> IndicatorTarget:
    """Sets (or replaces) an indicator's target for one Jalali fiscal year."""
    _require_programme_manager(actor)
    indicator = _indicator(indicator_id)
    try:
        year = int(jalali_year)
    except (TypeError, ValueError):
        raise ValidationError({"jalali_year": _("Enter a Jalali year such as 1405.")}) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {
                "jalali_year": _("Targets are set for the years %(first)s to %(last)s.")
                % {"first": format_digits(FIRST_YEAR), "last": format_digits(LAST_YEAR)}
            }
        )
    amount = _amount(value, "value")
    target = IndicatorTarget.objects.select_for_update().filter(indicator=indicator, jalali_year=year).first()
    if target is None:
        try:
            with transaction.atomic():
                return IndicatorTarget.objects.create(
                    indicator=indicator, jalali_year=year, value=amount, set_by=actor
                )
        except IntegrityError:
            # A colleague created the same year's target a moment ago: the later save wins, as an edit.
            target = IndicatorTarget.objects.select_for_update().get(indicator=indicator, jalali_year=year)
    target.value = amount
    target.set_by = actor
    target.save(update_fields=["value", "set_by", "set_at"])
    return target


@transaction.atomic
def manual_value_set(*, actor, indicator_id: int, period, value, note: str = "") -> ManualValue:
    """Enters (or corrects) the figure of a hand-entered indicator for a month, quarter or year."""
    _require_programme_manager(actor)
    indicator = _indicator(indicator_id)
    if indicator.source != Indicator.Source.MANUAL:
        raise DomainError(
            _("%(code)s is computed from the portal's records; it cannot be entered by hand.")
            % {"code": indicator.code},
            code="not_manual",
        )
    if not isinstance(period, Period):
        try:
            period = Period.parse(period)
        except PeriodError as exc:
            raise ValidationError({"period": str(exc)}) from exc
    if period.start > timezone.localdate():
        raise ValidationError({"period": _("This period has not started yet.")})
    amount = _amount(value, "value")
    note = (note or "").strip()
    entry = (
        ManualValue.objects.select_for_update()
        .filter(indicator=indicator, period_start=period.start, period_end=period.end)
        .first()
    )
    if entry is None:
        try:
            with transaction.atomic():
                return ManualValue.objects.create(
                    indicator=indicator, period_start=period.start, period_end=period.end, value=amount,
                    note=note, entered_by=actor,
                )  # fmt: skip
        except IntegrityError:
            entry = ManualValue.objects.select_for_update().get(
                indicator=indicator, period_start=period.start, period_end=period.end
            )
    entry.value = amount
    entry.note = note
    entry.entered_by = actor
    entry.save(update_fields=["value", "note", "entered_by", "entered_at"])
    return entry

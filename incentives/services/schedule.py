"""Repayment schedules: equal monthly instalments (annuity) after a grace period, in whole Rials."""

import datetime
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import jdatetime

from greenjobs.jalali import month_length


@dataclass(frozen=True)
class Line:
    number: int
    due_on: datetime.date
    principal: int
    interest: int
    amount: int
    balance_after: int


@dataclass(frozen=True)
class Schedule:
    principal: int  # what was lent
    capitalised_interest: int  # grace-period interest added to the principal
    lines: tuple[Line, ...]

    @property
    def total_interest(self) -> int:
        return self.capitalised_interest + sum(line.interest for line in self.lines)

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


def _rial(value: Decimal) -> int:
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


# Pure and called once per instalment; the same (start, months) pairs come back across loans, and the
# Jalali conversions dominate building a schedule (the scale generator builds hundreds of thousands).
@functools.lru_cache(maxsize=65_536)
def add_jalali_months(start: datetime.date, months: int) -> datetime.date:
    """The same Jalali day `months` later; a day the month lacks (31 in Mehr, 30 in a short Esfand) becomes
    the month's last day, as banks do."""
    day = jdatetime.date.fromgregorian(date=start)
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return jdatetime.date(year, month, min(day.day, month_length(year, month))).togregorian()


def build(
    *,
    principal: int,
    annual_rate: Decimal,
    term_months: int,
    grace_months: int,
    capitalise_grace: bool,
    start: datetime.date,
) -> Schedule:
    """The instalments of a loan of `principal` Rials.

    Interest is monthly at annual_rate / 12. During grace nothing is due; its interest is either added to
    the principal (compounded monthly) or waived. Then `term_months` equal instalments follow, each rounded
    to whole Rials; the last one absorbs the rounding so that the principal is repaid exactly and the total
    equals principal + interest to the Rial. The first instalment falls due one month after grace ends.
    """
    if principal <= 0 or term_months <= 0:
        raise ValueError("principal and term must be positive")
    rate = Decimal(annual_rate) / Decimal(1200)
    balance = principal
    capitalised = 0
    if capitalise_grace and grace_months and rate:
        grown = _rial(Decimal(principal) * (1 + rate) ** grace_months)
        capitalised = grown - principal
        balance = grown
    financed = balance
    if rate:
        payment = _rial(Decimal(financed) * rate / (1 - (1 + rate) ** -term_months))
    else:
        payment = _rial(Decimal(financed) / term_months)

    lines = []
    for number in range(1, term_months + 1):
        interest = _rial(Decimal(balance) * rate)
        # The last instalment clears the balance; before it, never repay more than is owed, even when
        # rounding pushes the instalment above the balance.
        principal_part = balance if number == term_months else min(max(payment - interest, 0), balance)
        balance -= principal_part
        lines.append(
            Line(
                number=number,
                due_on=add_jalali_months(start, grace_months + number),
                principal=principal_part,
                interest=interest,
                amount=principal_part + interest,
                balance_after=balance,
            )
        )
    return Schedule(principal=principal, capitalised_interest=capitalised, lines=tuple(lines))

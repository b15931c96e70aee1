"""How the loan history's system notes read (stored as codes, see greenjobs.notes)."""

import datetime

from django.utils.translation import gettext as _

from greenjobs import notes
from greenjobs.formats import format_date, format_number

TRANCHE_PAID = "tranche_paid"


def _tranche_paid(params: dict) -> str:
    return _("Tranche of %(amount)s Rials paid on %(date)s") % {
        "amount": format_number(params["amount"]),
        "date": format_date(datetime.date.fromisoformat(params["paid_on"])),
    }


notes.register(TRANCHE_PAID, _tranche_paid)


def tranche_paid(*, amount: int, paid_on: datetime.date) -> str:
    return notes.system_note(TRANCHE_PAID, amount=amount, paid_on=paid_on.isoformat())


RATE_CHANGED = "rate_changed"
RECALLED = "recalled"


def _rate_changed(params: dict) -> str:
    text = _("The interest rate is %(rate)s%% a year from instalment %(number)s on.") % {
        "rate": format_number(params["rate"]),
        "number": format_number(params["from_number"]),
    }
    return f"{text} {params.get('why', '')}".strip()


def _recalled(params: dict) -> str:
    text = _("The outstanding %(amount)s Rials are due on %(date)s.") % {
        "amount": format_number(params["amount"]),
        "date": format_date(datetime.date.fromisoformat(params["due_on"])),
    }
    return f"{text} {params.get('why', '')}".strip()


notes.register(RATE_CHANGED, _rate_changed)
notes.register(RECALLED, _recalled)


def rate_changed(*, rate, from_number: int, why: str) -> str:
    return notes.system_note(RATE_CHANGED, rate=str(rate), from_number=from_number, why=why)


def recalled(*, amount: int, due_on: datetime.date, why: str) -> str:
    return notes.system_note(RECALLED, amount=amount, due_on=due_on.isoformat(), why=why)

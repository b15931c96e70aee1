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

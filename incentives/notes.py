"""Notes the portal itself writes into an application's history.

A person's reason is stored as they typed it. A note the system writes is stored as a code with its
figures, never as a sentence, because the sentence must be read in each reader's language and digits
(an English page must not show the Persian that was active when the event happened).
"""

import datetime
import json

from django.utils.translation import gettext as _

from greenjobs.formats import format_date, format_number

PREFIX = "system:"


def system_note(code: str, **params) -> str:
    """What an event's `reason` holds for a note of the system: a code and its figures, as JSON."""
    return PREFIX + json.dumps({"code": code, **params}, sort_keys=True, ensure_ascii=False)


def _tranche_paid(params: dict) -> str:
    return _("Tranche of %(amount)s Rials paid on %(date)s") % {
        "amount": format_number(params["amount"]),
        "date": format_date(datetime.date.fromisoformat(params["paid_on"])),
    }


RENDERERS = {"tranche_paid": _tranche_paid}


def render(stored: str) -> str:
    """The note in the active language: a person's text unchanged, a system note translated now."""
    if not stored or not stored.startswith(PREFIX):
        return stored or ""
    try:
        params = json.loads(stored.removeprefix(PREFIX))
        return RENDERERS[params.pop("code")](params)
    except (ValueError, KeyError, TypeError):
        # A code this version does not know is not shown as raw JSON to an applicant.
        return ""

"""How the measurement's system notes read (stored as codes, see greenjobs.notes): the reason the portal
gives when it drops stored figures itself, read in each reader's language and digits."""

from django.utils.translation import gettext as _

from greenjobs import notes
from greenjobs.formats import format_number

DEMO_LOADED = "figures_demo_loaded"
RECORDS_GENERATED = "figures_records_generated"


def _demo_loaded(params: dict) -> str:
    return _("The demonstration data was loaded into past periods.")


def _records_generated(params: dict) -> str:
    return _("%(count)s generated records were loaded into past periods.") % {
        "count": format_number(params["count"], 0)
    }


notes.register(DEMO_LOADED, _demo_loaded)
notes.register(RECORDS_GENERATED, _records_generated)


def demo_loaded() -> str:
    return notes.system_note(DEMO_LOADED)


def records_generated(count: int) -> str:
    return notes.system_note(RECORDS_GENERATED, count=count)

"""How the registration history's system notes read (stored as codes, see greenjobs.notes)."""

from django.utils.translation import gettext as _

from greenjobs import notes

IMPORTED_FROM = "imported_from"


def _imported_from(params: dict) -> str:
    return _("Imported from %(name)s") % {"name": params["name"]}


notes.register(IMPORTED_FROM, _imported_from)


def imported_from(*, name: str) -> str:
    return notes.system_note(IMPORTED_FROM, name=name)

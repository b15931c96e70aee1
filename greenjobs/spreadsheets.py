"""Reading the header row of an uploaded spreadsheet, shared by every bulk import."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def column_positions(header: list, *, lookup: dict, key, ignored: set, required: list[str]) -> dict[int, str]:
    """Maps each column's index to the field it holds.

    `lookup` maps a normalised title (English key, Persian header or alias) to a field; `key`
    normalises a title the same way. Unknown, repeated or missing columns are refused as a whole, so a
    typo never drops a column of data silently.
    """
    positions: dict[int, str] = {}
    unknown = []
    for index, title in enumerate(header):
        title = str(title).strip()
        if not title or key(title) in ignored:
            continue
        field = lookup.get(key(title))
        if field is None:
            unknown.append(title)
        elif field in positions.values():
            raise ValidationError(
                _("The column “%(column)s” appears twice in the first row.") % {"column": title},
                code="header",
            )
        else:
            positions[index] = field
    if unknown:
        raise ValidationError(
            _("Unknown columns: %(columns)s. Use the column names of the template.")
            % {"columns": ", ".join(unknown[:10])},
            code="header",
        )
    missing = [field for field in required if field not in positions.values()]
    if missing:
        raise ValidationError(
            _("These columns are missing from the first row: %(columns)s.") % {"columns": ", ".join(missing)},
            code="header",
        )
    return positions

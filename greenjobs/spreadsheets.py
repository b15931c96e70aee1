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


# A cell that starts with one of these is run as a formula by Excel, LibreOffice and Google Sheets, so a
# title typed by anyone (`=HYPERLINK(...)`) would become a live link or worse in an exported file.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A CSV cell that a spreadsheet shows as the text it is: text that would start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def append_row(sheet, row) -> None:
    """Appends a row to an openpyxl sheet with every text cell stored as text, never as a formula.

    Missing figures are empty cells, not empty strings, so a sum over the column stays a number.
    """
    sheet.append([None if cell == "" else cell for cell in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"

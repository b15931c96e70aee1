"""Reading uploaded spreadsheets (CSV or .xlsx) against a declared column schema, for every bulk import.

A schema names its columns once: the English key, the Persian header, aliases in either language, whether
the column is required and how a cell is read. The reader refuses a file that is no spreadsheet of that
schema as a whole (wrong type, disguised content, unknown, repeated or missing columns, too many rows),
so a typo never drops a column of data silently; the rows themselves are the import's to check.
"""

import csv
import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import filetype
import openpyxl
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..formats import format_number
from ..text import fold_digits, search_key

EXTENSIONS = (".csv", ".xlsx")

# Columns agencies keep for themselves (a row counter, remarks); read past, never imported.
IGNORED_HEADERS = ("row", "#", "no", "ردیف", "شماره ردیف", "notes", "remarks", "توضیحات")


def header_key(text) -> str:
    """Two spellings of one header or code give the same key: case, spaces, ZWNJ, _ and - do not count."""
    return re.sub(r"[\s_\-*]", "", search_key(str(text)))


# --- cell parsers: each turns what the reader found in a cell into the value the import checks ----------


def as_is(value):
    """Text trimmed; a date or number an Excel cell holds is kept for the import to check."""
    return value.strip() if isinstance(value, str) else value


def as_text(value) -> str:
    """Always text, whatever the cell held (a date of an Excel cell becomes its ISO form)."""
    return str(value).strip()


def as_digits(value) -> str:
    """Text with Persian and Arabic digits written as 0-9, for codes and counts typed in either script."""
    return fold_digits(str(value).strip())


@dataclass(frozen=True)
class Column:
    key: str
    header_fa: str
    help: str | Promise = ""
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple = ()
    example: str = ""
    parse: Callable = as_is


NO_HEADER = gettext_lazy("The first row must hold the column names.")


@dataclass(frozen=True)
class Schema:
    columns: tuple[Column, ...]
    max_rows: int
    # What to say when the first row is empty; a schema with a downloadable template names it.
    no_header_message: str | Promise = NO_HEADER
    ignored_headers: tuple[str, ...] = IGNORED_HEADERS
    _lookup: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        lookup = {}
        for column in self.columns:
            for title in (column.key, column.header_fa, *column.aliases):
                lookup[header_key(title)] = column.key
        object.__setattr__(self, "_lookup", lookup)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(column.key for column in self.columns)

    @property
    def by_key(self) -> dict[str, Column]:
        return {column.key: column for column in self.columns}

    def read(self, fileobj, name: str) -> list[dict]:
        """The data rows of a CSV (UTF-8, with or without BOM) or .xlsx file as dicts keyed by column.

        Each row also carries `_row`, its row number in the spreadsheet (the header is row 1). Empty rows
        are passed over. Raises ValidationError for a file that is not a readable spreadsheet of this schema.
        """
        return self.rows_from_table(read_table(fileobj, name, max_rows=self.max_rows))

    def rows_from_table(self, table: list[list]) -> list[dict]:
        if not table or not any(str(cell).strip() for cell in table[0]):
            raise ValidationError(str(self.no_header_message), code="no_header")
        positions = column_positions(
            table[0],
            lookup=self._lookup,
            key=header_key,
            ignored={header_key(title) for title in self.ignored_headers},
            required=[column.key for column in self.columns if column.required],
        )
        parsers = {index: self.by_key[key].parse for index, key in positions.items()}
        rows = []
        for number, cells in enumerate(table[1:], start=2):
            values = dict.fromkeys(self.keys, "")
            for index, key in positions.items():
                if index < len(cells):
                    values[key] = parsers[index]("" if cells[index] is None else cells[index])
            if not any(values.values()):
                continue
            if len(rows) == self.max_rows:
                raise ValidationError(
                    _("The file has more than %(limit)s rows. Split it into smaller files.")
                    % {"limit": format_number(self.max_rows)},
                    code="too_many_rows",
                )
            values["_row"] = number
            rows.append(values)
        if not rows:
            raise ValidationError(_("The file has no rows below the column names."), code="no_rows")
        return rows


def check_size(uploaded, max_bytes: int) -> None:
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("The file is too large: at most %(limit)s MB is accepted.")
            % {"limit": format_number(max_bytes // (1024 * 1024))},
            code="file_too_large",
        )


def read_table(fileobj, name: str, *, max_rows: int) -> list[list]:
    """The cells of a CSV or .xlsx file, row by row; an .xlsx stops being read past `max_rows` filled rows."""
    extension = Path(name or "").suffix.lower()
    if extension not in EXTENSIONS:
        raise ValidationError(
            _(
                "Only CSV (UTF-8) and Excel (.xlsx) files are accepted. "
                "In Excel, use “Save as” and choose one of them."
            ),
            code="file_type",
        )
    fileobj.seek(0)
    data = fileobj.read()
    fileobj.seek(0)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty_file")
    return read_csv(data) if extension == ".csv" else read_xlsx(data, max_rows=max_rows)


def read_csv(data: bytes) -> list[list]:
    head = data[:8192]
    if b"\x00" in head or filetype.guess(head) is not None:
        raise ValidationError(_("This file is not a CSV file, whatever its name says."), code="file_type")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The CSV file is not in UTF-8. In Excel, save it as “CSV UTF-8 (Comma delimited)”."),
            code="encoding",
        ) from exc
    if text.lstrip().startswith("<"):
        raise ValidationError(
            _("This file is a web page or an XML document, not a spreadsheet, whatever its name says."),
            code="file_type",
        )
    first_line = text.split("\n", 1)[0]
    # Excel writes ; or tabs instead of commas under some regional settings.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ValidationError(
            _("The CSV file is damaged: %(problem)s") % {"problem": exc}, code="file_damaged"
        ) from exc


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(data: bytes, *, max_rows: int) -> list[list]:
    damaged = ValidationError(
        _("This Excel file cannot be read; it may be damaged. Open it in Excel and save it again as .xlsx."),
        code="file_damaged",
    )
    if not data.startswith(b"PK\x03\x04"):
        raise ValidationError(
            _("This file is not an Excel (.xlsx) workbook, whatever its name says."), code="file_type"
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign zip
        raise damaged from exc
    try:
        rows, filled = [], 0
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            cells = [_cell(value) for value in values]
            rows.append(cells)
            filled += any(cells)
            if filled > max_rows + 1:
                break  # enough to report the file as too long
        return rows
    except Exception as exc:
        raise damaged from exc
    finally:
        workbook.close()


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
        field_key = lookup.get(key(title))
        if field_key is None:
            unknown.append(title)
        elif field_key in positions.values():
            raise ValidationError(
                _("The column “%(column)s” appears twice in the first row.") % {"column": title},
                code="header",
            )
        else:
            positions[index] = field_key
    if unknown:
        raise ValidationError(
            _("Unknown columns: %(columns)s. Use the column names of the template.")
            % {"columns": ", ".join(unknown[:10])},
            code="header",
        )
    missing = [field_key for field_key in required if field_key not in positions.values()]
    if missing:
        raise ValidationError(
            _("These columns are missing from the first row: %(columns)s.") % {"columns": ", ".join(missing)},
            code="header",
        )
    return positions

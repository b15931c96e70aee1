"""Writing exported spreadsheets so that what anyone typed stays text, never a live formula."""

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

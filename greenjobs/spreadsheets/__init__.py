"""Spreadsheets in and out: `read` for the bulk imports' column schemas, `write` for the exports."""

from .read import (
    EXTENSIONS,
    IGNORED_HEADERS,
    Column,
    Schema,
    as_digits,
    as_is,
    as_text,
    check_size,
    column_positions,
    header_key,
    read_table,
)
from .write import FORMULA_TRIGGERS, append_row, csv_safe

__all__ = [
    "EXTENSIONS", "FORMULA_TRIGGERS", "IGNORED_HEADERS", "Column", "Schema", "append_row", "as_digits",
    "as_is", "as_text", "check_size", "column_positions", "csv_safe", "header_key", "read_table",
]  # fmt: skip

"""Every row of an insurance list, each problem named by row and column: one problem, nothing imported."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from greenjobs.formats import format_digits
from greenjobs.text import fold_digits
from greenjobs.validators import normalize_national_id

from ... import months
from ...validators import normalize_workshop_code


def validate_rows(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """The rows ready to write ({national_id, workshop_code, month, days}) and the problems found, each
    {"row": spreadsheet row, "column": key, "message": translated text}."""
    errors: list[dict] = []
    clean = []
    seen: dict[tuple, int] = {}
    this_month = months.month_start(timezone.localdate())

    def error(row, column, message):
        errors.append({"row": row, "column": column, "message": str(message)})

    for raw in rows:
        number = raw["_row"]
        before = len(errors)
        national_id = workshop = month = days = None
        text = str(raw.get("national_id") or "").strip()
        if not text:
            error(number, "national_id", _("This column is required; it is empty."))
        else:
            try:
                national_id = normalize_national_id(text)
            except ValidationError as exc:
                error(number, "national_id", exc.messages[0])
        text = str(raw.get("workshop_code") or "").strip()
        if not text:
            error(number, "workshop_code", _("This column is required; it is empty."))
        else:
            try:
                workshop = normalize_workshop_code(text)
            except ValidationError as exc:
                error(number, "workshop_code", exc.messages[0])
        value = raw.get("month")
        if value in ("", None):
            error(number, "month", _("This column is required; it is empty."))
        else:
            try:
                month = months.parse(value)
            except months.MonthError as exc:
                error(number, "month", exc)
            else:
                if month > this_month:
                    error(number, "month", _("This month has not come yet."))
                    month = None
        text = re.sub(r"\s", "", fold_digits(str(raw.get("days") or "")))
        if not text:
            error(number, "days", _("This column is required; it is empty."))
        elif not re.fullmatch(r"\d{1,2}", text):
            error(number, "days", _("Write a whole number of days."))
        else:
            days = int(text)
            if month is not None and days > months.days_in(month):
                error(
                    number, "days",
                    _("The month has %(days)s days.") % {"days": format_digits(months.days_in(month))},
                )  # fmt: skip
                days = None
        if national_id and workshop and month:
            key = (national_id, workshop, month)
            if key in seen:
                error(
                    number, "national_id",
                    _("This person is already on this workshop's list for this month in row %(row)s.")
                    % {"row": format_digits(seen[key])},
                )  # fmt: skip
            else:
                seen[key] = number
        if len(errors) == before:
            clean.append(
                {"national_id": national_id, "workshop_code": workshop, "month": month, "days": days}
            )
    return clean, errors

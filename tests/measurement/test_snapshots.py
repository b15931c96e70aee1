"""Closed periods' figures are computed once and kept; a record that arrives late for a closed period is
noted, and only a programme manager's deliberate, recorded recomputation brings it into the figures."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import jdatetime
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import StaffRole
from greenjobs.exceptions import DomainError
from measurement import indicators as measures
from measurement import notes as figure_notes
from measurement.models import (
    Indicator,
    IndicatorValue,
    LateChange,
    PeriodBreakdown,
    Recomputation,
    RunningValue,
)
from measurement.periods import Period
from measurement.services import snapshots
from tests.factories import ProgrammeManagerFactory, county, loan_at, make_staff, registration_in
from training.services import activities

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media")]

TEHRAN = ZoneInfo("Asia/Tehran")
NOW = datetime.datetime(2026, 5, 5, 11, 0, tzinfo=TEHRAN)  # 15 Ordibehesht 1405
CLOSED = Period.parse("1404-Q4")
OPEN = Period.parse("1405-Q1")


def jday(year, month, day) -> datetime.date:
    return jdatetime.date(year, month, day).togregorian()


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 10, tzinfo=TEHRAN)


def activity(officer, held_on, workers=10):
    return activities.activity_create(
        actor=officer,
        data={"title": "کارگاه", "kind": "workshop", "held_on": held_on, "county": county(),
              "audience": "workers", "workers_count": workers, "employers_count": 0},
    )  # fmt: skip


def computed():
    return [i for i in Indicator.objects.prefetch_related("manual_values") if i.source == "computed"]


def stored(code, period=CLOSED):
    return IndicatorValue.objects.get(indicator__code=code, period=period.key).value


def test_a_closed_periods_figures_are_computed_once_and_then_only_read(time_machine):
    time_machine.move_to(at(jday(1404, 11, 10)), tick=False)
    registration_in("verified")
    time_machine.move_to(NOW, tick=False)

    first = snapshots.values_for(computed(), [CLOSED])
    assert first[("G1.1", CLOSED.key)] == Decimal(1)
    assert IndicatorValue.objects.filter(period=CLOSED.key).count() == len(computed())
    # A registration moved back into the closed quarter behind the portal's back (as a bulk fix would):
    # the stored figure stands, and reading it touches none of the records.
    time_machine.move_to(at(jday(1404, 11, 20)), tick=False)
    registration_in("verified")
    time_machine.move_to(NOW, tick=False)
    indicators = computed()

    with CaptureQueriesContext(connection) as read:
        again = snapshots.values_for(indicators, [CLOSED])

    assert again[("G1.1", CLOSED.key)] == Decimal(1)
    assert measures.verified_businesses(CLOSED.start, CLOSED.end) == Decimal(2)  # what a recount would say
    assert len(read.captured_queries) == 1
    assert "programs_" not in read.captured_queries[0]["sql"].replace("programs_indicator", "")


def test_the_nightly_run_stores_the_ended_periods_once(time_machine):
    time_machine.move_to(NOW, tick=False)

    stored_now = snapshots.snapshots_close()
    again = snapshots.snapshots_close()

    assert stored_now > 0
    assert again == 0
    # the current periods are never stored: they are still moving
    assert not IndicatorValue.objects.filter(period__in=[OPEN.key, "1405", "1405-02"]).exists()
    assert IndicatorValue.objects.filter(period__in=[CLOSED.key, "1404", "1405-01"]).exists()


def test_the_current_period_adds_its_growth_to_the_stored_figure_before_it(time_machine):
    time_machine.move_to(at(jday(1404, 11, 10)), tick=False)
    registration_in("verified")
    time_machine.move_to(at(jday(1405, 1, 20)), tick=False)
    registration_in("verified")
    time_machine.move_to(NOW, tick=False)
    snapshots.snapshots_close()
    indicators = computed()

    with CaptureQueriesContext(connection) as context:
        values = snapshots.values_for(indicators, [OPEN])

    # cumulative: one in 1404 (stored) plus one this quarter, as a count from the beginning would say
    assert values[("G1.1", OPEN.key)] == Decimal(2) == measures.verified_businesses(OPEN.start, OPEN.end)
    assert values[("G1.2", OPEN.key)] == measures.green_jobs_unique(OPEN.start, OPEN.end)
    # the growth is counted from the quarter's first day, not from the beginning of the records
    g11 = [q["sql"] for q in context.captured_queries if "first_verified_at" in q["sql"]]
    assert g11 and all(">=" in sql for sql in g11)


def test_a_late_record_for_a_closed_period_is_noted_and_recomputed_only_on_purpose(client, time_machine):
    officer = make_staff("TVTO", StaffRole.OFFICER)
    manager = ProgrammeManagerFactory()
    time_machine.move_to(at(jday(1404, 11, 10)), tick=False)
    activity(officer, jday(1404, 11, 10), workers=30)
    time_machine.move_to(NOW, tick=False)
    snapshots.snapshots_close()
    assert stored("G5.4") == Decimal(30)

    # today, a workshop held last Bahman is entered: its quarter, its month and its year are closed
    late = activity(officer, jday(1404, 11, 25), workers=12)

    notes = list(LateChange.objects.all())
    assert [(n.day, n.recomputation_id) for n in notes] == [(jday(1404, 11, 25), None)]
    assert str(late.pk) in notes[0].what
    assert stored("G5.4") == Decimal(30)  # not silently recomputed
    assert {p.key for p in snapshots.pending_periods()} == {"1404-11", "1404-Q4", "1404"}
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("measurement:report_list")).content.decode()
    assert 'data-testid="late-changes"' in page
    assert "Quarter 4 of 1404" in page and 'data-testid="recompute-form"' in page

    response = client.post(reverse("measurement:recompute"), {"reason": "Workshops entered late by TVTO"})

    assert response.status_code == 302
    done = Recomputation.objects.get()
    assert (done.requested_by, done.reason) == (manager, "Workshops entered late by TVTO")
    assert set(done.periods) == {"1404-11", "1404-Q4", "1404"}
    assert {"period": "1404-Q4", "code": "G5.4", "before": 30, "after": 42} in done.changes
    assert {"period": "1404-Q4", "code": "G5.6", "before": 1, "after": 2} in done.changes
    assert stored("G5.4") == Decimal(42)
    assert IndicatorValue.objects.get(indicator__code="G5.4", period="1404").recomputation == done
    assert LateChange.objects.get().recomputation == done
    assert snapshots.pending_periods() == []
    after = client.get(reverse("measurement:report_list")).content.decode()
    assert 'data-testid="late-changes"' not in after
    assert "Workshops entered late by TVTO" in after


def test_a_record_of_the_current_month_is_never_late(time_machine):
    officer = make_staff("TVTO", StaffRole.OFFICER)
    time_machine.move_to(NOW, tick=False)
    snapshots.snapshots_close()

    with CaptureQueriesContext(connection) as context:
        activity(officer, jday(1405, 2, 1))

    assert not LateChange.objects.exists()
    assert not any("measurement_indicatorvalue" in q["sql"] for q in context.captured_queries)


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_recomputation_needs_a_reason_and_changes_nothing_without_one(client, time_machine, reason):
    officer = make_staff("TVTO", StaffRole.OFFICER)
    time_machine.move_to(NOW, tick=False)
    snapshots.snapshots_close()
    activity(officer, jday(1404, 11, 25), workers=12)
    before = list(IndicatorValue.objects.values_list("pk", "value"))
    client.force_login(ProgrammeManagerFactory())
    client.cookies["django_language"] = "en"

    response = client.post(reverse("measurement:recompute"), {"reason": reason}, follow=True)

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert list(IndicatorValue.objects.values_list("pk", "value")) == before
    assert not Recomputation.objects.exists()
    assert LateChange.objects.get().recomputation is None


@pytest.mark.parametrize("role", [StaffRole.MANAGER, StaffRole.OFFICER])
def test_only_a_programme_manager_recomputes(client, time_machine, role):
    staff = make_staff("MCLS", role)
    time_machine.move_to(NOW, tick=False)
    snapshots.snapshots_close()
    client.force_login(staff)

    response = client.post(reverse("measurement:recompute"), {"reason": "because"})

    assert response.status_code == 403
    with pytest.raises(DomainError) as error:
        snapshots.snapshots_recompute(actor=staff, reason="because", periods=[CLOSED.key])
    assert error.value.status_code == 403
    assert not Recomputation.objects.exists()


def test_an_open_period_cannot_be_recomputed_and_a_bad_one_is_refused(time_machine):
    time_machine.move_to(NOW, tick=False)
    manager = ProgrammeManagerFactory()

    for periods, code in (([OPEN.key], "nothing_to_recompute"), (["1404-Q9"], "bad_period")):
        with pytest.raises(DomainError) as error:
            snapshots.snapshots_recompute(actor=manager, reason="check", periods=periods)
        assert error.value.code == code
    assert not Recomputation.objects.exists()


# --- the current period: running values and the records stamped since ----------------------------------


def test_the_current_period_counts_only_what_was_stamped_since_its_running_value(time_machine):
    time_machine.move_to(NOW - datetime.timedelta(hours=3), tick=False)
    loan_at("submitted", amount=100_000_000)
    time_machine.move_to(NOW, tick=False)
    assert snapshots.running_advance() > 0
    g13 = RunningValue.objects.get(indicator__code="G1.3", period=OPEN.key)
    assert (g13.value, g13.through) == (Decimal(1), NOW - snapshots.RUNNING_LAG)
    loan_at("submitted", amount=200_000_000)  # stamped now, after the running value's hour

    values = snapshots.values_for(computed(), [OPEN])

    # the running value plus the record since, exactly what a count from the quarter's first day says
    assert values[("G1.3", OPEN.key)] == Decimal(2) == measures.loans_applied_count(OPEN.start, OPEN.end)
    assert values[("G1.4", OPEN.key)] == Decimal(300_000_000)
    # and it is the running value that is read, not the quarter recounted
    RunningValue.objects.filter(pk=g13.pk).update(value=100)
    assert snapshots.values_for(computed(), [OPEN])[("G1.3", OPEN.key)] == Decimal(101)


def test_bringing_the_running_values_up_adds_each_window_once(time_machine):
    time_machine.move_to(NOW - datetime.timedelta(hours=3), tick=False)
    loan_at("submitted")
    time_machine.move_to(NOW, tick=False)
    snapshots.running_advance()
    loan_at("submitted")
    time_machine.move_to(NOW + datetime.timedelta(hours=2), tick=False)

    snapshots.running_advance()
    snapshots.running_advance()  # a second run in the same minute adds nothing

    g13 = RunningValue.objects.get(indicator__code="G1.3", period=OPEN.key)
    assert g13.value == Decimal(2)
    assert snapshots.values_for(computed(), [OPEN])[("G1.3", OPEN.key)] == Decimal(2)
    # the month and the year keep their own; a period now over keeps none
    assert set(RunningValue.objects.values_list("period", flat=True)) == {"1405-02", "1405-Q1", "1405"}
    RunningValue.objects.create(indicator=g13.indicator, period="1404-Q4", through=NOW, value=7)
    snapshots.running_advance()
    assert not RunningValue.objects.filter(period="1404-Q4").exists()


def test_a_closed_periods_report_tables_are_stored_and_a_recomputation_redoes_them(time_machine):
    officer = make_staff("TVTO", StaffRole.OFFICER)
    time_machine.move_to(at(jday(1404, 11, 10)), tick=False)
    business = registration_in("verified")
    activity(officer, jday(1404, 11, 10), workers=30)
    time_machine.move_to(NOW, tick=False)
    snapshots.snapshots_close()
    tables = PeriodBreakdown.objects.get(period=CLOSED.key)
    county_row = next(row for row in tables.data["by_county"] if row["code"] == business.county.code)
    assert county_row["verified"] == 1

    activity(officer, jday(1404, 11, 25), workers=12)  # late
    with CaptureQueriesContext(connection) as read:
        again = snapshots.breakdowns_for(CLOSED)
    assert again == tables.data and len(read.captured_queries) == 1
    snapshots.snapshots_recompute(
        actor=ProgrammeManagerFactory(), reason="late workshop", periods=[CLOSED.key]
    )

    tables.refresh_from_db()
    tvto = next(row for row in tables.data["by_agency"] if row["code"] == "TVTO")
    assert (tvto["activities"], tvto["workers"]) == (2, 42)
    assert tables.recomputation is not None


def test_the_current_periods_verified_per_county_grow_from_the_stored_tables(time_machine):
    time_machine.move_to(at(jday(1404, 11, 10)), tick=False)
    first = registration_in("verified")
    time_machine.move_to(at(jday(1405, 1, 20)), tick=False)
    registration_in("verified", county=first.county)
    time_machine.move_to(NOW, tick=False)
    snapshots.snapshots_close()

    tables = snapshots.breakdowns_for(OPEN)

    row = next(row for row in tables["by_county"] if row["code"] == first.county.code)
    assert row["verified"] == 2
    assert sum(r["verified"] for r in tables["by_county"]) == measures.verified_businesses(
        OPEN.start, OPEN.end
    )


def test_history_loaded_in_bulk_drops_the_stored_figures_and_records_why(time_machine):
    time_machine.move_to(NOW, tick=False)
    snapshots.snapshots_close()
    snapshots.running_advance()
    stored_periods = set(IndicatorValue.objects.values_list("period", flat=True))

    done = snapshots.figures_rebuild(reason="Demo data loaded")

    assert not IndicatorValue.objects.exists()
    assert not PeriodBreakdown.objects.exists() and not RunningValue.objects.exists()
    assert (done.reason, set(done.periods)) == ("Demo data loaded", stored_periods)
    # and they are computed again, from the records, the next time they are needed
    assert snapshots.snapshots_close() > 0


@pytest.mark.parametrize(
    ("language", "said", "period"),
    [
        ("en", "The demonstration data was loaded into past periods.", "Year 1404"),
        ("fa", "داده‌های نمایشی در دوره‌های گذشته بارگذاری شد.", "سال ۱۴۰۴"),
    ],
)
def test_the_portals_own_recomputations_read_in_the_readers_language(
    client, time_machine, language, said, period
):
    time_machine.move_to(NOW, tick=False)
    snapshots.snapshots_close()
    snapshots.figures_rebuild(reason=figure_notes.demo_loaded())
    client.force_login(ProgrammeManagerFactory())
    client.cookies["django_language"] = language

    page = client.get(reverse("measurement:report_list")).content.decode()

    listed = page.split('data-testid="recomputations"')[1].split("</details>")[0]
    assert said in listed and period in listed
    assert "system:" not in listed and "1404-Q4" not in listed

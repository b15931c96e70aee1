"""The benchmark's own arithmetic and plumbing (bench/), on tiny data: the ratios and verdicts it prints,
the capture and replay of a snapshot's SQL, and that its bare view serves what the API serves. No timing
is asserted here: the benchmark measures, `make bench` runs it (bench/README.md)."""

import json

import pytest
from django.db import connection
from django.test import Client, override_settings

from bench import core
from bench.run import database_url, records_of, server_url, table_rows
from programs.models import County
from tests.factories import BusinessFactory, GreenJobFactory, ProgrammeManagerFactory, county


def test_percentiles_are_nearest_rank():
    values = [0.5, 0.1, 0.4, 0.2, 0.3]

    assert core.median(values) == 0.3
    assert core.percentile(values, 0.5) == 0.3
    assert core.percentile(values, 0.95) == 0.5
    assert core.percentile([], 0.5) is None


def test_a_ratio_needs_both_numbers_and_a_non_zero_denominator():
    assert core.ratio(3.0, 1.5) == 2.0
    assert core.ratio(None, 1.0) is None
    assert core.ratio(1.0, None) is None
    assert core.ratio(1.0, 0) is None


@pytest.mark.parametrize(
    ("value", "limit", "at_most", "expected"),
    [
        (2.9, 3, True, core.PASS),
        (3.0, 3, True, core.PASS),
        (3.1, 3, True, core.MISS),
        (0.7, 0.7, False, core.PASS),
        (0.69, 0.7, False, core.MISS),
        (None, 3, True, core.NA),
    ],
)
def test_a_verdict_reads_the_limit_in_its_direction(value, limit, at_most, expected):
    assert core.verdict(value, limit, at_most=at_most) == expected


def test_a_scale_row_compares_the_largest_size_with_the_smallest():
    row = core.scale_row("snapshot", {"10k": 0.5, "1m": 2.0}, small="10k", large="1m", limit=3)

    assert (row.ratio, row.target, row.verdict) == (4.0, "1m ≤ 3 × 10k", core.MISS)


def test_a_scale_row_of_one_size_has_no_verdict():
    row = core.scale_row("snapshot", {"10k": 0.5}, small="10k", large=None, limit=3)

    assert (row.ratio, row.verdict) == (None, core.NA)


def test_a_row_that_must_hold_at_each_size_shows_the_worst_size():
    row = core.within_row("drf / bare", {}, {"10k": 0.8, "1m": 0.4}, limit=0.5, at_most=False, target="≥ 0.5")

    assert (row.ratio, row.verdict) == (0.4, core.MISS)


def test_the_table_puts_the_sizes_side_by_side():
    rows = [
        core.scale_row("snapshot", {"10k": 0.25, "1m": 1.5}, small="10k", large="1m", limit=3),
        core.Row("memory", {"10k": 100.0, "1m": None}, unit="MiB", target="(reported)"),
    ]

    lines = core.format_table(rows, ["10k", "1m"]).splitlines()

    assert [cell.strip() for cell in lines[0].split(" | ")] == [
        "measure",
        "10k",
        "1m",
        "ratio",
        "target",
        "verdict",
    ]
    assert [cell.strip() for cell in lines[2].split(" | ")] == ["snapshot", "250.0 ms", "1.50 s", "6.00",
                                                                 "1m ≤ 3 × 10k", "MISS"]  # fmt: skip
    assert [cell.strip() for cell in lines[3].split(" | ")] == ["memory", "100.0 MiB", "—", "—", "(reported)"]
    assert core.summary(rows) == "0 PASS, 1 MISS, 1 without a verdict"


def test_the_table_rows_flag_lists_whose_query_count_changes_with_the_size():
    results = {
        label: {"lists": {"lists": {"registry page [doe_officer]": {"status": 200, "p50_seconds": p50,
                                                                    "queries": queries}}}}
        for label, p50, queries in (("10k", 0.010, 7), ("1m", 0.015, 9))
    }  # fmt: skip

    row = next(
        row for row in table_rows(results, ["10k", "1m"]) if row.name == "p50 registry page [doe_officer]"
    )

    assert (row.verdict, row.note) == (core.PASS, "queries 7 / 9 DIFFER")


def test_a_service_is_called_with_the_arguments_it_requires_and_no_other():
    def close(*, today, actor=None, note="x"):
        return (today, actor, note)

    def recompute(*, reason):
        return reason

    assert core.call_with_defaults(close, {"today": "2026-01-01", "actor": "someone"}) == (
        "2026-01-01",
        None,
        "x",
    )
    with pytest.raises(TypeError, match="'reason'"):
        core.call_with_defaults(recompute, {"today": "2026-01-01"})


def test_sizes_and_database_urls():
    assert [records_of(label) for label in ("10k", "100k", "1m", "1M", "2500", "3k")] == [
        10_000, 100_000, 1_000_000, 1_000_000, 2_500, 3_000,
    ]  # fmt: skip
    assert database_url("postgres://postgres@127.0.0.1:5432/anything", "bench_10k") == (
        "postgres://postgres@127.0.0.1:5432/bench_10k"
    )


def test_the_benchmark_refuses_sqlite():
    with pytest.raises(SystemExit, match="PostgreSQL only"):
        server_url("sqlite:///db.sqlite3")


@pytest.mark.django_db
def test_captured_sql_replays_on_a_bare_cursor_with_the_same_rows(agencies):
    capture = core.SqlCapture()

    with connection.execute_wrapper(capture):
        codes = list(County.objects.filter(code__in=["qom", "kahak"]).values_list("code", flat=True))
        count = County.objects.count()

    assert len(capture.statements) == 2
    assert capture.statements[0].params == ("qom", "kahak")
    with connection.cursor() as cursor:
        assert core.replay(capture.statements, cursor) == len(codes) + 1
        cursor.execute(capture.statements[1].sql, capture.statements[1].params)
        assert cursor.fetchone() == (count,)


@pytest.mark.django_db
def test_the_bare_view_serves_the_apis_business_list(agencies):
    for number in range(3):
        business = BusinessFactory(status="submitted", county=county("kahak" if number else "qom"))
        GreenJobFactory.create_batch(number, business=business)
    client = Client()
    client.force_login(ProgrammeManagerFactory())

    with override_settings(ROOT_URLCONF="bench.urls"):
        api = json.loads(client.get("/api/v1/businesses/", HTTP_ACCEPT="application/json").content)
        bare = json.loads(client.get("/bench/businesses/").content)

    assert api["count"] == bare["count"] == 3
    assert bare["results"] == api["results"]

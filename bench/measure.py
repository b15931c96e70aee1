"""One measurement at one size, run by bench.run in a fresh process with DATABASE_URL set to that size's
database: `python -m bench.measure TASK --out FILE`. Writes its result as JSON to FILE.

Tasks: setup (reference data and demo accounts), snapshot (report time, closing past periods, the raw
SQL), memory (peak memory of a report), lists (server time of each staff list, their query counts and
the detail pages for the traffic run), drf (DRF's list against the bare view).
"""

import argparse
import inspect
import json
import os
import resource
import sys
import time
import tracemalloc

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
# Before the settings, as bench/__init__.py explains (it ran before the line above could set them).
import greenjobs  # noqa: F401

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts import demo as accounts_demo  # noqa: E402
from agencies import demo as agencies_demo  # noqa: E402
from agencies import seed as agencies_seed  # noqa: E402
from bench.core import SqlCapture, call_with_defaults, median, repeat_median, replay, timed  # noqa: E402
from bench.lists import LISTS  # noqa: E402
from incentives.models import LoanApplication  # noqa: E402
from measurement import pdf as report_pdf  # noqa: E402
from measurement import seed_indicators  # noqa: E402
from measurement.periods import Period  # noqa: E402
from measurement.services.reports import build_snapshot  # noqa: E402
from programs.models import Business  # noqa: E402
from training.models import Session  # noqa: E402

REQUESTS_PER_LIST = 15
# A list slower than these on its warm-up request is timed fewer times, so a 1M run that finds a slow
# list still ends; the result says how many requests its p50 is over.
SLOW_LISTS = ((20.0, 1), (3.0, 5))
# A snapshot slower than this on its warm-up is timed once, and its SQL replayed once.
SLOW_SNAPSHOT_SECONDS = 60.0


def _period():
    return Period.containing(timezone.localdate(), "quarter")


def setup(args) -> dict:
    """The reference data and the demo accounts, as seed_demo loads them, without the demo records."""
    agencies_seed.load()
    seed_indicators.load()
    with transaction.atomic():
        accounts = accounts_demo.load() + agencies_demo.load()
    return {"accounts": [username for username, _description in accounts]}


def _closing_function():
    """The service that stores closed periods' snapshots, if the portal has one yet (issue 12)."""
    try:
        # Looked up by name: the benchmark measures whichever version of the portal it runs on.
        from measurement.services import snapshots
    except ImportError:
        return None, None
    preferred = ("snapshots_close", "snapshots_close_past", "close_past_periods", "periods_close")
    names = [name for name in preferred if callable(getattr(snapshots, name, None))]
    names += sorted(
        name
        for name in dir(snapshots)
        if "close" in name
        and not name.startswith(("_", "is_"))
        and inspect.isfunction(getattr(snapshots, name))
        and name not in names
    )
    if not names:
        return None, None
    return f"measurement.services.snapshots.{names[0]}", getattr(snapshots, names[0])


def snapshot(args) -> dict:
    period = _period()
    result = {"period": period.key}
    name, close = _closing_function()
    result["closing_function"] = name
    if close is not None:
        known = {"today": timezone.localdate(), "now": timezone.now(), "actor": None, "user": None}
        seconds, _value = timed(lambda: call_with_defaults(close, known))
        result["closing_seconds"] = seconds
        # What beat does next: the current periods' running values and the dashboards' stored figures,
        # so the pages measured after this read them as they would in production. Looked up by name,
        # as above: an older portal has neither.
        try:
            from measurement.services import progress, snapshots  # the portal's version may lack them
        except ImportError:
            progress = snapshots = None
        if snapshots is not None and hasattr(snapshots, "running_advance"):
            snapshots.running_advance()
        if progress is not None:
            result["dashboard_refresh_seconds"], _data = timed(progress.progress_refresh)
    # The warm-up is the run whose SQL is captured (the capture only appends to a list): a snapshot
    # that takes minutes at 1M is built as few times as the measure needs.
    capture = SqlCapture()
    with connection.execute_wrapper(capture):
        warm_up_seconds, _snapshot = timed(lambda: build_snapshot(period))
    result["queries"] = len(capture.statements)
    runs = args.runs if warm_up_seconds < SLOW_SNAPSHOT_SECONDS else 1
    seconds, timings = repeat_median(lambda: build_snapshot(period), runs=runs, warm_up=0)
    result.update(snapshot_seconds=seconds, snapshot_timings=timings, warm_up_seconds=warm_up_seconds)
    # A bare psycopg cursor on the same connection: no ORM, no wrappers, the same statements and params.
    cursor = connection.connection.cursor()
    first_seconds, rows = timed(lambda: replay(capture.statements, cursor))
    if runs > 1:
        seconds, timings = repeat_median(lambda: replay(capture.statements, cursor), runs=runs, warm_up=0)
    else:
        # The replay above was the only one: a second would double a run that is already too long.
        seconds, timings = first_seconds, [first_seconds]
    result.update(raw_sql_seconds=seconds, raw_sql_timings=timings, raw_sql_rows=rows)
    # The report the schedule makes: the quarter just ended, whose figures and tables are stored.
    ended = period.previous()
    seconds, timings = repeat_median(lambda: build_snapshot(ended), runs=args.runs, warm_up=1)
    result.update(ended_period=ended.key, ended_snapshot_seconds=seconds, ended_snapshot_timings=timings)
    return result


def memory(args) -> dict:
    period = _period()

    def report():
        return report_pdf.render(build_snapshot(period), "fa")

    # The first report pays for WeasyPrint's import and fonts: a cost of the process, not of the data.
    warm_up_seconds, _pdf = timed(report)
    tracemalloc.start()
    seconds, pdf = timed(report)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "period": period.key,
        "tracemalloc_peak_mib": peak / 2**20,
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "warm_up_seconds": warm_up_seconds,
        "traced_seconds": seconds,
        "pdf_bytes": len(pdf),
    }


def _client(role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(get_user_model().objects.get(username=role))
    return client


def _time_list(client: Client, path: str) -> dict:
    warm_up_seconds, response = timed(lambda: client.get(path))
    if response.status_code != 200:
        return {"status": response.status_code, "warm_up_seconds": warm_up_seconds}
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    # Read now: the next request empties the connection's log (django.db.reset_queries).
    query_count = len(queries.captured_queries)
    count = next((n for slow, n in SLOW_LISTS if warm_up_seconds >= slow), REQUESTS_PER_LIST)
    timings = [timed(lambda: client.get(path))[0] for _ in range(count)]
    return {
        "status": 200,
        "p50_seconds": median(timings),
        "requests": count,
        "queries": query_count,
        "warm_up_seconds": warm_up_seconds,
    }


def _detail_paths() -> dict[str, str]:
    """A detail page per role for the traffic run: the latest row of a kind that role works on."""
    candidates = {
        "doe_officer": ("/programs/businesses/{}/", Business.objects.exclude(status="draft")),
        "programme_manager": ("/programs/businesses/{}/", Business.objects.exclude(status="draft")),
        "mcls_officer": ("/loans/applications/{}/", LoanApplication.objects.exclude(stage="draft")),
        "mcls_reviewer": ("/loans/applications/{}/", LoanApplication.objects.exclude(stage="draft")),
        "tvto_officer": ("/training/sessions/{}/", Session.objects.all()),
    }
    found = {}
    for role, (pattern, queryset) in candidates.items():
        pk = queryset.order_by("-pk").values_list("pk", flat=True).first()
        if pk is not None and _client(role).get(pattern.format(pk)).status_code == 200:
            found[role] = pattern.format(pk)
    return found


def lists(args) -> dict:
    clients: dict[str, Client] = {}
    # The detail pages first (they are cheap): the traffic run needs them even if the lists run out of time.
    result = {"detail_paths": _detail_paths(), "lists": {}}
    # The process's own cold start (URLs, the base templates, translations) belongs to no list.
    Client().get("/")
    for spec in LISTS:
        if spec.role not in clients:
            clients[spec.role] = _client(spec.role)
        result["lists"][spec.key] = {
            "path": spec.path,
            "role": spec.role,
            **_time_list(clients[spec.role], spec.path),
        }
        print(f"  {spec.key:<48} {result['lists'][spec.key]}", file=sys.stderr, flush=True)
        # Written after every list: a run stopped at --timeout keeps the lists it had timed.
        _write(args.out, {**result, "partial": True})
    return result


def drf(args) -> dict:
    """DRF's business list against bench.bare's view of the same rows, through the same middleware."""
    client = _client(args.role)
    api, bare = "/api/v1/businesses/", "/bench/businesses/"
    with override_settings(ROOT_URLCONF="bench.urls"):
        bodies = {}
        for path in (api, bare):
            for _ in range(3):
                response = client.get(path, HTTP_ACCEPT="application/json")
            if response.status_code != 200:
                return {"error": f"{path} answered {response.status_code}"}
            bodies[path] = json.loads(response.content)
        differing = sorted(
            key
            for key in set(bodies[api]) | set(bodies[bare])
            if key not in ("next", "previous") and bodies[api].get(key) != bodies[bare].get(key)
        )
        totals = {api: 0.0, bare: 0.0}
        counts = {api: 0, bare: 0}
        # Alternating blocks, so a slow moment of the machine falls on both.
        started = time.perf_counter()
        while time.perf_counter() - started < args.seconds:
            for path in (api, bare):
                for _ in range(10):
                    seconds, _response = timed(
                        lambda path=path: client.get(path, HTTP_ACCEPT="application/json")
                    )
                    totals[path] += seconds
                    counts[path] += 1
    return {
        "role": args.role,
        "rows": len(bodies[api].get("results", [])),
        "count": bodies[api].get("count"),
        "same_body": not differing,
        "differing_keys": differing,
        "drf_per_second": counts[api] / totals[api],
        "bare_per_second": counts[bare] / totals[bare],
        "requests_each": counts[api],
    }


TASKS = {"setup": setup, "snapshot": snapshot, "memory": memory, "lists": lists, "drf": drf}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.measure")
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", type=int, default=3, help="timed snapshot runs (after one warm-up)")
    parser.add_argument("--role", default="programme_manager", help="who asks for the DRF/bare lists")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long the DRF/bare comparison runs")
    args = parser.parse_args(argv)
    _write(args.out, TASKS[args.task](args))


def _write(path: str, result: dict) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=1, default=str)


if __name__ == "__main__":
    main()

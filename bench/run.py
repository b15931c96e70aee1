"""The benchmark of issue 12, in one run: make (or reuse) a database per size, measure each size in fresh
processes, print the table of the sizes side by side with each target's ratio and verdict, and keep every
number in bench/results/. See bench/README.md."""

import argparse
import datetime
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests
from psycopg import sql

from bench.core import Row, format_table, ratio, scale_row, summary, within_row
from bench.lists import LISTS

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
# Written on a database once it is complete, so --reuse never takes a half-generated one.
MARKER = "greenjobs bench: {records} records, complete"
MEASURES = ("snapshot", "memory", "lists", "drf", "load")


def say(message: str) -> None:
    print(f"[bench {datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def records_of(label: str) -> int:
    """'10k' -> 10000, '1m' -> 1000000, '2500' -> 2500."""
    label = label.strip().lower()
    if label in SIZES:
        return SIZES[label]
    multiplier = {"k": 1_000, "m": 1_000_000}.get(label[-1:], 1)
    number = label[:-1] if multiplier > 1 else label
    if not number.isdigit() or int(number) < 1:
        raise argparse.ArgumentTypeError(f"not a size: {label!r} (write 10k, 100k, 1m or a number)")
    return int(number) * multiplier


def server_url(database_url: str | None) -> str:
    """The PostgreSQL server of DATABASE_URL (its database name is replaced per size); SQLite is refused."""
    url = database_url or DEFAULT_SERVER
    if urlsplit(url).scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        raise SystemExit(
            f"The benchmark runs on PostgreSQL only; DATABASE_URL is {url!r}. "
            f"Set it to a PostgreSQL server, e.g. {DEFAULT_SERVER}"
        )
    return url


def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin_connection(server: str):
    parts = urlsplit(server)
    return psycopg.connect(urlunsplit(("postgresql", parts.netloc, "/postgres", "", "")), autocommit=True)


def _marker(server: str, name: str) -> str | None:
    with _admin_connection(server) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    return None if row is None else (row[0] or "")


def cancel_queries(url: str) -> None:
    """Cancels what is still running on a size's database after its measure was stopped: a killed client
    does not stop its query, which would otherwise weigh on the next measure."""
    parts = urlsplit(url)
    with _admin_connection(url) as conn:
        conn.execute(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [parts.path.lstrip("/")],
        )


def _env(url: str, **extra) -> dict:
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings", **extra}


def _run(command: list[str], url: str, *, what: str) -> None:
    say(f"{what}: {' '.join(command[1:])}")
    # Its progress goes with the benchmark's own, to stderr: stdout is the table.
    completed = subprocess.run(command, cwd=ROOT, env=_env(url), check=False, stdout=sys.stderr)  # noqa: S603
    if completed.returncode != 0:
        raise SystemExit(f"{what} failed (exit {completed.returncode})")


def prepare(server: str, label: str, records: int, *, reuse: bool) -> str:
    """The size's database, generated now or (with --reuse) as a previous run left it."""
    name = f"bench_{label.lower()}"
    url = database_url(server, name)
    marker = MARKER.format(records=records)
    if reuse and _marker(server, name) == marker:
        say(f"{name}: reusing ({marker})")
        # The code may have moved on since: its new migrations (indexes, stored columns) apply to the data.
        _run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], url, what=f"{name}: migrate")
        return url
    say(f"{name}: (re)creating for {records:,} records")
    with _admin_connection(server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    python = sys.executable
    _run([python, "manage.py", "migrate", "--noinput", "-v", "0"], url, what=f"{name}: migrate")
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        _run([python, "-m", "bench.measure", "setup", "--out", out.name], url, what=f"{name}: reference data")
    started = time.perf_counter()
    _run(
        [python, "manage.py", "generate_scale_data", "--records", str(records)], url, what=f"{name}: generate"
    )
    say(f"{name}: generated in {time.perf_counter() - started:.0f} s; VACUUM ANALYZE")
    with psycopg.connect(urlunsplit(("postgresql", *urlsplit(url)[1:])), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    with _admin_connection(server) as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(marker))
        )
    return url


def measure(task: str, url: str, *extra: str, timeout: float) -> dict:
    """One task of bench.measure in a fresh process; {"error": ...} if it failed or ran out of time."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        started = time.perf_counter()
        try:
            completed = subprocess.run(  # noqa: S603
                [sys.executable, "-m", "bench.measure", task, "--out", out.name, *extra],
                cwd=ROOT,
                env=_env(url),
                check=False,
                stderr=subprocess.PIPE,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            say(f"{task} stopped after {timeout:.0f} s (--timeout)")
            cancel_queries(url)
            # What the task had written before it was stopped (the lists write after each one).
            try:
                partial = json.loads(Path(out.name).read_text(encoding="utf-8"))
            except ValueError:
                partial = {}
            return {**partial, "error": f"did not finish within {timeout:.0f} s"}
        took = time.perf_counter() - started
        if completed.returncode != 0:
            tail = completed.stderr.strip().splitlines()[-1:] or ["(no output)"]
            say(f"{task} failed after {took:.0f} s: {tail[0]}")
            return {"error": tail[0], "stderr": completed.stderr[-4000:]}
        say(f"{task} done in {took:.0f} s")
        return json.loads(Path(out.name).read_text(encoding="utf-8"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load(url: str, *, users: int, seconds: float, details: dict, workers: int) -> dict:
    """Gunicorn as production starts it (sync workers, DEBUG off), and the users against it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = _env(url, PORTAL_BASE_URL=base)
    # The image's command (Dockerfile), with the worker count the targets name.
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "greenjobs.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--graceful-timeout",
        "30",
        "--max-requests",
        "1000",
        "--max-requests-jitter",
        "100",
        "--log-level",
        "warning",
    ]
    say(f"gunicorn on {base} ({workers} workers)")
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    try:
        for _ in range(120):
            try:
                if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        else:
            return {"error": "gunicorn did not answer /healthz within a minute"}
        # Each worker warms WeasyPrint up in a thread at start (greenjobs.wsgi); let it finish first.
        time.sleep(4)
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            completed = subprocess.run(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "bench.load",
                    "--base-url",
                    base,
                    "--out",
                    out.name,
                    "--users",
                    str(users),
                    "--seconds",
                    str(seconds),
                    "--details",
                    json.dumps(details),
                ],
                cwd=ROOT,
                env=env,
                check=False,
                stderr=subprocess.PIPE,
                text=True,
            )
            if completed.returncode != 0:
                tail = completed.stderr.strip().splitlines()[-1:] or ["(no output)"]
                return {"error": tail[0], "stderr": completed.stderr[-4000:]}
            return json.loads(Path(out.name).read_text(encoding="utf-8"))
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        cancel_queries(url)


def _get(results: dict, label: str, measure_name: str, *keys):
    value = results.get(label, {}).get(measure_name, {})
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _error_note(results: dict, labels: list[str], measure_name: str) -> str:
    failed = [label for label in labels if _get(results, label, measure_name, "error")]
    return f"failed at {', '.join(failed)}: see the JSON" if failed else ""


def table_rows(results: dict, labels: list[str]) -> list[Row]:
    """The table's rows from the raw results; the first size is the baseline, the last the one compared."""
    small, large = labels[0], (labels[-1] if len(labels) > 1 else None)

    def per_size(measure_name: str, *keys):
        return {label: _get(results, label, measure_name, *keys) for label in labels}

    rows = []
    closing = per_size("snapshot", "closing_seconds")
    function = next((_get(results, label, "snapshot", "closing_function") for label in labels), None)
    rows.append(
        Row(
            "closing past periods (once)",
            closing,
            target="(reported)",
            verdict="",
            note=function or "no closing service in measurement.services.snapshots",
        )
    )
    rows.append(
        Row(
            "  then the dashboards' figures (beat)",
            per_size("snapshot", "dashboard_refresh_seconds"),
            target="(reported)",
            verdict="",
            note="measurement.services.progress.progress_refresh, every 10 minutes and after events",
        )
    )
    note = _error_note(results, labels, "snapshot")
    rows.append(
        scale_row(
            "report snapshot (median of 3)",
            per_size("snapshot", "snapshot_seconds"),
            small=small,
            large=large,
            limit=3,
            note=note,
        )
    )
    rows.append(Row("  its queries", per_size("snapshot", "queries"), unit="q", target="(reported)"))
    rows.append(
        scale_row(
            "report snapshot, quarter just ended",
            per_size("snapshot", "ended_snapshot_seconds"),
            small=small,
            large=large,
            limit=3,
            note="the scheduled report: its figures and tables are stored when the quarter closes",
        )
    )
    rows.append(
        Row(
            "  its raw SQL replayed (median of 3)",
            per_size("snapshot", "raw_sql_seconds"),
            target="(reported)",
        )
    )
    overhead = {
        label: ratio(
            _get(results, label, "snapshot", "snapshot_seconds"),
            _get(results, label, "snapshot", "raw_sql_seconds"),
        )
        for label in labels
    }
    rows.append(
        within_row(
            "snapshot / its raw SQL", overhead, overhead, limit=1.5, unit="×", target="≤ 1.5 at each size"
        )
    )
    note = _error_note(results, labels, "memory")
    rows.append(
        scale_row(
            "report peak memory (tracemalloc: snapshot + PDF)",
            per_size("memory", "tracemalloc_peak_mib"),
            small=small,
            large=large,
            limit=1.2,
            unit="MiB",
            note=note,
        )
    )
    rss = per_size("memory", "max_rss_mib")
    rows.append(
        Row(
            "  the process's max RSS (info)",
            rss,
            unit="MiB",
            ratio=ratio(rss.get(large), rss.get(small)),
            target="(reported)",
        )
    )
    for spec in LISTS:
        values = {label: _get(results, label, "lists", "lists", spec.key, "p50_seconds") for label in labels}
        statuses = {label: _get(results, label, "lists", "lists", spec.key, "status") for label in labels}
        queries = [_get(results, label, "lists", "lists", spec.key, "queries") for label in labels]
        notes = [
            f"{label} answered {status}" for label, status in statuses.items() if status not in (200, None)
        ]
        notes += [
            f"not timed at {label}: {_get(results, label, 'lists', 'error')}"
            for label, status in statuses.items()
            if status is None and _get(results, label, "lists", "error")
        ]
        # A page that caches answers its timed requests from the cache; its first request shows the cost.
        firsts = [_get(results, label, "lists", "lists", spec.key, "warm_up_seconds") for label in labels]
        if any(first is not None and first >= 1 for first in firsts):
            shown = " / ".join("—" if first is None else f"{first:.1f} s" for first in firsts)
            notes.append(f"first request {shown}")
        if any(count is not None for count in queries):
            shown = " / ".join("—" if count is None else str(count) for count in queries)
            same = len({count for count in queries if count is not None}) <= 1
            notes.append(f"queries {shown}" + ("" if same else " DIFFER"))
        rows.append(
            scale_row(f"p50 {spec.key}", values, small=small, large=large, limit=2, note="; ".join(notes))
        )
    note = _error_note(results, labels, "load")
    rows.append(
        scale_row(
            "20 users: throughput",
            per_size("load", "per_second"),
            small=small,
            large=large,
            limit=0.7,
            at_most=False,
            unit="req/s",
            note=note,
        )
    )
    rows.append(Row("20 users: p50", per_size("load", "p50_seconds"), target="(reported)"))
    rows.append(Row("20 users: p95", per_size("load", "p95_seconds"), target="(reported)"))
    spread = {
        label: ratio(_get(results, label, "load", "p95_seconds"), _get(results, label, "load", "p50_seconds"))
        for label in labels
    }
    rows.append(
        within_row("20 users: p95 / p50", spread, spread, limit=5, unit="×", target="≤ 5 at each size")
    )
    errors = per_size("load", "errors")
    samples = sorted(
        {sample for label in labels for sample in (_get(results, label, "load", "error_samples") or [])}
    )
    rows.append(
        within_row(
            "20 users: errors",
            errors,
            errors,
            limit=0,
            unit="",
            target="0 at each size",
            note=", ".join(samples[:3]),
        )
    )
    drf = per_size("drf", "drf_per_second")
    bare = per_size("drf", "bare_per_second")
    rows.append(Row("DRF business list", drf, unit="req/s", target="(reported)"))
    rows.append(Row("bare Django view, same rows", bare, unit="req/s", target="(reported)"))
    share = {label: ratio(drf[label], bare[label]) for label in labels}
    differ = [label for label in labels if _get(results, label, "drf", "same_body") is False]
    notes = [f"bodies differ at {', '.join(differ)}" if differ else "same body"]
    notes += [note for note in [_error_note(results, labels, "drf")] if note]
    rows.append(
        within_row(
            "DRF / bare throughput",
            share,
            share,
            limit=0.5,
            at_most=False,
            unit="×",
            target="≥ 0.5 at each size",
            note="; ".join(notes),
        )
    )
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--million", action="store_true", help="add the 1M size (generating it takes minutes)"
    )
    parser.add_argument("--hundred-k", action="store_true", help="add the 100k size")
    parser.add_argument("--sizes", type=lambda text: text.split(","), help="explicit sizes, e.g. 2k,20k")
    parser.add_argument("--reuse", action="store_true", help="reuse a complete bench_<size> database")
    parser.add_argument(
        "--only",
        type=lambda text: text.split(","),
        default=list(MEASURES),
        help=f"measure only these ({','.join(MEASURES)})",
    )
    parser.add_argument(
        "--prepare-only", action="store_true", help="make the databases and stop (measure later with --reuse)"
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=40.0, help="length of the concurrent run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--runs", type=int, default=3, help="timed snapshot runs after one warm-up")
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds a measure may take before it is stopped"
    )
    args = parser.parse_args(argv)

    server = server_url(os.environ.get("DATABASE_URL"))
    labels = args.sizes or ["10k", *(["100k"] if args.hundred_k else []), *(["1m"] if args.million else [])]
    sizes = {label.lower(): records_of(label) for label in labels}
    labels = list(sizes)
    unknown = set(args.only) - set(MEASURES)
    if unknown:
        parser.error(f"unknown measures {sorted(unknown)}; choose from {', '.join(MEASURES)}")

    started = time.perf_counter()
    urls = {label: prepare(server, label, records, reuse=args.reuse) for label, records in sizes.items()}
    if args.prepare_only:
        say(f"prepared {', '.join(urls)}; measure them with --reuse")
        return 0
    results: dict[str, dict] = {}
    for label, url in urls.items():
        say(f"measuring {label}")
        results[label] = {}
        if "snapshot" in args.only:
            results[label]["snapshot"] = measure(
                "snapshot", url, "--runs", str(args.runs), timeout=args.timeout
            )
        if "memory" in args.only:
            results[label]["memory"] = measure("memory", url, timeout=args.timeout)
        if "lists" in args.only or "load" in args.only:
            results[label]["lists"] = measure("lists", url, timeout=args.timeout)
        if "drf" in args.only:
            results[label]["drf"] = measure("drf", url, timeout=args.timeout)
        if "load" in args.only:
            details = _get(results, label, "lists", "detail_paths") or {}
            results[label]["load"] = load(
                url, users=args.users, seconds=args.seconds, details=details, workers=args.workers
            )

    rows = table_rows(results, labels)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"bench-{stamp}-{'-'.join(labels)}.json"
    path.write_text(
        json.dumps(
            {
                "sizes": sizes,
                "started": stamp,
                "minutes": (time.perf_counter() - started) / 60,
                "rows": [row.as_dict() for row in rows],
                "raw": results,
            },
            ensure_ascii=False,
            indent=1,
            default=str,
        ),
        encoding="utf-8",
    )
    print()
    print(
        "Green Jobs Qom benchmark — sizes "
        + ", ".join(f"{label} ({records:,} records)" for label, records in sizes.items())
    )
    print(
        f"PostgreSQL at {urlsplit(server).hostname}:{urlsplit(server).port or 5432}, default settings; "
        f"{(time.perf_counter() - started) / 60:.1f} min"
    )
    print()
    print(format_table(rows, labels))
    print()
    print(summary(rows))
    print(f"Raw numbers: {path.relative_to(ROOT)}")
    # The benchmark measures and reports; a MISS is a finding, not a failed run.
    return 0


if __name__ == "__main__":
    sys.exit(main())

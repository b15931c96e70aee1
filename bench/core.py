"""The benchmark's pure parts: statistics, ratios against targets, the table, and the capture and replay
of a piece of code's SQL. Nothing here times the portal by itself; tests/test_bench_smoke.py checks it."""

import inspect
import math
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

PASS, MISS, NA = "PASS", "MISS", "n/a"


def median(values: Iterable[float]) -> float | None:
    values = list(values)
    return statistics.median(values) if values else None


def percentile(values: Iterable[float], fraction: float) -> float | None:
    """The nearest-rank percentile (fraction 0.5 is the median of an odd count, 0.95 the p95)."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def verdict(value: float | None, limit: float, *, at_most: bool = True) -> str:
    """PASS when value is within the limit (at most, or at least), MISS when not, n/a without a value."""
    if value is None:
        return NA
    within = value <= limit if at_most else value >= limit
    return PASS if within else MISS


@dataclass
class Row:
    """One line of the table: a measure at each size, the ratio the target reads, and the verdict."""

    name: str
    values: dict[str, float | None]
    unit: str = "s"
    ratio: float | None = None
    target: str = ""
    verdict: str = ""
    note: str = ""

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "values": self.values,
            "unit": self.unit,
            "ratio": self.ratio,
            "target": self.target,
            "verdict": self.verdict,
            "note": self.note,
        }


def scale_row(
    name: str,
    values: dict[str, float | None],
    *,
    small: str,
    large: str | None,
    limit: float,
    at_most: bool = True,
    unit: str = "s",
    note: str = "",
) -> Row:
    """A row whose target compares the largest size with the smallest: large / small against limit."""
    value = ratio(values.get(large), values.get(small)) if large else None
    sign = "≤" if at_most else "≥"
    target = f"{large} {sign} {limit:g} × {small}" if large else f"(needs a second size) {sign} {limit:g}×"
    return Row(
        name,
        values,
        unit=unit,
        ratio=value,
        target=target,
        verdict=verdict(value, limit, at_most=at_most) if large else NA,
        note=note,
    )


def within_row(
    name: str,
    values: dict[str, float | None],
    ratios: dict[str, float | None],
    *,
    limit: float,
    target: str,
    at_most: bool = True,
    unit: str = "s",
    note: str = "",
) -> Row:
    """A row whose target holds at every size by itself (snapshot / raw SQL, p95 / p50, DRF / bare):
    the ratio shown is the worst one, and the verdict is PASS only if every size passes."""
    known = {size: value for size, value in ratios.items() if value is not None}
    if not known:
        return Row(name, values, unit=unit, target=target, verdict=NA, note=note)
    worst = max(known.values()) if at_most else min(known.values())
    return Row(
        name,
        values,
        unit=unit,
        ratio=worst,
        target=target,
        verdict=verdict(worst, limit, at_most=at_most),
        note=note,
    )


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    if unit == "req/s":
        return f"{value:.1f} req/s"
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "q":
        return f"{value:g} q"
    return f"{value:g}{(' ' + unit) if unit else ''}"


def format_table(rows: list[Row], sizes: list[str]) -> str:
    """The side-by-side table: measure | one column per size | ratio | target | verdict."""
    header = ["measure", *sizes, "ratio", "target", "verdict"]
    lines = [header]
    for row in rows:
        lines.append(
            [
                row.name,
                *(format_value(row.values.get(size), row.unit) for size in sizes),
                "—" if row.ratio is None else f"{row.ratio:.2f}",
                row.target,
                " ".join(part for part in (row.verdict, f"({row.note})" if row.note else "") if part),
            ]
        )
    widths = [max(len(line[column]) for line in lines) for column in range(len(header) - 1)]
    rendered = []
    for index, line in enumerate(lines):
        cells = [cell.ljust(width) for cell, width in zip(line[:-1], widths, strict=True)]
        text = " | ".join(cells) + (f" | {line[-1]}" if line[-1] else "")
        rendered.append(text.rstrip())
        if index == 0:
            rendered.append("-+-".join("-" * width for width in widths) + "-+-" + "-" * 7)
    return "\n".join(rendered)


def summary(rows: list[Row]) -> str:
    counted = [row.verdict for row in rows if row.verdict in (PASS, MISS)]
    others = len(rows) - len(counted)
    return f"{counted.count(PASS)} PASS, {counted.count(MISS)} MISS, {others} without a verdict"


@dataclass
class Statement:
    sql: str
    params: object
    many: bool


@dataclass
class SqlCapture:
    """Every statement a piece of code sends through a Django connection, with its parameters.

    Use as `with connection.execute_wrapper(capture): ...`; the statements still run."""

    statements: list[Statement] = field(default_factory=list)

    def __call__(self, execute, sql, params, many, context):
        self.statements.append(Statement(sql, params, many))
        return execute(sql, params, many, context)


def replay(statements: list[Statement], cursor) -> int:
    """Runs the captured statements on a bare DB-API cursor and fetches every row, as the ORM would;
    returns how many rows came back. The parameters are the ones the ORM sent, so the plans match."""
    rows = 0
    for statement in statements:
        if statement.many:
            cursor.executemany(statement.sql, statement.params)
            continue
        if statement.params is None:
            cursor.execute(statement.sql)
        else:
            cursor.execute(statement.sql, statement.params)
        if cursor.description is not None:
            rows += len(cursor.fetchall())
    return rows


def timed(function: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def repeat_median(function: Callable[[], object], *, runs: int = 3, warm_up: int = 1) -> tuple[float, list]:
    """The median of `runs` timed calls after `warm_up` untimed ones; also every timing."""
    for _ in range(warm_up):
        function()
    timings = [timed(function)[0] for _ in range(runs)]
    return statistics.median(timings), timings


def call_with_defaults(function: Callable, known: dict):
    """Calls a service of the portal with the arguments it requires, taken by name from `known`; one it
    requires that `known` lacks is a TypeError naming it (the benchmark cannot guess it)."""
    kwargs = {}
    for name, parameter in inspect.signature(function).parameters.items():
        required = parameter.default is inspect.Parameter.empty and parameter.kind in (
            inspect.Parameter.KEYWORD_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        )
        if required:
            if name not in known:
                raise TypeError(f"{function.__name__} needs {name!r}, which the benchmark cannot give")
            kwargs[name] = known[name]
    return function(**kwargs)

"""The indicators' values per period, computed once a period has ended and kept from then on.

A period that has ended is *closed*: its values are computed the first time anything needs them (the
nightly run, a report, a dashboard) and stored; from then on they are read, never computed again. A record
that belongs to a closed period but arrives later (a tranche entered with last month's date) is noted as a
late change; the stored values stand, the pages say a late change is waiting, and a programme manager
recomputes the period deliberately, with a reason, which is recorded with every figure it moved.

The current period is computed each time, with queries over the period's own records; a cumulative
indicator adds the period's growth to the stored value at the end of the period before, so nothing counts
from the beginning of history. The dashboards read a stored copy of the progress, refreshed by Celery.
"""

import datetime
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenjobs.exceptions import DomainError
from greenjobs.outbox.services import nudge

from .. import breakdowns
from .. import indicators as measures
from ..models import (
    Indicator,
    IndicatorValue,
    LateChange,
    PeriodBreakdown,
    ProgressSnapshot,
    Recomputation,
    RunningValue,
)
from ..periods import Period, PeriodError
from ..permissions import can_set_targets

# A cumulative indicator counts from the beginning of the records, not from the period's first day.
EVER = datetime.date(1900, 1, 1)
KINDS = ("month", "quarter", "year")
# How many past periods of each kind the nightly run makes sure are stored: what the reports' trends and
# the dashboards read (six quarters, a year of months, the memorandum's years).
CLOSE_BACK = {"month": 13, "quarter": 7, "year": 3}
REFRESH_PROGRESS = "measurement.tasks.refresh_progress"
REFRESH_PENDING_KEY = "measurement:progress-refresh-pending"
PROGRESS_KEY = "progress"
RUNNING_LAG = datetime.timedelta(hours=1)


def is_closed(period: Period, today: datetime.date) -> bool:
    return period.end < today


def _manual(indicator: Indicator, period: Period) -> Decimal | None:
    # Read from the prefetched entries: a hand-entered figure is already stored, with who entered it.
    for entry in indicator.manual_values.all():
        if entry.period_start == period.start and entry.period_end == period.end:
            return entry.value
    return None


def _compute(
    indicator: Indicator, period: Period, today: datetime.date, known: dict, running: dict
) -> Decimal:
    """One computed indicator for one period. In a period not over yet, a windowed indicator is its running
    value plus the records stamped since; a cumulative one adds that growth to the stored value at the end
    of the period before (`known` holds the stored values already read). Anything else counts the period."""
    window = measures.WINDOWED.get(indicator.code)
    if window is not None and not is_closed(period, today) and period.start <= today:
        row = running.get((indicator.pk, period.key))
        grown = row.value + window(row.through, period.end) if row else window(period.start, period.end)
        if not indicator.cumulative:
            return grown
        before = period.previous()
        base = known.get((indicator.pk, before.key))
        if base is None:
            base = values_for([indicator], [before], today=today)[(indicator.code, before.key)]
        return base + grown
    first = EVER if indicator.cumulative else period.start
    return measures.COMPUTED[indicator.code](first, period.end)


def values_for(indicators, periods, *, today: datetime.date | None = None) -> dict:
    """{(code, period key): value} for every indicator and period asked for.

    Closed periods are read from the store (one query for all of them); what is missing there is
    computed now and stored. Open periods are computed and not stored.
    """
    today = today or timezone.localdate()
    indicators = list(indicators)
    closed = [period for period in periods if is_closed(period, today)]
    known = {}
    if closed:
        # Plain tuples: the trend reads a few hundred stored values, not worth a model instance each.
        known = {
            (indicator_id, period): value
            for indicator_id, period, value in IndicatorValue.objects.filter(
                period__in=[period.key for period in closed], indicator__in=[i.pk for i in indicators]
            ).values_list("indicator_id", "period", "value")
        }
    running = {}
    if len(closed) < len(periods):
        running = {
            (row.indicator_id, row.period): row
            for row in RunningValue.objects.filter(
                period__in=[period.key for period in periods if period not in closed],
                indicator__in=[i.pk for i in indicators],
            )
        }
    values, new = {}, []
    with measures.shared_savings():
        _fill(values, new, indicators, periods, known, today, running)
    if new:
        # Two runs closing the same period at once compute the same figures; the first one stored wins.
        IndicatorValue.objects.bulk_create(new, ignore_conflicts=True)
    return values


def _fill(values, new, indicators, periods, known, today, running) -> None:
    for period in periods:
        for indicator in indicators:
            if indicator.source == Indicator.Source.MANUAL:
                value = _manual(indicator, period)
            elif (indicator.pk, period.key) in known:
                value = known[(indicator.pk, period.key)]
            else:
                value = _compute(indicator, period, today, known, running)
                if is_closed(period, today):
                    known[(indicator.pk, period.key)] = value
                    new.append(
                        IndicatorValue(
                            indicator=indicator, period=period.key, start=period.start, end=period.end,
                            value=value,
                        )
                    )  # fmt: skip
            values[(indicator.code, period.key)] = value


def _indicators():
    return list(Indicator.objects.select_related("goal").prefetch_related("manual_values"))


def snapshots_close(*, today: datetime.date | None = None) -> int:
    """The nightly run: stores the values of the recent periods that have ended and are not stored yet.
    Returns how many values it stored; a second run on the same day stores none."""
    today = today or timezone.localdate()
    periods = []
    for kind in KINDS:
        last = Period.containing(today, kind).previous()
        periods += last.trend(CLOSE_BACK[kind])
    before = IndicatorValue.objects.count()
    indicators = [i for i in _indicators() if i.source == Indicator.Source.COMPUTED]
    # Oldest first, so a period's stored value is there when the next one asks for it.
    for period in sorted(periods, key=lambda p: (p.start, p.end)):
        values_for(indicators, [period], today=today)
    # The tables of the periods just ended: the current periods' tables grow from them.
    for kind in KINDS:
        breakdowns_for(Period.containing(today, kind).previous(), today=today)
    return IndicatorValue.objects.count() - before


@transaction.atomic
def running_advance(*, now: datetime.datetime | None = None) -> int:
    """Brings the current periods' running values up to an hour ago (Celery, every few minutes): each adds
    only what was stamped since it was last brought up. The hour is a margin for a transaction that
    stamped its records before it committed. Values of periods now over are dropped: those periods are
    stored for good by the nightly run. Returns how many running values moved."""
    now = now or timezone.now()
    through = now - RUNNING_LAG
    periods = [Period.containing(timezone.localdate(now), kind) for kind in KINDS]
    # The indicators' rows are the lock: two runs at once would both add the same window.
    indicators = list(
        Indicator.objects.select_for_update()
        .filter(code__in=measures.WINDOWED, source=Indicator.Source.COMPUTED)
        .order_by("pk")
    )
    RunningValue.objects.exclude(period__in=[period.key for period in periods]).delete()
    rows = {
        (row.indicator_id, row.period): row
        for row in RunningValue.objects.filter(period__in=[period.key for period in periods])
    }
    moved = 0
    for period in periods:
        begin, _stop = measures._day_range(period.start, period.end)
        if through <= begin:
            continue
        for indicator in indicators:
            window = measures.WINDOWED[indicator.code]
            row = rows.get((indicator.pk, period.key))
            if row is None:
                value = window(period.start, through)
                RunningValue.objects.create(
                    indicator=indicator, period=period.key, through=through, value=value
                )
            elif row.through < through:
                row.value += window(row.through, through)
                row.through = through
                row.save(update_fields=["value", "through"])
            else:
                continue
            moved += 1
    return moved


def breakdowns_for(period: Period, *, today: datetime.date | None = None) -> dict:
    """The report's tables of a period: read when the period is closed and they are stored, else computed
    (and stored if closed). In the current period the verified businesses per county grow from the stored
    tables of the period before."""
    today = today or timezone.localdate()
    if is_closed(period, today):
        stored = PeriodBreakdown.objects.filter(period=period.key).first()
        if stored is not None:
            return stored.data
        data = breakdowns.breakdowns(period)
        PeriodBreakdown.objects.get_or_create(period=period.key, defaults={"data": data})
        return data
    base = None
    if period.start <= today:
        before = PeriodBreakdown.objects.filter(period=period.previous().key).first()
        if before is not None:
            base = {row["code"]: row["verified"] for row in before.data.get("by_county", [])}
    return breakdowns.breakdowns(period, verified_base=base)


@transaction.atomic
def figures_rebuild(*, reason: str, actor=None) -> Recomputation:
    """History loaded in bulk (the demo, generated data) lands in periods whose figures may be stored:
    every stored figure, report table and running value is dropped, to be computed again from the
    records, and the drop is recorded with its reason like any recomputation."""
    periods = sorted(set(IndicatorValue.objects.values_list("period", flat=True).distinct()))
    recomputation = Recomputation.objects.create(periods=periods, reason=reason, requested_by=actor)
    IndicatorValue.objects.all().delete()
    PeriodBreakdown.objects.all().delete()
    RunningValue.objects.all().delete()
    pending_late_changes().update(recomputation=recomputation)
    return recomputation


# --- late changes and deliberate recomputation ----------------------------------------------------------


def periods_containing(day: datetime.date) -> list[Period]:
    return [Period.containing(day, kind) for kind in KINDS]


def late_change_note(*, day: datetime.date | None, what: str) -> LateChange | None:
    """Notes a record dated `day` if a period containing it already has stored values. Costs nothing for
    records of the current month, which no stored period can contain."""
    if day is None:
        return None
    if isinstance(day, datetime.datetime):
        day = timezone.localdate(day)
    if day >= Period.containing(timezone.localdate(), "month").start:
        return None
    if not IndicatorValue.objects.filter(start__lte=day, end__gte=day).exists():
        return None
    return LateChange.objects.create(day=day, what=what[:200])


def pending_late_changes():
    return LateChange.objects.filter(recomputation__isnull=True)


def pending_periods() -> list[Period]:
    """The stored periods a waiting late change belongs to, oldest first."""
    days = sorted(set(pending_late_changes().values_list("day", flat=True)[:500]))
    keys = {period.key: period for day in days for period in periods_containing(day)}
    stored = set(IndicatorValue.objects.filter(period__in=keys).values_list("period", flat=True).distinct())
    return sorted((keys[key] for key in stored), key=lambda p: (p.start, p.end))


@transaction.atomic
def snapshots_recompute(*, actor, reason: str, periods: list[str] | None = None) -> Recomputation:
    """Computes closed periods' stored values again, on purpose: the periods given, or those late changes
    are waiting for. Records who, when, why and every figure that moved; the late changes are settled."""
    if actor is not None and not can_set_targets(actor):
        raise DomainError(
            _("Only programme managers recompute closed periods."), code="forbidden", status_code=403
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the closed periods are recomputed."), code="reason_required")
    today = timezone.localdate()
    if periods is None:
        chosen = pending_periods()
    else:
        try:
            chosen = [Period.parse(key) for key in periods]
        except PeriodError as exc:
            raise DomainError(str(exc), code="bad_period") from exc
    chosen = [period for period in chosen if is_closed(period, today)]
    if not chosen:
        raise DomainError(_("There is no closed period to recompute."), code="nothing_to_recompute")
    chosen = sorted({p.key: p for p in chosen}.values(), key=lambda p: (p.start, p.end))
    indicators = [i for i in _indicators() if i.source == Indicator.Source.COMPUTED]
    by_pk = {indicator.pk: indicator for indicator in indicators}
    recomputation = Recomputation.objects.create(
        periods=[period.key for period in chosen], reason=reason, requested_by=actor
    )
    changes = []
    stored = {
        (row.indicator_id, row.period): row
        for row in IndicatorValue.objects.select_for_update().filter(period__in=[p.key for p in chosen])
    }
    now = timezone.now()
    with measures.shared_savings():
        _recount(chosen, indicators, stored, by_pk, recomputation, changes, now)
    recomputation.changes = changes
    recomputation.save(update_fields=["changes"])
    for period in chosen:
        PeriodBreakdown.objects.update_or_create(
            period=period.key,
            defaults={
                "data": breakdowns.breakdowns(period),
                "computed_at": now,
                "recomputation": recomputation,
            },
        )
    # A late change is settled once every stored period containing its day has been recomputed.
    done = {period.key for period in chosen}
    stored_keys = set(IndicatorValue.objects.values_list("period", flat=True).distinct())
    settled = [
        late.pk
        for late in pending_late_changes().filter(
            day__gte=chosen[0].start, day__lte=max(p.end for p in chosen)
        )
        if all(p.key in done or p.key not in stored_keys for p in periods_containing(late.day))
    ]
    LateChange.objects.filter(pk__in=settled).update(recomputation=recomputation)
    progress_refresh_request()
    return recomputation


def _recount(chosen, indicators, stored, by_pk, recomputation, changes, now) -> None:
    for period in chosen:
        for indicator in indicators:
            first = EVER if indicator.cumulative else period.start
            value = measures.COMPUTED[indicator.code](first, period.end)
            row = stored.get((indicator.pk, period.key))
            if row is None:
                IndicatorValue.objects.create(
                    indicator=indicator, period=period.key, start=period.start, end=period.end, value=value,
                    recomputation=recomputation,
                )  # fmt: skip
                continue
            if row.value != value:
                changes.append(
                    {
                        "period": period.key, "code": by_pk[row.indicator_id].code,
                        "before": _plain(row.value), "after": _plain(value),
                    }
                )  # fmt: skip
                row.value, row.computed_at, row.recomputation = value, now, recomputation
                row.save(update_fields=["value", "computed_at", "recomputation"])


def _plain(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


# --- the dashboards' stored progress --------------------------------------------------------------------


def progress_refresh_request() -> None:
    """Asks Celery to refresh the dashboards' figures once the current transaction commits. Many events
    in a row ask once: the flag stays until the refresh starts, and a refresh reads everything committed
    before it started. With the cache down nothing is asked, and the scheduled refresh catches up."""
    if cache.add(REFRESH_PENDING_KEY, 1, timeout=10 * 60):
        nudge(REFRESH_PROGRESS, on_failure=lambda: cache.delete(REFRESH_PENDING_KEY))


def progress_store(data: dict) -> ProgressSnapshot:
    snapshot, _created = ProgressSnapshot.objects.update_or_create(
        key=PROGRESS_KEY, defaults={"data": data, "computed_at": timezone.now()}
    )
    return snapshot


def stored_progress() -> ProgressSnapshot | None:
    return ProgressSnapshot.objects.filter(key=PROGRESS_KEY).first()

"""Progress reports: a snapshot of every indicator for a period, rendered to PDF and kept with its data.

The job row is the unit of idempotency: a request makes one row (its request_key is unique); running the
task again for a finished row does nothing, and a row whose worker died is picked up where it stands.
"""

import datetime
import hashlib
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.models import Goal
from greenjobs import uploads
from greenjobs.exceptions import DomainError
from greenjobs.outbox.services import enqueue

from .. import indicators as measures
from .. import pdf as report_pdf
from ..models import Indicator, IndicatorTarget, ReportJob
from ..periods import Period, PeriodError
from ..permissions import can_request_reports
from . import snapshots

TREND_LENGTH = 6
# The generate_report task's hard time limit (seconds): a job running longer than this cannot finish.
REPORT_TIME_LIMIT = 15 * 60
# Sent by name: the task calls this module, so this module does not import the task. The name is the one
# the task had in programs.tasks, so reports queued before it moved still run.
GENERATE_REPORT = "programs.tasks.generate_report"


def _json(value: Decimal | None):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def indicator_rows(period: Period, *, trend: bool = True, progress=None, today=None) -> list[dict]:
    """Every indicator with baseline, target, actual, percentage and (optionally) its trend.

    The values come from `snapshots.values_for`: the closed periods of the trend are read from the
    store (computed once, the first time), only the periods not over yet are computed.
    """
    periods = period.trend(TREND_LENGTH) if trend else [period]
    targets = {
        (t.indicator_id, t.jalali_year): t.value
        for t in IndicatorTarget.objects.filter(jalali_year__in={p.year for p in periods})
    }
    indicators = list(Indicator.objects.select_related("goal").prefetch_related("manual_values"))
    values = snapshots.values_for(indicators, periods, today=today)
    if progress:
        progress(70)
    rows = []
    for indicator in indicators:
        actual = values[(indicator.code, period.key)]
        target = targets.get((indicator.pk, period.year))
        row = {
            "code": indicator.code,
            "goal": indicator.goal.code,
            "name_fa": indicator.name_fa,
            "name_en": indicator.name_en,
            "unit_fa": indicator.unit_fa,
            "unit_en": indicator.unit_en,
            "direction": indicator.direction,
            "source": indicator.source,
            "baseline": _json(indicator.baseline),
            "target": _json(target),
            "actual": _json(actual),
            "percent": _json(measures.percent_of_target(indicator, actual, target)),
        }
        if trend:
            row["trend"] = [
                {"period": past.key, "value": _json(values[(indicator.code, past.key)])} for past in periods
            ]
        rows.append(row)
    return rows


def build_snapshot(period: Period, *, progress=None) -> dict:
    """Everything the report shows, as plain JSON, computed in the database."""
    if progress:
        progress(5)
    rows = indicator_rows(period, progress=progress)
    goals = [
        {
            "code": goal.code, "title_fa": goal.title_fa, "title_en": goal.title_en,
            "indicators": [row for row in rows if row["goal"] == goal.code],
        }
        for goal in Goal.objects.order_by("order")
    ]  # fmt: skip
    snapshot = {
        "period": period.key,
        "label_fa": period.label("fa"),
        "label_en": period.label("en"),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "generated_at": timezone.now().isoformat(),
        "trend_periods": [past.key for past in period.trend(TREND_LENGTH)],
        "goals": goals,
        **snapshots.breakdowns_for(period),
    }
    if progress:
        progress(80)
    return snapshot


@transaction.atomic
def report_request(*, actor, period: str, language: str = "fa", scheduled: bool = False) -> ReportJob:
    if actor is not None and not can_request_reports(actor):
        raise DomainError(
            _("Only programme managers and agency managers prepare reports."),
            code="forbidden",
            status_code=403,
        )
    try:
        parsed = Period.parse(period)
    except PeriodError as exc:
        raise DomainError(str(exc), code="bad_period") from exc
    if language not in ReportJob.Language.values:
        raise DomainError(_("Choose Persian or English."), code="bad_language")
    job = ReportJob.objects.create(
        period=parsed.key,
        language=language,
        requested_by=actor,
        request_key=uuid.uuid4().hex,
        scheduled=scheduled,
    )
    enqueue(GENERATE_REPORT, job.pk)
    return job


def _set_progress(job_id: int, value: int) -> None:
    # Written outside any long transaction, so the page polling the row sees it move; the heartbeat
    # tells the recovery task the worker is alive.
    ReportJob(pk=job_id).advance(value)


def _stall_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.REPORT_STALL_SECONDS)


def report_run(*, job_id: int) -> str:
    """Computes, renders and stores one report. Safe to run twice: a finished job is left as it is, and a
    job another worker is visibly working on (its heartbeat is fresh) is left to that worker."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return "gone"
        if job.status == ReportJob.Status.SUCCEEDED:
            return "already done"
        if job.status == ReportJob.Status.FAILED:
            # Declared failed (by its own error or by the recovery task): a late duplicate message
            # must not bring it back behind the person's back.
            return "already failed"
        now = timezone.now()
        if (
            job.status == ReportJob.Status.RUNNING
            and job.heartbeat_at
            and now - job.heartbeat_at < _stall_after()
        ):
            return "running elsewhere"
        job.start(progress=1, message=job.message, attempts=job.attempts + 1)
    try:
        period = Period.parse(job.period)
        snapshot = build_snapshot(period, progress=lambda value: _set_progress(job.pk, value))
        with translation.override(job.language):
            pdf = report_pdf.render(snapshot, job.language)
        _set_progress(job.pk, 95)
        digest = hashlib.sha256(pdf).hexdigest()
    except Exception as exc:
        job.fail(f"{exc.__class__.__name__}: {exc}"[:2000])
        raise
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job.pk)
        if job.status == ReportJob.Status.SUCCEEDED:
            return "already done"
        name = f"reports/{job.period}-{job.language}-{job.request_key}.pdf"
        storage = uploads.private_storage()
        if storage.exists(name):
            storage.delete(name)
        stored = storage.save(name, ContentFile(pdf))
        job.finish(message=job.message, stored_name=stored, sha256=digest, size=len(pdf), snapshot=snapshot)
    return "done"


def reports_recover_stalled(*, now: datetime.datetime | None = None) -> dict[str, list[int]]:
    """Starts again the reports whose worker died, and fails those that cannot finish.

    A running job whose heartbeat is older than REPORT_STALL_SECONDS lost its worker: it goes back to
    the queue, up to REPORT_MAX_ATTEMPTS runs in all. A job that has run past the task's hard time limit,
    or has used up its attempts, is marked failed with the reason shown to the person who asked for it.
    A job still waiting well after it was asked for (its message was lost with the broker) is sent
    again. report_run's claim makes every re-send safe: the job is produced once.
    """
    now = now or timezone.now()
    stalled_since = now - _stall_after()
    recovered, failed = [], []
    with transaction.atomic():
        running = ReportJob.objects.select_for_update(skip_locked=True).filter(
            status=ReportJob.Status.RUNNING, heartbeat_at__lt=stalled_since
        )
        for job in running:
            overdue = job.started_at and now - job.started_at > datetime.timedelta(seconds=REPORT_TIME_LIMIT)
            # Shown to the person who asked, so written in the report's language.
            with translation.override(job.language):
                if overdue or job.attempts >= settings.REPORT_MAX_ATTEMPTS:
                    job.status = ReportJob.Status.FAILED
                    job.finished_at = now
                    job.message = (
                        _("The report could not be finished within its time limit.")
                        if overdue
                        else _("The report could not be prepared: the worker stopped each time it tried.")
                    )
                    failed.append(job.pk)
                else:
                    job.status = ReportJob.Status.PENDING
                    job.message = _("The worker preparing this report stopped; it was started again.")
                    recovered.append(job.pk)
            job.save(update_fields=["status", "finished_at", "message"])
        waiting = ReportJob.objects.filter(
            status=ReportJob.Status.PENDING, requested_at__lt=now - _stall_after() * 5
        ).exclude(pk__in=recovered)
        lost = list(waiting.values_list("pk", flat=True)[:100])
    for job_id in [*recovered, *lost]:
        enqueue(GENERATE_REPORT, job_id)
    return {"recovered": recovered, "failed": failed, "resent": lost}


def scheduled_periods(today: datetime.date) -> list[str]:
    """The periods the schedule reports on a given day: the month (and quarter) that just ended."""
    current_month = Period.containing(today, "month")
    periods = [current_month.previous().key]
    current_quarter = Period.containing(today, "quarter")
    if current_month.number in (1, 4, 7, 10):
        periods.append(current_quarter.previous().key)
    return periods


def reports_schedule(*, today: datetime.date | None = None) -> list[ReportJob]:
    """Beat's monthly run: one report per period just ended and language, unless one already exists."""
    today = today or timezone.localdate()
    jobs = []
    for period in scheduled_periods(today):
        for language in ReportJob.Language.values:
            if ReportJob.objects.filter(period=period, language=language, scheduled=True).exists():
                continue
            jobs.append(report_request(actor=None, period=period, language=language, scheduled=True))
    return jobs

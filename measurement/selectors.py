"""The dashboards: each landing page reads several apps, so it is assembled here, above them all."""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from agencies.models import Agency, Goal, Obligation
from agencies.selectors import agencies_with_obligations, current_memorandum
from greenjobs.bilingual import pick_field
from greenjobs.formats import format_percent
from greenjobs.jalali import is_persian
from greenjobs.paging import count_rows, describe_count
from greenjobs.permissions import membership_of
from incentives import selectors as incentives_selectors
from monitoring import selectors as monitoring_selectors
from programs import selectors as programs_selectors
from training.selectors.certificates import certificates_for

from .services import snapshots


def applicant_dashboard(*, user) -> dict:
    """What an applicant's landing page shows: their profile, their registrations and what comes next."""
    businesses = list(programs_selectors.business_list(user=user).order_by("-updated_at")[:5])
    loans = list(incentives_selectors.application_list(user=user).order_by("-updated_at")[:5])
    certificates = list(certificates_for(user).order_by("-issued_on", "-pk")[:5])
    return {
        "profile": user,
        "businesses": businesses,
        "loans": loans,
        "certificates": certificates,
        # The reports the applicant owes on their loans' promised jobs, and MCLS's recent decisions on them.
        "rounds_due": list(monitoring_selectors.rounds_due(user=user)[:5]),
        "decisions": list(monitoring_selectors.recent_decisions(user=user)[:5]),
    }


# A landing page says how much work waits; past a thousand, "more than 1,000" says it as well.
WORK_COUNT_LIMIT = 1000


def _work(queryset) -> dict:
    count, kind = count_rows(queryset, limit=WORK_COUNT_LIMIT)
    return {"count": count, "shown": describe_count(count, kind)}


def staff_dashboard(*, user) -> dict:
    membership = membership_of(user)
    agency = membership.agency
    obligations = Obligation.objects.filter(agency=agency).prefetch_related("goals").order_by("order")
    goal_ids = {goal.pk for obligation in obligations for goal in obligation.goals.all()}
    # Who to turn to, by name and role: a head count per role is nothing anyone can act on.
    colleagues = (
        agency.memberships.filter(is_active=True)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name", "pk")
    )
    # Every count here is work this person can do, computed with the rule that gives them the buttons.
    return {
        "registry_work": _work(programs_selectors.actionable_businesses(user=user)),
        "loan_work": _work(incentives_selectors.actionable_applications(user=user)),
        "has_loan_queue": (agency.code, membership.role) in incentives_selectors.STAFF_QUEUES,
        "monitoring": monitoring_selectors.queue_counts(user=user) if agency.code in ("MCLS", "DOE") else {},
        "membership": membership,
        "agency": agency,
        "obligations": obligations,
        "goals": Goal.objects.filter(pk__in=goal_ids).order_by("order"),
        "colleagues": [
            (member.user.get_full_name() or member.user.username, member.get_role_display())
            for member in colleagues
        ],
        "partners": Agency.objects.exclude(pk=agency.pk).order_by("order"),
    }


def programme_dashboard(*, user) -> dict:
    agencies = agencies_with_obligations().annotate(
        staff_count=Count("memberships", filter=Q(memberships__is_active=True))
    )
    data = stored_progress()
    # The whole-programme totals are counted with the figures, in the background (see services.progress).
    totals = (data or {}).get("programme") or {"loan_funnel": {}, "accounts": {}, "registry_counts": {}}
    return {
        "progress": localized_progress(data),
        "loan_funnel": totals["loan_funnel"],
        "memorandum": current_memorandum(),
        "agencies": agencies,
        "accounts": totals["accounts"],
        "registry_counts": totals["registry_counts"],
    }


# --- progress against the memorandum's goals (the programme and the public dashboards) ----------------------

# Promises of jobs, and the rate that divides by them, are for the agencies: the public sees verified jobs.
NOT_PUBLIC = ("G1.10", "G1.12")


def public_progress(progress: dict | None) -> dict | None:
    if progress is None:
        return None
    goals = [
        {**goal, "indicators": [row for row in goal["indicators"] if row["code"] not in NOT_PUBLIC]}
        for goal in progress["goals"]
    ]
    chart = dict(progress["chart"])
    chart["goals"] = {
        code: [row for row in rows if row["code"] not in NOT_PUBLIC] for code, rows in chart["goals"].items()
    }
    return {**progress, "goals": goals, "chart": chart}


# The few indicators the public page puts first, as headline figures.
HEADLINES = ("G1.1", "G1.2", "G1.6", "G5.3")


def stored_progress() -> dict | None:
    """The progress as the dashboards show it: the copy Celery keeps (refreshed on a schedule and after
    the events that move it), read with one query. Missing only before its first refresh: that refresh is
    asked for here (it runs at once where tasks run in process, as in the demo)."""
    snapshot = snapshots.stored_progress()
    if snapshot is None:
        snapshots.progress_refresh_request()
        snapshot = snapshots.stored_progress()
    return snapshot.data if snapshot is not None else None


def _percent_text(value, persian: bool) -> str:
    if value is None:
        return ""
    return format_percent(value)


def localized_progress(data: dict | None) -> dict | None:
    """The progress in the reader's language: what the templates show and what the charts read."""
    if data is None:
        return None
    persian = is_persian()
    periods = [pick_field(period, "label") for period in data["trend_periods"]]
    goals = []
    for goal in data["goals"]:
        indicators = []
        for row in goal["indicators"]:
            percent = row["percent"]
            indicators.append(
                {
                    "code": row["code"],
                    "name": pick_field(row, "name"),
                    "unit": pick_field(row, "unit"),
                    "direction": row["direction"],
                    "manual": row["source"] == "manual",
                    "baseline": row["baseline"],
                    "target": row["target"],
                    "actual": row["actual"],
                    "percent": percent,
                    "percent_text": _percent_text(percent, persian),
                    # The bar shows 0–100; the text beside it says by how much a target was overshot.
                    "bar": None if percent is None else max(0, min(100, round(percent))),
                    "trend": list(zip(periods, row["trend"], strict=False)),
                }
            )
        goals.append({"code": goal["code"], "title": pick_field(goal, "title"), "indicators": indicators})
    by_code = {row["code"]: row for goal in goals for row in goal["indicators"]}
    chart = {
        "periods": periods,
        "goals": {
            goal["code"]: [
                {
                    "code": row["code"],
                    "name": row["name"],
                    "unit": row["unit"],
                    "values": [v for _p, v in row["trend"]],
                }
                for row in goal["indicators"]
            ]
            for goal in goals
        },
    }
    chart["strings"] = {
        # The chart's text alternative; the same figures are in the table under it.
        "trend": _("Trend of %(name)s (%(unit)s) over the last six quarters"),
        "no_data": _("not available"),
    }
    return {
        "year_label": pick_field(data["year"], "label"),
        "year_key": data["year"]["key"],
        "periods": periods,
        "goals": goals,
        "headlines": [by_code[code] for code in HEADLINES if code in by_code],
        "generated_at": datetime.datetime.fromisoformat(data["generated_at"]),
        "chart": chart,
    }

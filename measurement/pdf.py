"""The printable progress report: A4 portrait, Persian (right to left, Vazirmatn) or English.

Everything printed comes from the snapshot, so a report rendered again later shows the same figures; only
the cover's memorandum title and signatories are read from the database.
"""

import datetime

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from agencies.models import Agency, Memorandum
from greenjobs import pdf
from greenjobs.text import to_persian_digits
from programs.models import RequirementCategory, Unit

from . import charts

LANGUAGES = ("fa", "en")
# The order the memorandum's environmental requirements are reported in.
SAVING_CATEGORIES = ("energy", "water", "materials", "waste", "emissions")
# Three small trend charts side by side fill the width of an A4 page between the margins.
CHART_WIDTH, CHART_HEIGHT = 215, 118


def _pick(row: dict, field: str, language: str) -> str:
    return row.get(f"{field}_{language}") or row.get(f"{field}_en") or row.get(f"{field}_fa") or ""


def _css_string(text: str) -> str:
    """Text placed inside a CSS string literal (the running footer): quotes and backslashes escaped."""
    cleaned = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return "".join(ch if ch.isprintable() else " " for ch in cleaned).replace("<", "\\3c ")


def _period_label(key: str, language: str) -> str:
    return to_persian_digits(key) if language == "fa" else key


def _cover(language: str) -> dict:
    memorandum = Memorandum.objects.order_by("-signed_on", "-pk").first()
    if memorandum is None:
        title = _("Tripartite memorandum on green jobs in Qom province")
    else:
        title = _pick({"title_fa": memorandum.title_fa, "title_en": memorandum.title_en}, "title", language)
    agencies = [
        _pick({"name_fa": agency.name_fa, "name_en": agency.name_en}, "name", language)
        for agency in Agency.objects.order_by("order")
    ]
    return {"memorandum_title": title, "agencies": agencies}


def _scaled(values: list, unit: str) -> tuple[list, str]:
    """Large amounts (Rials) drawn in millions or billions, with the unit of the caption saying so."""
    largest = max((abs(value) for value in values if value is not None), default=0)
    if largest >= 10**9:
        return [None if v is None else v / 10**9 for v in values], _("billion %(unit)s") % {"unit": unit}
    if largest >= 10**6:
        return [None if v is None else v / 10**6 for v in values], _("million %(unit)s") % {"unit": unit}
    return values, unit


def _trend_chart(row: dict, labels: list[str], name: str, unit: str, rtl: bool) -> tuple[str, str]:
    trend = row.get("trend") or []
    if all(point["value"] is None for point in trend):
        # Said in HTML, not in the SVG: WeasyPrint would draw Persian words there back to front.
        return "", unit
    values, unit = _scaled([point["value"] for point in trend], unit)
    chart = charts.bar_chart(
        labels,
        values,
        title=f"{row['code']} · {name} ({unit})",
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        rtl=rtl,
        # Digits only inside the SVG: WeasyPrint draws SVG text left to right, so words stay in HTML.
        format_value=charts.format_number,
    )
    return chart, unit


def _goals(snapshot: dict, language: str, rtl: bool) -> list[dict]:
    # "1405-Q3" stacked as 1405 over Q3, so six periods fit under a third of the page's width.
    labels = [_period_label(key, language).replace("-", "\n") for key in snapshot.get("trend_periods", [])]
    goals = []
    for goal in snapshot.get("goals", []):
        indicators = []
        for row in goal.get("indicators", []):
            name, unit = _pick(row, "name", language), _pick(row, "unit", language)
            chart, chart_unit = _trend_chart(row, labels, name, unit, rtl)
            indicators.append({**row, "name": name, "unit": unit, "chart": chart, "chart_unit": chart_unit})
        goals.append(
            {"code": goal["code"], "title": _pick(goal, "title", language), "indicators": indicators}
        )
    return goals


def _funnel(snapshot: dict) -> list[dict]:
    funnel = snapshot.get("funnel", {})
    widest = max((funnel.get(key) or 0 for key in ("applied", "approved", "disbursed")), default=0) or 1
    return [
        {
            "key": key,
            "label": label,
            "count": funnel.get(key) or 0,
            "amount": funnel.get(f"{key}_amount"),
            "width": round(100 * min((funnel.get(key) or 0) / widest, 1), 1),
        }
        for key, label in (
            ("applied", _("Applied for")),
            ("approved", _("Approved")),
            ("disbursed", _("Disbursed")),
            ("in_arrears", _("In arrears")),
            ("refused_environment", _("Refused on environmental grounds")),
        )
    ]


def _savings(snapshot: dict) -> list[dict]:
    savings = snapshot.get("savings", {})
    rows = []
    for category in SAVING_CATEGORIES:
        row = savings.get(category) or {}
        baseline, saving = row.get("baseline"), row.get("saving")
        unit = row.get("unit") or ""
        rows.append(
            {
                "category": category,
                "label": RequirementCategory(category).label,
                "unit": Unit(unit).label if unit in Unit.values and unit else "",
                "baseline": baseline,
                "saving": saving,
                "share": round(100 * saving / baseline, 1) if baseline and saving is not None else None,
            }
        )
    return rows


def _late(snapshot: dict, language: str) -> list[dict]:
    agencies = {row["code"]: _pick(row, "name", language) for row in snapshot.get("by_agency", [])}
    return [
        {
            "initiative": _pick(row, "initiative", language),
            "title": row.get("title", ""),
            "due_on": datetime.date.fromisoformat(row["due_on"]),
            "days_late": row.get("days_late"),
            "agency": agencies.get(row.get("agency"), row.get("agency", "")),
        }
        for row in snapshot.get("late_milestones", [])
    ]


def _jobs(snapshot: dict, language: str) -> dict:
    """The section "jobs promised and verified": totals and the tables by county, scheme and occupation.
    A report stored before the section existed has none, and says so."""
    jobs = snapshot.get("jobs")
    if jobs is None:
        return {"available": False}

    def rows(key):
        return [
            {
                "name": _pick(row, "name", language) or row.get("code") or "—",
                "promised": row.get("promised") or 0,
                "verified": row.get("verified") or 0,
                "rate": round(100 * (row.get("verified") or 0) / row["promised"], 1)
                if row.get("promised")
                else None,
            }
            for row in jobs.get(key, [])
        ]

    promised, verified = jobs.get("promised") or 0, jobs.get("verified") or 0
    return {
        "available": True,
        "promised": promised,
        "verified": verified,
        "rate": round(100 * verified / promised, 1) if promised else None,
        "by_county": rows("by_county"),
        "by_scheme": rows("by_scheme"),
        "by_occupation": rows("by_occupation"),
    }


# The traffic light of a goal: the mean share of target its indicators reached (those with a target).
ON_TRACK, NEEDS_ATTENTION = 90, 50


def goal_status(indicators: list[dict]) -> dict:
    """A goal at a glance: its light, the words beside it (colour alone says nothing to some readers)."""
    shares = [min(row["percent"], 150) for row in indicators if row.get("percent") is not None]
    if not shares:
        return {"light": "none", "label": _("No target set"), "percent": None}
    mean = sum(shares) / len(shares)
    if mean >= ON_TRACK:
        light, label = "green", _("On track")
    elif mean >= NEEDS_ATTENTION:
        light, label = "amber", _("Needs attention")
    else:
        light, label = "red", _("Behind")
    return {"light": light, "label": label, "percent": round(mean, 1)}


def _summary(goals: list[dict], funnel: list[dict], jobs: dict, counties: list[dict], training: dict) -> dict:
    funnel_by_key = {row["key"]: row for row in funnel}
    headlines = [
        (_("Green businesses verified"), sum(row.get("verified") or 0 for row in counties), ""),
        (_("Loans approved"), funnel_by_key["approved"]["count"], funnel_by_key["approved"]["amount"]),
        (_("Loans paid out"), funnel_by_key["disbursed"]["count"], funnel_by_key["disbursed"]["amount"]),
        (_("Certificates issued"), training.get("certificates") or 0, ""),
    ]
    if jobs.get("available"):
        headlines.append((_("Jobs promised by loans"), jobs["promised"], ""))
        headlines.append((_("Jobs verified"), jobs["verified"], ""))
    return {
        "goals": [
            {
                "code": goal["code"],
                "title": goal["title"],
                "count": len(goal["indicators"]),
                **goal_status(goal["indicators"]),
            }
            for goal in goals
        ],
        "headlines": [
            {"label": label, "value": value, "amount": amount} for label, value, amount in headlines
        ],
    }


def report_context(snapshot: dict, language: str) -> dict:
    language = language if language in LANGUAGES else "fa"
    rtl = language == "fa"
    funnel = _funnel(snapshot)
    jobs = _jobs(snapshot, language)
    counties = [{**row, "name": _pick(row, "name", language)} for row in snapshot.get("by_county", [])]
    generated = snapshot.get("generated_at")
    goals = _goals(snapshot, language, rtl)
    return {
        **_cover(language),
        "language": language,
        "rtl": rtl,
        "snapshot": snapshot,
        "period_label": snapshot.get(f"label_{language}") or snapshot.get("period", ""),
        "generated_at": datetime.datetime.fromisoformat(generated) if generated else None,
        "start": datetime.date.fromisoformat(snapshot["start"]) if snapshot.get("start") else None,
        "end": datetime.date.fromisoformat(snapshot["end"]) if snapshot.get("end") else None,
        "goals": goals,
        "summary": _summary(goals, funnel, jobs, counties, snapshot.get("training", {})),
        "by_county": counties,
        "county_totals": {
            key: sum(row.get(key) or 0 for row in counties) for key in ("verified", "loans", "loans_rial")
        },
        "by_agency": [{**row, "name": _pick(row, "name", language)} for row in snapshot.get("by_agency", [])],
        "funnel": funnel,
        "training": snapshot.get("training", {}),
        "savings": _savings(snapshot),
        "late_milestones": _late(snapshot, language),
        "jobs": jobs,
        "jobs_tables": [
            (_("County"), jobs.get("by_county", [])),
            (_("Scheme"), jobs.get("by_scheme", [])),
            (_("Occupation"), jobs.get("by_occupation", [])),
        ],
        **pdf.fonts(),
    }


def report_html(snapshot: dict, language: str) -> str:
    """The report as the HTML WeasyPrint lays out (kept apart so tests can read what is printed)."""
    language = language if language in LANGUAGES else "fa"
    with translation.override(language):
        context = report_context(snapshot, language)
        # Escaped for CSS, not for HTML: inside <style> an entity such as &amp; would print as it is.
        context["footer"] = mark_safe(  # noqa: S308 - _css_string leaves no quote, backslash or "<" unescaped
            _css_string(
                _("Green Jobs Qom · progress report · %(period)s") % {"period": context["period_label"]}
            )
        )
        return render_to_string("measurement/reports/pdf.html", context)


def render(snapshot: dict, language: str) -> bytes:
    return pdf.write_pdf(report_html(snapshot, language))

"""The steering committee's indicators page: targets for this year and the next, and hand-entered figures.

Every form works as a plain POST with a redirect back; with htmx it swaps only the row (or the manual
indicator's card) it changed.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from greenjobs.exceptions import DomainError
from greenjobs.formats import format_digits
from greenjobs.forms import apply_errors
from greenjobs.jalali import is_persian
from greenjobs.permissions import role_required
from greenjobs.templatetags.portal import quantity

from ..forms.targets import ManualValueForm, TargetForm
from ..models import Indicator, IndicatorTarget, ManualValue
from ..periods import Period
from ..services import targets as services

# The entries of a hand-entered indicator shown on the page, newest first.
MANUAL_SHOWN = 12


def _years() -> tuple[int, int]:
    current = Period.containing(timezone.localdate(), "year").year
    return current, current + 1


def _indicators(years):
    """Indicators with the targets of the given years and their hand-entered figures: four queries."""
    return Indicator.objects.select_related("goal").prefetch_related(
        Prefetch(
            "targets",
            queryset=IndicatorTarget.objects.filter(jalali_year__in=years).select_related("set_by"),
            to_attr="shown_targets",
        ),
        Prefetch(
            "manual_values",
            queryset=ManualValue.objects.select_related("entered_by").order_by("-period_start", "period_end"),
            to_attr="entries",
        ),
    )


def _period_of(entry) -> Period | None:
    """The month, quarter or year a hand-entered figure covers (None if its dates are not one of them)."""
    for kind in ("month", "quarter", "year"):
        period = Period.containing(entry.period_start, kind)
        if period.start == entry.period_start and period.end == entry.period_end:
            return period
    return None


def _target_form(indicator, year, target, bound=None):
    if bound is not None:
        return bound
    return TargetForm(
        initial={"jalali_year": year, "value": quantity(target.value) if target else ""},
        auto_id=f"id_target_{indicator.pk}_{year}_%s",
    )


def _row(indicator, years, bound=None, saved_year=None) -> dict:
    """One line of the page; `bound` is a (year, form) whose errors are shown in place."""
    targets = {target.jalali_year: target for target in indicator.shown_targets}
    cells = []
    for year in years:
        target = targets.get(year)
        form = bound[1] if bound and bound[0] == year else None
        cells.append(
            {
                "year": year,
                "target": target,
                "form": _target_form(indicator, year, target, form),
                "saved": saved_year == year,
            }
        )
    # A form for a year the page does not show (a stale page, a hand-made request) reports on the row.
    stray = bound and bound[0] not in years
    errors = [error for errors in bound[1].errors.values() for error in errors] if stray else []
    return {"indicator": indicator, "cells": cells, "errors": errors}


def _manual_form(indicator, bound=None):
    if bound is not None:
        return bound
    current = Period.containing(timezone.localdate(), "quarter")
    return ManualValueForm(initial={"period": current.key}, auto_id=f"id_manual_{indicator.pk}_%s")


def _manual_card(indicator, bound=None, saved=False) -> dict:
    language = "fa" if is_persian() else "en"
    entries = []
    for entry in indicator.entries[:MANUAL_SHOWN]:
        period = _period_of(entry)
        entries.append({"entry": entry, "label": period.label(language) if period else None})
    return {
        "indicator": indicator,
        "entries": entries,
        "form": _manual_form(indicator, bound),
        "saved": saved,
    }


def _errors_to_messages(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@role_required("programme_manager")
@require_GET
def indicator_list(request):
    years = _years()
    indicators = list(_indicators(years))
    goals = []
    for indicator in indicators:
        if not goals or goals[-1]["goal"].pk != indicator.goal_id:
            goals.append({"goal": indicator.goal, "rows": []})
        goals[-1]["rows"].append(_row(indicator, years))
    manual = [
        _manual_card(indicator) for indicator in indicators if indicator.source == Indicator.Source.MANUAL
    ]
    return render(
        request,
        "measurement/targets/list.html",
        {"goals": goals, "years": years, "manual": manual},
    )


@role_required("programme_manager")
@require_POST
def target_set(request, pk):
    years = _years()
    indicator = get_object_or_404(_indicators(years), pk=pk)
    posted_year = _posted_year(request.POST.get("jalali_year"))
    form = TargetForm(request.POST, auto_id=f"id_target_{pk}_{posted_year}_%s")
    saved_year = None
    if form.is_valid():
        try:
            services.target_set(actor=request.user, indicator_id=indicator.pk, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            if isinstance(exc, DomainError) and exc.status_code == 403:
                raise PermissionDenied from exc
            apply_errors(form, exc)
        else:
            saved_year = form.cleaned_data["jalali_year"]
    if request.htmx:
        indicator = _indicators(years).get(pk=pk)
        bound = None if saved_year else (posted_year, form)
        return render(
            request, "measurement/targets/_row.html", {"row": _row(indicator, years, bound, saved_year)}
        )
    if saved_year:
        messages.success(
            request,
            _("The %(year)s target of %(code)s is saved.")
            % {"year": format_digits(saved_year), "code": indicator.code},
        )
    else:
        _errors_to_messages(request, form)
    return redirect(reverse("measurement:indicator_list") + f"#indicator-{indicator.pk}")


def _posted_year(value) -> int | None:
    """The year a target form was for, read leniently so its errors can be shown in the right cell."""
    try:
        return TargetForm.base_fields["jalali_year"].to_python(value)
    except ValidationError:
        return None


@role_required("programme_manager")
@require_POST
def manual_value_set(request, pk):
    indicator = get_object_or_404(Indicator, pk=pk)
    form = ManualValueForm(request.POST, auto_id=f"id_manual_{pk}_%s")
    saved = False
    if form.is_valid():
        try:
            services.manual_value_set(actor=request.user, indicator_id=indicator.pk, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            if isinstance(exc, DomainError) and exc.status_code == 403:
                raise PermissionDenied from exc
            apply_errors(form, exc)
        else:
            saved = True
    if request.htmx:
        indicator = _indicators(_years()).get(pk=pk)
        return render(
            request,
            "measurement/targets/_manual.html",
            {"card": _manual_card(indicator, None if saved else form, saved=saved)},
        )
    if saved:
        messages.success(
            request,
            _("The figure of %(code)s for %(period)s is saved.")
            % {"code": indicator.code, "period": form.cleaned_data["period"]},
        )
    else:
        _errors_to_messages(request, form)
    return redirect(reverse("measurement:indicator_list") + f"#manual-{indicator.pk}")

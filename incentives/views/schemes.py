"""The loan schemes, as the public reads them: terms, window, eligibility rules and priorities."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from greenjobs.exceptions import DomainError
from greenjobs.forms import apply_errors
from greenjobs.paging import CheapPaginator
from greenjobs.permissions import rule_required

from .. import selectors
from ..forms.staff import SchemeForm
from ..models import LoanScheme
from ..permissions import can_apply, can_manage_schemes
from ..services import schemes as scheme_services

WEIGHT_LABELS = (
    ("weight_knowledge_based", _("Knowledge-based company")),
    ("weight_jobs_per_rial", _("Green jobs created per billion Rials")),
    ("weight_environment", _("Expected environmental gain (energy, water, raw materials, waste)")),
    ("weight_county", _("Business in a priority county")),
)


CLOSED_PER_PAGE = 20


# Scheme management is MCLS managers' alone.
_manager_only = rule_required(can_manage_schemes)


@_manager_only
@require_http_methods(["GET", "POST"])
def scheme_create(request):
    form = SchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data, counties = form.service_data()
        try:
            scheme = scheme_services.scheme_create(actor=request.user, data=data, priority_counties=counties)
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The scheme %(title)s was created.") % {"title": scheme.title})
            return redirect("incentives:scheme_detail", code=scheme.code)
    return render(request, "incentives/schemes/form.html", {"form": form, "scheme": None})


@_manager_only
@require_http_methods(["GET", "POST"])
def scheme_edit(request, code):
    scheme = get_object_or_404(LoanScheme, code=code)
    # The form writes unsaved edits into the instance, so the page keeps what is stored for its title.
    stored = {"code": scheme.code, "title": scheme.title, "committed": scheme.committed}
    form = SchemeForm(request.POST or None, instance=scheme)
    if request.method == "POST" and form.is_valid():
        data, counties = form.service_data()
        try:
            scheme = scheme_services.scheme_update(
                scheme_id=scheme.pk, actor=request.user, data=data, priority_counties=counties
            )
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your changes to %(title)s were saved.") % {"title": scheme.title})
            return redirect("incentives:scheme_detail", code=scheme.code)
    return render(request, "incentives/schemes/form.html", {"form": form, "scheme": stored})


def scheme_list(request):
    today = timezone.localdate()
    schemes = selectors.schemes_by_window(today)
    closed = CheapPaginator(schemes["closed"], CLOSED_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "open_schemes": list(schemes["open"]),
        "upcoming_schemes": list(schemes["upcoming"]),
        "closed_schemes": closed.object_list,
        "page": closed,
        "today": today,
        "can_apply": can_apply(request.user),
    }
    return render(request, "incentives/schemes/list.html", context)


def scheme_detail(request, code):
    scheme = LoanScheme.objects.prefetch_related("priority_counties").filter(code=code).first()
    may_manage = can_manage_schemes(request.user)
    if scheme is None or not (scheme.is_published or may_manage):
        raise Http404
    weights = [(label, getattr(scheme, field)) for field, label in WEIGHT_LABELS]
    total_weight = sum(weight for _label, weight in weights)
    context = {
        "scheme": scheme,
        "is_open": scheme.is_open(),
        "weights": weights,
        "total_weight": total_weight,
        "priority_counties": list(scheme.priority_counties.all()),
        "can_apply": can_apply(request.user) and scheme.is_open(),
        "can_manage": may_manage,
    }
    return render(request, "incentives/schemes/detail.html", context)

"""MCLS's queue of rounds to verify and decide on, and the visits to make, by deadline."""

from django.shortcuts import render
from django.utils import timezone

from greenjobs.paging import CheapPaginator
from greenjobs.permissions import rule_required

from .. import permissions, selectors
from ..forms import QueueFilterForm
from ..workflow import DECIDE_SLA_DAYS, VERIFY_SLA_DAYS

PAGE_SIZE = 25


@rule_required(permissions.can_work_monitoring_queue)
def queue(request):
    tab = request.GET.get("tab") if request.GET.get("tab") in ("rounds", "visits") else "rounds"
    form = QueueFilterForm(request.GET)
    filters = form.filters()
    if tab == "visits":
        queryset = selectors.visit_queue(user=request.user, filters=filters)
    else:
        queryset = selectors.staff_queue(user=request.user, filters=filters)
    page = CheapPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "tab": tab,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "today": timezone.localdate(),
        "verify_sla": VERIFY_SLA_DAYS,
        "decide_sla": DECIDE_SLA_DAYS,
        "counts": selectors.queue_counts(user=request.user),
        "can_import": permissions.can_import_insurance(request.user),
    }
    template = "monitoring/queue/_table.html" if request.htmx else "monitoring/queue/queue.html"
    return render(request, template, context)

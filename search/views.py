"""The staff search page: one box, results grouped by kind."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from greenjobs.permissions import login_required

from . import selectors
from .permissions import can_search


@login_required
@require_GET
def staff_search(request):
    if not can_search(request.user):
        raise PermissionDenied
    query = selectors.read_query(request.GET.get("q"))
    groups = selectors.staff_search(user=request.user, query=query) if query else []
    context = {
        "q": query.text if query else "",
        "query": query,
        "groups": groups,
        "found": any(group.items for group in groups),
        # Too short for a name, and no number: worth a hint beside "nothing found".
        "too_vague": query is not None
        and not (query.digits or query.reference)
        and len(query.key) < selectors.MIN_NAME_LENGTH,
    }
    return render(request, "search/results.html", context)

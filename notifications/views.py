"""The inbox, opening one notification, marking all read, and the choice of channels per kind."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from greenjobs.exceptions import DomainError
from greenjobs.formats import format_number
from greenjobs.paging import CheapPaginator
from greenjobs.permissions import login_required

from . import selectors, services
from .forms import PreferencesForm

PER_PAGE = 20


@login_required
def inbox(request):
    unread_only = request.GET.get("show") == "unread"
    queryset = selectors.inbox(user=request.user, unread_only=unread_only)
    page = CheapPaginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "unread_only": unread_only, "query": "show=unread" if unread_only else ""}
    return render(request, "notifications/inbox.html", context)


@login_required
def open_notification(request, pk):
    """Marks the notification read and goes to its case (a link in the inbox, an e-mail or an SMS)."""
    try:
        notification = services.notification_open(notification_id=pk, user=request.user)
    except DomainError as exc:
        raise Http404 from exc
    return redirect(notification.link or "notifications:inbox")


@require_POST
@login_required(back_to="notifications:inbox")
def read_all(request):
    marked = services.notifications_read_all(user=request.user)
    if marked:
        messages.success(
            request, _("%(count)s notifications marked as read.") % {"count": format_number(marked)}
        )
    return redirect("notifications:inbox")


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request):
    rows = selectors.preferences(user=request.user)
    form = PreferencesForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, choices=form.choices())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})

"""Applicants enrol themselves (or join the wait list), cancel, and follow their training."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from greenjobs.exceptions import DomainError
from greenjobs.paging import CheapPaginator
from greenjobs.permissions import login_required
from greenjobs.templatetags.portal import digits

from .. import selectors
from ..models import Enrolment
from ..permissions import can_enrol
from ..services import enrolment as services

PAGE_SIZE = 20


def _raise_for(exc: DomainError) -> None:
    if exc.status_code == 403:
        raise PermissionDenied from exc
    if exc.status_code == 404:
        raise Http404 from exc


@require_POST
@login_required(back_to=lambda pk: reverse("training:session_detail", args=[pk]))
def enrol(request, pk):
    detail = reverse("training:session_detail", args=[pk])
    if not can_enrol(request.user):
        raise PermissionDenied
    try:
        enrolment = services.enrolment_create(session_id=pk, person=request.user, actor=request.user)
    except DomainError as exc:
        _raise_for(exc)
        messages.error(request, exc.message)
        return redirect(detail)
    if enrolment.status == Enrolment.Status.ENROLLED:
        messages.success(request, _("You are enrolled. We look forward to seeing you at the first meeting."))
    else:
        position = selectors.enrolment_of(request.user, enrolment.session).waitlist_position
        messages.warning(
            request,
            _(
                "The session is full: you are on the wait list at position %(position)s. "
                "If a seat frees up, it is yours in turn and we will e-mail you."
            )
            % {"position": digits(position)},
        )
    return redirect(detail)


@require_POST
@login_required(back_to="training:my_training")
def cancel(request, pk):
    try:
        enrolment = services.enrolment_cancel(enrolment_id=pk, actor=request.user)
    except DomainError as exc:
        _raise_for(exc)
        messages.error(request, exc.message)
    else:
        if enrolment.person_id == request.user.pk:
            messages.success(request, _("Your enrolment is cancelled."))
        else:
            messages.success(
                request, _("The enrolment of %(person)s is cancelled.") % {"person": enrolment.person}
            )
    next_url = request.POST.get("next")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("training:my_training")


@login_required
@require_GET
def my_training(request):
    # Paged: a person's enrolments only grow over the years.
    page = CheapPaginator(selectors.my_enrolments(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "training/enrolment/my_training.html", {"enrolments": page.object_list, "page": page}
    )

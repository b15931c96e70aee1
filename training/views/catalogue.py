"""The public catalogue of upcoming sessions, and TVTO's upkeep of centres, courses and sessions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from greenjobs.exceptions import DomainError
from greenjobs.forms import apply_errors
from greenjobs.paging import CheapPaginator
from greenjobs.permissions import rule_required

from .. import selectors
from ..forms.catalogue import CentreForm, CourseForm, EmblemForm, SessionFilterForm, SessionForm
from ..models import CertificateArtwork, Course, TrainingCentre
from ..permissions import can_enrol, can_manage_training
from ..services import catalogue as services

PAGE_SIZE = 20
# A session's roster and wait list, on its page for TVTO staff.
PEOPLE_PAGE_SIZE = 50


tvto_required = rule_required(can_manage_training)


def _service_error(form, exc):
    if isinstance(exc, DomainError):
        if exc.status_code == 403:
            raise PermissionDenied from exc
        if exc.status_code == 404:
            raise Http404 from exc
    apply_errors(form, exc)


# --- sessions -----------------------------------------------------------------------------------------------


@require_GET
def session_list(request):
    can_manage = can_manage_training(request.user)
    form = SessionFilterForm(request.GET or None, staff=can_manage)
    filters = form.filters()
    if can_manage:
        queryset = selectors.staff_sessions(filters=filters, scope=form.chosen_scope())
    else:
        queryset = selectors.upcoming_sessions(filters=filters)
    page = CheapPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "can_manage": can_manage}
    # A filter change from htmx swaps the results only; a reload or a history restore gets the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "training/catalogue/_sessions.html" if partial else "training/catalogue/session_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
def session_detail(request, pk):
    session = selectors.session_detail(session_id=pk)
    if session is None:
        raise Http404
    can_manage = can_manage_training(request.user)
    enrolment = selectors.enrolment_of(request.user, session)
    user = request.user
    context = {
        "session": session,
        "enrolment": enrolment,
        "can_manage": can_manage,
        "can_enrol": (
            enrolment is None
            and session.is_open_for_enrolment
            # An anonymous visitor is offered the sign-in link to enrol.
            and (not user.is_authenticated or can_enrol(user))
        ),
    }
    if can_manage:
        context["counts"] = selectors.session_counts(session)
        # Two lists on one page, each paged by its own parameter, each keeping the other's page.
        for name, people in (
            ("roster", selectors.session_roster(session)),
            ("waitlist", selectors.waitlist(session)),
        ):
            param = f"{name}_page"
            context[name] = CheapPaginator(people, PEOPLE_PAGE_SIZE).get_page(request.GET.get(param))
            query = request.GET.copy()
            query.pop(param, None)
            context[f"{name}_query"] = query.urlencode()
    return render(request, "training/catalogue/session_detail.html", context)


@tvto_required
@require_http_methods(["GET", "POST"])
def session_create(request):
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, data=form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("The session was added to the catalogue."))
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/catalogue/session_form.html", {"form": form, "session": None})


@tvto_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = selectors.session_detail(session_id=pk)
    if session is None:
        raise Http404
    if request.method == "POST" and request.POST.get("action") == "cancel_session":
        try:
            services.session_cancel(session_id=session.pk, actor=request.user)
        except DomainError as exc:
            if exc.status_code == 403:
                raise PermissionDenied from exc
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The session is cancelled; it no longer appears in the catalogue."))
        return redirect("training:session_detail", pk=session.pk)
    form = SessionForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_update(
                session_id=session.pk, actor=request.user, data=form.cleaned_data
            )
        except (ValidationError, DomainError) as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("Your changes to the session were saved."))
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/catalogue/session_form.html", {"form": form, "session": session})


# --- courses ------------------------------------------------------------------------------------------------


@tvto_required
@require_GET
def course_list(request):
    page = CheapPaginator(selectors.courses(include_inactive=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "training/catalogue/course_list.html", {"page": page, "query": ""})


@tvto_required
@require_http_methods(["GET", "POST"])
def course_create(request):
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(actor=request.user, data=form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("The course %(course)s was added.") % {"course": course})
            return redirect("training:course_list")
    return render(request, "training/catalogue/course_form.html", {"form": form, "course": None})


@tvto_required
@require_http_methods(["GET", "POST"])
def course_edit(request, pk):
    course = get_object_or_404(Course.objects.select_related("occupation"), pk=pk)
    stored = str(course)  # the form writes unsaved edits into the instance
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_update(course_id=pk, actor=request.user, data=form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("Your changes to %(course)s were saved.") % {"course": course})
            return redirect("training:course_list")
    return render(request, "training/catalogue/course_form.html", {"form": form, "course": stored})


# --- centres ------------------------------------------------------------------------------------------------


@tvto_required
@require_GET
def centre_list(request):
    page = CheapPaginator(selectors.centres(include_inactive=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "training/catalogue/centre_list.html", {"page": page, "query": ""})


@tvto_required
@require_http_methods(["GET", "POST"])
def centre_create(request):
    form = CentreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            centre = services.centre_create(actor=request.user, data=form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("The centre %(centre)s was added.") % {"centre": centre.name})
            return redirect("training:centre_list")
    return render(request, "training/catalogue/centre_form.html", {"form": form, "centre": None})


@tvto_required
@require_http_methods(["GET", "POST"])
def centre_edit(request, pk):
    centre = get_object_or_404(TrainingCentre, pk=pk)
    stored = centre.name
    form = CentreForm(request.POST or None, request.FILES or None, instance=centre)
    if request.method == "POST" and form.is_valid():
        try:
            centre = services.centre_update(
                centre_id=pk,
                actor=request.user,
                data=form.cleaned_data,
                signature=form.cleaned_data.get("signature"),
            )
        except (ValidationError, DomainError) as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("Your changes to %(centre)s were saved.") % {"centre": centre.name})
            return redirect("training:centre_list")
    return render(request, "training/catalogue/centre_form.html", {"form": form, "centre": stored})


@tvto_required
@require_http_methods(["GET", "POST"])
def certificate_emblem(request):
    """TVTO's emblem on the certificates: uploaded here, never hard-coded."""
    form = EmblemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.artwork_upload(actor=request.user, kind="emblem", uploaded=form.cleaned_data["image"])
        except (ValidationError, DomainError) as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("The emblem was saved; certificates printed from now on carry it."))
            return redirect("training:centre_list")
    current = CertificateArtwork.objects.filter(kind="emblem").order_by("-uploaded_at", "-pk").first()
    return render(request, "training/catalogue/emblem_form.html", {"form": form, "current": current})

"""The public catalogue of green occupations (G3/G4), and its upkeep by DOE and TVTO staff."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from greenjobs.exceptions import DomainError
from greenjobs.paging import CheapPaginator
from greenjobs.permissions import rule_required

from .. import selectors
from ..forms.occupations import OccupationFilterForm, OccupationForm
from ..forms.search import search_error
from ..permissions import can_manage_occupations
from ..services import occupations as services

PAGE_SIZE = 20


_manager_required = rule_required(can_manage_occupations)


def _add_service_errors(form, exc: ValidationError | DomainError) -> None:
    if isinstance(exc, DomainError):
        form.add_error(None, exc.message)
        return
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, messages_ in errors.items():
        name = field if field in form.fields else None
        form.add_error(name, messages_)
        if name:
            widget = form.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
            widget.attrs["aria-invalid"] = "true"


@require_GET
def occupation_list(request):
    can_manage = can_manage_occupations(request.user)
    form = OccupationFilterForm(request.GET)
    filters = form.filters()
    error = search_error(form)
    # Staff who maintain the catalogue also see what they took out of it, so they can bring it back.
    queryset = selectors.occupations(
        query=filters["q"], sector=filters["sector"], kind=filters["kind"], include_inactive=can_manage
    )
    if error:
        # A search that cannot be run lists nothing: the whole catalogue would look like its answer.
        queryset = queryset.none()
    page = CheapPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "search_error": error,
        "query": urlencode({name: value for name, value in filters.items() if value}),
        "can_manage": can_manage,
    }
    # A filter change from htmx swaps the results only; a reload or a history restore gets the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "programs/occupations/_results.html" if partial else "programs/occupations/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
def occupation_detail(request, code):
    can_manage = can_manage_occupations(request.user)
    occupation = get_object_or_404(
        selectors.occupations(include_inactive=can_manage).select_related("updated_by"), code=code
    )
    return render(
        request, "programs/occupations/detail.html", {"occupation": occupation, "can_manage": can_manage}
    )


@_manager_required
@require_http_methods(["GET", "POST"])
def occupation_create(request):
    form = OccupationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            occupation = services.occupation_create(actor=request.user, data=form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added to the catalogue.") % {"name": occupation.name})
            return redirect("programs:occupation_detail", code=occupation.code)
    return render(request, "programs/occupations/form.html", {"form": form, "code": None, "name": None})


@_manager_required
@require_http_methods(["GET", "POST"])
def occupation_edit(request, code):
    occupation = get_object_or_404(selectors.occupations(include_inactive=True), code=code)
    # The form writes unsaved edits into the instance, so the page is titled with what is stored.
    stored_name = occupation.name
    form = OccupationForm(request.POST or None, instance=occupation)
    if request.method == "POST" and form.is_valid():
        try:
            occupation = services.occupation_update(
                occupation_id=occupation.pk, actor=request.user, data=form.cleaned_data
            )
        except (ValidationError, DomainError) as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Your changes to %(name)s were saved.") % {"name": occupation.name})
            return redirect("programs:occupation_detail", code=occupation.code)
    return render(
        request, "programs/occupations/form.html", {"form": form, "code": code, "name": stored_name}
    )

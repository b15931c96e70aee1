"""Certificates: the holder's PDF, TVTO's list and revocation, and the public verification page."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from greenjobs import ratelimit
from greenjobs.exceptions import DomainError
from greenjobs.paging import CheapPaginator
from greenjobs.permissions import login_required
from greenjobs.text import fold_digits

from ..forms.certificates import CertificateFilterForm, RevokeForm, VerifyForm
from ..models import Certificate
from ..pdf import render_certificate
from ..permissions import can_manage_training, can_view_all_certificates, can_view_certificate
from ..selectors import certificates as selectors
from ..services import certificates as services

PAGE_SIZE = 25


def _verify_limit() -> tuple[int, int]:
    """(lookups, seconds): how many verifications one client address may make per window."""
    return (
        int(getattr(settings, "CERTIFICATE_VERIFY_LIMIT", 20)),
        int(getattr(settings, "CERTIFICATE_VERIFY_WINDOW", 600)),
    )


def _over_limit(request) -> bool:
    limit, window = _verify_limit()
    return ratelimit.over_limit(request, scope="training:verify", limit=limit, window=window)


def _rate_limited(request):
    _limit, window = _verify_limit()
    response = render(
        request,
        "training/certificates/rate_limited.html",
        {"minutes": max(window // 60, 1)},
        status=429,
    )
    response["Retry-After"] = str(window)
    return response


def _verification_response(request, code: str):
    if _over_limit(request):
        return _rate_limited(request)
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        # The same page and status whatever was typed: nothing tells a malformed code from a missing one.
        return render(request, "training/certificates/verify.html", {"status": "unknown"}, status=404)
    enrolment = certificate.enrolment
    person = enrolment.person
    context = {
        "status": "revoked" if certificate.is_revoked else "valid",
        "certificate": certificate,
        "masked_name": services.mask_name(person.get_full_name() or person.username),
        "course": enrolment.session.course,
        "centre": enrolment.session.centre,
    }
    return render(request, "training/certificates/verify.html", context)


@never_cache
@require_GET
def verify_form(request):
    """A box to type a code into; a submitted code goes to its verification page."""
    code = fold_digits("".join(request.GET.get("code", "").split()))
    if code:
        if "/" in code or len(code) > 100:
            # Not a code any certificate can have, and not one a URL can carry: the unknown page, as usual.
            return _verification_response(request, code)
        return redirect("training:verify", code=code)
    return render(request, "training/certificates/verify_form.html", {"form": VerifyForm()})


@never_cache
@require_GET
def verify(request, code):
    """Public: anyone may check a certificate by its code; lookups are limited per client address."""
    return _verification_response(request, code)


def certificate_pdf(request, pk):
    """The PDF, for its holder, TVTO and the steering committee; anyone else is told it does not exist."""
    if not request.user.is_authenticated:
        raise Http404
    certificate = selectors.certificate_detail(user=request.user, certificate_id=pk)
    if certificate is None or not can_view_certificate(request.user, certificate):
        raise Http404
    language = "en" if request.GET.get("lang") == "en" else "fa"
    response = HttpResponse(render_certificate(certificate, language), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{certificate.serial}.pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _back_to_list(request):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("training:certificate_list")


@require_POST
@login_required(back_to="training:certificate_list")
def certificate_revoke(request, pk):
    # Asked before the lookup, so nobody but TVTO learns whether a certificate number exists.
    if not can_manage_training(request.user):
        raise PermissionDenied
    certificate = Certificate.objects.filter(pk=pk).first()
    if certificate is None:
        raise Http404
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write why the certificate is revoked; the verification page shows it."))
        return _back_to_list(request)
    try:
        services.certificate_revoke(
            certificate_id=certificate.pk, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Certificate %(serial)s is revoked. Its verification page now says so.")
            % {"serial": certificate.serial},
        )
    return _back_to_list(request)


@login_required
def certificate_list(request):
    """TVTO and the steering committee: every certificate, with filters. A person: their own certificates."""
    user = request.user
    can_revoke = can_manage_training(user)
    staff_view = can_view_all_certificates(user)
    if not (staff_view or user.is_applicant):
        raise PermissionDenied
    form = CertificateFilterForm(request.GET) if staff_view else None
    filters = form.filters() if form is not None else {}
    page = CheapPaginator(selectors.certificates_for(user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "staff_view": staff_view,
        "can_revoke": can_revoke,
        "revoke_form": RevokeForm() if can_revoke else None,
    }
    template = "training/certificates/_table.html" if request.htmx else "training/certificates/list.html"
    return render(request, template, context)

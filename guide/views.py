"""Help: a page per role, the loan schemes' rules in plain words, and the memorandum's FAQ. Public."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies.permissions import agency_of
from incentives.selectors import open_schemes

from . import content


def role_of(user) -> str | None:
    """Which guide is this person's own."""
    if not user.is_authenticated:
        return None
    if user.is_programme_manager:
        return "programme"
    agency = agency_of(user)
    if agency:
        return agency.lower()
    return "applicant" if user.is_applicant else None


@require_GET
def index(request):
    return render(
        request,
        "guide/index.html",
        {"guides": content.GUIDES, "mine": role_of(request.user), "faq": content.FAQ[:3]},
    )


@require_GET
def role_guide(request, slug: str):
    guide = content.guide_for(slug)
    if guide is None:
        raise Http404
    context = {
        "guide": guide,
        "guides": content.GUIDES,
        "tables": content.status_tables(guide.statuses),
        "mine": role_of(request.user),
    }
    return render(request, "guide/role.html", context)


@require_GET
def schemes(request):
    return render(request, "guide/schemes.html", {"schemes": open_schemes()})


@require_GET
def faq(request):
    return render(request, "guide/faq.html", {"faq": content.FAQ})

"""A bare Django JSON view of the business list: the rows, page and pager of /api/v1/businesses/ with the
same keys and values, built by hand, with no serializer, no content negotiation and no filter backends.
The benchmark times DRF's list against it; it is in no URLconf of the portal."""

import datetime

from django.http import JsonResponse
from django.utils import timezone

from greenjobs.paging import CheapPaginator
from programs import selectors
from programs.workflow import available_actions

PAGE_SIZE = 25
# The API's own ordering (programs.api.views.BusinessViewSet.ordering).
ORDERING = ("-updated_at", "-pk")


def _moment(value: datetime.datetime | None) -> str | None:
    # As DRF writes a datetime: in the current time zone, ISO 8601, "Z" for UTC.
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _day(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _business(business, user) -> dict:
    return {
        "id": business.pk,
        "legal_name": business.legal_name,
        "national_business_id": business.national_business_id,
        "legal_form": business.legal_form,
        "legal_form_label": business.get_legal_form_display(),
        "sector": business.sector,
        "sector_label": business.get_sector_display(),
        "county": business.county.code if business.county_id else None,
        "county_name": business.county.name if business.county_id else None,
        "address": business.address,
        "postal_code": business.postal_code,
        "employees_total": business.employees_total,
        "green_jobs_count": business.green_jobs_count,
        "is_knowledge_based": business.is_knowledge_based,
        "knowledge_based_number": business.knowledge_based_number,
        "knowledge_based_as_of": _day(business.knowledge_based_as_of),
        "knowledge_based_expires_on": _day(business.knowledge_based_expires_on),
        "status": business.status,
        "status_label": business.get_status_display(),
        "status_changed_at": _moment(business.status_changed_at),
        "days_in_status": business.days_in_status,
        "verified_kind": business.verified_kind,
        "verified_kind_label": business.get_verified_kind_display(),
        "verified_at": _moment(business.verified_at),
        "expires_on": _day(business.expires_on),
        "submitted_at": _moment(business.submitted_at),
        "is_editable": business.is_editable_by_owner,
        "available_actions": [transition.name for transition in available_actions(business, user)],
    }


def business_list(request):
    """The first page (or ?page=n) of the businesses the signed-in user may see, as the API's body."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Sign in first."}, status=403)
    queryset = selectors.business_list(user=request.user).order_by(*ORDERING)
    # The same pager as the API (greenjobs.paging): the comparison is DRF's cost, not the count's.
    page = CheapPaginator(queryset, PAGE_SIZE).page(int(request.GET.get("page", "1")))
    rows = selectors.with_green_jobs_count(page.object_list)
    return JsonResponse(
        {
            "count": page.paginator.count,
            "count_is_estimate": page.paginator.count_is_estimate,
            "next": f"?page={page.next_page_number()}" if page.has_next() else None,
            "previous": f"?page={page.previous_page_number()}" if page.has_previous() else None,
            "results": [_business(business, request.user) for business in rows],
        },
        json_dumps_params={"ensure_ascii": False},
    )

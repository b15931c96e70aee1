import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.models import Business
from tests.factories import (
    MINIMAL_PDF,
    ApplicantFactory,
    make_staff,
    valid_business_id,
    valid_national_id,
)

pytestmark = pytest.mark.django_db


def test_registration_through_the_pages_from_draft_to_verified(
    client, agencies, django_capture_on_commit_callbacks
):
    applicant = ApplicantFactory()
    client.force_login(applicant)
    response = client.post(
        reverse("programs:business_create"),
        {
            "legal_name": "تعاونی بازيافت كوثر",
            "national_business_id": valid_business_id("1086012345"),
            "legal_form": "cooperative",
            "sector": "waste",
        },
    )
    business = Business.objects.get(owner=applicant)
    assert response.status_code == 302
    assert business.legal_name == "تعاونی بازیافت کوثر"
    client.post(
        reverse("programs:business_edit", args=[business.pk, "location"]),
        {
            "county": "",
            "address": "قم، شهرک صنعتی شکوهیه",
            "postal_code": "۳۷۱۸۱۱۱۱۱۱",
            "employees_total": "4",
        },
    )
    from programs.models import County, GreenOccupation

    client.post(
        reverse("programs:business_edit", args=[business.pk, "location"]),
        {
            "county": County.objects.get(code="qom").pk,
            "address": "قم، شهرک صنعتی شکوهیه",
            "postal_code": "3718111111",
            "employees_total": "4",
        },
    )
    client.post(
        reverse("programs:business_edit", args=[business.pk, "jobs"]),
        {
            "occupation": GreenOccupation.objects.get(code="GJ-WS-01").pk,
            "holder_name": "علی رضایی",
            "holder_national_id": valid_national_id("300000001"),
        },
    )
    client.post(
        reverse("programs:business_edit", args=[business.pk, "documents"]),
        {"kind": "licence", "file": SimpleUploadedFile("mojavez.pdf", MINIMAL_PDF, "application/pdf")},
    )
    page = client.get(reverse("programs:business_edit", args=[business.pk, "documents"]))
    assert b"submission-problems" not in page.content, page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("programs:business_transition", args=[business.pk]),
            {"action": "submit", "expected_status": "draft"},
        )
    business.refresh_from_db()
    assert business.status == "submitted"

    officer = make_staff("DOE", "officer")
    client.force_login(officer)
    assert client.get(reverse("programs:assessment_queue")).status_code == 200
    client.post(
        reverse("programs:business_transition", args=[business.pk]),
        {"action": "start_assessment", "expected_status": "submitted"},
    )
    for category, base, cur in [
        ("energy", "1000", "800"),
        ("water", "500", "450"),
        ("materials", "10", "9"),
        ("waste", "5", "2"),
        ("emissions", "100", "90"),
        ("permits", "", ""),
    ]:
        client.post(
            reverse("programs:assessment_item_save", args=[business.pk]),
            {"category": category, "description": "x", "baseline": base, "current": cur, "compliant": "yes"},
        )
    client.post(
        reverse("programs:assessment_ready", args=[business.pk]), {"summary": "همه الزامات رعایت شده است"}
    )
    detail = client.get(reverse("programs:business_detail", args=[business.pk]))
    assert detail.status_code == 200

    reviewer = make_staff("DOE", "reviewer")
    client.force_login(reviewer)
    client.post(
        reverse("programs:business_transition", args=[business.pk]),
        {"action": "verify", "expected_status": "under_assessment", "verified_kind": "greened_existing"},
    )
    business.refresh_from_db()
    assert business.status == "verified"
    client.force_login(applicant)
    page = client.get(reverse("programs:business_detail", args=[business.pk]))
    assert "تأیید" in page.content.decode() or page.status_code == 200
    for name in ("programs:registry",):
        client.force_login(make_staff("TVTO", "officer"))
        assert client.get(reverse(name)).status_code == 200

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from programs import selectors
from programs.models import (
    Assessment,
    AssessmentItem,
    Business,
    BusinessDocument,
    GreenJob,
    GreenOccupation,
    RegistrationEvent,
    RegistrationStatus,
)
from programs.services import registrations
from tests.factories import (
    MINIMAL_PDF,
    ApplicantFactory,
    BusinessFactory,
    GreenJobFactory,
    ProgrammeManagerFactory,
    county,
    make_staff,
    ready_to_submit,
    registration_state,
    valid_business_id,
    valid_national_id,
)
from tests.utils import client_for, ids, results

pytestmark = pytest.mark.django_db

OCCUPATIONS = "/api/v1/occupations/"
BUSINESSES = "/api/v1/businesses/"
ASSESSMENTS = "/api/v1/assessments/"


def codes(response):
    return [row["code"] for row in results(response)]


def label(choice):
    with translation.override("fa"):
        return str(choice.label)


def submitted_registration(**kwargs):
    """A registration its owner has submitted through the service, with a green job and a licence."""
    business = ready_to_submit(**kwargs)
    registrations.business_transition(business_id=business.pk, actor=business.owner, name="submit")
    business.refresh_from_db()
    return business


def business_urls(business):
    document = business.documents.get()
    base = f"{BUSINESSES}{business.pk}/"
    return {
        "detail": base,
        "events": f"{base}events/",
        "green_jobs": f"{base}green-jobs/",
        "documents": f"{base}documents/",
        "download": f"{base}documents/{document.pk}/download/",
    }


# --- the occupation catalogue: public, read-only ---


def test_anyone_lists_the_active_catalogue_in_code_order(agencies):
    GreenOccupation.objects.filter(code="GJ-TO-01").update(is_active=False)

    response = client_for().get(OCCUPATIONS)

    body = response.json()
    active = list(
        GreenOccupation.objects.filter(is_active=True).order_by("code").values_list("code", flat=True)
    )
    assert body["count"] == len(active) == 24
    assert [row["code"] for row in body["results"]] == active
    assert "GJ-TO-01" not in active


def test_one_occupation_by_its_code(agencies):
    response = client_for().get(f"{OCCUPATIONS}GJ-EN-01/")

    assert response.status_code == 200
    body = response.json()
    assert {
        key: body[key] for key in ("code", "name", "name_en", "sector", "kind", "training_standard_code")
    } == {
        "code": "GJ-EN-01",
        "name": "نصاب و تعمیرکار سامانه‌های خورشیدی فتوولتائیک",
        "name_en": "Solar photovoltaic installer",
        "sector": "energy",
        "kind": "new_green",
        "training_standard_code": "TS-7411-PV-01",
    }


def test_an_unknown_or_withdrawn_occupation_is_404(agencies):
    GreenOccupation.objects.filter(code="GJ-TO-01").update(is_active=False)

    assert client_for().get(f"{OCCUPATIONS}GJ-XX-99/").status_code == 404
    assert client_for().get(f"{OCCUPATIONS}GJ-TO-01/").status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "water"}, ["GJ-WA-01", "GJ-WA-02", "GJ-WA-03"]),
        ({"sector": "energy", "kind": "greened_existing"}, ["GJ-EN-04", "GJ-EN-05"]),
        ({"kind": "new_green", "sector": "tourism"}, ["GJ-TO-01"]),
    ],
)
def test_the_catalogue_filters_by_sector_and_kind(agencies, params, expected):
    assert codes(client_for().get(OCCUPATIONS, params)) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "خورشیدی",  # Persian ی
        "خورشيدي",  # Arabic ي, as older keyboards type it
        "solar",
        "SOLAR",
    ],
)
def test_the_catalogue_search_folds_persian_and_arabic_letters(agencies, typed):
    assert codes(client_for().get(OCCUPATIONS, {"q": typed})) == ["GJ-EN-01", "GJ-EN-03"]


@pytest.mark.parametrize("typed", ["سامانه‌های خورشیدی", "سامانه های خورشیدی", "سامانههای خورشیدی"])
def test_the_catalogue_search_is_not_thrown_by_the_zero_width_non_joiner(agencies, typed):
    assert codes(client_for().get(OCCUPATIONS, {"q": typed})) == ["GJ-EN-01"]


def test_an_unknown_sector_is_a_400_not_an_empty_page(agencies):
    response = client_for().get(OCCUPATIONS, {"sector": "mining"})

    assert response.status_code == 400
    assert list(response.json()) == ["sector"]


def test_the_catalogue_cannot_be_changed_through_the_api(agencies):
    doe = client_for(make_staff("DOE"))

    created = doe.post(OCCUPATIONS, {"code": "GJ-NEW-01", "name_fa": "تازه"}, format="json")
    deleted = doe.delete(f"{OCCUPATIONS}GJ-EN-01/")

    assert (created.status_code, deleted.status_code) == (405, 405)
    assert GreenOccupation.objects.filter(code="GJ-NEW-01").exists() is False
    assert GreenOccupation.objects.filter(code="GJ-EN-01").exists()


# --- who sees which registration ---


def test_an_applicant_lists_only_their_own_registrations(agencies):
    applicant = ApplicantFactory()
    own = [BusinessFactory(owner=applicant), submitted_registration(owner=applicant)]
    BusinessFactory()
    submitted_registration()

    response = client_for(applicant).get(BUSINESSES)

    assert sorted(ids(response)) == sorted(b.pk for b in own)
    assert response.json()["count"] == 2


def test_a_registration_shows_its_status_county_green_jobs_and_the_callers_actions(agencies):
    business = submitted_registration(county=county("kahak"))
    GreenJobFactory(business=business)

    owner_view = client_for(business.owner).get(f"{BUSINESSES}{business.pk}/").json()
    officer_view = client_for(make_staff("DOE", "officer")).get(f"{BUSINESSES}{business.pk}/").json()

    assert {key: owner_view[key] for key in ("status", "status_label", "county", "green_jobs_count")} == {
        "status": "submitted",
        "status_label": label(RegistrationStatus.SUBMITTED),
        "county": "kahak",
        "green_jobs_count": 2,
    }
    assert owner_view["days_in_status"] == 0
    assert owner_view["available_actions"] == []
    assert officer_view["available_actions"] == ["start_assessment"]
    assert [job["occupation"] for job in owner_view["green_jobs"]] == ["GJ-EN-01", "GJ-EN-01"]


def test_the_list_row_carries_the_same_summary(agencies):
    business = submitted_registration(county=county("jafarabad"))
    reviewer = make_staff("DOE", "reviewer")

    (row,) = results(client_for(reviewer).get(BUSINESSES))

    assert {key: row[key] for key in ("id", "status", "county", "green_jobs_count", "available_actions")} == {
        "id": business.pk,
        "status": "submitted",
        "county": "jafarabad",
        "green_jobs_count": 1,
        "available_actions": [],
    }


OUTSIDERS = {
    "another applicant": lambda: ApplicantFactory(),
    "TVTO officer": lambda: make_staff("TVTO", "officer"),
    "MCLS reviewer": lambda: make_staff("MCLS", "reviewer"),
}


@pytest.mark.parametrize("endpoint", ["detail", "events", "green_jobs", "documents", "download"])
@pytest.mark.parametrize("outsider", list(OUTSIDERS))
def test_an_outsider_gets_404_on_a_submitted_registration_as_if_it_did_not_exist(
    agencies, outsider, endpoint
):
    business = submitted_registration()
    urls = business_urls(business)
    client = client_for(OUTSIDERS[outsider]())

    response = client.get(urls[endpoint])
    missing = client.get(urls[endpoint].replace(f"/{business.pk}/", "/999999/"))

    assert response.status_code == 404
    assert response.content == missing.content
    assert business.legal_name.encode() not in response.content


@pytest.mark.parametrize("endpoint", ["detail", "events", "green_jobs", "documents", "download"])
def test_an_anonymous_caller_is_refused_without_learning_whether_it_exists(agencies, endpoint):
    business = submitted_registration()
    urls = business_urls(business)
    anonymous = client_for()

    response = anonymous.get(urls[endpoint])
    missing = anonymous.get(urls[endpoint].replace(f"/{business.pk}/", "/999999/"))

    # Session authentication comes first, so DRF answers 403 rather than 401 (as /api/v1/auth/me/ does).
    assert response.status_code == 403
    assert (missing.status_code, missing.content) == (403, response.content)
    assert business.legal_name.encode() not in response.content


def test_an_anonymous_caller_cannot_list_registrations(agencies):
    submitted_registration()

    response = client_for().get(BUSINESSES)

    assert response.status_code == 403
    assert "results" not in response.json()


@pytest.mark.parametrize(
    "insider",
    [
        pytest.param(lambda b: b.owner, id="owner"),
        pytest.param(lambda b: make_staff("DOE", "officer"), id="DOE officer"),
        pytest.param(lambda b: make_staff("DOE", "reviewer"), id="DOE reviewer"),
        pytest.param(lambda b: ProgrammeManagerFactory(), id="programme manager"),
    ],
)
def test_the_owner_doe_and_the_steering_committee_read_everything_of_a_submitted_registration(
    agencies, insider
):
    business = submitted_registration()
    urls = business_urls(business)
    client = client_for(insider(business))

    detail = client.get(urls["detail"])
    events = client.get(urls["events"])
    jobs = client.get(urls["green_jobs"])
    documents = client.get(urls["documents"])
    download = client.get(urls["download"])

    assert detail.json()["legal_name"] == business.legal_name
    assert [(e["from_status"], e["to_status"]) for e in events.json()] == [("draft", "submitted")]
    assert [job["holder_national_id"] for job in jobs.json()] == [
        business.green_jobs.get().holder_national_id
    ]
    assert [d["original_name"] for d in documents.json()] == ["licence.pdf"]
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == MINIMAL_PDF


def test_doe_does_not_see_an_applicants_draft(agencies):
    draft = ready_to_submit()

    response = client_for(make_staff("DOE", "officer")).get(f"{BUSINESSES}{draft.pk}/")
    listed = client_for(make_staff("DOE", "officer")).get(BUSINESSES)

    assert response.status_code == 404
    assert ids(listed) == []


def test_once_verified_other_agencies_read_the_registration_but_not_its_documents_or_personal_data(agencies):
    business = submitted_registration()
    Business.objects.filter(pk=business.pk).update(status="verified", verified_kind="new_green")
    urls = business_urls(business)
    tvto = client_for(make_staff("TVTO", "officer"))

    detail = tvto.get(urls["detail"])
    events = tvto.get(urls["events"])
    jobs = tvto.get(urls["green_jobs"])
    documents = tvto.get(urls["documents"])
    download = tvto.get(urls["download"])

    assert (detail.status_code, events.status_code, jobs.status_code) == (200, 200, 200)
    assert detail.json()["status"] == "verified"
    assert detail.json()["available_actions"] == []
    assert [job["holder_national_id"] for job in jobs.json()] == [None]
    assert [job["holder_national_id"] for job in detail.json()["green_jobs"]] == [None]
    assert (documents.status_code, download.status_code) == (404, 404)


def test_a_document_downloads_as_an_attachment_with_its_stored_type(agencies):
    business = submitted_registration()
    url = business_urls(business)["download"]

    response = client_for(business.owner).get(url, HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="licence.pdf"'
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_a_document_of_another_registration_is_404_even_for_doe(agencies):
    mine = submitted_registration()
    other = submitted_registration()
    other_document = other.documents.get()

    response = client_for(make_staff("DOE")).get(
        f"{BUSINESSES}{mine.pk}/documents/{other_document.pk}/download/"
    )

    assert response.status_code == 404


# --- creating and changing a draft ---


def test_an_applicant_starts_a_draft(agencies):
    applicant = ApplicantFactory()

    response = client_for(applicant).post(
        BUSINESSES,
        {
            "legal_name": "كارخانه  سبز قم",  # Arabic ك and a double space, normalised by the service
            "national_business_id": "".join("۰۱۲۳۴۵۶۷۸۹"[int(d)] for d in valid_business_id("1020000001")),
            "county": "kahak",
            "knowledge_based_as_of": "1404/01/15",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    business = Business.objects.get(owner=applicant)
    assert body["id"] == business.pk
    assert (body["status"], body["legal_name"], body["county"]) == ("draft", "کارخانه سبز قم", "kahak")
    assert body["national_business_id"] == valid_business_id("1020000001")
    assert body["knowledge_based_as_of"] == "2025-04-04"
    assert body["available_actions"] == ["submit"]
    assert list(business.events.values_list("from_status", "to_status", "actor")) == [
        ("", "draft", applicant.pk)
    ]


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda: make_staff("DOE", "officer"), id="DOE officer"),
        pytest.param(lambda: ProgrammeManagerFactory(), id="programme manager"),
    ],
)
def test_staff_cannot_start_a_registration(agencies, make_user):
    response = client_for(make_user()).post(BUSINESSES, {"legal_name": "شرکت ستاد"}, format="json")

    assert response.status_code == 403
    assert Business.objects.count() == 0


def test_a_draft_with_a_bad_national_business_id_is_400_and_not_created(agencies):
    applicant = ApplicantFactory()

    response = client_for(applicant).post(
        BUSINESSES, {"legal_name": "شرکت آزمون", "national_business_id": "12345678901"}, format="json"
    )

    assert response.status_code == 400
    assert Business.objects.filter(owner=applicant).exists() is False


def test_a_bad_national_business_id_is_reported_on_its_field(agencies):
    response = client_for(ApplicantFactory()).post(
        BUSINESSES, {"legal_name": "شرکت آزمون", "national_business_id": "12345678901"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["national_business_id"]


def test_a_draft_needs_a_legal_name(agencies):
    response = client_for(ApplicantFactory()).post(BUSINESSES, {"county": "qom"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["legal_name"]
    assert Business.objects.count() == 0


def test_the_owner_changes_a_draft(agencies):
    business = BusinessFactory(employees_total=5)

    response = client_for(business.owner).patch(
        f"{BUSINESSES}{business.pk}/", {"employees_total": 12, "county": "khalajestan"}, format="json"
    )

    assert response.status_code == 200, response.content
    business.refresh_from_db()
    assert (business.employees_total, business.county.code) == (12, "khalajestan")
    assert (response.json()["employees_total"], response.json()["county"]) == (12, "khalajestan")


def test_a_submitted_registration_cannot_be_changed_by_its_owner(agencies):
    business = submitted_registration(employees_total=5)
    before = registration_state(business)

    response = client_for(business.owner).patch(
        f"{BUSINESSES}{business.pk}/", {"employees_total": 50}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "not_editable"
    business.refresh_from_db()
    assert business.employees_total == 5
    assert registration_state(business) == before


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda: ApplicantFactory(), id="another applicant"),
        pytest.param(lambda: make_staff("DOE", "officer"), id="DOE officer"),
    ],
)
def test_nobody_but_the_owner_changes_a_registration(agencies, make_user):
    business = BusinessFactory(legal_name="شرکت اصلی")
    Business.objects.filter(pk=business.pk).update(status="changes_requested")

    response = client_for(make_user()).patch(
        f"{BUSINESSES}{business.pk}/", {"legal_name": "ربوده"}, format="json"
    )

    assert response.status_code == 404
    business.refresh_from_db()
    assert business.legal_name == "شرکت اصلی"


# --- green jobs and documents ---


def test_the_owner_lists_an_employee_in_a_green_job(agencies):
    business = BusinessFactory()
    national_id = valid_national_id("300000001")

    response = client_for(business.owner).post(
        f"{BUSINESSES}{business.pk}/green-jobs/",
        {"occupation": "GJ-WA-01", "holder_name": "علي رضايي", "holder_national_id": national_id},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert {k: response.json()[k] for k in ("occupation", "holder_name", "holder_national_id")} == {
        "occupation": "GJ-WA-01",
        "holder_name": "علی رضایی",
        "holder_national_id": national_id,
    }
    assert list(business.green_jobs.values_list("holder_national_id", flat=True)) == [national_id]


def test_the_same_person_twice_is_400_on_the_national_id(agencies):
    job = GreenJobFactory()

    response = client_for(job.business.owner).post(
        f"{BUSINESSES}{job.business_id}/green-jobs/",
        {"occupation": "GJ-EN-02", "holder_name": "کاوه مرادی", "holder_national_id": job.holder_national_id},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["holder_national_id"]
    assert GreenJob.objects.filter(business=job.business).count() == 1


def test_a_national_id_with_a_wrong_check_digit_is_400_on_that_field(agencies):
    business = BusinessFactory()

    response = client_for(business.owner).post(
        f"{BUSINESSES}{business.pk}/green-jobs/",
        {"occupation": "GJ-EN-02", "holder_name": "کاوه", "holder_national_id": "0012345678"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["holder_national_id"]
    assert business.green_jobs.count() == 0


def test_doe_cannot_add_green_jobs_to_a_registration_it_can_read(agencies):
    business = submitted_registration()

    response = client_for(make_staff("DOE")).post(
        f"{BUSINESSES}{business.pk}/green-jobs/",
        {
            "occupation": "GJ-EN-02",
            "holder_name": "کاوه",
            "holder_national_id": valid_national_id("300000002"),
        },
        format="json",
    )

    assert response.status_code == 404
    assert business.green_jobs.count() == 1


def test_the_owner_uploads_a_document(agencies):
    business = BusinessFactory()

    response = client_for(business.owner).post(
        f"{BUSINESSES}{business.pk}/documents/",
        {
            "kind": "permit",
            "file": SimpleUploadedFile("مجوز.pdf", MINIMAL_PDF, content_type="application/pdf"),
        },
        format="multipart",
    )

    assert response.status_code == 201, response.content
    document = business.documents.get()
    body = response.json()
    assert (body["id"], body["kind"], body["original_name"], body["content_type"], body["size"]) == (
        document.pk,
        "permit",
        "مجوز.pdf",
        "application/pdf",
        len(MINIMAL_PDF),
    )
    assert body["download_url"].endswith(
        f"/api/v1/businesses/{business.pk}/documents/{document.pk}/download/"
    )


def test_a_file_that_is_not_what_its_name_says_is_400_and_not_stored(agencies):
    business = BusinessFactory()

    response = client_for(business.owner).post(
        f"{BUSINESSES}{business.pk}/documents/",
        {"kind": "licence", "file": SimpleUploadedFile("licence.pdf", b"#!/bin/sh\necho hi\n")},
        format="multipart",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    assert BusinessDocument.objects.filter(business=business).exists() is False


# --- the lifecycle through the API ---

CHECKLIST = [
    {"category": "energy", "description": "مصرف برق", "baseline": "1000.00", "current": "700.00"},
    {"category": "water", "description": "مصرف آب", "baseline": "500.00", "current": "400.00"},
    {"category": "materials", "description": "مواد اولیه", "baseline": "20.00", "current": "18.00"},
    {"category": "waste", "description": "پسماند", "baseline": "8.00", "current": "5.00"},
    {"category": "emissions", "description": "دود", "baseline": "300.00", "current": "120.00"},
    {"category": "permits", "description": "پروانه محیط زیست"},
]


def test_a_registration_goes_from_draft_to_verified_through_the_api(agencies):
    business = ready_to_submit()
    owner = client_for(business.owner)
    officer_user = make_staff("DOE", "officer", first_name="مریم", last_name="کاظمی")
    officer = client_for(officer_user)
    reviewer = client_for(make_staff("DOE", "reviewer"))
    transition = f"{BUSINESSES}{business.pk}/transition/"

    # when the owner submits
    submitted = owner.post(transition, {"action": "submit", "expected_status": "draft"}, format="json")
    # and the officer starts the assessment, fills the checklist and hands it over
    started = officer.post(
        transition, {"action": "start_assessment", "expected_status": "submitted"}, format="json"
    )
    assessment_id = started.json()["open_assessment"]
    added = [officer.post(f"{ASSESSMENTS}{assessment_id}/items/", line, format="json") for line in CHECKLIST]
    ready = officer.post(
        f"{ASSESSMENTS}{assessment_id}/ready/", {"summary": "همه الزامات رعایت شده است."}, format="json"
    )
    # and the reviewer verifies
    verified = reviewer.post(
        transition,
        {"action": "verify", "verified_kind": "greened_existing", "expected_status": "under_assessment"},
        format="json",
    )

    # then
    assert (submitted.status_code, submitted.json()["status"]) == (200, "submitted")
    assert (started.status_code, started.json()["status"]) == (200, "under_assessment")
    assert [response.status_code for response in added] == [201] * 6
    assert added[0].json()["reduction"] == "300.00"
    assert added[0].json()["unit"] == "kwh"
    assert (ready.status_code, ready.json()["status"]) == (200, "ready")
    assert verified.status_code == 200, verified.content
    body = verified.json()
    assert (body["status"], body["verified_kind"], body["open_assessment"]) == (
        "verified",
        "greened_existing",
        None,
    )
    business.refresh_from_db()
    assert business.status == RegistrationStatus.VERIFIED
    assessment = Assessment.objects.get(pk=assessment_id)
    assert (assessment.status, assessment.decision, assessment.officer) == (
        "decided",
        "verified",
        officer_user,
    )
    events = owner.get(f"{BUSINESSES}{business.pk}/events/").json()
    assert [(e["from_status"], e["to_status"]) for e in events] == [
        ("draft", "submitted"),
        ("submitted", "under_assessment"),
        ("under_assessment", "verified"),
    ]
    assert events[1]["actor_name"] == "مریم کاظمی"
    assert events[2]["to_status_label"] == label(RegistrationStatus.VERIFIED)


@pytest.mark.parametrize(
    ("status", "action", "make_actor"),
    [
        pytest.param("submitted", "start_assessment", lambda b: b.owner, id="owner starts assessment"),
        pytest.param(
            "submitted", "start_assessment", lambda b: make_staff("DOE", "reviewer"), id="reviewer starts"
        ),
        pytest.param(
            "under_assessment", "verify", lambda b: make_staff("DOE", "officer"), id="officer verifies"
        ),
        pytest.param(
            "under_assessment", "reject", lambda b: make_staff("DOE", "manager"), id="manager rejects"
        ),
        pytest.param("verified", "expire", lambda b: make_staff("DOE", "reviewer"), id="anyone expires"),
        pytest.param(
            "verified", "request_renewal", lambda b: ProgrammeManagerFactory(), id="committee renews"
        ),
    ],
)
def test_a_transition_by_the_wrong_role_is_403_and_changes_nothing(agencies, status, action, make_actor):
    business = submitted_registration()
    Business.objects.filter(pk=business.pk).update(status=status, verified_kind="new_green")
    events_before = RegistrationEvent.objects.filter(business=business).count()

    response = client_for(make_actor(business)).post(
        f"{BUSINESSES}{business.pk}/transition/", {"action": action, "reason": "آزمون"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] in ("forbidden", "system_only")
    business.refresh_from_db()
    assert business.status == status
    assert RegistrationEvent.objects.filter(business=business).count() == events_before


def test_a_transition_on_a_registration_moved_meanwhile_is_409_and_changes_nothing(agencies):
    business = submitted_registration()
    first = client_for(make_staff("DOE", "officer"))
    second = client_for(make_staff("DOE", "officer"))
    url = f"{BUSINESSES}{business.pk}/transition/"
    first.post(url, {"action": "start_assessment", "expected_status": "submitted"}, format="json")
    before = registration_state(business)

    response = second.post(url, {"action": "start_assessment", "expected_status": "submitted"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "stale"
    assert registration_state(business) == before
    assert before["status"] == RegistrationStatus.UNDER_ASSESSMENT
    assert Assessment.objects.filter(business=business).count() == 1


def test_an_outsider_cannot_move_a_registration_they_cannot_see(agencies):
    business = submitted_registration()
    before = registration_state(business)

    response = client_for(ApplicantFactory()).post(
        f"{BUSINESSES}{business.pk}/transition/", {"action": "submit"}, format="json"
    )

    assert response.status_code == 404
    assert registration_state(business) == before
    assert before["status"] == RegistrationStatus.SUBMITTED


def test_a_return_for_changes_needs_a_reason(agencies):
    business = submitted_registration()
    registrations.business_transition(
        business_id=business.pk, actor=make_staff("DOE"), name="start_assessment"
    )

    before = registration_state(business)

    response = client_for(make_staff("DOE", "reviewer")).post(
        f"{BUSINESSES}{business.pk}/transition/", {"action": "request_changes", "reason": "  "}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "reason_required"
    assert registration_state(business) == before
    assert before["status"] == RegistrationStatus.UNDER_ASSESSMENT


def test_an_unknown_action_is_400_and_changes_nothing(agencies):
    business = ready_to_submit()
    before = registration_state(business)

    response = client_for(business.owner).post(
        f"{BUSINESSES}{business.pk}/transition/", {"action": "approve"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["action"]
    assert registration_state(business) == before
    assert before["status"] == RegistrationStatus.DRAFT


# --- assessments ---


def under_assessment(officer=None, **kwargs):
    business = submitted_registration(**kwargs)
    officer = officer or make_staff("DOE", "officer")
    registrations.business_transition(business_id=business.pk, actor=officer, name="start_assessment")
    return business, Assessment.objects.get(business=business)


def test_doe_lists_assessments_with_their_items_and_filters_them(agencies):
    business, assessment = under_assessment()
    AssessmentItem.objects.create(
        assessment=assessment,
        category="energy",
        description="برق",
        unit="kwh",
        baseline=Decimal(100),
        current=Decimal(80),
    )
    other, _other_assessment = under_assessment()
    reviewer = client_for(make_staff("DOE", "reviewer"))

    everything = reviewer.get(ASSESSMENTS)
    one = reviewer.get(ASSESSMENTS, {"business": business.pk})
    ready = reviewer.get(ASSESSMENTS, {"status": "ready"})

    assert sorted(row["business"] for row in results(everything)) == sorted([business.pk, other.pk])
    (row,) = results(one)
    assert (row["id"], row["status"], row["business_name"]) == (
        assessment.pk,
        "in_progress",
        business.legal_name,
    )
    assert [(item["category"], item["reduction"], item["reduction_percent"]) for item in row["items"]] == [
        ("energy", "20.00", "20.0")
    ]
    assert results(ready) == []


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda: ApplicantFactory(), id="applicant"),
        pytest.param(lambda: make_staff("TVTO", "manager"), id="TVTO manager"),
        pytest.param(lambda: make_staff("MCLS", "reviewer"), id="MCLS reviewer"),
        pytest.param(lambda: ProgrammeManagerFactory(), id="programme manager"),
    ],
)
def test_assessments_are_doe_work_only(agencies, make_user):
    _business, assessment = under_assessment()
    client = client_for(make_user())

    assert client.get(ASSESSMENTS).status_code == 403
    assert client.get(f"{ASSESSMENTS}{assessment.pk}/").status_code == 403
    response = client.post(f"{ASSESSMENTS}{assessment.pk}/items/", CHECKLIST[0], format="json")
    assert response.status_code == 403
    assert assessment.items.count() == 0


def test_the_owner_of_the_business_cannot_fill_its_checklist(agencies):
    business, assessment = under_assessment()

    response = client_for(business.owner).post(
        f"{ASSESSMENTS}{assessment.pk}/items/", CHECKLIST[0], format="json"
    )

    assert response.status_code == 403
    assert assessment.items.count() == 0


def test_only_the_assigned_officer_fills_the_checklist(agencies):
    _business, assessment = under_assessment()

    response = client_for(make_staff("DOE", "officer")).post(
        f"{ASSESSMENTS}{assessment.pk}/items/", CHECKLIST[0], format="json"
    )

    assert response.status_code == 403
    assert assessment.items.count() == 0


def test_an_unknown_assessment_is_404(agencies):
    assert client_for(make_staff("DOE")).get(f"{ASSESSMENTS}999999/").status_code == 404


def test_a_checklist_line_with_half_a_measurement_is_400_on_the_field(agencies):
    officer = make_staff("DOE", "officer")
    _business, assessment = under_assessment(officer)

    response = client_for(officer).post(
        f"{ASSESSMENTS}{assessment.pk}/items/",
        {"category": "water", "description": "آب", "baseline": "10.00"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["current"]
    assert assessment.items.count() == 0


def test_the_officer_edits_and_removes_a_checklist_line(agencies):
    officer = make_staff("DOE", "officer")
    _business, assessment = under_assessment(officer)
    client = client_for(officer)
    item_id = client.post(f"{ASSESSMENTS}{assessment.pk}/items/", CHECKLIST[0], format="json").json()["id"]

    edited = client.post(
        f"{ASSESSMENTS}{assessment.pk}/items/",
        {**CHECKLIST[0], "current": "600.00", "item_id": item_id},
        format="json",
    )
    removed = client.delete(f"{ASSESSMENTS}{assessment.pk}/items/{item_id}/")

    assert (edited.status_code, edited.json()["reduction"]) == (200, "400.00")
    assert removed.status_code == 204
    assert assessment.items.count() == 0


def test_an_incomplete_checklist_is_not_ready(agencies):
    officer = make_staff("DOE", "officer")
    _business, assessment = under_assessment(officer)
    client_for(officer).post(f"{ASSESSMENTS}{assessment.pk}/items/", CHECKLIST[0], format="json")

    response = client_for(officer).post(
        f"{ASSESSMENTS}{assessment.pk}/ready/", {"summary": "تمام"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "checklist_incomplete"
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS


# --- the staff queue's filters ---


@pytest.fixture
def queue(agencies):
    """Three cases DOE sees, one draft it does not."""
    tehran = datetime.timezone(datetime.timedelta(hours=3, minutes=30))
    tile = submitted_registration(
        legal_name="کاشی یزد",
        county=county("qom"),
        is_knowledge_based=True,
        knowledge_based_number="KB-1",
        knowledge_based_as_of=datetime.date(2024, 1, 1),
    )
    solar = submitted_registration(legal_name="نیروی خورشید", county=county("kahak"))
    water = submitted_registration(legal_name="آب پاک", county=county("kahak"), sector="water")
    Business.objects.filter(pk=tile.pk).update(submitted_at=datetime.datetime(2025, 4, 10, 9, tzinfo=tehran))
    Business.objects.filter(pk=solar.pk).update(
        submitted_at=datetime.datetime(2025, 3, 1, 9, tzinfo=tehran), status="under_assessment"
    )
    Business.objects.filter(pk=water.pk).update(
        submitted_at=datetime.datetime(2025, 4, 4, 9, tzinfo=tehran),
        status="verified",
        verified_kind="new_green",
    )
    BusinessFactory(legal_name="کاشی پیش‌نویس", county=county("qom"))
    return {"tile": tile.pk, "solar": solar.pk, "water": water.pk}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["water", "tile", "solar"]),
        ({"status": "submitted"}, ["tile"]),
        ({"status": "verified", "verified_kind": "new_green"}, ["water"]),
        ({"county": "kahak"}, ["water", "solar"]),
        ({"county": "khalajestan"}, []),
        ({"knowledge_based": "true"}, ["tile"]),
        ({"knowledge_based": "false"}, ["water", "solar"]),
        ({"sector": "water"}, ["water"]),
        ({"q": "کاشی"}, ["tile"]),
        ({"q": "كاشي"}, ["tile"]),  # Arabic ك and ي
        ({"q": "كاشي يزد"}, ["tile"]),
        ({"submitted_from": "2025-04-04"}, ["water", "tile"]),
        ({"submitted_from": "1404/01/15"}, ["water", "tile"]),  # = 2025-04-04
        ({"submitted_from": "۱۴۰۴/۰۱/۱۵", "submitted_to": "1404/01/21"}, ["water", "tile"]),
        ({"submitted_to": "1404/01/14"}, ["solar"]),
        ({"county": "kahak", "status": "under_assessment"}, ["solar"]),
    ],
)
def test_the_registry_filters_match_the_staff_queue(queue, params, expected):
    officer = make_staff("DOE", "officer")

    response = client_for(officer).get(BUSINESSES, params)

    by_name = {pk: name for name, pk in queue.items()}
    assert sorted(by_name[pk] for pk in ids(response)) == sorted(expected)


def test_the_api_answers_exactly_what_the_staff_queue_selector_does(queue):
    officer = make_staff("DOE", "officer")
    filters = {"county": "kahak", "sector": "energy", "q": "نيرو", "knowledge_based": "false"}

    response = client_for(officer).get(BUSINESSES, filters)

    from_the_queue = selectors.business_list(user=officer, filters=filters)
    assert ids(response) == [queue["solar"]]
    assert sorted(ids(response)) == sorted(from_the_queue.values_list("pk", flat=True))


def test_the_registry_orders_by_time_in_status(queue):
    Business.objects.filter(pk=queue["water"]).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=9)
    )
    Business.objects.filter(pk=queue["solar"]).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=3)
    )

    response = client_for(make_staff("DOE")).get(BUSINESSES, {"ordering": "status_changed_at"})

    assert ids(response) == [queue["water"], queue["solar"], queue["tile"]]
    assert [row["days_in_status"] for row in results(response)] == [9, 3, 0]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "approved"}, "status"),
        ({"submitted_from": "1404/13/01"}, "submitted_from"),
        ({"submitted_to": "yesterday"}, "submitted_to"),
    ],
)
def test_a_malformed_filter_is_400(queue, params, field):
    response = client_for(make_staff("DOE")).get(BUSINESSES, params)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_other_agencies_filter_only_what_they_may_see(queue):
    response = client_for(make_staff("TVTO")).get(BUSINESSES, {"county": "kahak"})

    assert ids(response) == [queue["water"]]


# --- query counts stay flat as rows grow ---

BUSINESS_LIST_QUERIES = 5  # token with user, staff membership, count, the page, the page's green-job counts
APPLICANT_LIST_QUERIES = 4  # token with user, count, the page, the page's green-job counts
OCCUPATION_LIST_QUERIES = 2  # count, the page
ASSESSMENT_LIST_QUERIES = (
    5  # token with user, staff membership, count, the page with business and officer, items
)


def _businesses(n, **kwargs):
    for _ in range(n):
        business = BusinessFactory(status="submitted", **kwargs)
        GreenJobFactory.create_batch(2, business=business)


def test_the_registry_list_costs_the_same_queries_at_any_size(agencies, django_assert_num_queries):
    client = client_for(make_staff("DOE", "reviewer"))
    _businesses(3)
    with django_assert_num_queries(BUSINESS_LIST_QUERIES):
        small = client.get(BUSINESSES)

    _businesses(12, county=county("kahak"))
    with django_assert_num_queries(BUSINESS_LIST_QUERIES):
        large = client.get(BUSINESSES)

    assert (len(results(small)), len(results(large))) == (3, 15)
    assert {row["green_jobs_count"] for row in results(large)} == {2}


def test_an_applicants_list_costs_the_same_queries_at_any_size(agencies, django_assert_num_queries):
    applicant = ApplicantFactory()
    client = client_for(applicant)
    _businesses(3, owner=applicant)
    with django_assert_num_queries(APPLICANT_LIST_QUERIES):
        small = client.get(BUSINESSES)

    _businesses(12, owner=applicant)
    with django_assert_num_queries(APPLICANT_LIST_QUERIES):
        large = client.get(BUSINESSES)

    assert (len(results(small)), len(results(large))) == (3, 15)


def _occupations(n, start):
    for number in range(start, start + n):
        GreenOccupation.objects.create(
            code=f"GJ-TX-{number:02d}",
            sector="tourism",
            kind="greened_existing",
            name_fa=f"شغل {number}",
            name_en=f"Job {number}",
            requirements_fa="الزام",
        )


def test_the_catalogue_list_costs_the_same_queries_at_any_size(agencies, django_assert_num_queries):
    client = client_for()
    _occupations(2, 1)  # with the seeded GJ-TO-01: three in tourism
    with django_assert_num_queries(OCCUPATION_LIST_QUERIES):
        small = client.get(OCCUPATIONS, {"sector": "tourism"})

    _occupations(12, 3)
    with django_assert_num_queries(OCCUPATION_LIST_QUERIES):
        large = client.get(OCCUPATIONS, {"sector": "tourism"})

    assert (len(results(small)), len(results(large))) == (3, 15)


def _assessments(n, officer):
    for _ in range(n):
        business = BusinessFactory(status="under_assessment")
        assessment = Assessment.objects.create(business=business, officer=officer)
        AssessmentItem.objects.bulk_create(
            AssessmentItem(
                assessment=assessment,
                category=line["category"],
                description=line["description"],
                baseline=line.get("baseline"),
                current=line.get("current"),
            )
            for line in CHECKLIST
        )


def test_the_assessment_list_costs_the_same_queries_at_any_size(agencies, django_assert_num_queries):
    officer = make_staff("DOE", "officer")
    client = client_for(make_staff("DOE", "reviewer"))
    _assessments(3, officer)
    with django_assert_num_queries(ASSESSMENT_LIST_QUERIES):
        small = client.get(ASSESSMENTS)

    _assessments(12, officer)
    with django_assert_num_queries(ASSESSMENT_LIST_QUERIES):
        large = client.get(ASSESSMENTS)

    assert (len(results(small)), len(results(large))) == (3, 15)
    assert {len(row["items"]) for row in results(large)} == {6}

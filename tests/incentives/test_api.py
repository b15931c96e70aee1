import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from agencies.models import StaffMembership
from incentives.models import (
    ApplicationDocument,
    ApplicationEvent,
    Disbursement,
    GraceInterest,
    GraceStart,
    LoanApplication,
    LoanScheme,
    Payment,
    Stage,
)
from incentives.services import applications, repayments
from tests.factories import (
    MINIMAL_PDF,
    ApplicantFactory,
    LoanSchemeFactory,
    ProgrammeManagerFactory,
    county,
    loan_at,
    loan_draft,
    make_staff,
    verified_business,
)
from tests.utils import client_for, ids, results

pytestmark = pytest.mark.django_db

SCHEMES = "/api/v1/schemes/"
LOANS = "/api/v1/loan-applications/"


@pytest.fixture(autouse=True)
def _private_media(private_media):
    """Every test stores its uploaded documents in its own folder."""


def label(choice):
    with translation.override("fa"):
        return str(choice.label)


def loan_urls(application):
    base = f"{LOANS}{application.pk}/"
    document = application.documents.order_by("pk").first()
    return {
        "detail": base,
        "events": f"{base}events/",
        "eligibility": f"{base}eligibility/",
        "planned_jobs": f"{base}planned-jobs/",
        "documents": f"{base}documents/",
        "download": f"{base}documents/{document.pk}/download/",
        "schedule": f"{base}schedule/",
        "disbursements": f"{base}disbursements/",
        "payments": f"{base}payments/",
    }


def elsewhere(url, application):
    """The same endpoint on an application that does not exist."""
    return url.replace(f"{LOANS}{application.pk}/", f"{LOANS}999999/")


def application_state(application) -> dict:
    """Everything a refused action must leave as it was, read fresh from the database."""
    fresh = LoanApplication.objects.get(pk=application.pk)
    scheme = LoanScheme.objects.get(pk=fresh.scheme_id)
    return {
        "stage": fresh.stage,
        "stage_changed_at": fresh.stage_changed_at,
        "amount": fresh.amount,
        "purpose": fresh.purpose,
        "jobs_to_create": fresh.jobs_to_create,
        "approved_amount": fresh.approved_amount,
        "disbursed_amount": fresh.disbursed_amount,
        "contract_number": fresh.contract_number,
        "events": list(fresh.events.values_list("action", flat=True)),
        "documents": sorted(fresh.documents.values_list("stored_name", flat=True)),
        "planned_jobs": sorted(fresh.planned_jobs.values_list("occupation__code", "count")),
        "disbursements": list(fresh.disbursements.values_list("pk", flat=True)),
        "payments": list(fresh.payments.values_list("pk", flat=True)),
        "committed": scheme.committed,
        "disbursed": scheme.disbursed,
    }


def contracted(application, *, officer=None):
    applications.application_transition(
        application_id=application.pk,
        actor=officer or make_staff("MCLS", "officer"),
        name="contract",
        contract_number="ق-۱۴۰۴-۱۲",
        contracted_on=timezone.localdate(),
    )
    application.refresh_from_db()
    return application


def repaying(**kwargs):
    """A loan paid out in full, so its schedule exists and repayments are due."""
    officer = make_staff("MCLS", "officer")
    application = contracted(loan_at("approved", **kwargs), officer=officer)
    repayments.disbursement_record(
        application_id=application.pk,
        actor=officer,
        amount=application.approved_amount,
        paid_on=timezone.localdate(),
        request_key=f"setup-{application.pk}",
    )
    application.refresh_from_db()
    assert application.stage == Stage.REPAYING
    return application


# --- schemes: public to read, MCLS managers to change ---


def test_anyone_reads_the_published_schemes_with_their_money_terms_and_priorities(agencies):
    scheme = LoanSchemeFactory(code="GL100", budget=10_000_000_000, weight_jobs_per_rial=30, weight_county=20)
    scheme.priority_counties.set([county("kahak"), county("jafarabad")])
    LoanScheme.objects.filter(pk=scheme.pk).update(committed=2_500_000_000)
    LoanSchemeFactory(code="GL900", is_published=False)

    response = client_for().get(SCHEMES)

    (row,) = results(response)
    assert {key: row[key] for key in row if key not in ("title", "description", "description_fa")} == {
        "code": "GL100",
        "title_fa": scheme.title_fa,
        "title_en": scheme.title_en,
        "description_en": "",
        "budget": 10_000_000_000,
        "committed": 2_500_000_000,
        "disbursed": 0,
        "available": 7_500_000_000,
        "max_amount": 2_000_000_000,
        "min_amount": 0,
        "interest_rate": "4.00",
        "term_months": 36,
        "grace_months": 6,
        "grace_starts": "disbursement",
        "grace_starts_label": label(GraceStart.DISBURSEMENT),
        "grace_interest": "capitalised",
        "grace_interest_label": label(GraceInterest.CAPITALISED),
        "opens_on": scheme.opens_on.isoformat(),
        "closes_on": scheme.closes_on.isoformat(),
        "is_open": True,
        "requires_verified_registration": True,
        "weight_knowledge_based": 25,
        "weight_jobs_per_rial": 30,
        "weight_environment": 25,
        "weight_county": 20,
        "priority_counties": ["jafarabad", "kahak"],
        "is_published": True,
    }
    assert row["title"] == scheme.title_fa


def test_a_scheme_by_its_code_and_the_unpublished_or_unknown_are_404(agencies):
    LoanSchemeFactory(code="GL100", closes_on=timezone.localdate() - datetime.timedelta(days=1))
    LoanSchemeFactory(code="GL900", is_published=False)
    client = client_for()

    one = client.get(f"{SCHEMES}GL100/")

    assert (one.status_code, one.json()["code"], one.json()["is_open"]) == (200, "GL100", False)
    assert client.get(f"{SCHEMES}GL900/").status_code == 404
    assert client.get(f"{SCHEMES}GL999/").status_code == 404


SCHEME_INPUT = {
    "code": "gl-sun",
    "title_fa": "تسهيلات خورشیدی",
    "title_en": "Solar loans",
    "budget": 5_000_000_000,
    "max_amount": 1_000_000_000,
    "interest_rate": "4.50",
    "term_months": 24,
    "grace_months": 3,
    "opens_on": "1404/01/15",
    "closes_on": "2025-12-31",
    "weight_jobs_per_rial": 20,  # with the defaults 25 and 25, the four add up to 100
    "weight_county": 30,
    "priority_counties": ["kahak"],
}


def test_an_mcls_manager_creates_and_changes_a_scheme(agencies):
    manager = client_for(make_staff("MCLS", "manager"))

    created = manager.post(SCHEMES, SCHEME_INPUT, format="json")
    changed = manager.patch(
        f"{SCHEMES}GL-SUN/", {"budget": 6_000_000_000, "priority_counties": []}, format="json"
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["code"], body["title_fa"], body["opens_on"], body["interest_rate"]) == (
        "GL-SUN",
        "تسهیلات خورشیدی",
        "2025-04-04",
        "4.50",
    )
    assert body["priority_counties"] == ["kahak"]
    assert changed.status_code == 200, changed.content
    assert (changed.json()["budget"], changed.json()["priority_counties"]) == (6_000_000_000, [])
    scheme = LoanScheme.objects.get(code="GL-SUN")
    assert (scheme.budget, scheme.weight_county, list(scheme.priority_counties.all())) == (
        6_000_000_000,
        30,
        [],
    )


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda: None, id="anonymous"),
        pytest.param(lambda: ApplicantFactory(), id="applicant"),
        pytest.param(lambda: make_staff("MCLS", "officer"), id="MCLS officer"),
        pytest.param(lambda: make_staff("DOE", "manager"), id="DOE manager"),
        pytest.param(lambda: ProgrammeManagerFactory(), id="programme manager"),
    ],
)
def test_only_mcls_managers_manage_schemes(agencies, make_user):
    scheme = LoanSchemeFactory(code="GL100", budget=10_000_000_000)
    client = client_for(make_user())

    created = client.post(SCHEMES, SCHEME_INPUT, format="json")
    changed = client.patch(f"{SCHEMES}GL100/", {"budget": 1}, format="json")

    assert (created.status_code, changed.status_code) == (403, 403)
    assert list(LoanScheme.objects.values_list("code", flat=True)) == ["GL100"]
    scheme.refresh_from_db()
    assert scheme.budget == 10_000_000_000


def test_a_budget_below_what_is_committed_is_400_on_the_budget(agencies):
    scheme = LoanSchemeFactory(code="GL100")
    LoanScheme.objects.filter(pk=scheme.pk).update(committed=3_000_000_000)

    response = client_for(make_staff("MCLS", "manager")).patch(
        f"{SCHEMES}GL100/", {"budget": 2_000_000_000}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["budget"]
    scheme.refresh_from_db()
    assert scheme.budget == 10_000_000_000


# --- applying ---


def test_an_applicant_starts_a_draft_application(agencies):
    scheme = LoanSchemeFactory(code="GL100")
    business = verified_business()

    response = client_for(business.owner).post(
        LOANS,
        {
            "scheme": "GL100",
            "business": business.pk,
            "amount": 800_000_000,
            "purpose": "خريد پنل خورشيدي",  # Arabic ي, normalised by the service
            "water_saving_m3": "1200.50",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    application = LoanApplication.objects.get(business=business)
    body = response.json()
    assert {
        key: body[key]
        for key in ("id", "reference", "scheme", "business", "amount", "purpose", "water_saving_m3", "stage")
    } == {
        "id": application.pk,
        "reference": f"GL100-{application.pk:05d}",
        "scheme": "GL100",
        "business": business.pk,
        "amount": 800_000_000,
        "purpose": "خرید پنل خورشیدی",
        "water_saving_m3": "1200.50",
        "stage": "draft",
    }
    assert (body["stage_label"], body["days_in_stage"], body["is_editable"]) == (label(Stage.DRAFT), 0, True)
    assert body["available_actions"] == ["submit", "withdraw"]
    assert (body["priority_score"], body["score_breakdown"], body["planned_jobs"]) == (None, None, [])
    assert (application.applicant, application.scheme, application.stage) == (
        business.owner,
        scheme,
        Stage.DRAFT,
    )
    assert list(application.events.values_list("action", "to_stage", "actor")) == [
        ("create", "draft", business.owner.pk)
    ]


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda: make_staff("MCLS", "manager"), id="MCLS manager"),
        pytest.param(lambda: make_staff("DOE", "officer"), id="DOE officer"),
        pytest.param(lambda: ProgrammeManagerFactory(), id="programme manager"),
        pytest.param(lambda: None, id="anonymous"),
    ],
)
def test_staff_and_anonymous_callers_cannot_apply(agencies, make_user):
    LoanSchemeFactory(code="GL100")
    business = verified_business()

    response = client_for(make_user()).post(
        LOANS, {"scheme": "GL100", "business": business.pk, "amount": 800_000_000}, format="json"
    )

    assert response.status_code == 403
    assert LoanApplication.objects.count() == 0


def test_an_applicant_cannot_apply_with_someone_elses_business(agencies):
    LoanSchemeFactory(code="GL100")
    business = verified_business()

    response = client_for(ApplicantFactory()).post(
        LOANS, {"scheme": "GL100", "business": business.pk, "amount": 800_000_000}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["business"]
    assert LoanApplication.objects.count() == 0


def test_a_second_open_application_for_the_same_business_and_scheme_is_400(agencies):
    first = loan_draft()

    response = client_for(first.applicant).post(
        LOANS, {"scheme": first.scheme.code, "business": first.business_id, "amount": 5}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert LoanApplication.objects.count() == 1


def test_the_applicant_changes_a_draft_but_not_a_submitted_application(agencies):
    draft = loan_draft(amount=1_000_000_000)
    submitted = loan_at("submitted", amount=1_000_000_000)

    changed = client_for(draft.applicant).patch(
        f"{LOANS}{draft.pk}/", {"amount": 1_200_000_000, "commitments": "کاهش پسماند"}, format="json"
    )
    refused = client_for(submitted.applicant).patch(
        f"{LOANS}{submitted.pk}/", {"amount": 1_500_000_000}, format="json"
    )

    assert changed.status_code == 200, changed.content
    assert (changed.json()["amount"], changed.json()["commitments"]) == (1_200_000_000, "کاهش پسماند")
    assert (refused.status_code, refused.json()["code"]) == (409, "not_editable")
    submitted.refresh_from_db()
    assert submitted.amount == 1_000_000_000


def test_the_eligibility_endpoint_lists_every_rule_the_current_data_breaks(agencies):
    eligible = loan_draft()
    above = loan_draft(scheme=LoanSchemeFactory(max_amount=500_000_000), amount=800_000_000)

    fine = client_for(eligible.applicant).get(f"{LOANS}{eligible.pk}/eligibility/")
    problems = client_for(above.applicant).get(f"{LOANS}{above.pk}/eligibility/")

    assert (fine.status_code, fine.json()) == (200, [])
    assert [problem["code"] for problem in problems.json()] == ["amount_above_maximum"]
    assert "۵۰۰٬۰۰۰٬۰۰۰" in problems.json()[0]["message"]  # the Persian default: Persian digits


def test_the_applicant_sets_the_planned_jobs_and_the_total_follows(agencies):
    application = loan_draft(jobs=3)
    client = client_for(application.applicant)
    url = f"{LOANS}{application.pk}/planned-jobs/"

    added = client.post(url, {"occupation": "GJ-WA-01", "count": 2}, format="json")
    removed = client.post(url, {"occupation": "GJ-EN-01", "count": 0}, format="json")

    assert added.status_code == 200, added.content
    assert [(row["occupation"], row["count"]) for row in added.json()] == [("GJ-EN-01", 3), ("GJ-WA-01", 2)]
    assert [(row["occupation"], row["count"]) for row in removed.json()] == [("GJ-WA-01", 2)]
    application.refresh_from_db()
    assert application.jobs_to_create == 2
    assert client.get(f"{LOANS}{application.pk}/").json()["planned_jobs"] == removed.json()


def test_the_applicant_uploads_a_document_and_a_disguised_file_is_refused(agencies):
    application = loan_draft()
    client = client_for(application.applicant)
    url = f"{LOANS}{application.pk}/documents/"

    uploaded = client.post(
        url,
        {"kind": "quotation", "file": SimpleUploadedFile("پیش فاکتور.pdf", MINIMAL_PDF)},
        format="multipart",
    )
    refused = client.post(
        url, {"kind": "quotation", "file": SimpleUploadedFile("x.pdf", b"#!/bin/sh\n")}, format="multipart"
    )

    assert uploaded.status_code == 201, uploaded.content
    document = application.documents.get(kind="quotation")
    body = uploaded.json()
    assert (body["id"], body["original_name"], body["content_type"], body["size"]) == (
        document.pk,
        "پیش فاکتور.pdf",
        "application/pdf",
        len(MINIMAL_PDF),
    )
    assert body["download_url"].endswith(f"{LOANS}{application.pk}/documents/{document.pk}/download/")
    assert (refused.status_code, list(refused.json())) == (400, ["file"])
    assert application.documents.count() == 2


# --- who sees which application ---

OBJECT_ENDPOINTS = [
    "detail",
    "events",
    "eligibility",
    "planned_jobs",
    "documents",
    "download",
    "schedule",
    "disbursements",
    "payments",
]

OUTSIDERS = {
    "another applicant": lambda: ApplicantFactory(),
    "TVTO officer": lambda: make_staff("TVTO", "officer"),
    "TVTO manager": lambda: make_staff("TVTO", "manager"),
}


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
@pytest.mark.parametrize("outsider", list(OUTSIDERS))
def test_an_outsider_gets_404_as_if_the_application_did_not_exist(agencies, outsider, endpoint):
    application = loan_at("environmental_review")
    url = loan_urls(application)[endpoint]
    client = client_for(OUTSIDERS[outsider]())

    response = client.get(url)
    missing = client.get(elsewhere(url, application))

    assert response.status_code == 404
    assert response.content == missing.content
    assert application.business.legal_name.encode() not in response.content


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
def test_an_anonymous_caller_is_refused_without_learning_whether_it_exists(agencies, endpoint):
    application = loan_at("environmental_review")
    url = loan_urls(application)[endpoint]
    anonymous = client_for()

    response = anonymous.get(url)
    missing = anonymous.get(elsewhere(url, application))

    # Session authentication comes first, so DRF answers 403 rather than 401.
    assert response.status_code == 403
    assert (missing.status_code, missing.content) == (403, response.content)
    assert application.business.legal_name.encode() not in response.content


def test_an_anonymous_caller_cannot_list_applications(agencies):
    loan_at("submitted")

    response = client_for().get(LOANS)

    assert response.status_code == 403
    assert "results" not in response.json()


INSIDERS = {
    "owner": lambda application: application.applicant,
    "DOE reviewer": lambda application: make_staff("DOE", "reviewer"),
    "DOE officer": lambda application: make_staff("DOE", "officer"),
    "MCLS reviewer": lambda application: make_staff("MCLS", "reviewer"),
    "MCLS officer": lambda application: make_staff("MCLS", "officer"),
    "MCLS manager": lambda application: make_staff("MCLS", "manager"),
    "programme manager": lambda application: ProgrammeManagerFactory(),
}


@pytest.mark.parametrize("insider", list(INSIDERS))
def test_the_owner_doe_mcls_and_the_committee_read_everything_from_the_environmental_review_on(
    agencies, insider
):
    application = loan_at("environmental_review")
    urls = loan_urls(application)
    client = client_for(INSIDERS[insider](application))

    responses = {endpoint: client.get(url) for endpoint, url in urls.items()}

    assert {endpoint: r.status_code for endpoint, r in responses.items()} == dict.fromkeys(urls, 200)
    assert responses["detail"].json()["business_name"] == application.business.legal_name
    assert [e["action"] for e in responses["events"].json()] == [
        "create",
        "submit",
        "start_environmental_review",
    ]
    assert [d["original_name"] for d in responses["documents"].json()] == ["plan.pdf"]
    assert b"".join(responses["download"].streaming_content) == MINIMAL_PDF
    assert responses["schedule"].json()["instalments"] == []
    assert (responses["disbursements"].json(), responses["payments"].json()) == ([], [])


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
@pytest.mark.parametrize(
    "staff",
    [
        pytest.param(lambda: make_staff("DOE", "reviewer"), id="DOE reviewer"),
        pytest.param(lambda: make_staff("MCLS", "manager"), id="MCLS manager"),
        pytest.param(lambda: ProgrammeManagerFactory(), id="programme manager"),
    ],
)
def test_nobody_but_the_applicant_sees_a_draft(agencies, staff, endpoint):
    draft = loan_draft()
    url = loan_urls(draft)[endpoint]
    client = client_for(staff())

    response = client.get(url)

    assert response.status_code == 404
    assert response.content == client.get(elsewhere(url, draft)).content
    assert client.get(LOANS).json()["results"] == []


def test_a_document_of_another_application_is_404_even_for_mcls(agencies):
    mine = loan_at("submitted")
    other = loan_at("submitted")
    other_document = other.documents.get()

    response = client_for(make_staff("MCLS", "manager")).get(
        f"{LOANS}{mine.pk}/documents/{other_document.pk}/download/"
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("endpoint", "method", "payload"),
    [
        ("detail", "patch", {"amount": 5}),
        ("planned_jobs", "post", {"occupation": "GJ-WA-01", "count": 9}),
        ("transition", "post", {"action": "submit"}),
        ("disbursements", "post", {"amount": 5, "paid_on": "2025-06-01", "request_key": "k-1"}),
        ("payments", "post", {"amount": 5, "paid_on": "2025-06-01", "reference": "r", "request_key": "k-1"}),
    ],
)
@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda: ApplicantFactory(), id="another applicant"),
        pytest.param(lambda: make_staff("MCLS", "manager"), id="MCLS manager on a draft"),
        pytest.param(lambda: make_staff("TVTO", "officer"), id="TVTO officer"),
    ],
)
def test_nobody_but_the_owner_writes_to_a_draft_and_it_is_404(agencies, make_user, endpoint, method, payload):
    draft = loan_draft()
    before = application_state(draft)
    url = {**loan_urls(draft), "transition": f"{LOANS}{draft.pk}/transition/"}[endpoint]

    response = getattr(client_for(make_user()), method)(url, payload, format="json")

    assert response.status_code == 404
    assert application_state(draft) == before


def test_another_applicant_cannot_upload_to_a_draft(agencies):
    draft = loan_draft()
    before = application_state(draft)

    response = client_for(ApplicantFactory()).post(
        f"{LOANS}{draft.pk}/documents/",
        {"kind": "other", "file": SimpleUploadedFile("x.pdf", MINIMAL_PDF)},
        format="multipart",
    )

    assert response.status_code == 404
    assert application_state(draft) == before
    assert ApplicationDocument.objects.count() == 1


def test_staff_who_read_an_application_cannot_change_it_as_its_applicant(agencies):
    application = loan_at("submitted")
    LoanApplication.objects.filter(pk=application.pk).update(stage=Stage.RETURNED)
    before = application_state(application)
    mcls = client_for(make_staff("MCLS", "manager"))

    patched = mcls.patch(f"{LOANS}{application.pk}/", {"amount": 5}, format="json")
    jobs = mcls.post(
        f"{LOANS}{application.pk}/planned-jobs/", {"occupation": "GJ-WA-01", "count": 1}, format="json"
    )

    assert (patched.status_code, jobs.status_code) == (404, 404)
    assert application_state(application) == before


# --- scores are for the people who rank ---


def test_the_score_is_hidden_from_the_applicant_and_shown_to_mcls_and_the_committee(agencies):
    application = loan_at("credit_review")
    assert application.priority_score > 0
    url = f"{LOANS}{application.pk}/"

    owner = client_for(application.applicant)
    mcls = client_for(make_staff("MCLS", "reviewer"))
    committee = client_for(ProgrammeManagerFactory())

    for body in (owner.get(url).json(), results(owner.get(LOANS))[0]):
        assert (body["priority_score"], body["score_breakdown"]) == (None, None)
    for client in (mcls, committee):
        for body in (client.get(url).json(), results(client.get(LOANS))[0]):
            assert body["priority_score"] == str(application.priority_score)
            assert body["score_breakdown"] == application.score_breakdown
    assert set(application.score_breakdown) == {"knowledge_based", "jobs_per_rial", "environment", "county"}
    assert b"jobs_per_rial" not in owner.get(url).content


# --- the lifecycle through the API ---


def test_an_application_goes_from_draft_to_repaying_through_the_api(agencies, time_machine):
    # Reviewed and signed on 1404/03/11 (2025-06-01); the second tranche is recorded a fortnight later.
    time_machine.move_to(datetime.datetime(2025, 6, 1, 8, 30, tzinfo=datetime.UTC))
    scheme = LoanSchemeFactory(budget=5_000_000_000)
    application = loan_draft(scheme=scheme, amount=1_000_000_000)
    owner = client_for(application.applicant)
    doe = client_for(make_staff("DOE", "reviewer"))
    credit = client_for(make_staff("MCLS", "reviewer"))
    manager = client_for(make_staff("MCLS", "manager"))
    officer = client_for(make_staff("MCLS", "officer", first_name="مریم", last_name="کاظمی"))
    url = f"{LOANS}{application.pk}/"

    def move(client, action, expected, **extra):
        response = client.post(f"{url}transition/", {"action": action, "expected_stage": expected, **extra})
        assert response.status_code == 200, response.content
        return response.json()

    submitted = move(owner, "submit", "draft")
    reviewing = move(doe, "start_environmental_review", "submitted")
    accepted = move(doe, "environment_accept", "environmental_review")
    decision = move(credit, "credit_accept", "credit_review")
    approved = move(manager, "approve", "decision")
    signed = move(officer, "contract", "approved", contract_number="ق-۱۴۰۴-۷", contracted_on="1404/03/11")
    first = officer.post(
        f"{url}disbursements/", {"amount": 400_000_000, "paid_on": "2025-06-01", "request_key": "t-1"}
    )
    time_machine.move_to(datetime.datetime(2025, 6, 15, 8, 30, tzinfo=datetime.UTC))
    second = officer.post(
        f"{url}disbursements/", {"amount": 600_000_000, "paid_on": "2025-06-15", "request_key": "t-2"}
    )

    assert [body["stage"] for body in (submitted, reviewing, accepted, decision, approved, signed)] == [
        "submitted",
        "environmental_review",
        "credit_review",
        "decision",
        "approved",
        "contracted",
    ]
    assert submitted["available_actions"] == ["withdraw"]
    assert approved["approved_amount"] == 1_000_000_000
    assert (signed["contract_number"], signed["contracted_on"]) == ("ق-۱۴۰۴-۷", "2025-06-01")
    assert (first.status_code, second.status_code) == (201, 201)
    assert (first.json()["amount"], first.json()["paid_on"]) == (400_000_000, "2025-06-01")
    application.refresh_from_db()
    scheme.refresh_from_db()
    assert (application.stage, application.disbursed_amount, application.first_disbursed_on) == (
        Stage.REPAYING,
        1_000_000_000,
        datetime.date(2025, 6, 1),
    )
    assert (scheme.committed, scheme.disbursed) == (1_000_000_000, 1_000_000_000)
    events = owner.get(f"{url}events/").json()
    assert [(e["action"], e["from_stage"], e["to_stage"]) for e in events] == [
        ("create", "", "draft"),
        ("submit", "draft", "submitted"),
        ("start_environmental_review", "submitted", "environmental_review"),
        ("environment_accept", "environmental_review", "credit_review"),
        ("credit_accept", "credit_review", "decision"),
        ("approve", "decision", "approved"),
        ("contract", "approved", "contracted"),
        ("disburse", "contracted", "disbursed"),
        ("disburse", "disbursed", "disbursed"),
        ("start_repayment", "disbursed", "repaying"),
    ]
    assert events[6]["actor_name"] == "مریم کاظمی"
    assert events[9]["actor_name"] is None
    assert events[5]["to_stage_label"] == label(Stage.APPROVED)
    schedule = owner.get(f"{url}schedule/").json()
    lines = schedule["instalments"]
    assert [line["number"] for line in lines] == list(range(1, 37))
    assert schedule["totals"]["amount"] == sum(line["amount"] for line in lines)
    assert schedule["totals"]["amount"] == schedule["totals"]["principal"] + schedule["totals"]["interest"]
    assert (schedule["totals"]["paid"], schedule["totals"]["outstanding"]) == (
        0,
        schedule["totals"]["amount"],
    )
    assert lines[-1]["balance_after"] == 0


@pytest.mark.parametrize(
    ("stage", "action", "make_actor"),
    [
        pytest.param(
            "submitted", "start_environmental_review", lambda a: a.applicant, id="owner starts review"
        ),
        pytest.param(
            "submitted",
            "start_environmental_review",
            lambda a: make_staff("DOE", "officer"),
            id="DOE officer",
        ),
        pytest.param(
            "environmental_review",
            "environment_accept",
            lambda a: make_staff("MCLS", "reviewer"),
            id="MCLS decides DOE's stage",
        ),
        pytest.param(
            "credit_review",
            "credit_accept",
            lambda a: make_staff("DOE", "reviewer"),
            id="DOE decides MCLS's stage",
        ),
        pytest.param("decision", "approve", lambda a: make_staff("MCLS", "reviewer"), id="reviewer approves"),
        pytest.param("decision", "approve", lambda a: ProgrammeManagerFactory(), id="committee approves"),
        pytest.param("decision", "approve", lambda a: a.applicant, id="owner approves"),
        pytest.param(
            "approved", "contract", lambda a: make_staff("MCLS", "reviewer"), id="reviewer contracts"
        ),
    ],
)
def test_a_transition_by_the_wrong_role_is_403_and_changes_nothing(agencies, stage, action, make_actor):
    application = loan_at(stage)
    before = application_state(application)

    response = client_for(make_actor(application)).post(
        f"{LOANS}{application.pk}/transition/",
        {
            "action": action,
            "reason": "آزمون",
            "expected_stage": stage,
            "contract_number": "ق-۱",
            "contracted_on": "2025-06-01",
        },
        format="json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert application_state(application) == before


def test_the_same_person_cannot_decide_two_stages_of_one_application(agencies):
    application = loan_at("credit_review")
    reviewer = make_staff("MCLS", "reviewer")
    client = client_for(reviewer)
    client.post(f"{LOANS}{application.pk}/transition/", {"action": "credit_accept"}, format="json")
    # Promoted meanwhile, the same person may approve loans, but not this one.
    StaffMembership.objects.filter(user=reviewer).update(role="manager")
    before = application_state(application)

    response = client.post(f"{LOANS}{application.pk}/transition/", {"action": "approve"}, format="json")

    assert (response.status_code, response.json()["code"]) == (403, "separation_of_duties")
    assert application_state(application) == before
    assert before["stage"] == Stage.DECISION


def test_a_transition_on_an_application_moved_meanwhile_is_409_and_changes_nothing(agencies):
    application = loan_at("submitted")
    first = client_for(make_staff("DOE", "reviewer"))
    second = client_for(make_staff("DOE", "reviewer"))
    url = f"{LOANS}{application.pk}/transition/"
    first.post(url, {"action": "start_environmental_review", "expected_stage": "submitted"}, format="json")
    before = application_state(application)

    response = second.post(
        url, {"action": "start_environmental_review", "expected_stage": "submitted"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "stale"
    assert application_state(application) == before
    assert before["stage"] == Stage.ENVIRONMENTAL_REVIEW


def test_a_refusal_without_a_reason_is_400_and_changes_nothing(agencies):
    application = loan_at("environmental_review")
    before = application_state(application)

    response = client_for(make_staff("DOE", "reviewer")).post(
        f"{LOANS}{application.pk}/transition/",
        {"action": "environment_reject", "reason": "  "},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (400, "reason_required")
    assert application_state(application) == before


def test_an_unknown_action_is_400_on_the_action(agencies):
    application = loan_at("submitted")

    response = client_for(make_staff("DOE", "reviewer")).post(
        f"{LOANS}{application.pk}/transition/", {"action": "fast_track"}, format="json"
    )

    assert (response.status_code, list(response.json())) == (400, ["action"])


def test_approving_beyond_the_budget_is_409_and_commits_nothing(agencies):
    scheme = LoanSchemeFactory(budget=1_500_000_000)
    first = loan_at("decision", scheme=scheme, amount=1_000_000_000)
    second = loan_at("decision", scheme=scheme, amount=1_000_000_000)

    approved = client_for(make_staff("MCLS", "manager")).post(
        f"{LOANS}{first.pk}/transition/", {"action": "approve", "expected_stage": "decision"}, format="json"
    )
    before = application_state(second)
    refused = client_for(make_staff("MCLS", "manager")).post(
        f"{LOANS}{second.pk}/transition/", {"action": "approve", "expected_stage": "decision"}, format="json"
    )

    assert approved.status_code == 200
    assert (refused.status_code, refused.json()["code"]) == (409, "budget_exhausted")
    assert "۵۰۰٬۰۰۰٬۰۰۰" in refused.json()["detail"]  # the Persian default: Persian digits
    assert application_state(second) == before
    scheme.refresh_from_db()
    assert scheme.committed == 1_000_000_000


# --- money ---


def test_a_repeated_disbursement_request_pays_once_and_answers_200(agencies):
    application = contracted(loan_at("approved", amount=1_000_000_000))
    officer = client_for(make_staff("MCLS", "officer"))
    url = f"{LOANS}{application.pk}/disbursements/"
    tranche = {
        "amount": 300_000_000,
        "paid_on": timezone.localdate().isoformat(),
        "request_key": "double-click-1",
    }

    first = officer.post(url, tranche, format="json")
    again = officer.post(url, tranche, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Disbursement.objects.filter(application=application).count() == 1
    application.refresh_from_db()
    assert (application.disbursed_amount, application.stage) == (300_000_000, Stage.DISBURSED)
    assert LoanScheme.objects.get(pk=application.scheme_id).disbursed == 300_000_000
    assert list(application.events.filter(action="disburse").values_list("to_stage", flat=True)) == [
        "disbursed"
    ]
    listed = client_for(application.applicant).get(url)
    assert [row["id"] for row in listed.json()] == [first.json()["id"]]


def test_a_disbursement_key_used_on_another_application_is_409(agencies):
    one = contracted(loan_at("approved"))
    other = contracted(loan_at("approved"))
    officer = client_for(make_staff("MCLS", "officer"))
    tranche = {
        "amount": 100_000_000,
        "paid_on": timezone.localdate().isoformat(),
        "request_key": "shared-key",
    }
    officer.post(f"{LOANS}{one.pk}/disbursements/", tranche, format="json")
    before = application_state(other)

    response = officer.post(f"{LOANS}{other.pk}/disbursements/", tranche, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "key_reused")
    assert application_state(other) == before


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda a: a.applicant, id="owner"),
        pytest.param(lambda a: make_staff("MCLS", "reviewer"), id="MCLS reviewer"),
        pytest.param(lambda a: make_staff("DOE", "manager"), id="DOE manager"),
        pytest.param(lambda a: ProgrammeManagerFactory(), id="programme manager"),
    ],
)
def test_only_mcls_officers_and_managers_record_money_even_when_repeating_a_key(agencies, make_user):
    application = repaying()
    before = application_state(application)
    client = client_for(make_user(application))
    url = f"{LOANS}{application.pk}/"

    tranche = client.post(
        f"{url}disbursements/",
        {"amount": 1, "paid_on": timezone.localdate().isoformat(), "request_key": f"setup-{application.pk}"},
        format="json",
    )
    payment = client.post(
        f"{url}payments/",
        {
            "amount": 1_000,
            "paid_on": timezone.localdate().isoformat(),
            "reference": "B-1",
            "request_key": "p-1",
        },
        format="json",
    )

    assert (tranche.status_code, payment.status_code) == (403, 403)
    assert application_state(application) == before


def test_a_payment_is_recorded_once_and_pays_the_oldest_instalments_first(agencies):
    application = repaying()
    first_line = application.instalments.order_by("number").first()
    officer = client_for(make_staff("MCLS", "officer"))
    url = f"{LOANS}{application.pk}/payments/"
    payment = {
        "amount": first_line.amount + 1_000,
        "paid_on": timezone.localdate().isoformat(),
        "reference": " BANK-778 ",
        "request_key": "pay-1",
    }

    first = officer.post(url, payment, format="json")
    again = officer.post(url, payment, format="json")

    assert (first.status_code, again.status_code) == (201, 200), first.content
    assert first.json() == again.json()
    assert (first.json()["amount"], first.json()["reference"]) == (first_line.amount + 1_000, "BANK-778")
    assert Payment.objects.filter(application=application).count() == 1
    schedule = client_for(application.applicant).get(f"{LOANS}{application.pk}/schedule/").json()
    assert [(line["number"], line["paid"]) for line in schedule["instalments"][:3]] == [
        (1, first_line.amount),
        (2, 1_000),
        (3, 0),
    ]
    assert schedule["totals"]["paid"] == first_line.amount + 1_000
    assert schedule["totals"]["outstanding"] == schedule["totals"]["amount"] - first_line.amount - 1_000
    listed = client_for(application.applicant).get(url).json()
    assert [row["id"] for row in listed] == [first.json()["id"]]


def test_a_payment_key_used_on_another_application_is_409_not_the_other_loans_payment(agencies):
    one = repaying()
    other = repaying()
    officer = client_for(make_staff("MCLS", "officer"))
    payment = {
        "amount": 1_000,
        "paid_on": timezone.localdate().isoformat(),
        "reference": "B-1",
        "request_key": "shared-pay",
    }
    officer.post(f"{LOANS}{one.pk}/payments/", payment, format="json")

    response = officer.post(f"{LOANS}{other.pk}/payments/", payment, format="json")

    assert response.status_code == 409


def test_a_payment_on_a_loan_not_being_repaid_is_409(agencies):
    application = contracted(loan_at("approved"))

    response = client_for(make_staff("MCLS", "officer")).post(
        f"{LOANS}{application.pk}/payments/",
        {
            "amount": 1_000,
            "paid_on": timezone.localdate().isoformat(),
            "reference": "B-1",
            "request_key": "p-1",
        },
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")
    assert Payment.objects.count() == 0


# --- filters and ordering ---


def _application(*, scheme, stage=Stage.CREDIT_REVIEW, amount=1_000_000_000, owner=None, **business):
    """An application row in a given stage (set directly: the workflow is tested elsewhere)."""
    if owner is not None:
        business["owner"] = owner
    business = verified_business(**business)
    return LoanApplication.objects.create(
        applicant=business.owner,
        business=business,
        scheme=scheme,
        amount=amount,
        purpose="خرید تجهیزات",
        stage=stage,
        priority_score=amount // 100_000_000,
    )


@pytest.fixture
def portfolio(agencies):
    gl1 = LoanSchemeFactory(code="GL001")
    gl2 = LoanSchemeFactory(code="GL002")
    return {
        "credit": _application(scheme=gl1, amount=900_000_000),
        "decision": _application(
            scheme=gl1, stage=Stage.DECISION, amount=1_500_000_000, county=county("kahak")
        ),
        "other scheme": _application(scheme=gl2, amount=300_000_000, legal_name="كارگاه بازيافت پارس"),
        "draft": _application(scheme=gl1, stage=Stage.DRAFT),
        "approved": _application(scheme=gl2, stage=Stage.APPROVED, amount=1_200_000_000),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["decision", "approved", "credit", "other scheme"]),
        ({"stage": ["credit_review", "decision"]}, ["decision", "credit", "other scheme"]),
        ({"stage": "approved"}, ["approved"]),
        ({"scheme": "GL002"}, ["approved", "other scheme"]),
        ({"county": "kahak"}, ["decision"]),
        ({"q": "کارگاه بازیافت"}, ["other scheme"]),
        ({"ordering": "amount"}, ["other scheme", "credit", "approved", "decision"]),
        ({"ordering": "-amount", "scheme": "GL001"}, ["decision", "credit"]),
    ],
)
def test_the_list_filters_and_orders_like_the_staff_queue(portfolio, params, expected):
    response = client_for(make_staff("MCLS", "manager")).get(LOANS, params)

    names = {application.pk: name for name, application in portfolio.items()}
    assert [names[pk] for pk in ids(response)] == expected


def test_an_unknown_stage_is_a_400_not_an_empty_page(portfolio):
    response = client_for(make_staff("MCLS", "manager")).get(LOANS, {"stage": "lost"})

    assert (response.status_code, list(response.json())) == (400, ["stage"])


def test_doe_lists_from_submission_on_and_an_applicant_only_their_own(portfolio):
    applicant = portfolio["credit"].applicant
    own_draft = _application(scheme=LoanSchemeFactory(), stage=Stage.DRAFT, owner=applicant)

    doe = client_for(make_staff("DOE", "reviewer")).get(LOANS)
    mine = client_for(applicant).get(LOANS)
    tvto = client_for(make_staff("TVTO", "manager")).get(LOANS)

    assert sorted(ids(doe)) == sorted(
        portfolio[name].pk for name in ("credit", "decision", "other scheme", "approved")
    )
    assert sorted(ids(mine)) == sorted([portfolio["credit"].pk, own_draft.pk])
    assert ids(tvto) == []


def test_the_list_row_carries_the_reference_stage_days_and_the_callers_actions(portfolio, time_machine):
    time_machine.move_to(timezone.now() + datetime.timedelta(days=3, hours=1))
    application = portfolio["decision"]

    (row,) = results(client_for(make_staff("MCLS", "manager")).get(LOANS, {"stage": "decision"}))

    assert {
        key: row[key]
        for key in (
            "id",
            "reference",
            "scheme",
            "county",
            "stage",
            "stage_label",
            "days_in_stage",
            "available_actions",
        )
    } == {
        "id": application.pk,
        "reference": f"GL001-{application.pk:05d}",
        "scheme": "GL001",
        "county": "kahak",
        "stage": "decision",
        "stage_label": label(Stage.DECISION),
        "days_in_stage": 3,
        "available_actions": ["approve", "reject", "decision_return"],
    }


# --- query counts stay flat as rows grow ---

SCHEME_LIST_QUERIES = 3  # count, the page, the priority counties
STAFF_LIST_QUERIES = 4  # token with user, staff membership, count, the page (scheme, business, county joined)
APPLICANT_LIST_QUERIES = 3  # token with user, count, the page


def _schemes(n):
    for scheme in LoanSchemeFactory.create_batch(n):
        scheme.priority_counties.set([county("qom"), county("kahak")])


def test_the_scheme_list_costs_the_same_queries_at_any_size(agencies, django_assert_num_queries):
    client = client_for()
    _schemes(3)
    with django_assert_num_queries(SCHEME_LIST_QUERIES):
        small = client.get(SCHEMES)

    _schemes(12)
    with django_assert_num_queries(SCHEME_LIST_QUERIES):
        large = client.get(SCHEMES)

    assert (len(results(small)), len(results(large))) == (3, 15)
    assert {tuple(row["priority_counties"]) for row in results(large)} == {("kahak", "qom")}


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda: make_staff("MCLS", "reviewer"), id="MCLS reviewer"),
        pytest.param(lambda: make_staff("DOE", "reviewer"), id="DOE reviewer"),
    ],
)
def test_the_staff_list_costs_the_same_queries_at_any_size(agencies, django_assert_num_queries, make_user):
    client = client_for(make_user())
    scheme = LoanSchemeFactory()
    for _ in range(3):
        _application(scheme=scheme)
    with django_assert_num_queries(STAFF_LIST_QUERIES):
        small = client.get(LOANS)

    for _ in range(12):
        _application(scheme=scheme, county=county("kahak"))
    with django_assert_num_queries(STAFF_LIST_QUERIES):
        large = client.get(LOANS)

    assert (len(results(small)), len(results(large))) == (3, 15)


def test_an_applicants_list_costs_the_same_queries_at_any_size(agencies, django_assert_num_queries):
    applicant = ApplicantFactory()
    client = client_for(applicant)
    for _ in range(3):
        _application(scheme=LoanSchemeFactory(), stage=Stage.DRAFT, owner=applicant)
    with django_assert_num_queries(APPLICANT_LIST_QUERIES):
        small = client.get(LOANS)

    for _ in range(12):
        _application(scheme=LoanSchemeFactory(), stage=Stage.SUBMITTED, owner=applicant)
    with django_assert_num_queries(APPLICANT_LIST_QUERIES):
        large = client.get(LOANS)

    assert (len(results(small)), len(results(large))) == (3, 15)
    assert {row["available_actions"][0] for row in results(large)} == {"submit", "withdraw"}


def test_events_are_never_written_by_reading(agencies):
    application = loan_at("submitted")
    before = ApplicationEvent.objects.count()

    for url in loan_urls(application).values():
        client_for(application.applicant).get(url)

    assert ApplicationEvent.objects.count() == before

"""Who may do what with loans (incentives.permissions), and that the page and the API ask the same rule."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from incentives import permissions
from incentives.models import Disbursement
from incentives.services import applications
from incentives.workflow import MOVES, actor_may
from tests.factories import loan_at, loan_draft, make_staff
from tests.people import AGENCY_ROLES, person, who_may

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media")]

DOE = {"doe_officer", "doe_reviewer", "doe_manager"}
MCLS = {"mcls_officer", "mcls_reviewer", "mcls_manager"}


def contracted():
    application = loan_at("approved")
    applications.application_transition(
        application_id=application.pk, actor=make_staff("MCLS", "officer"), name="contract",
        contract_number="QOM-1404-1", contracted_on=timezone.localdate(),
    )  # fmt: skip
    application.refresh_from_db()
    return application


def test_the_rules_on_the_person():
    assert who_may(permissions.can_manage_schemes) == {"mcls_manager"}
    assert who_may(permissions.can_record_payments) == {"mcls_officer", "mcls_manager"}
    assert who_may(permissions.can_disburse) == {"mcls_officer", "mcls_manager"}
    assert who_may(permissions.can_work_loan_queue) == DOE | MCLS
    assert who_may(permissions.can_see_scores) == set(AGENCY_ROLES) | {"programme_manager"}
    assert who_may(permissions.can_apply) == {"applicant"}


def test_disbursing_is_the_workflow_moves_actor_rule():
    application = contracted()

    assert who_may(permissions.can_disburse) == who_may(
        lambda user: actor_may(MOVES["disburse"], application, user)
    )


def test_the_staff_panel_is_for_agency_staff_and_never_on_their_own_application():
    application = loan_draft()

    assert who_may(permissions.has_staff_panel, application) == set(AGENCY_ROLES)
    assert not permissions.has_staff_panel(application.applicant, application)
    assert not permissions.has_staff_panel(None, application)


def test_documents_are_for_the_owner_and_doe_mcls_and_the_steering_committee_once_submitted():
    draft = loan_draft()
    submitted = loan_at("submitted")

    assert who_may(permissions.can_view_documents, draft) == set()
    assert permissions.can_view_documents(draft.applicant, draft)
    assert who_may(permissions.can_view_documents, submitted) == DOE | MCLS | {"programme_manager"}
    assert permissions.can_view_documents(submitted.applicant, submitted)


def test_who_sees_which_applications():
    draft = loan_draft()
    submitted = loan_at("submitted")

    assert who_may(lambda user: permissions.visible_applications(user).filter(pk=draft.pk).exists()) == set()
    assert who_may(lambda user: permissions.visible_applications(user).filter(pk=submitted.pk).exists()) == (
        DOE | MCLS | {"programme_manager"}
    )
    assert list(permissions.visible_applications(submitted.applicant)) == [submitted]


@pytest.mark.parametrize("who", ["mcls_officer", "mcls_manager", "mcls_reviewer", "doe_officer"])
def test_the_disbursement_page_and_api_give_the_same_answer(client, who):
    """An empty form: those who may get the form's errors back, the others a refusal; nothing is paid."""
    application = contracted()
    user = person(who)
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)

    page = client.post(reverse("incentives:disburse", args=[application.pk]), {})
    answer = api.post(f"/api/v1/loan-applications/{application.pk}/disbursements/", {}, format="json")

    allowed = permissions.can_disburse(user)
    assert (page.status_code, answer.status_code) == ((200, 400) if allowed else (403, 403))
    assert not Disbursement.objects.exists()

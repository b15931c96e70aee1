"""One person does not both assess a registration and decide it, as on loans."""

import pytest

from agencies.models import StaffMembership, StaffRole
from greenjobs.exceptions import DomainError
from programs.services import registrations as services
from programs.workflow import available_actions
from tests.factories import make_staff, registration_in, registration_state

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]


def promote_to_reviewer(user):
    StaffMembership.objects.filter(user=user).update(role=StaffRole.REVIEWER)
    user.refresh_from_db()
    return user


@pytest.mark.parametrize("action", ["verify", "request_changes", "reject"])
def test_an_officer_made_reviewer_cannot_decide_the_registration_they_assessed(action):
    # given: an officer filled the checklist, and was later made a reviewer
    officer = make_staff("DOE", StaffRole.OFFICER)
    business = registration_in("under_assessment", officer=officer)
    promote_to_reviewer(officer)
    before = registration_state(business)

    # when / then: refused with the reason, and nothing changes
    with pytest.raises(DomainError) as refused:
        services.business_transition(
            business_id=business.pk, actor=officer, name=action, reason="دلیل", verified_kind="new_green"
        )
    assert refused.value.code == "separation_of_duties"
    assert refused.value.status_code == 403
    assert registration_state(business) == before
    assert available_actions(business, officer) == []


def test_a_colleague_reviewer_decides_it():
    officer = make_staff("DOE", StaffRole.OFFICER)
    business = registration_in("under_assessment", officer=officer, checklist_ready=True)
    promote_to_reviewer(officer)
    colleague = make_staff("DOE", StaffRole.REVIEWER)

    assert [t.name for t in available_actions(business, colleague)] == ["verify", "request_changes", "reject"]
    services.business_transition(
        business_id=business.pk, actor=colleague, name="verify", verified_kind="new_green"
    )

    business.refresh_from_db()
    assert business.status == "verified"


def test_the_refusal_is_told_on_the_page(client):
    officer = make_staff("DOE", StaffRole.OFFICER)
    business = registration_in("under_assessment", officer=officer)
    promote_to_reviewer(officer)
    client.force_login(officer)
    client.cookies["django_language"] = "en"

    response = client.post(
        f"/programs/businesses/{business.pk}/transition/",
        {"action": "reject", "reason": "x", "expected_status": "under_assessment"},
        follow=True,
    )

    assert "You assessed this registration; a colleague must decide it." in response.content.decode()
    business.refresh_from_db()
    assert business.status == "under_assessment"

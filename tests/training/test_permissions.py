"""Who may do what in training (training.permissions): TVTO runs it, each agency records its activities."""

import pytest

from agencies.models import Agency
from tests.factories import ApplicantFactory
from tests.people import AGENCY_ROLES, who_may
from training import permissions
from training.models import AwarenessActivity, Certificate, Enrolment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]

TVTO = {"tvto_officer", "tvto_reviewer", "tvto_manager"}


def test_the_rules_on_the_person():
    assert who_may(permissions.can_manage_training) == TVTO
    assert who_may(permissions.can_record_activities) == set(AGENCY_ROLES)
    assert who_may(permissions.can_view_all_certificates) == TVTO | {"programme_manager"}
    assert who_may(permissions.can_enrol) == {"applicant"}


@pytest.mark.parametrize("code", ["DOE", "MCLS", "TVTO"])
def test_an_activity_is_corrected_by_its_own_agency_only(code):
    activity = AwarenessActivity(agency=Agency.objects.get(code=code))

    assert who_may(permissions.can_edit_activity, activity) == {
        who for who, (agency, _role) in AGENCY_ROLES.items() if agency == code
    }


def test_a_certificate_is_for_its_holder_tvto_and_the_steering_committee():
    holder = ApplicantFactory()
    certificate = Certificate(enrolment=Enrolment(person=holder))

    assert who_may(permissions.can_view_certificate, certificate) == TVTO | {"programme_manager"}
    assert permissions.can_view_certificate(holder, certificate)

"""The cross-app role helpers (agencies.permissions), the core hooks they fill, the navigation rules."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from agencies import permissions
from greenjobs import permissions as core
from tests.people import AGENCY_ROLES, PEOPLE, person, who_may

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]

STAFF = set(AGENCY_ROLES)


def test_membership_of_is_the_active_membership_and_is_asked_once_per_request(django_assert_num_queries):
    user = person("mcls_reviewer")

    with django_assert_num_queries(1):
        first = permissions.membership_of(user)
        again = permissions.membership_of(user)

    assert (first.agency.code, first.role) == ("MCLS", "reviewer")
    assert again is first


@pytest.mark.parametrize("who", ["anonymous", "applicant", "programme_manager", "staff_without_membership"])
def test_no_membership_and_no_agency_for_anyone_but_active_staff(who):
    user = person(who)

    assert permissions.membership_of(user) is None
    assert permissions.agency_of(user) is None
    assert permissions.membership_of(None) is None


@pytest.mark.parametrize("who", sorted(AGENCY_ROLES))
def test_agency_of_names_the_staff_members_agency(who):
    assert permissions.agency_of(person(who)) == AGENCY_ROLES[who][0]


def test_is_doe_is_mcls_is_tvto_with_and_without_roles():
    assert who_may(permissions.is_doe) == {"doe_officer", "doe_reviewer", "doe_manager"}
    assert who_may(permissions.is_mcls) == {"mcls_officer", "mcls_reviewer", "mcls_manager"}
    assert who_may(permissions.is_tvto) == {"tvto_officer", "tvto_reviewer", "tvto_manager"}
    assert who_may(permissions.is_doe, "officer", "manager") == {"doe_officer", "doe_manager"}
    assert who_may(permissions.is_mcls, "manager") == {"mcls_manager"}
    assert who_may(permissions.is_tvto, "reviewer") == {"tvto_reviewer"}


def test_agency_staff_are_those_with_an_active_membership():
    assert who_may(permissions.is_agency_staff) == STAFF


def test_agency_managers():
    assert who_may(permissions.is_agency_manager) == {"doe_manager", "mcls_manager", "tvto_manager"}


def test_the_core_asks_the_agencies_app_for_memberships_and_the_staff_role():
    user = person("tvto_officer")

    assert core.membership_of(user) == permissions.membership_of(user)
    assert who_may(lambda u: core.has_role(u, "agency_staff")) == STAFF
    assert who_may(lambda u: core.has_role(u, "applicant")) == {"applicant"}
    assert who_may(lambda u: core.has_role(u, "programme_manager")) == {"programme_manager"}
    assert who_may(lambda u: core.has_role(u, "agency_staff", "programme_manager")) == STAFF | {
        "programme_manager"
    }


# --- the core's decorators ----------------------------------------------------------------------------------


def _view(request, **kwargs):
    return HttpResponse("ok")


def _request(user, path="/somewhere/?page=2"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def test_login_required_sends_an_anonymous_visitor_to_sign_in_with_the_page_as_next():
    response = core.login_required(_view)(_request(AnonymousUser()))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/somewhere/%3Fpage%3D2"


def test_login_required_with_back_to_sends_the_visitor_back_to_the_form_page():
    by_name = core.login_required(back_to="training:my_training")(_view)
    by_function = core.login_required(back_to=lambda pk: f"/sessions/{pk}/")(_view)

    assert by_name(_request(AnonymousUser()), pk=7)["Location"] == (
        f"{reverse('accounts:login')}?next={reverse('training:my_training')}"
    )
    assert by_function(_request(AnonymousUser()), pk=7)["Location"] == (
        f"{reverse('accounts:login')}?next=/sessions/7/"
    )


def test_login_required_lets_a_signed_in_person_through():
    assert core.login_required(_view)(_request(person("applicant"))).content == b"ok"


def test_rule_required_refuses_with_403_after_signing_in():
    view = core.rule_required(permissions.is_doe)(_view)

    assert view(_request(AnonymousUser())).status_code == 302
    assert view(_request(person("doe_reviewer"))).status_code == 200
    with pytest.raises(core.PermissionDenied):
        view(_request(person("mcls_officer")))


# --- the rules templates read (`can`) -----------------------------------------------------------------------

NAVIGATION = {
    "apply": {"applicant"},
    "work_registry_queue": {"doe_officer", "doe_reviewer", "doe_manager"},
    "import_registrations": {"doe_officer", "doe_manager"},
    "manage_occupations": {f"{a}_{r}" for a in ("doe", "tvto") for r in ("officer", "reviewer", "manager")},
    "read_records": STAFF | {"programme_manager"},
    "work_loan_queue": {f"{a}_{r}" for a in ("doe", "mcls") for r in ("officer", "reviewer", "manager")},
    "manage_schemes": {"mcls_manager"},
    "record_payments": {"mcls_officer", "mcls_manager"},
    "manage_training": {"tvto_officer", "tvto_reviewer", "tvto_manager"},
    "view_all_certificates": {"tvto_officer", "tvto_reviewer", "tvto_manager", "programme_manager"},
    "request_reports": {"doe_manager", "mcls_manager", "tvto_manager", "programme_manager"},
    "set_targets": {"programme_manager"},
}


@pytest.mark.parametrize("rule", sorted(NAVIGATION))
def test_each_rule_the_templates_read(rule):
    assert who_may(lambda user: getattr(core.UserRules(user), rule)) == NAVIGATION[rule]


def test_an_unknown_rule_is_an_error_in_python_and_empty_in_a_template():
    with pytest.raises(AttributeError):
        core.UserRules(person("applicant")).record_everything  # noqa: B018


NAV_LINKS = {
    "nav-my-businesses": "apply",
    "nav-queue": "work_registry_queue",
    "nav-loan-queue": "work_loan_queue",
    "nav-training": "manage_training",
    "nav-records": "read_records",
    "nav-reports": "request_reports",
}


@pytest.mark.parametrize("who", PEOPLE)
def test_the_navigation_shows_what_the_rules_allow(client, who):
    user = person(who)
    if user.is_authenticated:
        client.force_login(user)

    content = client.get(reverse("agencies:home")).content.decode()

    shown = {link for link in NAV_LINKS if f'data-testid="{link}"' in content}
    assert shown == {link for link, rule in NAV_LINKS.items() if who in NAVIGATION[rule]}

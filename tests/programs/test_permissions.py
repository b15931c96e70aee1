"""Who opens which registry page for a registration in each status; and the rule underneath it."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import resolve_url
from django.urls import reverse

from agencies.models import Agency, StaffMembership
from programs import permissions
from programs.models import Business
from tests.factories import ApplicantFactory, ProgrammeManagerFactory, make_staff, registration_in
from tests.people import AGENCY_ROLES, who_may

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media")]

PEOPLE = (
    "owner", "other_applicant", "anonymous", "doe_officer", "doe_reviewer", "doe_manager", "mcls_reviewer",
    "tvto_officer", "programme_manager",
)  # fmt: skip
STAFF = {
    "doe_officer": ("DOE", "officer"),
    "doe_reviewer": ("DOE", "reviewer"),
    "doe_manager": ("DOE", "manager"),
    "mcls_reviewer": ("MCLS", "reviewer"),
    "tvto_officer": ("TVTO", "officer"),
}
DOE = ("doe_officer", "doe_reviewer", "doe_manager")
OTHER_AGENCIES = ("mcls_reviewer", "tvto_officer")
LOGIN = "login"  # a redirect to the login page, with the page as ?next=


def person(who, business=None):
    if who == "owner":
        return business.owner
    if who == "other_applicant":
        return ApplicantFactory()
    if who == "programme_manager":
        return ProgrammeManagerFactory()
    if who == "anonymous":
        return None
    return make_staff(*STAFF[who])


def get_as(client, who, url, business=None):
    user = person(who, business)
    if user is not None:
        client.force_login(user)
    return client.get(url)


def assert_answer(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"{resolve_url(settings.LOGIN_URL)}?next={url}"
    elif isinstance(expected, tuple):  # ("redirect", to)
        assert response.status_code == 302
        assert response["Location"] == expected[1]
    else:
        assert response.status_code == expected


# --- one registration's page --------------------------------------------------------------------------------

DETAIL = {
    "owner": {"draft": 200, "submitted": 200, "verified": 200},
    "other_applicant": {"draft": 404, "submitted": 404, "verified": 404},
    "anonymous": {"draft": LOGIN, "submitted": LOGIN, "verified": LOGIN},
    **{who: {"draft": 404, "submitted": 200, "verified": 200} for who in DOE},
    **{who: {"draft": 404, "submitted": 404, "verified": 200} for who in OTHER_AGENCIES},
    "programme_manager": {"draft": 404, "submitted": 200, "verified": 200},
}


@pytest.mark.parametrize("status", ["draft", "submitted", "verified"])
@pytest.mark.parametrize("who", PEOPLE)
def test_business_detail_matrix(client, who, status):
    business = registration_in(status)
    url = reverse("programs:business_detail", args=[business.pk])

    response = get_as(client, who, url, business)

    assert_answer(response, DETAIL[who][status], url)
    if response.status_code == 200:
        assert business.legal_name in response.content.decode()


@pytest.mark.parametrize("who", ["doe_officer", "mcls_reviewer", "programme_manager", "other_applicant"])
def test_an_expired_registration_is_readable_by_every_agency_and_the_committee_but_not_other_applicants(
    client, who
):
    business = registration_in("expired")
    url = reverse("programs:business_detail", args=[business.pk])

    response = get_as(client, who, url, business)

    assert response.status_code == (404 if who == "other_applicant" else 200)


def test_a_registration_that_does_not_exist_answers_like_someone_elses(client):
    business = registration_in("draft")
    client.force_login(ApplicantFactory())

    theirs = client.get(reverse("programs:business_detail", args=[business.pk]))
    missing = client.get(reverse("programs:business_detail", args=[business.pk + 10_000]))

    assert theirs.status_code == missing.status_code == 404
    assert business.legal_name not in theirs.content.decode()


EDIT = {
    "owner": {
        "draft": 200,
        "submitted": "to_detail",
        "verified": "to_detail",
    },
    "other_applicant": {"draft": 404, "submitted": 404, "verified": 404},
    "anonymous": {"draft": LOGIN, "submitted": LOGIN, "verified": LOGIN},
    **{who: {"draft": 403, "submitted": 403, "verified": 403} for who in (*DOE, *OTHER_AGENCIES)},
    "programme_manager": {"draft": 403, "submitted": 403, "verified": 403},
}


@pytest.mark.parametrize("step", ["identity", "location", "jobs", "documents"])
@pytest.mark.parametrize("status", ["draft", "submitted", "verified"])
@pytest.mark.parametrize("who", PEOPLE)
def test_business_edit_matrix(client, who, status, step):
    business = registration_in(status)
    url = reverse("programs:business_edit", args=[business.pk, step])

    response = get_as(client, who, url, business)

    expected = EDIT[who][status]
    if expected == "to_detail":
        expected = ("redirect", reverse("programs:business_detail", args=[business.pk]))
    assert_answer(response, expected, url)


def test_the_owner_may_edit_again_when_changes_are_requested(client):
    business = registration_in("changes_requested")
    client.force_login(business.owner)

    assert client.get(reverse("programs:business_edit", args=[business.pk, "identity"])).status_code == 200


def test_an_unknown_step_is_404(client):
    business = registration_in("draft")
    client.force_login(business.owner)

    assert client.get(reverse("programs:business_edit", args=[business.pk, "payment"])).status_code == 404


def test_a_forbidden_edit_post_changes_nothing(client):
    business = registration_in("submitted")
    client.force_login(business.owner)

    response = client.post(
        reverse("programs:business_edit", args=[business.pk, "identity"]), {"legal_name": "نام تازه"}
    )

    assert response.status_code == 302
    business_after = Business.objects.get(pk=business.pk)
    assert (business_after.legal_name, business_after.status) == (business.legal_name, "submitted")


# --- lists --------------------------------------------------------------------------------------------------

LIST_PAGES = {
    "programs:assessment_queue": {
        **dict.fromkeys(DOE, 200), **dict.fromkeys(OTHER_AGENCIES, 403), "owner": 403, "other_applicant": 403,
        "programme_manager": 403, "anonymous": LOGIN,
    },
    "programs:registry": {
        **dict.fromkeys(DOE, 200), **dict.fromkeys(OTHER_AGENCIES, 200), "programme_manager": 200,
        "owner": 403, "other_applicant": 403, "anonymous": LOGIN,
    },
    "programs:my_businesses": {
        **dict.fromkeys(DOE, 403), **dict.fromkeys(OTHER_AGENCIES, 403), "programme_manager": 403,
        "owner": 200, "other_applicant": 200, "anonymous": LOGIN,
    },
}  # fmt: skip


@pytest.mark.parametrize("page", list(LIST_PAGES))
@pytest.mark.parametrize("who", PEOPLE)
def test_list_pages_matrix(client, page, who):
    business = registration_in("verified")
    url = reverse(page)

    response = get_as(client, who, url, business)

    assert_answer(response, LIST_PAGES[page][who], url)


def test_my_businesses_lists_only_my_own(client):
    mine = registration_in("submitted", legal_name="شرکت من")
    registration_in("verified", legal_name="شرکت دیگری")
    client.force_login(mine.owner)

    response = client.get(reverse("programs:my_businesses"))

    assert [b.pk for b in response.context["page"].object_list] == [mine.pk]


def test_the_registry_shows_other_agencies_only_settled_outcomes(client):
    verified, expired = registration_in("verified"), registration_in("expired")
    for status in ("draft", "submitted", "under_assessment", "changes_requested", "rejected"):
        registration_in(status)
    client.force_login(make_staff("TVTO", "officer"))

    response = client.get(reverse("programs:registry"))

    assert {b.pk for b in response.context["page"].object_list} == {verified.pk, expired.pk}


# --- the rule underneath ------------------------------------------------------------------------------------


@pytest.fixture
def every_status():
    """One registration of one owner in each status, and another owner's draft and verified ones."""
    owner = ApplicantFactory()
    mine = {status: registration_in(status, owner=owner).pk for status in (
        "draft", "submitted", "under_assessment", "changes_requested", "verified", "rejected", "expired",
    )}  # fmt: skip
    other = ApplicantFactory()
    theirs = {status: registration_in(status, owner=other).pk for status in ("draft", "verified")}
    return owner, other, mine, theirs


def visible(user):
    return set(permissions.visible_businesses(user).values_list("pk", flat=True))


def test_an_applicant_sees_all_of_their_own_and_nothing_else(every_status):
    owner, other, mine, theirs = every_status

    assert visible(owner) == set(mine.values())
    assert visible(other) == set(theirs.values())
    assert visible(ApplicantFactory()) == set()


@pytest.mark.parametrize("role", ["officer", "reviewer", "manager"])
def test_doe_sees_everything_but_drafts(every_status, role):
    _owner, _other, mine, theirs = every_status

    assert visible(make_staff("DOE", role)) == {
        pk for status, pk in [*mine.items(), *theirs.items()] if status != "draft"
    }


def test_the_programme_manager_sees_everything_but_drafts(every_status):
    _owner, _other, mine, theirs = every_status

    assert visible(ProgrammeManagerFactory()) == {
        pk for status, pk in [*mine.items(), *theirs.items()] if status != "draft"
    }


@pytest.mark.parametrize(("agency", "role"), [("MCLS", "officer"), ("MCLS", "reviewer"), ("TVTO", "manager")])
def test_other_agencies_see_verified_and_expired_only(every_status, agency, role):
    _owner, _other, mine, theirs = every_status

    assert visible(make_staff(agency, role)) == {mine["verified"], mine["expired"], theirs["verified"]}


def test_anonymous_sees_nothing(every_status):
    assert visible(AnonymousUser()) == set()


def test_staff_whose_membership_ended_see_nothing(every_status):
    staff = make_staff("DOE", "officer")
    StaffMembership.objects.filter(user=staff).update(is_active=False)

    assert visible(staff) == set()


def test_visible_businesses_narrows_a_given_queryset(every_status):
    owner, _other, mine, _theirs = every_status
    given = Business.objects.filter(status__in=["verified", "draft"])

    assert set(permissions.visible_businesses(owner, given).values_list("pk", flat=True)) == {
        mine["verified"],
        mine["draft"],
    }


def test_can_edit_and_can_view_documents(every_status):
    owner, other, mine, _theirs = every_status
    doe, tvto, manager = (
        make_staff("DOE", "reviewer"),
        make_staff("TVTO", "officer"),
        ProgrammeManagerFactory(),
    )
    businesses = {status: Business.objects.get(pk=pk) for status, pk in mine.items()}

    assert {s for s, b in businesses.items() if permissions.can_edit_business(owner, b)} == {
        "draft",
        "changes_requested",
    }
    assert not any(permissions.can_edit_business(other, b) for b in businesses.values())
    assert all(permissions.can_view_documents(owner, b) for b in businesses.values())
    assert {s for s, b in businesses.items() if permissions.can_view_documents(doe, b)} == set(mine) - {
        "draft"
    }
    assert {s for s, b in businesses.items() if permissions.can_view_documents(manager, b)} == set(mine) - {
        "draft"
    }
    assert not any(permissions.can_view_documents(tvto, b) for b in businesses.values())
    assert not any(permissions.can_view_documents(AnonymousUser(), b) for b in businesses.values())


# --- the rules on the person, and those of joint initiatives ------------------------------------------------


def test_the_registry_rules_on_the_person():
    doe = {"doe_officer", "doe_reviewer", "doe_manager"}
    tvto = {"tvto_officer", "tvto_reviewer", "tvto_manager"}

    assert who_may(permissions.can_work_queue) == doe
    assert who_may(permissions.can_assess) == {"doe_officer"}
    assert who_may(permissions.can_import) == {"doe_officer", "doe_manager"}
    assert who_may(permissions.can_manage_occupations) == doe | tvto


def test_the_initiative_rules():
    doe = Agency.objects.get(code="DOE")
    managers = {"doe_manager", "mcls_manager", "tvto_manager"}

    assert who_may(permissions.can_read_initiatives) == set(AGENCY_ROLES) | {"programme_manager"}
    assert who_may(permissions.can_create_initiatives) == managers | {"programme_manager"}
    assert who_may(permissions.can_manage_initiative, doe.pk) == {"doe_manager", "programme_manager"}
    assert who_may(permissions.can_choose_lead) == {"programme_manager"}

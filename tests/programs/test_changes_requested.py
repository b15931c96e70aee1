"""A registration returned for changes: whoever may open it sees the page and the reviewer's reason."""

import pytest
from django.urls import reverse

from programs import selectors
from programs.services.registrations import business_transition
from tests.factories import (
    ApplicantFactory,
    ProgrammeManagerFactory,
    fill_checklist,
    make_staff,
    registration_in,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media")]

FIRST_REASON = "پروانه محیط زیست را بارگذاری کنید"
SECOND_REASON = "مصرف آب پایه را با قبض سال گذشته مستند کنید"


def returned_twice():
    """Returned for changes, resubmitted and returned again: only the second reason is current."""
    officer = make_staff("DOE", "officer")
    reviewer = make_staff("DOE", "reviewer")
    business = registration_in("changes_requested", officer=officer, reviewer=reviewer)
    business_transition(business_id=business.pk, actor=business.owner, name="submit")
    business_transition(business_id=business.pk, actor=officer, name="start_assessment")
    fill_checklist(business, officer)
    business_transition(business_id=business.pk, actor=reviewer, name="request_changes", reason=SECOND_REASON)
    return business


def opener(who, business):
    return {
        "owner": lambda: business.owner,
        "doe_officer": lambda: make_staff("DOE", "officer"),
        "doe_reviewer": lambda: make_staff("DOE", "reviewer"),
        "doe_manager": lambda: make_staff("DOE", "manager"),
        "programme_manager": ProgrammeManagerFactory,
        "mcls_reviewer": lambda: make_staff("MCLS", "reviewer"),
        "tvto_officer": lambda: make_staff("TVTO", "officer"),
        "other_applicant": ApplicantFactory,
    }[who]()


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("who", ["owner", "doe_officer", "doe_reviewer", "doe_manager", "programme_manager"])
def test_everyone_who_may_open_a_returned_registration_sees_the_page_and_the_reason(client, who, language):
    business = registration_in("changes_requested")
    client.force_login(opener(who, business))
    client.cookies["django_language"] = language

    response = client.get(reverse("programs:business_detail", args=[business.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="changes-requested"' in page
    assert FIRST_REASON in page


@pytest.mark.parametrize("who", ["mcls_reviewer", "tvto_officer", "other_applicant"])
def test_a_returned_registration_stays_closed_to_other_agencies_and_applicants(client, who):
    # Other agencies read the registry's outcomes (verified, expired) only; a case in progress is DOE's.
    business = registration_in("changes_requested")
    client.force_login(opener(who, business))

    response = client.get(reverse("programs:business_detail", args=[business.pk]))

    assert response.status_code == 404
    assert FIRST_REASON not in response.content.decode()


@pytest.mark.parametrize("who", ["owner", "doe_reviewer", "programme_manager"])
def test_the_page_shows_the_latest_request_for_changes_not_an_older_one(client, who):
    business = returned_twice()
    client.force_login(opener(who, business))

    response = client.get(reverse("programs:business_detail", args=[business.pk]))

    assert response.status_code == 200
    notice = response.content.decode().split('data-testid="changes-requested-reason"')[1].split("</div>")[0]
    assert SECOND_REASON in notice
    assert FIRST_REASON not in notice


def test_the_owner_reads_the_reason_while_correcting_the_registration(client):
    business = registration_in("changes_requested")
    client.force_login(business.owner)

    for step in ("identity", "location", "jobs", "documents"):
        response = client.get(reverse("programs:business_edit", args=[business.pk, step]))

        assert response.status_code == 200
        assert FIRST_REASON in response.content.decode(), step


def test_no_notice_once_the_registration_is_resubmitted(client):
    business = registration_in("changes_requested")
    business_transition(business_id=business.pk, actor=business.owner, name="submit")
    client.force_login(business.owner)

    response = client.get(reverse("programs:business_detail", args=[business.pk]))

    assert response.status_code == 200
    assert 'data-testid="changes-requested"' not in response.content.decode()


def test_the_selector_gives_the_latest_request_for_changes_from_the_prefetched_history(
    django_assert_num_queries,
):
    business = returned_twice()
    loaded = selectors.business_detail(user=business.owner, business_id=business.pk)

    with django_assert_num_queries(0):
        event = selectors.latest_changes_request(loaded)

    assert (event.to_status, event.reason) == ("changes_requested", SECOND_REASON)


def test_the_selector_gives_none_when_no_changes_are_asked_for_now():
    business = registration_in("submitted")
    loaded = selectors.business_detail(user=business.owner, business_id=business.pk)

    assert selectors.latest_changes_request(loaded) is None

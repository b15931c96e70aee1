"""The settings page: per kind of event, e-mail (on by default) and, where urgent, SMS."""

import pytest
from django.urls import reverse

from accounts import notices as account_notices
from incentives import notices as loan_notices
from notifications import selectors
from notifications.models import Preference
from programs import notices as registry_notices
from tests.factories import ApplicantFactory, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]


def test_by_default_applicants_get_email_for_everything_and_sms_for_urgent_events():
    person = ApplicantFactory()

    rows = {kind.code: wanted for kind, wanted in selectors.preferences(user=person)}

    assert rows[registry_notices.UPDATE] == {"email": True, "sms": False}
    assert rows[registry_notices.CHANGES_REQUESTED] == {"email": True, "sms": True}
    assert rows[loan_notices.DECISION] == {"email": True, "sms": True}
    assert rows[account_notices.SIGN_UP_ATTEMPT] == {"email": True, "sms": False}
    assert registry_notices.ARRIVED not in rows


def test_staff_choose_for_their_own_events_which_mail_nothing_until_asked():
    staff = make_staff("MCLS", "reviewer")

    rows = {kind.code: wanted for kind, wanted in selectors.preferences(user=staff)}

    assert rows[loan_notices.ARRIVED] == {"email": False, "sms": False}
    assert rows[loan_notices.SLA] == {"email": False, "sms": False}
    assert loan_notices.DECISION not in rows


def test_the_page_saves_the_choices(client):
    person = ApplicantFactory()
    client.force_login(person)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert f'<label class="form-check-label visually-hidden" for="id_{loan_notices.DECISION}:sms">' in page
    # Every box is checked by default, except the SMS of kinds that are not urgent (they have none).
    data = {f"{kind.code}:email": "on" for kind, _wanted in selectors.preferences(user=person)}
    data.pop(loan_notices.UPDATE + ":email")
    data.pop(account_notices.SIGN_UP_ATTEMPT + ":email")  # a disabled box is not sent by a browser
    data[loan_notices.DECISION + ":sms"] = "on"

    response = client.post(reverse("notifications:preferences"), data)

    assert response.status_code == 302
    saved = {p.kind: (p.email, p.sms) for p in Preference.objects.filter(user=person)}
    assert saved[loan_notices.UPDATE] == (False, False)
    assert saved[loan_notices.DECISION] == (True, True)
    assert saved[loan_notices.RETURNED] == (True, False)
    assert saved[account_notices.SIGN_UP_ATTEMPT] == (True, False)  # cannot be turned off
    assert not selectors.wants(user_id=person.pk, kind_code=loan_notices.UPDATE, channel="email")


def test_a_person_cannot_set_a_kind_they_do_not_receive(client):
    person = ApplicantFactory()
    client.force_login(person)

    client.post(reverse("notifications:preferences"), {f"{loan_notices.ARRIVED}:email": "on"})

    assert not Preference.objects.filter(user=person, kind=loan_notices.ARRIVED).exists()

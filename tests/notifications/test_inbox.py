"""The inbox, the header's bell and marking read: each person sees only their own notifications."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.selectors import UNREAD_CAP
from notifications.services import notify
from programs import notices as programs_notices
from tests.factories import ApplicantFactory, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]

PERSIAN_DIGITS = re.compile(r"[۰-۹]")


def told(
    person, *, business_id=7, name="نیروی خورشید کویر", to="changes_requested", reason="پروانه را بفرستید"
):
    [notification] = notify(
        recipients=[person.pk],
        kind=programs_notices.owner_kind(to),
        params={
            "business_id": business_id,
            "name": name,
            "from": "under_assessment",
            "to": to,
            "reason": reason,
        },
    )
    return notification


def bell(response) -> str:
    page = response.content.decode()
    return page.split('data-testid="nav-notifications"')[1].split("</a>")[0]


def test_the_bell_shows_the_unread_count_in_persian_digits_with_an_accessible_label(client):
    person = ApplicantFactory()
    for _ in range(3):
        told(person)
    Notification.objects.filter(pk=told(person).pk).update(read_at=timezone.now())
    client.force_login(person)

    response = client.get(reverse("notifications:preferences"))

    badge = bell(response)
    assert 'aria-label="اعلان‌ها: ۳ خوانده‌نشده"' in badge
    assert 'data-testid="unread-count" aria-hidden="true">۳</span>' in badge


def test_the_bell_reads_in_english_under_english(client):
    person = ApplicantFactory()
    told(person)
    client.force_login(person)
    client.cookies["django_language"] = "en"

    badge = bell(client.get(reverse("notifications:preferences")))

    assert 'aria-label="Notifications: 1 unread"' in badge
    assert 'data-testid="unread-count" aria-hidden="true">1</span>' in badge


def test_with_nothing_unread_the_bell_says_so_and_shows_no_number(client):
    person = ApplicantFactory()
    client.force_login(person)
    client.cookies["django_language"] = "en"

    badge = bell(client.get(reverse("notifications:preferences")))

    assert 'aria-label="Notifications: none unread"' in badge
    assert "unread-count" not in badge


def test_the_count_stops_at_its_cap(client, django_assert_num_queries):
    person = ApplicantFactory()
    Notification.objects.bulk_create(
        Notification(recipient=person, kind=programs_notices.UPDATE, params={}) for _ in range(UNREAD_CAP + 5)
    )
    client.force_login(person)
    client.cookies["django_language"] = "en"

    badge = bell(client.get(reverse("notifications:preferences")))

    assert f">{UNREAD_CAP}+</span>" in badge
    assert f'aria-label="Notifications: more than {UNREAD_CAP} unread"' in badge


def test_the_count_is_one_bounded_query_on_the_unread_index(django_assert_num_queries):
    from notifications.selectors import unread_count

    person = ApplicantFactory()
    told(person)

    with django_assert_num_queries(1) as captured:
        assert unread_count(person) == 1

    sql = captured.captured_queries[0]["sql"]
    assert '"read_at" IS NULL' in sql
    assert f"LIMIT {UNREAD_CAP + 1}" in sql


def test_a_visitor_sees_no_bell(client):
    response = client.get(reverse("agencies:home"))

    assert 'data-testid="nav-notifications"' not in response.content.decode()


def test_the_inbox_lists_only_the_persons_own_notifications_newest_first(client):
    person, other = ApplicantFactory(), ApplicantFactory()
    older = told(person, name="کارگاه اول")
    Notification.objects.filter(pk=older.pk).update(created_at=timezone.now() - timezone.timedelta(days=2))
    newer = told(person, name="کارگاه دوم")
    told(other, name="کارگاه دیگری")
    client.force_login(person)

    response = client.get(reverse("notifications:inbox"))

    assert [n.pk for n in response.context["page"].object_list] == [newer.pk, older.pk]
    assert "کارگاه دیگری" not in response.content.decode()


def test_each_line_has_its_jalali_time_its_text_a_link_through_the_opener_and_unread_styling(client):
    person = ApplicantFactory()
    notification = told(person)
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.make_aware(timezone.datetime(2025, 3, 20, 9, 30))
    )
    client.force_login(person)

    page = client.get(reverse("notifications:inbox")).content.decode()

    line = page.split(f'data-testid="notification-{notification.pk}"')[1].split("</li>")[0]
    assert "data-unread" in line
    assert "۱۴۰۳/۱۲/۳۰ ۰۹:۳۰" in line
    assert f'href="{reverse("notifications:open", args=[notification.pk])}"' in line
    assert "ادارهٔ کل حفاظت محیط زیست برای ثبت «نیروی خورشید کویر» اصلاح خواست" in line
    assert "پروانه را بفرستید" in line


def test_opening_a_notification_marks_it_read_and_goes_to_the_case(client):
    person = ApplicantFactory()
    notification = told(person, business_id=42)
    client.force_login(person)

    response = client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("programs:business_detail", args=[42])
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("who", ["other_applicant", "staff"])
def test_another_persons_notification_does_not_exist_for_them(client, who):
    person = ApplicantFactory()
    notification = told(person)
    client.force_login(ApplicantFactory() if who == "other_applicant" else make_staff("DOE", "reviewer"))

    response = client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("notifications:inbox"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_mark_all_read_marks_only_the_persons_own(client):
    person, other = ApplicantFactory(), ApplicantFactory()
    mine = [told(person), told(person)]
    theirs = told(other)
    client.force_login(person)

    response = client.post(reverse("notifications:read_all"))

    assert response.status_code == 302
    assert all(Notification.objects.get(pk=n.pk).read_at is not None for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read_is_a_post_with_its_csrf_token(client):
    from django.test import Client

    person = ApplicantFactory()
    notification = told(person)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(person)
    client.force_login(person)

    assert client.get(reverse("notifications:read_all")).status_code == 405
    assert strict.post(reverse("notifications:read_all")).status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_unread_filter_lists_only_unread(client):
    person = ApplicantFactory()
    unread = told(person)
    read = told(person)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    client.force_login(person)

    response = client.get(reverse("notifications:inbox"), {"show": "unread"})

    assert [n.pk for n in response.context["page"].object_list] == [unread.pk]


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        (
            "fa",
            "ادارهٔ کل حفاظت محیط زیست برای ثبت «نیروی خورشید کویر» اصلاح خواست",
            "DOE asked for changes",
        ),
        ("en", "DOE asked for changes to the registration of “نیروی خورشید کویر”", "اصلاح خواست"),
    ],
)
def test_a_notification_reads_in_the_language_the_portal_is_switched_to(client, language, expected, absent):
    person = ApplicantFactory(language="fa")
    told(person)
    client.force_login(person)
    client.post(reverse("set_language"), {"language": language, "next": "/"})

    page = client.get(reverse("notifications:inbox")).content.decode()

    assert expected in page
    assert absent not in page


# Measured at 2 notifications; the same must hold at 25 (a full page and a second one).
INBOX_QUERIES = 5  # session, user, the count, the page, the bell's unread count


@pytest.mark.parametrize("size", [2, 25])
def test_the_inbox_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    person = ApplicantFactory()
    Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind=programs_notices.owner_kind("verified"),
            params={"business_id": i, "name": f"کارگاه {i}", "from": "under_assessment", "to": "verified"},
        )
        for i in range(size)
    )
    client.force_login(person)

    with django_assert_num_queries(INBOX_QUERIES):
        response = client.get(reverse("notifications:inbox"))

    assert len(response.context["page"].object_list) == min(size, 20)
    assert response.content.decode().count('data-testid="open-notification"') == min(size, 20)

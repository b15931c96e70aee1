"""A date filter reads the date as the page shows it in that language (issue 9, defect 14)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import SessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]

LIST_URL = reverse("training:session_list")


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def listed(content: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-testid="session" data-session="(\d+)"', content)]


def shown_start(content: str, session) -> str:
    row = content.split(f'data-session="{session.pk}"', 1)[1]
    return re.search(r'data-testid="session-dates">([^<]*?) – ', row).group(1)


def test_an_english_reader_filters_by_the_gregorian_date_the_table_shows(client, agencies):
    soon = SessionFactory(starts_on=days(10), ends_on=days(20))
    later = SessionFactory(starts_on=days(40), ends_on=days(50))
    client.cookies["django_language"] = "en"
    page = client.get(LIST_URL).content.decode()
    typed = shown_start(page, later)
    assert typed == days(40).isoformat()

    response = client.get(LIST_URL, {"starts_from": typed})

    content = response.content.decode()
    assert response.status_code == 200
    assert listed(content) == [later.pk]
    assert soon.pk not in listed(content)
    assert f'value="{typed}"' in content


def test_a_persian_reader_filters_by_the_jalali_date_the_table_shows(client, agencies):
    SessionFactory(starts_on=days(10), ends_on=days(20))
    later = SessionFactory(starts_on=days(40), ends_on=days(50))
    client.cookies["django_language"] = "fa"
    typed = shown_start(client.get(LIST_URL).content.decode(), later)

    response = client.get(LIST_URL, {"starts_from": typed})

    assert listed(response.content.decode()) == [later.pk]

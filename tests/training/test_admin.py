"""The admin lists the training records, in the reader's calendar and language (issue 9, defect 15)."""

import datetime
import re

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import ApplicantFactory, SessionFactory, UserFactory
from training.models import (
    AwarenessActivity,
    Certificate,
    Course,
    Enrolment,
    Session,
    TrainingCentre,
    TrainingEvent,
)
from training.services import enrolment as enrolment_services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]

TRAINING_MODELS = [TrainingCentre, Course, Session, Enrolment, Certificate, AwarenessActivity]


@pytest.fixture
def administrator():
    return UserFactory(
        username="admin",
        national_id=None,
        mobile=None,
        kind="programme_manager",
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def session(agencies):
    session = SessionFactory(starts_on=datetime.date(2025, 5, 10), ends_on=datetime.date(2025, 6, 10))
    Enrolment.objects.create(session=session, person=ApplicantFactory(), status="enrolled")
    return session


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("model", TRAINING_MODELS, ids=lambda m: m.__name__)
def test_every_training_model_has_a_changelist_the_administrator_can_open(
    client, administrator, session, model
):
    client.force_login(administrator)

    response = client.get(changelist(model))

    assert response.status_code == 200
    assert model in admin.site._registry


def test_the_training_screens_are_read_only(client, administrator, session):
    client.force_login(administrator)
    before = Session.objects.values_list("pk", "capacity").get(pk=session.pk)

    add = client.get(reverse("admin:training_session_add"))
    change = client.post(reverse("admin:training_session_change", args=[session.pk]), {"capacity": 99})

    assert add.status_code == 403
    assert change.status_code == 403
    assert Session.objects.values_list("pk", "capacity").get(pk=session.pk) == before


def test_dates_in_admin_lists_are_jalali_under_fa_and_gregorian_under_en(client, administrator, session):
    client.force_login(administrator)

    client.cookies["django_language"] = "fa"
    persian = client.get(changelist(Session)).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(changelist(Session)).content.decode()

    assert "۱۴۰۴/۰۲/۲۰" in persian and "2025-05-10" not in persian
    assert "2025-05-10" in english


def test_the_admin_site_has_the_portals_headings_in_persian(client, administrator):
    client.force_login(administrator)
    client.cookies["django_language"] = "fa"

    page = client.get(reverse("admin:index")).content.decode()

    assert "مدیریت سامانه مشاغل سبز قم" in page
    assert re.search(r"<title>[^<]*مدیریت سامانه[^<]*</title>", page)
    assert "Django" not in re.search(r"<title>([^<]*)</title>", page).group(1)


def test_every_changelist_of_the_site_still_opens_with_dates_in_the_readers_calendar(
    client, administrator, session
):
    client.force_login(administrator)
    client.cookies["django_language"] = "fa"

    statuses = {model.__name__: client.get(changelist(model)).status_code for model in admin.site._registry}

    assert set(statuses.values()) == {200}, statuses


def test_an_enrolment_in_the_admin_shows_the_history_its_workflow_recorded(client, administrator, agencies):
    person = ApplicantFactory()
    session = SessionFactory(
        starts_on=datetime.date.today() + datetime.timedelta(days=20),
        ends_on=datetime.date.today() + datetime.timedelta(days=50),
    )
    enrolment = enrolment_services.enrolment_create(session_id=session.pk, person=person, actor=person)
    enrolment_services.enrolment_cancel(enrolment_id=enrolment.pk, actor=person)
    client.force_login(administrator)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("admin:training_enrolment_change", args=[enrolment.pk])).content.decode()

    actions = re.findall(r'class="field-action">\s*<p>(\w+)</p>', page)
    assert sorted(actions) == ["cancel", "enrol"]
    assert "History" in page
    assert TrainingEvent.objects.filter(enrolment=enrolment).count() == 2

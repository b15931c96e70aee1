"""Awareness activities (G5): each agency records and corrects its own; the list filters and sums exactly."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from greenjobs.exceptions import DomainError
from tests.factories import ApplicantFactory, ProgrammeManagerFactory, county, make_staff
from training.models import AwarenessActivity
from training.selectors import activities as selectors
from training.services import activities as services

pytestmark = pytest.mark.django_db


def record(agency="DOE", actor=None, **data) -> AwarenessActivity:
    values = {
        "title": "کارگاه مدیریت پسماند",
        "kind": "workshop",
        "held_on": datetime.date(2025, 5, 10),  # 1404/02/20
        "county": county(),
        "audience": "workers",
        "workers_count": 10,
        "employers_count": 2,
        "others_count": 1,
    }
    values.update(data)
    return services.activity_create(actor=actor or make_staff(agency), data=values)


def snapshot(activity) -> dict:
    row = AwarenessActivity.objects.filter(pk=activity.pk).values().get()
    row.pop("recorded_at")
    return row


def form_data(**overrides) -> dict:
    data = {
        "title": "  سمينار   اشتغال سبز ",
        "kind": "seminar",
        "held_on": "۱۴۰۴/۰۳/۱۵",
        "county": county().pk,
        "audience": "employers",
        "workers_count": "12",
        "employers_count": "۳۴",
        "others_count": "",
        "description": "",
    }
    data.update(overrides)
    return data


# --- recording --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("agency", ["DOE", "MCLS", "TVTO"])
def test_each_agency_records_its_own_activity(agencies, client, agency):
    staff = make_staff(agency, "officer")
    client.force_login(staff)

    response = client.post(
        reverse("training:activity_create"), form_data(agency="MCLS" if agency == "DOE" else "DOE")
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("training:activity_list")
    activity = AwarenessActivity.objects.get()
    # the agency is the recorder's, whatever the form carried; the title is stored in canonical Persian
    assert (activity.agency.code, activity.recorded_by, activity.title) == (
        agency,
        staff,
        "سمینار اشتغال سبز",
    )
    assert (activity.held_on, activity.kind, activity.audience) == (
        datetime.date(2025, 6, 5),
        "seminar",
        "employers",
    )
    assert (activity.workers_count, activity.employers_count, activity.others_count) == (12, 34, 0)


def test_applicants_and_the_programme_manager_do_not_record(agencies, client):
    for user in (ApplicantFactory(), ProgrammeManagerFactory()):
        client.force_login(user)
        assert client.get(reverse("training:activity_create")).status_code == 403
        assert client.post(reverse("training:activity_create"), form_data()).status_code == 403
    assert AwarenessActivity.objects.count() == 0
    with pytest.raises(DomainError) as refused:
        services.activity_create(actor=ProgrammeManagerFactory(), data=form_data())
    assert refused.value.status_code == 403


def test_counts_cannot_be_negative(agencies, client):
    staff = make_staff("MCLS")
    client.force_login(staff)

    response = client.post(reverse("training:activity_create"), form_data(workers_count="-3"))

    assert response.status_code == 200
    assert "workers_count" in response.context["form"].errors
    with pytest.raises(ValidationError) as refused:
        record(actor=staff, employers_count=-1)
    assert "employers_count" in refused.value.message_dict
    assert AwarenessActivity.objects.count() == 0


# --- correcting -------------------------------------------------------------------------------------------


def test_an_agency_corrects_its_own_activity(agencies, client):
    activity = record("TVTO")
    colleague = make_staff("TVTO", "reviewer")
    client.force_login(colleague)

    response = client.post(
        reverse("training:activity_edit", args=[activity.pk]),
        form_data(title="بازدید از کارخانه", kind="site_visit"),
    )

    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.kind, activity.agency.code) == (
        "بازدید از کارخانه",
        "site_visit",
        "TVTO",
    )


def test_staff_of_another_agency_cannot_edit_and_nothing_changes(agencies, client):
    activity = record("DOE")
    before = snapshot(activity)
    url = reverse("training:activity_edit", args=[activity.pk])

    for user in (make_staff("MCLS", "manager"), make_staff("TVTO", "officer"), ProgrammeManagerFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, form_data(title="تغییر")).status_code == 403
    with pytest.raises(DomainError) as refused:
        services.activity_update(activity_id=activity.pk, actor=make_staff("MCLS"), data={"workers_count": 0})

    assert refused.value.status_code == 403
    assert snapshot(activity) == before


# --- the list and its totals ------------------------------------------------------------------------------


def listed(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-testid="activity-(\d+)"', response.content.decode())]


@pytest.fixture
def programme(agencies):
    """Activities of three agencies over two Jalali years, with known counts."""
    return {
        "doe_1403": record("DOE", held_on=datetime.date(2025, 3, 20), workers_count=5, employers_count=1),
        "doe_1404": record("DOE", held_on=datetime.date(2025, 3, 21), workers_count=40, employers_count=7),
        "mcls_media": record(
            "MCLS",
            kind="media",
            audience="employers",
            workers_count=300,
            employers_count=120,
            others_count=80,
        ),
        "tvto_seminar": record("TVTO", kind="seminar", workers_count=25, employers_count=0, others_count=3),
    }


def test_totals_are_summed_exactly_by_the_database(programme):
    queryset = selectors.activity_list()

    totals = selectors.activity_totals(queryset)
    by_agency = {row["agency__code"]: row for row in selectors.totals_by_agency(queryset)}
    by_audience = {row["audience"]: row for row in selectors.totals_by_audience(queryset)}

    assert totals == {
        "activities": 4,
        "workers_count": 370,
        "employers_count": 128,
        "others_count": 85,
        "participants": 583,
    }
    assert {
        code: (r["activities"], r["workers_count"], r["employers_count"]) for code, r in by_agency.items()
    } == {
        "DOE": (2, 45, 8),
        "MCLS": (1, 300, 120),
        "TVTO": (1, 25, 0),
    }
    assert {
        key: (r["workers_count"], r["employers_count"], r["participants"]) for key, r in by_audience.items()
    } == {
        "workers": (70, 8, 83),
        "employers": (300, 120, 500),
    }


def test_totals_of_nothing_are_zero(agencies):
    assert selectors.activity_totals(selectors.activity_list()) == {
        "activities": 0,
        "workers_count": 0,
        "employers_count": 0,
        "others_count": 0,
        "participants": 0,
    }


def test_the_list_filters_by_agency_kind_and_jalali_year(programme, client):
    client.force_login(make_staff("MCLS"))
    url = reverse("training:activity_list")

    everything = client.get(url)
    doe = client.get(url, {"agency": "DOE"})
    media = client.get(url, {"kind": "media"})
    year_1403 = client.get(url, {"year": "1403"})
    doe_1404 = client.get(url, {"agency": "DOE", "year": "1404"})

    assert sorted(listed(everything)) == sorted(a.pk for a in programme.values())
    assert sorted(listed(doe)) == sorted([programme["doe_1403"].pk, programme["doe_1404"].pk])
    assert listed(media) == [programme["mcls_media"].pk]
    assert listed(year_1403) == [programme["doe_1403"].pk]
    assert listed(doe_1404) == [programme["doe_1404"].pk]
    assert doe.context["totals"]["workers_count"] == 45
    assert doe.context["totals"]["employers_count"] == 8
    assert '<div class="stat" data-testid="total-workers">۴۵</div>' in doe.content.decode()


def test_the_list_offers_editing_only_of_the_readers_own_agency(programme, client):
    client.force_login(make_staff("DOE"))

    html = client.get(reverse("training:activity_list")).content.decode()

    assert f'data-testid="edit-{programme["doe_1404"].pk}"' in html
    assert f'data-testid="edit-{programme["mcls_media"].pk}"' not in html


def test_staff_and_the_programme_manager_read_the_list_applicants_do_not(agencies, client):
    url = reverse("training:activity_list")
    for user in (make_staff("DOE", "reviewer"), make_staff("TVTO"), ProgrammeManagerFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 200
    client.force_login(ApplicantFactory())
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_the_activity_list_costs_the_same_queries_at_two_sizes(agencies, client):
    reader = make_staff("DOE")
    client.force_login(reader)
    url = reverse("training:activity_list")
    for agency in ("DOE", "MCLS"):
        record(agency)

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for agency in ("DOE", "MCLS", "TVTO") * 4:
        record(agency, county=None)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)

    assert len(listed(response)) == 14
    assert len(small) == len(large)


def test_the_filters_answer_htmx_with_the_results_only(programme, client):
    client.force_login(ProgrammeManagerFactory())

    response = client.get(reverse("training:activity_list"), {"kind": "seminar"}, HTTP_HX_REQUEST="true")

    assert response.templates[0].name == "training/activities/_results.html"
    assert listed(response) == [programme["tvto_seminar"].pk]
    assert "<html" not in response.content.decode()

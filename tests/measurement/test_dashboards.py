"""The progress dashboards (the steering committee's and the public one) and the indicators page where the
committee sets targets and enters hand-entered figures."""

import datetime
import io
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from agencies.models import Goal, StaffRole
from greenjobs.exceptions import DomainError
from greenjobs.outbox.models import OutboxMessage
from greenjobs.text import to_persian_digits
from incentives.services import applications as loan_services
from measurement import indicators as measures
from measurement.models import Indicator, IndicatorTarget, ManualValue
from measurement.periods import Period
from measurement.services import progress, snapshots
from measurement.services import targets as target_services
from programs.models import Bid, Business, GreenJob
from tests.factories import (
    ApplicantFactory,
    ProgrammeManagerFactory,
    loan_at,
    loan_draft,
    make_staff,
    registration_in,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media")]

User = get_user_model()
TEHRAN = ZoneInfo("Asia/Tehran")
NOW = datetime.datetime(2026, 5, 5, 11, 0, tzinfo=TEHRAN)  # 15 Ordibehesht 1405


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The public page caches its figures for a few minutes; each test starts from an empty cache."""
    cache.clear()
    yield
    cache.clear()


def refreshed() -> None:
    """What Celery does after the events that move the figures (and every few minutes)."""
    progress.progress_refresh()


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def row_of(content: str, code: str) -> str:
    match = re.search(rf'<tr[^>]*data-testid="indicator-{re.escape(code)}"[^>]*>(.*?)</tr>', content, re.S)
    assert match, code
    return match[1]


def cell(row: str, name: str) -> str:
    match = re.search(rf'data-testid="{name}">(.*?)</td>', row, re.S)
    assert match, name
    return re.sub(r"<[^>]+>", "", match[1]).strip()


# --- the public dashboard --------------------------------------------------------------------------------


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def personal_data() -> set[str]:
    """Everything in the demo that names or identifies a person or a business."""
    values = set()
    for user in User.objects.all():
        values |= {user.email, user.national_id or "", user.mobile or ""}
        if user.first_name and user.last_name:
            values.add(f"{user.first_name} {user.last_name}")
    for business in Business.objects.all():
        values |= {business.legal_name, business.national_business_id, business.knowledge_based_number}
    for job in GreenJob.objects.all():
        values |= {job.holder_name, job.holder_national_id}
    for bid in Bid.objects.all():
        values |= {bid.bidder, bid.national_business_id}
    values = {value for value in values if value and len(value) >= 5}
    return values | {to_persian_digits(value) for value in values}


@pytest.mark.parametrize("language", ["fa", "en"])
def test_anyone_sees_the_public_dashboard_with_aggregates_and_no_personal_data(client, demo, language):
    client.cookies["django_language"] = language
    secrets = personal_data()
    # the demo really has people and businesses to leak
    assert {"رضا نوروزی", "applicant@example.ir", "0371234565", "۰۳۷۱۲۳۴۵۶۵"} <= secrets
    assert len(secrets) > 50

    content = html_of(client.get(reverse("measurement:public_dashboard")))

    assert f'<html lang="{language}"' in content
    leaked = sorted(value for value in secrets if value in content or escape(value) in content)
    assert leaked == []
    assert "@example.ir" not in content
    # the aggregates: every goal, every indicator, with this year's actual as the portal computes it; of
    # the jobs loans promised, only the verified figures (a promise, and the rate over it, stay inside)
    year = Period.containing(timezone.localdate(), "year")
    for goal in Goal.objects.all():
        assert escape(goal.title_fa if language == "fa" else goal.title_en) in content
    for code in ("G1.10", "G1.12"):
        assert f'data-testid="indicator-{code}"' not in content
    for indicator in Indicator.objects.exclude(code__in=["G1.10", "G1.12"]):
        row = row_of(content, indicator.code)
        assert escape(indicator.name_fa if language == "fa" else indicator.name_en) in row
    verified = measures.verified_businesses(year.start, year.end)
    assert verified > 0
    expected = str(int(verified))
    assert cell(row_of(content, "G1.1"), "actual") == (
        to_persian_digits(expected) if language == "fa" else expected
    )


def test_the_public_dashboard_shows_actual_target_and_percentage_in_the_reader_language(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    for _ in range(3):
        registration_in("verified")  # 3 of the 1405 target of 30: 10 %
    IndicatorTarget.objects.filter(indicator__code="G1.4", jalali_year=1405).update(value=4_000_000_000)
    loan_draft(amount=1_000_000_000)  # a draft is not an application yet
    application = loan_draft(amount=1_500_000_000)
    loan_services.application_transition(
        application_id=application.pk, actor=application.applicant, name="submit"
    )
    refreshed()

    fa = html_of(client.get(reverse("measurement:public_dashboard")))
    client.cookies["django_language"] = "en"
    cache.clear()
    en = html_of(client.get(reverse("measurement:public_dashboard")))

    g11_fa, g11_en = row_of(fa, "G1.1"), row_of(en, "G1.1")
    assert (cell(g11_fa, "target"), cell(g11_fa, "actual"), cell(g11_fa, "percent")) == ("۳۰", "۳", "۱۰٪")
    assert (cell(g11_en, "target"), cell(g11_en, "actual"), cell(g11_en, "percent")) == ("30", "3", "10%")
    assert '<progress class="w-75" max="100" value="10"' in g11_en
    g14 = row_of(en, "G1.4")
    assert (cell(g14, "target"), cell(g14, "actual"), cell(g14, "percent")) == (
        "4,000,000,000", "1,500,000,000", "37.5%",
    )  # fmt: skip
    # a manual indicator without a figure says so instead of showing zero
    assert cell(row_of(en, "G5.7"), "actual") == "not entered yet"
    assert "goals in 1405" in en
    assert "در سال ۱۴۰۵" in fa and "سال سال" not in fa


def test_the_charts_read_json_data_and_have_a_text_alternative(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    registration_in("verified")
    refreshed()
    client.cookies["django_language"] = "en"

    response = client.get(reverse("measurement:public_dashboard"))
    content = html_of(response)

    # no inline script: the chart data travels as JSON, the code in static files (the CSP allows 'self')
    scripts = re.findall(r"<script([^>]*)>", content)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in content
    assert 'src="/static/js/dashboard.js"' in content
    chart = response.context["progress"]["chart"]
    assert chart["periods"] == [
        "Quarter 4 of 1403", "Quarter 1 of 1404", "Quarter 2 of 1404", "Quarter 3 of 1404",
        "Quarter 4 of 1404", "Quarter 1 of 1405",
    ]  # fmt: skip
    g1 = {series["code"]: series["values"] for series in chart["goals"]["G1"]}
    assert g1["G1.1"] == [0, 0, 0, 0, 0, 1]
    assert '<script id="dashboard-data" type="application/json">' in content
    # each chart: a canvas described in words, and the same figures as a table
    for goal in Goal.objects.all():
        canvas = re.search(rf'<canvas id="trend-{goal.code}"[^>]*>', content, re.S)[0]
        assert 'role="img"' in canvas
        assert 'aria-label="Trend of ' in canvas
        assert f'data-testid="trend-{goal.code}"' in content
    assert "The trend as a table" in content


def test_the_public_page_answers_from_the_stored_figures_with_a_few_queries(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    url = reverse("measurement:public_dashboard")
    client.cookies["django_language"] = "en"
    refreshed()
    first = html_of(client.get(url))
    registration_in("verified")

    with CaptureQueriesContext(connection) as stored:
        again = html_of(client.get(url))
    refreshed()
    later = html_of(client.get(url))

    # the page reads one row: no indicator is computed while someone waits
    assert len(stored.captured_queries) <= 3
    assert not any("programs_business" in query["sql"] for query in stored.captured_queries)
    assert cell(row_of(first, "G1.1"), "actual") == cell(row_of(again, "G1.1"), "actual") == "0"
    assert cell(row_of(later, "G1.1"), "actual") == "1"


def test_an_event_that_moves_the_figures_refreshes_them_once_it_commits(
    client, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOW, tick=False)
    refreshed()
    before = snapshots.stored_progress().computed_at
    time_machine.move_to(NOW + datetime.timedelta(minutes=1), tick=False)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        registration_in("verified")
        registration_in("verified")

    client.cookies["django_language"] = "en"
    content = html_of(client.get(reverse("measurement:public_dashboard")))
    assert cell(row_of(content, "G1.1"), "actual") == "2"
    assert snapshots.stored_progress().computed_at > before
    # many events in one transaction, one refresh: the flag stays up until the refresh starts
    assert len([c for c in callbacks if c.__qualname__.startswith("nudge.")]) == 1
    # and it is not recorded in the outbox: the schedule refreshes anyway if the broker lost it
    assert not OutboxMessage.objects.filter(task_name=snapshots.REFRESH_PROGRESS).exists()


def test_before_its_first_refresh_the_public_page_says_the_figures_are_being_prepared(client):
    client.cookies["django_language"] = "en"

    content = html_of(client.get(reverse("measurement:public_dashboard")))

    assert 'data-testid="progress-pending"' in content
    assert "The figures are being prepared" in content


def grow(size: int) -> None:
    """More of everything the indicators count, and more targets and hand-entered figures."""
    manager = ProgrammeManagerFactory()
    manual = Indicator.objects.get(code="G5.7")
    for index in range(size):
        registration_in("verified", verified_kind="greened_existing" if index % 2 else "new_green")
        loan_at("approved", amount=100_000_000 + index)
        target_services.manual_value_set(
            actor=manager, indicator_id=manual.pk, period=f"1404-{index % 12 + 1:02d}", value=index
        )
        for indicator in Indicator.objects.all()[:5]:
            target_services.target_set(
                actor=manager, indicator_id=indicator.pk, jalali_year=1400 + index, value=index
            )


def queries_for(client, url) -> int:
    cache.clear()
    refreshed()
    with CaptureQueriesContext(connection) as context:
        html_of(client.get(url))
    return len(context.captured_queries)


def test_the_public_dashboard_runs_the_same_queries_whatever_the_amount_of_data(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    url = reverse("measurement:public_dashboard")
    grow(1)
    small = queries_for(client, url)
    grow(4)

    large = queries_for(client, url)

    assert small == large


def test_the_indicator_list_runs_the_same_queries_whatever_the_amount_of_data(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    client.force_login(ProgrammeManagerFactory())
    url = reverse("measurement:indicator_list")
    grow(1)
    small = queries_for(client, url)
    grow(4)

    large = queries_for(client, url)

    assert small == large
    assert ManualValue.objects.count() == 4


# --- the programme manager's dashboard -------------------------------------------------------------------


def test_the_programme_dashboard_shows_every_goal_and_indicator(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    registration_in("verified")
    refreshed()
    client.force_login(ProgrammeManagerFactory())

    content = html_of(client.get(reverse("measurement:programme_dashboard")))

    for goal in Goal.objects.all():
        assert f'data-testid="progress-{goal.code}"' in content
        assert escape(goal.title_fa) in content
    for indicator in Indicator.objects.all():
        assert escape(indicator.name_fa) in row_of(content, indicator.code)
    assert cell(row_of(content, "G1.1"), "actual") == "۱"
    assert cell(row_of(content, "G1.1"), "target") == "۳۰"
    assert reverse("measurement:indicator_list") in content
    assert reverse("measurement:public_dashboard") in content
    assert '<script id="dashboard-data" type="application/json">' in content


@pytest.mark.parametrize(
    "make_user",
    [
        ApplicantFactory,
        lambda: make_staff("DOE", StaffRole.MANAGER),
        lambda: make_staff("MCLS", StaffRole.REVIEWER),
        lambda: make_staff("TVTO", StaffRole.OFFICER),
    ],
)
@pytest.mark.parametrize("page", ["measurement:programme_dashboard", "measurement:indicator_list"])
def test_other_roles_are_refused_the_committee_pages(client, make_user, page):
    client.force_login(make_user())

    response = client.get(reverse(page))

    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in_for_the_indicator_list(client):
    url = reverse("measurement:indicator_list")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


# --- targets and hand-entered figures ---------------------------------------------------------------------


def state() -> dict:
    return {
        "targets": sorted(
            IndicatorTarget.objects.values_list("indicator__code", "jalali_year", "value", "set_by")
        ),
        "manual": sorted(
            ManualValue.objects.values_list(
                "indicator__code", "period_start", "period_end", "value", "entered_by"
            )
        ),
    }


@pytest.fixture
def manager(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    user = ProgrammeManagerFactory(first_name="سارا", last_name="کاظمی")
    client.force_login(user)
    return user


def test_the_indicator_list_shows_every_indicator_by_goal_with_this_and_next_year_targets(client, manager):
    IndicatorTarget.objects.create(indicator=Indicator.objects.get(code="G1.1"), jalali_year=1406, value=55)
    client.cookies["django_language"] = "en"

    content = html_of(client.get(reverse("measurement:indicator_list")))

    for goal in Goal.objects.all():
        assert f'data-testid="goal-{goal.code}"' in content
    for indicator in Indicator.objects.all():
        row = row_of(content, indicator.code)
        assert f'data-testid="target-form-{indicator.code}-1405"' in row
        assert f'data-testid="target-form-{indicator.code}-1406"' in row
    g11 = row_of(content, "G1.1")
    assert 'name="value" value="30"' in g11
    assert 'name="value" value="55"' in g11
    assert 'data-testid="manual-G5.7"' in content
    assert 'data-testid="manual-G1.1"' not in content


def test_a_programme_manager_sets_a_target_with_any_digits(client, manager):
    indicator = Indicator.objects.get(code="G1.1")

    response = client.post(
        reverse("measurement:target_set", args=[indicator.pk]), {"jalali_year": "۱۴۰۶", "value": "۴۵٫۵"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('measurement:indicator_list')}#indicator-{indicator.pk}"
    target = IndicatorTarget.objects.get(indicator=indicator, jalali_year=1406)
    assert (target.value, target.set_by, target.set_at) == (Decimal("45.50"), manager, NOW)


def test_changing_a_target_replaces_it_and_records_who_and_when(client, manager):
    indicator = Indicator.objects.get(code="G1.4")
    seeded = IndicatorTarget.objects.get(indicator=indicator, jalali_year=1405)
    assert (seeded.value, seeded.set_by) == (Decimal("80000000000.00"), None)

    response = client.post(
        reverse("measurement:target_set", args=[indicator.pk]),
        {"jalali_year": "1405", "value": "95,000,000,000"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith(f'<tr id="indicator-{indicator.pk}"')
    assert 'value="۹۵٬۰۰۰٬۰۰۰٬۰۰۰"' in content
    assert "سارا کاظمی" in content
    [target] = IndicatorTarget.objects.filter(indicator=indicator, jalali_year=1405)
    assert (target.pk, target.value, target.set_by, target.set_at) == (
        seeded.pk, Decimal("95000000000.00"), manager, NOW,
    )  # fmt: skip


@pytest.mark.parametrize("value", ["", "abc", "-5", "1.234", "1" * 21])
def test_a_target_that_is_not_a_figure_is_refused_and_nothing_changes(client, manager, value):
    indicator = Indicator.objects.get(code="G1.1")
    before = state()

    response = client.post(
        reverse("measurement:target_set", args=[indicator.pk]),
        {"jalali_year": "1405", "value": value},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert 'class="invalid-feedback d-block" data-testid="error-value"' in response.content.decode()
    assert state() == before


def test_a_target_for_a_year_outside_the_memorandum_is_refused(client, manager):
    indicator = Indicator.objects.get(code="G1.1")
    client.cookies["django_language"] = "en"
    before = state()

    response = client.post(
        reverse("measurement:target_set", args=[indicator.pk]),
        {"jalali_year": "2026", "value": "5"},
        follow=True,
    )

    assert [str(message) for message in response.context["messages"]] == [
        "Jalali year: Targets are set for the years 1400 to 1420."
    ]
    assert state() == before


def test_a_programme_manager_enters_a_manual_figure_with_who_and_when(client, manager):
    indicator = Indicator.objects.get(code="G5.7")

    response = client.post(
        reverse("measurement:manual_value_set", args=[indicator.pk]),
        {"period": "۱۴۰۵-q1", "value": "۱۲٬۵۰۰", "note": " برآورد صداوسیمای مرکز قم "},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('measurement:indicator_list')}#manual-{indicator.pk}"
    entry = ManualValue.objects.get(indicator=indicator)
    assert (entry.period_start, entry.period_end) == (datetime.date(2026, 3, 21), datetime.date(2026, 6, 21))
    assert (entry.value, entry.note) == (Decimal("12500.00"), "برآورد صداوسیمای مرکز قم")
    assert (entry.entered_by, entry.entered_at) == (manager, NOW)
    # entering the same period again corrects the figure; it does not add a second one
    client.post(
        reverse("measurement:manual_value_set", args=[indicator.pk]),
        {"period": "1405-Q1", "value": "13000", "note": ""},
        headers={"HX-Request": "true"},
    )
    [entry] = ManualValue.objects.filter(indicator=indicator)
    assert (entry.value, entry.note) == (Decimal("13000.00"), "")
    q1 = Period.parse("1405-Q1")
    assert measures.actual(indicator, q1.start, q1.end) == Decimal("13000.00")


@pytest.mark.parametrize(
    ("code", "period", "message"),
    [
        ("G1.1", "1405-Q1", "G1.1 is computed from the portal's records; it cannot be entered by hand."),
        ("G5.7", "1405-Q2", "This period has not started yet."),
        ("G5.7", "1405-Q5", "Write the period as 1405, 1405-Q3 or 1405-07."),
    ],
)
def test_a_manual_figure_for_a_computed_indicator_or_a_wrong_period_is_refused(
    client, manager, code, period, message
):
    indicator = Indicator.objects.get(code=code)
    before = state()
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("measurement:manual_value_set", args=[indicator.pk]),
        {"period": period, "value": "10"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert state() == before


OTHERS = {
    "applicant": ApplicantFactory,
    "doe_manager": lambda: make_staff("DOE", StaffRole.MANAGER),
    "mcls_manager": lambda: make_staff("MCLS", StaffRole.MANAGER),
    "tvto_officer": lambda: make_staff("TVTO", StaffRole.OFFICER),
}


@pytest.mark.parametrize("role", [*OTHERS, "anonymous"])
def test_only_programme_managers_set_targets_or_enter_figures(client, time_machine, role):
    time_machine.move_to(NOW, tick=False)
    if role != "anonymous":
        client.force_login(OTHERS[role]())
    target = Indicator.objects.get(code="G1.1")
    manual = Indicator.objects.get(code="G5.7")
    before = state()

    responses = [
        client.post(
            reverse("measurement:target_set", args=[target.pk]), {"jalali_year": "1405", "value": "99"}
        ),
        client.post(
            reverse("measurement:manual_value_set", args=[manual.pk]), {"period": "1405-Q1", "value": "99"}
        ),
    ]

    expected = 302 if role == "anonymous" else 403
    assert [response.status_code for response in responses] == [expected, expected]
    if role == "anonymous":
        assert all(response["Location"].startswith(reverse("accounts:login")) for response in responses)
    assert state() == before


@pytest.mark.parametrize("role", list(OTHERS))
def test_the_services_refuse_anyone_but_a_programme_manager(time_machine, role):
    time_machine.move_to(NOW, tick=False)
    actor = OTHERS[role]()
    before = state()

    with pytest.raises(DomainError) as target_error:
        target_services.target_set(
            actor=actor, indicator_id=Indicator.objects.get(code="G1.1").pk, jalali_year=1405, value=1
        )
    with pytest.raises(DomainError) as manual_error:
        target_services.manual_value_set(
            actor=actor, indicator_id=Indicator.objects.get(code="G5.7").pk, period="1405-Q1", value=1
        )

    assert (target_error.value.status_code, target_error.value.code) == (403, "forbidden")
    assert (manual_error.value.status_code, manual_error.value.code) == (403, "forbidden")
    assert state() == before


@pytest.mark.parametrize("page", ["measurement:public_dashboard", "measurement:programme_dashboard"])
def test_the_year_of_the_targets_is_named_once_in_both_languages(client, time_machine, page):
    """Regression: the caption read "مقدار هدف سال سال ۱۴۰۵" (the year's label already says "سال")."""
    time_machine.move_to(NOW, tick=False)
    client.force_login(ProgrammeManagerFactory())
    refreshed()

    fa = html_of(client.get(reverse(page)))
    client.cookies["django_language"] = "en"
    cache.clear()
    en = html_of(client.get(reverse(page)))

    assert "سال سال" not in fa
    assert "مقدار محقق‌شده در برابر مقدار هدف سال ۱۴۰۵" in fa
    assert "Actual against the target for 1405" in en
    assert "for Year 1405" not in en and " in Year 1405" not in en


def test_the_programme_dashboard_reads_stored_figures_in_a_bounded_number_of_queries(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    client.force_login(ProgrammeManagerFactory())
    url = reverse("measurement:programme_dashboard")
    grow(1)
    small = queries_for(client, url)
    grow(4)

    with CaptureQueriesContext(connection) as context:
        html_of(client.get(url))

    assert len(context.captured_queries) == small <= 30
    # no indicator is computed in the request: the records behind them are not read
    assert not any("programs_registrationevent" in q["sql"] for q in context.captured_queries)

"""Joint initiatives: who may create, edit and read; milestones and when they are late; list query counts."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Goal
from greenjobs.exceptions import ConflictError, DomainError
from measurement.periods import Period
from measurement.services.reports import build_snapshot
from programs.models import Initiative, Milestone
from programs.selectors.initiatives import initiative_detail, initiative_list, late_milestones
from programs.services import initiatives as services
from tests.factories import ApplicantFactory, ProgrammeManagerFactory, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]

TEHRAN = ZoneInfo("Asia/Tehran")
TODAY = datetime.date(2025, 6, 10)
YESTERDAY = TODAY - datetime.timedelta(days=1)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2025, 6, 10, 11, 0, tzinfo=TEHRAN), tick=False)
    return TODAY


def goals(*codes):
    return list(Goal.objects.filter(code__in=codes).order_by("order"))


def make_initiative(agencies, lead="DOE", *, partners=("MCLS",), goal_codes=("G2",), actor=None, **data):
    actor = actor or ProgrammeManagerFactory()
    fields = {
        "title_fa": "سبزسازی کوره‌های آجرپزی",
        "title_en": "Greening brick kilns",
        "lead_agency": agencies[lead],
        "partners": [agencies[code] for code in partners],
        "goals": goals(*goal_codes),
        "budget": 45_000_000_000,
        "starts_on": datetime.date(2025, 1, 1),
        "ends_on": datetime.date(2025, 12, 31),
    }
    fields.update(data)
    return services.initiative_create(actor=actor, data=fields)


def initiative_state(initiative):
    fresh = Initiative.objects.get(pk=initiative.pk)
    return {
        "fields": (fresh.title_fa, fresh.title_en, fresh.lead_agency_id, fresh.budget, fresh.starts_on,
                   fresh.ends_on),
        "goals": sorted(fresh.goals.values_list("code", flat=True)),
        "partners": sorted(fresh.partners.values_list("code", flat=True)),
        "milestones": sorted(fresh.milestones.values_list("title", "due_on", "completed_on")),
    }  # fmt: skip


# --- creating and editing: who may -------------------------------------------------------------------------


def test_a_programme_manager_creates_an_initiative_for_any_lead_agency(agencies):
    manager = ProgrammeManagerFactory()

    initiative = make_initiative(agencies, "TVTO", partners=("DOE", "MCLS"), goal_codes=("G5", "G3"),
                                 actor=manager)  # fmt: skip

    assert initiative_state(initiative) == {
        "fields": ("سبزسازی کوره‌های آجرپزی", "Greening brick kilns", agencies["TVTO"].pk, 45_000_000_000,
                   datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        "goals": ["G3", "G5"],
        "partners": ["DOE", "MCLS"],
        "milestones": [],
    }  # fmt: skip
    assert initiative.created_by == manager


def test_an_agency_manager_creates_what_their_own_agency_leads(agencies):
    doe_manager = make_staff("DOE", "manager")

    initiative = services.initiative_create(
        actor=doe_manager,
        data={
            "title_fa": "پایش آلایندگی",
            "goals": goals("G2"),
            "partners": [agencies["TVTO"]],
            "budget": 1_000,
            "starts_on": datetime.date(2025, 1, 1),
            "ends_on": datetime.date(2025, 3, 1),
        },
    )

    assert initiative.lead_agency == agencies["DOE"]


def test_an_agency_manager_cannot_create_an_initiative_another_agency_leads(agencies):
    with pytest.raises(ValidationError) as caught:
        make_initiative(agencies, "TVTO", partners=(), actor=make_staff("DOE", "manager"))

    assert list(caught.value.message_dict) == ["lead_agency"]
    assert Initiative.objects.count() == 0


@pytest.mark.parametrize("role", ["officer", "reviewer"])
def test_staff_below_manager_cannot_create_initiatives(agencies, role):
    with pytest.raises(DomainError) as caught:
        make_initiative(agencies, "DOE", actor=make_staff("DOE", role))

    assert caught.value.code == "forbidden"
    assert Initiative.objects.count() == 0


def test_an_applicant_cannot_create_initiatives(agencies):
    with pytest.raises(DomainError):
        make_initiative(agencies, actor=ApplicantFactory())
    assert Initiative.objects.count() == 0


def test_the_tvto_manager_cannot_edit_an_initiative_doe_leads(agencies, client):
    initiative = make_initiative(agencies, "DOE")
    before = initiative_state(initiative)
    tvto_manager = make_staff("TVTO", "manager")

    with pytest.raises(DomainError) as caught:
        services.initiative_update(initiative_id=initiative.pk, actor=tvto_manager, data={"budget": 1})
    client.force_login(tvto_manager)
    page = client.get(reverse("programs:initiative_edit", args=[initiative.pk]))
    posted = client.post(
        reverse("programs:initiative_edit", args=[initiative.pk]),
        {"title_fa": "ربوده شد", "lead_agency": agencies["TVTO"].pk, "goals": [goals("G1")[0].pk],
         "budget": "1", "starts_on": "1404/01/01", "ends_on": "1404/02/01"},
    )  # fmt: skip
    milestone = client.post(
        reverse("programs:milestone_add", args=[initiative.pk]), {"title": "x", "due_on": "1404/03/01"}
    )

    assert caught.value.code == "forbidden"
    assert (page.status_code, posted.status_code, milestone.status_code) == (403, 403, 403)
    assert initiative_state(initiative) == before


def test_the_lead_agency_manager_edits_goals_and_partners_as_whole_sets(agencies, client):
    initiative = make_initiative(agencies, "DOE", partners=("MCLS",), goal_codes=("G2",))
    client.force_login(make_staff("DOE", "manager"))

    response = client.post(
        reverse("programs:initiative_edit", args=[initiative.pk]),
        {
            "title_fa": "سبزسازي كوره‌ها",  # Arabic ي and ك, stored as Persian letters
            "title_en": "Kilns",
            "partners": [agencies["TVTO"].pk],
            "goals": [g.pk for g in goals("G2", "G4")],
            "budget": "۵۰٬۰۰۰٬۰۰۰",
            "starts_on": "۱۴۰۳/۱۰/۱۱",
            "ends_on": "1404/10/10",
        },
    )

    assert response.status_code == 302
    assert initiative_state(initiative) == {
        "fields": ("سبزسازی کوره‌ها", "Kilns", agencies["DOE"].pk, 50_000_000, datetime.date(2024, 12, 31),
                   datetime.date(2025, 12, 31)),
        "goals": ["G2", "G4"],
        "partners": ["TVTO"],
        "milestones": [],
    }  # fmt: skip


def test_a_lead_agency_manager_cannot_hand_the_lead_to_another_agency(agencies):
    initiative = make_initiative(agencies, "DOE")
    before = initiative_state(initiative)

    with pytest.raises(ValidationError) as caught:
        services.initiative_update(
            initiative_id=initiative.pk,
            actor=make_staff("DOE", "manager"),
            data={"lead_agency": agencies["MCLS"]},
        )

    assert list(caught.value.message_dict) == ["lead_agency"]
    assert initiative_state(initiative) == before


def test_a_programme_manager_can_hand_the_lead_to_another_agency(agencies):
    initiative = make_initiative(agencies, "DOE", partners=())

    services.initiative_update(
        initiative_id=initiative.pk, actor=ProgrammeManagerFactory(), data={"lead_agency": agencies["MCLS"]}
    )

    assert Initiative.objects.get(pk=initiative.pk).lead_agency == agencies["MCLS"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"ends_on": datetime.date(2024, 12, 31)}, "ends_on"),
        ({"goals": []}, "goals"),
        ({"partners": []}, None),
        ({"title_fa": ""}, "title_fa"),
        ({"budget": -1}, "budget"),
    ],
)
def test_what_an_initiative_must_have(agencies, data, field):
    if field is None:
        assert make_initiative(agencies, **data).pk
        return
    with pytest.raises(ValidationError) as caught:
        make_initiative(agencies, **data)
    assert list(caught.value.message_dict) == [field]
    assert Initiative.objects.count() == 0


def test_the_lead_agency_cannot_also_be_a_partner(agencies):
    with pytest.raises(ValidationError) as caught:
        make_initiative(agencies, "DOE", partners=("DOE", "MCLS"))
    assert list(caught.value.message_dict) == ["partners"]


def test_the_create_page_fixes_an_agency_managers_lead_to_their_agency(agencies, client):
    client.force_login(make_staff("MCLS", "manager"))
    url = reverse("programs:initiative_create")

    assert client.get(url).context["form"].fields["lead_agency"].disabled
    response = client.post(
        url,
        {
            "title_fa": "وام سبز روستایی",
            "lead_agency": agencies["DOE"].pk,  # ignored: the field is disabled
            "goals": [goals("G1")[0].pk],
            "budget": "12,000",
            "starts_on": "1404/01/01",
            "ends_on": "1404/12/29",
        },
    )

    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:initiative_detail", args=[initiative.pk])
    assert (initiative.lead_agency.code, initiative.budget) == ("MCLS", 12_000)
    assert initiative.starts_on == datetime.date(2025, 3, 21)


def test_the_create_page_shows_the_services_errors_on_their_fields(client):
    client.force_login(ProgrammeManagerFactory())

    response = client.post(
        reverse("programs:initiative_create"),
        {"title_fa": "بدون هدف", "budget": "1", "starts_on": "1404/05/01", "ends_on": "1404/04/01"},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"goals", "lead_agency"}
    assert Initiative.objects.count() == 0


# --- reading: who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [("DOE", "officer"), ("MCLS", "reviewer"), ("TVTO", "officer"), ("TVTO", "manager"), "programme_manager"],
)
def test_every_agencys_staff_and_the_steering_committee_read_initiatives(agencies, client, who):
    initiative = make_initiative(agencies, "DOE")
    user = ProgrammeManagerFactory() if who == "programme_manager" else make_staff(*who)
    client.force_login(user)

    listing = client.get(reverse("programs:initiative_list"))
    detail = client.get(reverse("programs:initiative_detail", args=[initiative.pk]))

    assert (listing.status_code, detail.status_code) == (200, 200)
    assert [i.pk for i in listing.context["page"].object_list] == [initiative.pk]
    can_edit = who == "programme_manager"
    assert detail.context["can_edit"] is can_edit
    assert ('data-testid="edit-initiative"' in detail.content.decode()) is can_edit


def test_an_applicant_gets_403_on_every_initiative_page(agencies, client):
    initiative = make_initiative(agencies)
    milestone = services.milestone_add(
        initiative_id=initiative.pk,
        actor=ProgrammeManagerFactory(),
        title="x",
        due_on=datetime.date(2025, 2, 1),
    )
    client.force_login(ApplicantFactory())

    codes = [
        client.get(reverse("programs:initiative_list")).status_code,
        client.get(reverse("programs:initiative_detail", args=[initiative.pk])).status_code,
        client.get(reverse("programs:initiative_create")).status_code,
        client.get(reverse("programs:initiative_edit", args=[initiative.pk])).status_code,
        client.post(reverse("programs:milestone_add", args=[initiative.pk]), {}).status_code,
        client.post(
            reverse("programs:milestone_complete", args=[initiative.pk, milestone.pk]), {}
        ).status_code,
    ]

    assert codes == [403] * 6
    assert Milestone.objects.get().completed_on is None


def test_anonymous_visitors_are_sent_to_sign_in(agencies, client):
    initiative = make_initiative(agencies)
    url = reverse("programs:initiative_detail", args=[initiative.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert f"next={url}" in response["Location"].replace("%2F", "/")


def test_an_initiative_that_does_not_exist_is_404(client):
    client.force_login(ProgrammeManagerFactory())
    assert client.get(reverse("programs:initiative_detail", args=[999])).status_code == 404


def test_an_agency_officer_cannot_open_the_create_page(client):
    client.force_login(make_staff("DOE", "officer"))
    assert client.get(reverse("programs:initiative_create")).status_code == 403


# --- milestones and lateness -------------------------------------------------------------------------------


@pytest.fixture
def milestones(agencies, today):
    """Four milestones of one DOE-led initiative, seen on 10 June 2025."""
    manager = ProgrammeManagerFactory()
    initiative = make_initiative(agencies, "DOE", actor=manager)

    def add(title, due, done=None):
        milestone = services.milestone_add(
            initiative_id=initiative.pk, actor=manager, title=title, due_on=due
        )
        if done:
            services.milestone_complete(milestone_id=milestone.pk, actor=manager, completed_on=done)
        return Milestone.objects.get(pk=milestone.pk)

    return {
        "overdue": add("overdue", YESTERDAY),
        "due_today": add("due today", TODAY),
        "done_late": add("done late", datetime.date(2025, 5, 1), done=datetime.date(2025, 5, 4)),
        "done_on_time": add("done on time", datetime.date(2025, 5, 20), done=datetime.date(2025, 5, 20)),
        "initiative": initiative,
    }


def test_a_milestone_due_yesterday_and_still_open_is_late(milestones):
    assert milestones["overdue"].is_late() is True


def test_a_milestone_due_today_is_not_late_yet(milestones):
    assert milestones["due_today"].is_late() is False


def test_a_milestone_done_after_its_due_date_stays_late(milestones):
    assert milestones["done_late"].is_late() is True


def test_a_milestone_done_on_its_due_date_is_not_late(milestones):
    assert milestones["done_on_time"].is_late() is False


def test_the_late_milestones_selector_agrees_with_is_late(milestones):
    late = list(late_milestones())

    assert [m.title for m in late] == ["done late", "overdue"]
    assert [m.days_late for m in late] == [datetime.timedelta(days=3), datetime.timedelta(days=1)]
    assert [m.title for m in late_milestones(open_only=True)] == ["overdue"]
    assert [m.title for m in late_milestones(agency="DOE")] == ["done late", "overdue"]
    assert list(late_milestones(agency="TVTO")) == []
    # Seen from later, the one due today is late too.
    assert [m.title for m in late_milestones(today=TODAY + datetime.timedelta(days=1))] == [
        "done late", "overdue", "due today",
    ]  # fmt: skip


def test_the_list_counts_done_and_late_milestones(milestones):
    row = initiative_list(user=ProgrammeManagerFactory()).get()

    assert (row.milestone_count, row.done_count, row.late_count) == (4, 2, 2)


def test_the_detail_page_marks_late_milestones_with_a_red_badge(milestones, client):
    client.force_login(make_staff("MCLS", "officer"))

    response = client.get(reverse("programs:initiative_detail", args=[milestones["initiative"].pk]))

    flags = {row["milestone"].title: row["late"] for row in response.context["milestones"]}
    assert flags == {"overdue": True, "due today": False, "done late": True, "done on time": False}
    html = response.content.decode()
    assert html.count('class="badge text-bg-danger" data-testid="late-badge"') == 2
    assert html.count('data-testid="done-badge"') == 1
    assert html.count('data-testid="open-badge"') == 1
    assert 'data-testid="complete-milestone"' not in html  # an MCLS officer only reads


def test_the_list_filters_initiatives_with_late_milestones(milestones, agencies, client):
    on_track = make_initiative(agencies, "TVTO", partners=(), title_fa="به موقع")
    client.force_login(ProgrammeManagerFactory())

    everything = client.get(reverse("programs:initiative_list"))
    late_only = client.get(reverse("programs:initiative_list"), {"late": "on"})
    tvto = client.get(reverse("programs:initiative_list"), {"agency": "TVTO"})
    mcls = client.get(reverse("programs:initiative_list"), {"agency": "MCLS"})  # a partner of the DOE one

    assert {i.pk for i in everything.context["page"].object_list} == {
        milestones["initiative"].pk,
        on_track.pk,
    }
    assert [i.pk for i in late_only.context["page"].object_list] == [milestones["initiative"].pk]
    assert [i.pk for i in tvto.context["page"].object_list] == [on_track.pk]
    assert [i.pk for i in mcls.context["page"].object_list] == [milestones["initiative"].pk]
    assert everything.content.decode().count('data-testid="late-badge"') == 1


def test_marking_a_milestone_done_from_the_page(milestones, client):
    client.force_login(make_staff("DOE", "manager"))
    overdue = milestones["overdue"]

    response = client.post(
        reverse("programs:milestone_complete", args=[milestones["initiative"].pk, overdue.pk]),
        {"completed_on": "۱۴۰۴/۰۳/۲۰"},  # 10 June 2025
    )

    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.completed_on == TODAY
    assert overdue.is_late() is True  # done, but a day after it was due


def test_a_milestone_cannot_be_done_in_the_future_or_twice(milestones):
    manager = ProgrammeManagerFactory()

    with pytest.raises(ValidationError) as future:
        services.milestone_complete(
            milestone_id=milestones["overdue"].pk,
            actor=manager,
            completed_on=TODAY + datetime.timedelta(days=1),
        )
    with pytest.raises(ConflictError) as twice:
        services.milestone_complete(milestone_id=milestones["done_late"].pk, actor=manager)

    assert list(future.value.message_dict) == ["completed_on"]
    assert twice.value.code == "already_done"
    assert Milestone.objects.get(pk=milestones["overdue"].pk).completed_on is None
    assert Milestone.objects.get(pk=milestones["done_late"].pk).completed_on == datetime.date(2025, 5, 4)


def test_a_milestone_is_due_within_its_initiatives_dates(milestones, client):
    client.force_login(ProgrammeManagerFactory())
    initiative = milestones["initiative"]

    response = client.post(
        reverse("programs:milestone_add", args=[initiative.pk]),
        {"title": "بعد از پایان", "due_on": "1405/01/15"},
    )

    assert response.status_code == 200
    assert list(response.context["milestone_form"].errors) == ["due_on"]
    assert initiative.milestones.count() == 4


def test_adding_a_milestone_from_the_page(milestones, client):
    client.force_login(make_staff("DOE", "manager"))
    initiative = milestones["initiative"]

    response = client.post(
        reverse("programs:milestone_add", args=[initiative.pk]),
        {"title": "گزارش نهایی", "due_on": "1404/09/30"},
    )

    assert response.status_code == 302
    assert initiative.milestones.filter(title="گزارش نهایی", due_on=datetime.date(2025, 12, 21)).exists()


def test_an_initiatives_dates_cannot_leave_its_milestones_outside(milestones):
    before = initiative_state(milestones["initiative"])

    with pytest.raises(ValidationError) as caught:
        services.initiative_update(
            initiative_id=milestones["initiative"].pk,
            actor=ProgrammeManagerFactory(),
            data={"ends_on": datetime.date(2025, 5, 31)},
        )

    assert list(caught.value.message_dict) == ["ends_on"]
    assert initiative_state(milestones["initiative"]) == before


# --- queries -----------------------------------------------------------------------------------------------


def _initiatives_with_milestones(agencies, count, manager):
    for index in range(count):
        initiative = make_initiative(
            agencies, ["DOE", "MCLS", "TVTO"][index % 3], partners=(), goal_codes=("G1", "G5"),
            title_fa=f"ابتکار {index}", actor=manager,
        )  # fmt: skip
        for day in (1, 2):
            services.milestone_add(
                initiative_id=initiative.pk,
                actor=manager,
                title=f"m{day}",
                due_on=datetime.date(2025, 2, day),
            )


def test_the_initiative_list_runs_a_constant_number_of_queries(agencies, client, django_assert_num_queries):
    manager = ProgrammeManagerFactory()
    client.force_login(manager)
    url = reverse("programs:initiative_list")
    _initiatives_with_milestones(agencies, 2, manager)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).content.decode().count('data-testid="initiative-row"') == 2

    _initiatives_with_milestones(agencies, 9, manager)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).content.decode().count('data-testid="initiative-row"') == 11


def test_the_initiative_detail_runs_a_constant_number_of_queries(agencies, django_assert_num_queries):
    manager = ProgrammeManagerFactory()
    initiative = make_initiative(agencies, partners=("MCLS", "TVTO"), goal_codes=("G1", "G2", "G3"))

    with django_assert_num_queries(4):  # the initiative, goals, partners, milestones
        found = initiative_detail(user=manager, initiative_id=initiative.pk)
        assert [g.code for g in found.goals.all()] == ["G1", "G2", "G3"]
        assert [a.code for a in found.partners.all()] == ["MCLS", "TVTO"]
        assert list(found.milestones.all()) == []


def test_late_milestones_cost_one_query_however_many(agencies, django_assert_num_queries):
    manager = ProgrammeManagerFactory()
    _initiatives_with_milestones(agencies, 2, manager)
    with django_assert_num_queries(1):
        assert len([m.initiative.lead_agency.code for m in late_milestones(today=TODAY)]) == 4

    _initiatives_with_milestones(agencies, 6, manager)
    with django_assert_num_queries(1):
        assert len([m.initiative.lead_agency.code for m in late_milestones(today=TODAY)]) == 16


# --- agreement with the progress report ---------------------------------------------------------------------


def test_the_progress_report_lists_the_same_late_milestones_as_the_selector(milestones):
    snapshot = build_snapshot(Period.containing(TODAY, "year"))

    assert sorted(row["title"] for row in snapshot["late_milestones"]) == sorted(
        m.title for m in late_milestones()
    )

import datetime
import re
from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils.html import escape

from greenjobs.exceptions import DomainError
from greenjobs.jalali import format_date
from greenjobs.text import search_key
from programs import seed
from programs.models import GreenOccupation
from programs.services.occupations import occupation_create, occupation_update
from tests.factories import ApplicantFactory, ProgrammeManagerFactory, make_staff

pytestmark = pytest.mark.django_db

LIST_URL = reverse("programs:occupation_list")
CREATE_URL = reverse("programs:occupation_create")
SEEDED_CODES = sorted(row[0] for row in seed.OCCUPATIONS)


def detail_url(code):
    return reverse("programs:occupation_detail", args=[code])


def edit_url(code):
    return reverse("programs:occupation_edit", args=[code])


@pytest.fixture
def catalogue(agencies):
    """The 25 seeded occupations; loaded again because transactional tests flush the migration's rows."""
    seed.load()
    return {occupation.code: occupation for occupation in GreenOccupation.objects.all()}


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


def codes_in(content):
    return re.findall(r'data-testid="occupation-code">([^<]+)<', content)


def listed(client, **params):
    return codes_in(html_of(client.get(LIST_URL, params)))


def snapshot():
    return [model_to_dict(occupation) for occupation in GreenOccupation.objects.order_by("pk")]


def form_data(**overrides):
    data = {
        "code": "gj-en-06",
        "name_fa": "  نصاب   توربين بادي  كوچك ",
        "name_en": "Small wind turbine installer",
        "sector": "energy",
        "kind": "new_green",
        "requirements_fa": "نصب ایمن توربین\r\nبازیافت پره‌های فرسوده",
        "requirements_en": "Safe installation\r\nRecycling of worn blades",
        "training_standard_code": "TS-7411-WT-۰۱",
        "introduced_on": "۱۴۰۴/۰۱/۱۵",
        "is_active": "on",
    }
    data.update(overrides)
    return data


# --- the public list -----------------------------------------------------------------------------------


def test_the_public_list_shows_the_first_page_of_occupations_in_persian(client, catalogue):
    content = html_of(client.get(LIST_URL))

    assert '<html lang="fa" dir="rtl">' in content
    assert codes_in(content) == SEEDED_CODES[:20]
    for code in SEEDED_CODES[:20]:
        assert f'data-testid="occupation-name">{escape(catalogue[code].name_fa)}</a>' in content
    assert 'data-testid="occupation-count">۲۵ ' in content


def test_the_second_page_holds_the_rest(client, catalogue):
    content = html_of(client.get(LIST_URL, {"page": 2}))

    assert codes_in(content) == SEEDED_CODES[20:]


def test_the_public_list_in_english(client, catalogue):
    client.cookies["django_language"] = "en"

    content = html_of(client.get(LIST_URL))

    assert '<html lang="en" dir="ltr">' in content
    for code in SEEDED_CODES[:20]:
        occupation = catalogue[code]
        assert f'data-testid="occupation-name">{escape(occupation.name_en)}</a>' in content
        assert escape(occupation.name_fa) not in content
    assert 'data-testid="occupation-count">25 occupations</p>' in content
    solar = content.split('data-testid="occupation-code">GJ-EN-01<')[0].rsplit('data-testid="occupation"', 1)[
        1
    ]
    assert '<span class="badge text-bg-success" data-testid="occupation-kind">New green (G3)</span>' in solar
    assert 'data-testid="occupation-sector">Renewable energy and energy efficiency</span>' in solar
    assert 'data-testid="occupation-standard">TS-7411-PV-01</span>' in content


def test_greened_occupations_carry_the_g4_badge(client, catalogue):
    client.cookies["django_language"] = "en"

    content = html_of(client.get(LIST_URL, {"kind": "greened_existing"}))

    assert content.count("Greened existing (G4)</span>") == 10
    assert "New green (G3)</span>" not in content


@pytest.mark.parametrize(
    "query",
    [
        "تعمیرکار",
        "تعميرکار",  # Arabic yeh
        "تعميركار",  # Arabic yeh and kaf
        "تعمیر\u200cکار",  # with a ZWNJ
        "تعمیر کار",  # with a space
    ],
)
def test_a_persian_search_finds_the_occupation_whatever_the_spelling(client, catalogue, query):
    assert listed(client, q=query) == ["GJ-EN-01", "GJ-EN-05", "GJ-TR-01", "GJ-TR-02", "GJ-WS-03"]


@pytest.mark.parametrize("query", ["سامانه‌های خورشیدی", "سامانههای خورشیدی", "سامانه هاي خورشيدي"])
def test_a_persian_search_ignores_how_a_compound_is_joined(client, catalogue, query):
    assert listed(client, q=query) == ["GJ-EN-01"]


@pytest.mark.parametrize("query", ["solar", "SOLAR", " Solar  "])
def test_an_english_search_finds_by_english_name(client, catalogue, query):
    assert listed(client, q=query) == ["GJ-EN-01", "GJ-EN-03"]


@pytest.mark.parametrize("query", ["GJ-EN-۰۲", "gj-en-02", "TS-2149"])
def test_a_search_finds_by_code_and_training_standard(client, catalogue, query):
    assert listed(client, q=query) == ["GJ-EN-02"]


def test_a_search_that_finds_nothing_says_so(client, catalogue):
    content = html_of(client.get(LIST_URL, {"q": "فضانورد"}))

    assert codes_in(content) == []
    assert 'data-testid="occupation-none"' in content


def test_the_list_filters_by_sector(client, catalogue):
    assert listed(client, sector="water") == ["GJ-WA-01", "GJ-WA-02", "GJ-WA-03"]


def test_the_list_filters_by_kind(client, catalogue):
    assert listed(client, kind="greened_existing") == [
        "GJ-AG-03", "GJ-CN-03", "GJ-EN-04", "GJ-EN-05", "GJ-MF-01",
        "GJ-MF-02", "GJ-MF-03", "GJ-TR-02", "GJ-WA-03", "GJ-WS-04",
    ]  # fmt: skip


def test_the_filters_combine_with_the_search(client, catalogue):
    assert listed(client, sector="energy", kind="greened_existing") == ["GJ-EN-04", "GJ-EN-05"]
    assert listed(client, sector="energy", kind="new_green", q="نصاب") == ["GJ-EN-01", "GJ-EN-03"]


def test_an_unknown_filter_value_is_ignored(client, catalogue):
    assert listed(client, sector="space", kind="imaginary") == SEEDED_CODES[:20]


def test_the_pages_keep_the_filters(client, catalogue):
    GreenOccupation.objects.bulk_create(
        GreenOccupation(
            code=f"GJ-X-{n:02d}", name_fa=f"شغل {n}", name_en=f"Job {n}", sector="water", kind="new_green",
            requirements_fa="—", search_text=search_key(f"GJ-X-{n:02d}"),
        )
        for n in range(20)
    )  # fmt: skip

    content = html_of(client.get(LIST_URL, {"sector": "water"}))

    assert "?sector=water&amp;page=2" in content
    assert listed(client, sector="water", page=2) == ["GJ-X-17", "GJ-X-18", "GJ-X-19"]


def test_inactive_occupations_are_not_public(client, catalogue):
    GreenOccupation.objects.filter(code="GJ-EN-01").update(is_active=False)

    assert "GJ-EN-01" not in listed(client)
    assert listed(client, q="solar") == ["GJ-EN-03"]


def test_staff_who_maintain_the_catalogue_see_inactive_occupations_marked(client, catalogue):
    GreenOccupation.objects.filter(code="GJ-EN-01").update(is_active=False)
    client.force_login(make_staff("TVTO"))

    content = html_of(client.get(LIST_URL, {"q": "solar"}))

    assert codes_in(content) == ["GJ-EN-01", "GJ-EN-03"]
    assert content.count('data-testid="occupation-inactive"') == 1


@pytest.mark.parametrize("extra", [0, 35])
def test_the_list_runs_a_fixed_number_of_queries(client, catalogue, django_assert_num_queries, extra):
    GreenOccupation.objects.bulk_create(
        GreenOccupation(
            code=f"GJ-ZZ-{n:02d}", name_fa=f"شغل {n}", name_en=f"Job {n}", sector="services",
            kind="new_green", requirements_fa="—", search_text=search_key(f"GJ-ZZ-{n:02d}"),
        )
        for n in range(extra)
    )  # fmt: skip
    assert GreenOccupation.objects.count() == 25 + extra

    # a count for the paginator and one page of rows
    with django_assert_num_queries(2):
        response = client.get(LIST_URL, {"page": 2})

    assert len(codes_in(html_of(response))) == (5 if extra == 0 else 20)


def test_htmx_gets_only_the_results(client, catalogue):
    response = client.get(LIST_URL, {"sector": "water"}, headers={"HX-Request": "true"})

    content = html_of(response)
    assert "<html" not in content
    assert 'data-testid="occupation-filters"' not in content
    assert codes_in(content) == ["GJ-WA-01", "GJ-WA-02", "GJ-WA-03"]
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(client, catalogue):
    response = client.get(
        LIST_URL, {"sector": "water"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in html_of(response)


def test_the_filter_form_updates_the_results_through_htmx(client, catalogue):
    content = html_of(client.get(LIST_URL))

    form = re.search(r'<form [^>]*data-testid="occupation-filters"[^>]*>', content, re.S).group(0)
    assert f'hx-get="{LIST_URL}"' in form
    assert 'hx-trigger="change, keyup changed delay:400ms from:input[name=q]"' in form
    assert 'hx-target="#occupation-results"' in form
    assert 'hx-push-url="true"' in form
    assert '<div id="occupation-results"' in content


@pytest.mark.parametrize(
    ("make_user", "shown"),
    [
        (None, False),
        (ApplicantFactory, False),
        (lambda: make_staff("MCLS", "manager"), False),
        (lambda: make_staff("TVTO", "officer"), True),
        (lambda: make_staff("DOE", "reviewer"), True),
    ],
)
def test_only_catalogue_maintainers_see_the_add_button(client, catalogue, make_user, shown):
    if make_user:
        client.force_login(make_user())

    content = html_of(client.get(LIST_URL))

    assert ('data-testid="add-occupation"' in content) is shown


# --- the detail page -----------------------------------------------------------------------------------


def test_the_detail_page_in_persian(client, catalogue):
    occupation = catalogue["GJ-WA-01"]

    content = html_of(client.get(detail_url("GJ-WA-01")))

    assert f'data-testid="occupation-name">{escape(occupation.name_fa)}</h1>' in content
    assert f'data-testid="occupation-requirements">{escape(occupation.requirements_fa)}</p>' in content
    assert 'data-testid="occupation-standard">TS-6114-DI-01</span>' in content
    assert (
        f'data-testid="occupation-introduced">{format_date(occupation.introduced_on, "long")}</time>'
        in content
    )
    assert 'data-testid="edit-occupation"' not in content


def test_the_detail_page_in_english(client, catalogue):
    client.cookies["django_language"] = "en"
    occupation = catalogue["GJ-WA-03"]

    content = html_of(client.get(detail_url("GJ-WA-03")))

    assert f'data-testid="occupation-name">{escape(occupation.name_en)}</h1>' in content
    assert f'data-testid="occupation-requirements">{escape(occupation.requirements_en)}</p>' in content
    assert 'data-testid="occupation-kind">Greened existing (G4)</span>' in content
    assert 'data-testid="occupation-sector">Water and irrigation</dd>' in content


def test_an_unknown_code_is_404(client, catalogue):
    assert client.get(detail_url("GJ-NO-99")).status_code == 404


@pytest.mark.parametrize("make_user", [None, ApplicantFactory, lambda: make_staff("MCLS")])
def test_an_inactive_occupation_is_404_to_the_public(client, catalogue, make_user):
    GreenOccupation.objects.filter(code="GJ-EN-01").update(is_active=False)
    if make_user:
        client.force_login(make_user())

    assert client.get(detail_url("GJ-EN-01")).status_code == 404


def test_an_inactive_occupation_stays_open_to_its_maintainers(client, catalogue):
    GreenOccupation.objects.filter(code="GJ-EN-01").update(is_active=False)
    client.force_login(make_staff("DOE", "reviewer"))

    content = html_of(client.get(detail_url("GJ-EN-01")))

    assert 'data-testid="occupation-inactive"' in content
    assert 'data-testid="edit-occupation"' in content


# --- adding and editing --------------------------------------------------------------------------------


def test_a_tvto_officer_adds_an_occupation(client, catalogue):
    officer = make_staff("TVTO", "officer")
    client.force_login(officer)
    assert client.get(CREATE_URL).status_code == 200

    response = client.post(CREATE_URL, form_data())

    assert response.status_code == 302
    assert response["Location"] == detail_url("GJ-EN-06")
    occupation = GreenOccupation.objects.get(code="GJ-EN-06")
    assert occupation.name_fa == "نصاب توربین بادی کوچک"
    assert occupation.name_en == "Small wind turbine installer"
    assert occupation.sector == "energy"
    assert occupation.kind == "new_green"
    assert occupation.requirements_fa == "نصب ایمن توربین\nبازیافت پره‌های فرسوده"
    assert occupation.requirements_en == "Safe installation\nRecycling of worn blades"
    assert occupation.training_standard_code == "TS-7411-WT-01"
    assert occupation.introduced_on == datetime.date(2025, 4, 4)
    assert occupation.is_active is True
    assert occupation.updated_by == officer
    assert occupation.search_text == search_key(
        "GJ-EN-06 نصاب توربین بادی کوچک Small wind turbine installer TS-7411-WT-01"
    )
    assert GreenOccupation.objects.count() == 26

    content = html_of(client.get(response["Location"]))
    assert 'role="alert">' in content
    assert escape(occupation.name_fa) in content
    assert 'data-testid="occupation-introduced">۱۵ فروردین ۱۴۰۴</time>' in content
    assert listed(client, q="توربين") == ["GJ-EN-06"]


def test_a_doe_reviewer_edits_and_deactivates_an_occupation(client, catalogue):
    reviewer = make_staff("DOE", "reviewer")
    client.force_login(reviewer)
    assert client.get(edit_url("GJ-WA-01")).status_code == 200
    data = form_data(
        code="GJ-WA-01", name_fa="تکنسین آبیاری قطره‌ای و زیرسطحی",
        name_en="Drip and subsurface irrigation technician", sector="agriculture", kind="greened_existing",
        requirements_fa="کاهش ۴۰ درصدی مصرف آب", requirements_en="", training_standard_code="",
        introduced_on="1403/12/30",
    )  # fmt: skip
    del data["is_active"]  # an unticked box is not sent

    response = client.post(edit_url("GJ-WA-01"), data)

    assert response.status_code == 302
    assert response["Location"] == detail_url("GJ-WA-01")
    occupation = GreenOccupation.objects.get(code="GJ-WA-01")
    assert occupation.pk == catalogue["GJ-WA-01"].pk
    assert occupation.name_fa == "تکنسین آبیاری قطره‌ای و زیرسطحی"
    assert occupation.name_en == "Drip and subsurface irrigation technician"
    assert occupation.sector == "agriculture"
    assert occupation.kind == "greened_existing"
    assert occupation.requirements_fa == "کاهش ۴۰ درصدی مصرف آب"
    assert occupation.requirements_en == ""
    assert occupation.training_standard_code == ""
    assert occupation.introduced_on == datetime.date(2025, 3, 20)
    assert occupation.is_active is False
    assert occupation.updated_by == reviewer
    assert GreenOccupation.objects.count() == 25
    # deactivated, not deleted: gone from the public catalogue only
    client.logout()
    assert client.get(detail_url("GJ-WA-01")).status_code == 404
    assert "GJ-WA-01" not in listed(client, sector="agriculture")


def test_changing_the_code_moves_the_page(client, catalogue):
    client.force_login(make_staff("TVTO"))
    occupation = catalogue["GJ-TO-01"]
    data = {
        **model_to_dict(occupation, fields=form_data().keys()),
        "code": "gj-to-02",
        "introduced_on": "1404/02/01",
    }

    response = client.post(edit_url("GJ-TO-01"), data)

    assert response["Location"] == detail_url("GJ-TO-02")
    assert GreenOccupation.objects.get(pk=occupation.pk).code == "GJ-TO-02"
    assert not GreenOccupation.objects.filter(code="GJ-TO-01").exists()


@pytest.mark.parametrize("code", ["GJ-EN-01", "gj-en-01 ", "GJ-EN-۰۱"])
def test_a_duplicate_code_is_rejected_and_nothing_is_created(client, catalogue, code):
    client.force_login(make_staff("TVTO"))
    client.cookies["django_language"] = "en"

    response = client.post(CREATE_URL, form_data(code=code))

    content = html_of(response)
    assert (
        'data-testid="error-code">The code GJ-EN-01 is already used by another occupation.</div>' in content
    )
    assert GreenOccupation.objects.count() == 25
    assert GreenOccupation.objects.get(code="GJ-EN-01").name_en == "Solar photovoltaic installer"


def test_an_edit_cannot_take_another_occupations_code(client, catalogue):
    client.force_login(make_staff("DOE"))
    client.cookies["django_language"] = "en"
    before = snapshot()

    response = client.post(edit_url("GJ-WA-01"), form_data(code="gj-wa-02"))

    assert (
        'data-testid="error-code">The code GJ-WA-02 is already used by another occupation.</div>'
        in html_of(response)
    )
    assert snapshot() == before


def test_a_code_that_cannot_be_an_address_is_rejected(client, catalogue):
    client.force_login(make_staff("TVTO"))
    client.cookies["django_language"] = "en"

    content = html_of(client.post(CREATE_URL, form_data(code="GJ/EN 06")))

    assert 'data-testid="error-code">Use Latin letters, digits and single hyphens only' in content
    assert GreenOccupation.objects.count() == 25


def test_missing_fields_are_reported_by_the_form(client, catalogue):
    client.force_login(make_staff("TVTO"))

    content = html_of(
        client.post(CREATE_URL, form_data(name_fa="", requirements_fa="", introduced_on="1404/13/01"))
    )

    for field in ("name_fa", "requirements_fa", "introduced_on"):
        assert f'data-testid="error-{field}"' in content
    assert GreenOccupation.objects.count() == 25


@pytest.mark.parametrize(
    "make_user",
    [
        ApplicantFactory,
        ProgrammeManagerFactory,
        lambda: make_staff("MCLS", "manager"),
        lambda: make_staff("MCLS"),
    ],
)
def test_others_may_not_add_or_edit_and_nothing_changes(client, catalogue, make_user):
    client.force_login(make_user())
    before = snapshot()

    responses = [
        client.get(CREATE_URL),
        client.post(CREATE_URL, form_data()),
        client.get(edit_url("GJ-EN-01")),
        client.post(edit_url("GJ-EN-01"), form_data(code="GJ-EN-01")),
    ]

    for response in responses:
        assert response.status_code == 403
        assert 'data-testid="error-403"' in response.content.decode()
    assert snapshot() == before


def test_anonymous_people_are_sent_to_sign_in(client, catalogue):
    before = snapshot()
    login = reverse("accounts:login")

    for url in (CREATE_URL, edit_url("GJ-EN-01")):
        for response in (client.get(url), client.post(url, form_data(code="GJ-EN-01"))):
            assert response.status_code == 302
            assert response["Location"] == f"{login}?next={quote(url)}"
    assert snapshot() == before


def test_editing_an_unknown_code_is_404(client, catalogue):
    client.force_login(make_staff("TVTO"))

    assert client.get(edit_url("GJ-NO-99")).status_code == 404


# --- the services --------------------------------------------------------------------------------------


def service_data(**overrides):
    data = {
        "code": "gj-sv-02",
        "name_fa": "مشاور مديريت سبز",
        "name_en": "Green management consultant",
        "sector": "services",
        "kind": "new_green",
        "requirements_fa": "ممیزی زیست‌محیطی",
        "requirements_en": "Environmental audit",
        "training_standard_code": " TS-2422-GM-01 ",
        "introduced_on": datetime.date(2025, 6, 1),
        "is_active": True,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "make_actor",
    [
        AnonymousUser,
        ApplicantFactory,
        ProgrammeManagerFactory,
        lambda: make_staff("MCLS", "manager"),
    ],
)
def test_the_services_refuse_anyone_but_doe_and_tvto(catalogue, make_actor):
    actor = make_actor()
    before = snapshot()

    with pytest.raises(DomainError) as create_error:
        occupation_create(actor=actor, data=service_data())
    with pytest.raises(DomainError) as update_error:
        occupation_update(occupation_id=catalogue["GJ-EN-01"].pk, actor=actor, data={"name_en": "Changed"})

    for error in (create_error.value, update_error.value):
        assert error.code == "forbidden"
        assert error.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(("agency", "role"), [("DOE", "officer"), ("DOE", "manager"), ("TVTO", "reviewer")])
def test_the_create_service_normalises_and_records_who(catalogue, agency, role):
    actor = make_staff(agency, role)

    occupation = occupation_create(actor=actor, data=service_data())

    occupation.refresh_from_db()
    assert occupation.code == "GJ-SV-02"
    assert occupation.name_fa == "مشاور مدیریت سبز"
    assert occupation.training_standard_code == "TS-2422-GM-01"
    assert occupation.introduced_on == datetime.date(2025, 6, 1)
    assert occupation.updated_by == actor
    assert occupation.search_text == search_key(
        "GJ-SV-02 مشاور مدیریت سبز Green management consultant TS-2422-GM-01"
    )


def test_the_update_service_changes_only_what_it_is_given(catalogue):
    actor = make_staff("TVTO")
    occupation = catalogue["GJ-EN-02"]

    occupation_update(
        occupation_id=occupation.pk, actor=actor, data={"name_en": "Energy  auditor", "is_active": False}
    )

    occupation.refresh_from_db()
    assert occupation.name_en == "Energy auditor"
    assert occupation.is_active is False
    assert occupation.name_fa == "ممیز انرژی ساختمان و صنعت"
    assert occupation.code == "GJ-EN-02"
    assert occupation.updated_by == actor
    assert "energyauditor" in occupation.search_text


def test_the_services_validate(catalogue):
    actor = make_staff("DOE")

    with pytest.raises(ValidationError) as duplicate:
        occupation_create(actor=actor, data=service_data(code="gj-en-01"))
    with pytest.raises(ValidationError) as incomplete:
        occupation_create(actor=actor, data=service_data(requirements_fa=" ", sector="space"))

    assert list(duplicate.value.message_dict) == ["code"]
    assert sorted(incomplete.value.message_dict) == ["requirements_fa", "sector"]
    assert GreenOccupation.objects.count() == 25


def test_updating_a_missing_occupation_is_not_found(catalogue):
    with pytest.raises(DomainError) as error:
        occupation_update(occupation_id=0, actor=make_staff("TVTO"), data={"name_en": "x"})

    assert error.value.code == "not_found"


@pytest.mark.parametrize(("language", "shown"), [("fa", "۱۴۰۳/۱۲/۳۰"), ("en", "2025-03-20")])
def test_saving_the_edit_form_unchanged_keeps_the_date(client, catalogue, language, shown):
    # given a form shown in either language
    client.cookies["django_language"] = language
    client.force_login(make_staff("TVTO"))
    GreenOccupation.objects.filter(code="GJ-EN-03").update(introduced_on=datetime.date(2025, 3, 20))
    content = html_of(client.get(edit_url("GJ-EN-03")))
    assert f'name="introduced_on" value="{shown}"' in content

    # when it is sent back as shown
    data = {**model_to_dict(catalogue["GJ-EN-03"], fields=form_data().keys()), "introduced_on": shown}
    response = client.post(edit_url("GJ-EN-03"), data)

    # then the date is the same day
    assert response.status_code == 302
    assert GreenOccupation.objects.get(code="GJ-EN-03").introduced_on == datetime.date(2025, 3, 20)

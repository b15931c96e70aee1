"""The applicant's side of the loans through the pages: schemes, applying, the eligibility check, the
application page, documents and the printable repayment schedule."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext, override

from greenjobs import jalali
from greenjobs.templatetags.portal import jdate, number, rial
from greenjobs.text import fold_digits
from incentives.models import ApplicationDocument, Instalment, LoanApplication, Stage
from incentives.services import applications, repayments
from programs.models import RegistrationStatus
from tests.factories import (
    MINIMAL_PDF,
    ApplicantFactory,
    BusinessFactory,
    LoanSchemeFactory,
    ProgrammeManagerFactory,
    county,
    loan_at,
    loan_draft,
    make_staff,
    occupation,
    verified_business,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media")]

TODAY = datetime.date(2025, 5, 10)  # 20 Ordibehesht 1404


def html(response) -> str:
    return response.content.decode()


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def files_on_disk(root) -> list[str]:
    root = Path(root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def today():
    import time_machine

    with time_machine.travel(datetime.datetime(2025, 5, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield TODAY


@pytest.fixture
def owner():
    return ApplicantFactory(language="en")


@pytest.fixture
def open_scheme(today):
    return LoanSchemeFactory(
        code="GL-SUN",
        title_fa="تسهیلات خورشیدی",
        title_en="Solar loans",
        budget=10_000_000_000,
        max_amount=2_000_000_000,
        interest_rate="4.00",
        term_months=36,
        grace_months=6,
        opens_on=datetime.date(2025, 4, 1),
        closes_on=datetime.date(2025, 6, 30),
    )


# --- the schemes, in public --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_schemes_are_public_in_both_languages(client, open_scheme, language):
    closed = LoanSchemeFactory(
        code="GL-OLD", title_fa="طرح قدیمی", title_en="Old scheme",
        opens_on=datetime.date(2024, 1, 1), closes_on=datetime.date(2024, 3, 1),
    )  # fmt: skip
    LoanSchemeFactory(code="GL-HID", title_fa="پنهان", title_en="Hidden", is_published=False)
    open_scheme.priority_counties.set([county("qom")])
    in_language(client, language)

    response = client.get(reverse("incentives:scheme_list"))

    assert response.status_code == 200
    assert [s.code for s in response.context["open_schemes"]] == ["GL-SUN"]
    assert [s.code for s in response.context["closed_schemes"]] == ["GL-OLD"]
    page = html(response)
    with override(language):
        title = "تسهیلات خورشیدی" if language == "fa" else "Solar loans"
        assert title in page
        assert closed.tr("title") in page
        assert "Hidden" not in page and "پنهان" not in page
        assert rial(10_000_000_000) in page  # budget left, nothing committed yet
        assert rial(2_000_000_000) in page
        assert jalali.format_date(open_scheme.opens_on, "long") in page
        assert jalali.format_date(open_scheme.closes_on, "long") in page
    if language == "fa":
        assert "۱۲ فروردین ۱۴۰۴" in page and "۹ تیر ۱۴۰۴" in page
        assert "۱۰٬۰۰۰٬۰۰۰٬۰۰۰" in page
    else:
        assert "1 April 2025" in page and "30 June 2025" in page
        assert "10,000,000,000" in page
    # Nobody signed in: no apply button, but the terms are a click away.
    assert 'data-testid="apply-GL-SUN"' not in page

    detail = client.get(reverse("incentives:scheme_detail", args=["GL-SUN"]))

    assert detail.status_code == 200
    page = html(detail)
    with override(language):
        rule = gettext(
            "The business has a green registration verified by DOE "
            "(the Directorate General of Environmental Protection), still valid."
        )
        assert escape(rule) in page
        assert (
            escape(gettext("A business has at most one open application under this scheme at a time."))
            in page
        )
        assert escape(gettext("Knowledge-based company")) in page
        assert county("qom").tr("name") in page
    assert detail.context["weights"][0][1] == 25
    assert detail.context["total_weight"] == 100
    assert 'data-testid="sign-in-to-apply"' in page
    assert client.get(reverse("incentives:scheme_detail", args=["GL-HID"])).status_code == 404
    assert client.get(reverse("incentives:scheme_detail", args=["NOPE"])).status_code == 404


def test_an_applicant_sees_the_apply_button_only_on_open_schemes(client, owner, open_scheme):
    LoanSchemeFactory(code="GL-OLD", opens_on=datetime.date(2024, 1, 1), closes_on=datetime.date(2024, 3, 1))
    client.force_login(owner)

    page = html(client.get(reverse("incentives:scheme_list")))
    assert 'data-testid="apply-GL-SUN"' in page
    assert f"{reverse('incentives:application_create')}?scheme=GL-SUN" in page
    assert 'data-testid="apply-GL-OLD"' not in page

    assert 'data-testid="apply"' in html(client.get(reverse("incentives:scheme_detail", args=["GL-SUN"])))
    assert 'data-testid="apply"' not in html(client.get(reverse("incentives:scheme_detail", args=["GL-OLD"])))


# --- applying ----------------------------------------------------------------------------------------------


def application_data(business, scheme, **overrides):
    data = {
        "business": business.pk,
        "scheme": scheme.code,
        "amount": "۱٬۰۰۰٬۰۰۰٬۰۰۰",
        "purpose": "خريد پنل خورشیدی",  # an Arabic yeh, stored in Persian form
        "energy_saving_kwh": "۱۲۰۰۰٫۵",
        "water_saving_m3": "300",
        "materials_saving_t": "",
        "waste_reduction_t": "2.25",
        "commitments": "بازیافت پسماند",
    }
    data.update(overrides)
    return data


def test_the_apply_page_preselects_the_scheme_from_the_link(client, owner, open_scheme):
    verified_business(owner=owner)
    client.force_login(owner)

    response = client.get(reverse("incentives:application_create"), {"scheme": "GL-SUN"})

    assert response.status_code == 200
    assert re.search(r'<option value="GL-SUN" selected>', html(response))
    assert 'hx-post="{}"'.format(reverse("incentives:eligibility_check")) in html(response)
    assert 'hx-trigger="change"' in html(response)
    assert 'hx-target="#eligibility"' in html(response)


def test_applying_creates_a_draft_with_exactly_what_was_typed(client, owner, open_scheme):
    business = verified_business(owner=owner)
    client.force_login(owner)

    response = client.post(reverse("incentives:application_create"), application_data(business, open_scheme))

    application = LoanApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("incentives:application_detail", args=[application.pk])
    assert application.applicant == owner
    assert application.business == business
    assert application.scheme == open_scheme
    assert application.amount == 1_000_000_000
    assert application.purpose == "خرید پنل خورشیدی"
    assert str(application.energy_saving_kwh) == "12000.50"
    assert str(application.water_saving_m3) == "300.00"
    assert str(application.materials_saving_t) == "0.00"
    assert str(application.waste_reduction_t) == "2.25"
    assert application.commitments == "بازیافت پسماند"
    assert application.stage == Stage.DRAFT
    assert list(application.events.values_list("action", "to_stage", "actor")) == [
        ("create", "draft", owner.pk)
    ]


@pytest.mark.parametrize("amount", ["1,000,000,000", "١٠٠٠٠٠٠٠٠٠", "1 000 000 000", "۱۰۰۰۰۰۰۰۰۰"])
def test_the_amount_accepts_any_digits_and_separators(client, owner, open_scheme, amount):
    business = verified_business(owner=owner)
    client.force_login(owner)

    client.post(
        reverse("incentives:application_create"), application_data(business, open_scheme, amount=amount)
    )

    assert LoanApplication.objects.get().amount == 1_000_000_000


def test_someone_elses_business_is_not_a_choice(client, owner, open_scheme):
    theirs = verified_business()
    verified_business(owner=owner)
    client.force_login(owner)

    response = client.post(reverse("incentives:application_create"), application_data(theirs, open_scheme))

    assert response.status_code == 200
    assert "business" in response.context["form"].errors
    assert not LoanApplication.objects.exists()


def _case_window_closed(owner, scheme):
    closed = LoanSchemeFactory(
        code="GL-OLD", opens_on=datetime.date(2024, 1, 1), closes_on=datetime.date(2024, 3, 1)
    )
    return verified_business(owner=owner), closed, "۱٬۰۰۰٬۰۰۰٬۰۰۰"


def _case_not_verified(owner, scheme):
    return BusinessFactory(owner=owner, status=RegistrationStatus.SUBMITTED), scheme, "۱٬۰۰۰٬۰۰۰٬۰۰۰"


def _case_amount_above_maximum(owner, scheme):
    return verified_business(owner=owner), scheme, "۲٬۰۰۰٬۰۰۰٬۰۰۱"


def _case_already_applied(owner, scheme):
    business = verified_business(owner=owner)
    loan_draft(scheme=scheme, business=business)
    return business, scheme, "۱٬۰۰۰٬۰۰۰٬۰۰۰"


def expected_message(code, language):
    with override(language):
        return {
            "window_closed": gettext(
                "The scheme takes applications only between its opening and closing dates."
            ),
            "not_verified": gettext(
                "The scheme needs a verified green registration; this business is “%(status)s”."
            )
            % {"status": RegistrationStatus.SUBMITTED.label},
            "amount_above_maximum": gettext("The amount is above the scheme's maximum of %(max)s Rials.")
            % {"max": "۲٬۰۰۰٬۰۰۰٬۰۰۰" if language == "fa" else "2,000,000,000"},
            "already_applied": gettext("This business already has an open application under this scheme."),
        }[code]


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize(
    ("code", "case"),
    [
        ("window_closed", _case_window_closed),
        ("not_verified", _case_not_verified),
        ("amount_above_maximum", _case_amount_above_maximum),
        ("already_applied", _case_already_applied),
    ],
)
def test_the_eligibility_check_names_the_rule_that_fails(client, owner, open_scheme, code, case, language):
    business, scheme, amount = case(owner, open_scheme)
    before = sorted(LoanApplication.objects.values_list("pk", flat=True))
    client.force_login(owner)
    in_language(client, language)
    data = application_data(business, scheme, amount=amount)

    check = client.post(reverse("incentives:eligibility_check"), data, HTTP_HX_REQUEST="true")

    assert check.status_code == 200
    assert "<html" not in html(check)
    assert [c for c, _message in check.context["eligibility"]["problems"]] == [code]
    assert f'data-testid="problem-{code}"' in html(check)
    assert escape(expected_message(code, language)) in html(check)
    assert 'data-testid="eligible"' not in html(check)

    # The final submit of the same form creates nothing and says why.
    response = client.post(reverse("incentives:application_create"), data)

    assert response.status_code == 200
    assert escape(expected_message(code, language)) in html(response)
    assert response.context["form"].non_field_errors()
    assert sorted(LoanApplication.objects.values_list("pk", flat=True)) == before


def test_the_eligibility_check_says_eligible_when_every_rule_holds(client, owner, open_scheme):
    business = verified_business(owner=owner)
    client.force_login(owner)

    check = client.post(
        reverse("incentives:eligibility_check"),
        application_data(business, open_scheme),
        HTTP_HX_REQUEST="true",
    )

    assert check.context["eligibility"]["problems"] == []
    assert 'data-testid="eligible"' in html(check)
    assert not LoanApplication.objects.exists()


def test_the_eligibility_check_waits_for_a_business_and_a_scheme(client, owner, open_scheme):
    client.force_login(owner)

    check = client.post(reverse("incentives:eligibility_check"), {"scheme": "GL-SUN"}, HTTP_HX_REQUEST="true")

    assert 'data-testid="eligibility-pending"' in html(check)


@pytest.mark.parametrize("who", ["anonymous", "doe", "mcls", "manager"])
def test_only_applicants_use_the_apply_page(client, open_scheme, who):
    business = verified_business()
    if who != "anonymous":
        user = {
            "doe": lambda: make_staff("DOE", "officer"),
            "mcls": lambda: make_staff("MCLS", "manager"),
            "manager": ProgrammeManagerFactory,
        }[who]()
        client.force_login(user)

    get = client.get(reverse("incentives:application_create"))
    post = client.post(reverse("incentives:application_create"), application_data(business, open_scheme))
    check = client.post(reverse("incentives:eligibility_check"), application_data(business, open_scheme))

    if who == "anonymous":
        for response in (get, post, check):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert (get.status_code, post.status_code, check.status_code) == (403, 403, 403)
    assert not LoanApplication.objects.exists()


# --- my applications ---------------------------------------------------------------------------------------


def test_my_applications_lists_only_my_own_and_hides_the_score(client, owner, open_scheme):
    mine = loan_at("submitted", scheme=open_scheme, business=verified_business(owner=owner))
    theirs = loan_at("submitted", scheme=open_scheme)
    assert mine.priority_score > 0
    client.force_login(owner)

    response = client.get(reverse("incentives:my_applications"))

    assert response.status_code == 200
    assert [a.pk for a in response.context["page"].object_list] == [mine.pk]
    page = html(response)
    assert mine.reference in page
    assert theirs.reference not in page
    assert theirs.business.legal_name not in page
    assert 'data-stage="submitted"' in page
    assert "score" not in page.lower()


# --- the application page ----------------------------------------------------------------------------------


def viewer(who, owner):
    return {
        "owner": lambda: owner,
        "other_applicant": ApplicantFactory,
        "tvto": lambda: make_staff("TVTO", "officer"),
        "mcls": lambda: make_staff("MCLS", "reviewer"),
        "doe": lambda: make_staff("DOE", "reviewer"),
        "manager": ProgrammeManagerFactory,
    }[who]()


@pytest.mark.parametrize(
    ("stage", "who", "status"),
    [
        ("submitted", "owner", 200),
        ("submitted", "other_applicant", 404),
        ("submitted", "tvto", 404),
        ("submitted", "mcls", 200),
        ("submitted", "doe", 200),
        ("submitted", "manager", 200),
        ("draft", "owner", 200),
        ("draft", "mcls", 404),
        ("draft", "doe", 404),
        ("draft", "manager", 404),
    ],
)
def test_who_may_open_an_application(client, owner, open_scheme, stage, who, status):
    application = loan_at(stage, scheme=open_scheme, business=verified_business(owner=owner))
    client.force_login(viewer(who, owner))

    response = client.get(reverse("incentives:application_detail", args=[application.pk]))

    assert response.status_code == status


def test_an_anonymous_visitor_is_sent_to_sign_in(client, open_scheme):
    application = loan_at("submitted", scheme=open_scheme)
    url = reverse("incentives:application_detail", args=[application.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_the_owner_reads_the_history_in_their_own_words(client, owner, open_scheme):
    application = loan_at("environmental_review", scheme=open_scheme, business=verified_business(owner=owner))
    client.force_login(owner)
    in_language(client, "en")

    response = client.get(reverse("incentives:application_detail", args=[application.pk]))

    labels = [str(line["label"]) for line in response.context["history"]]
    assert labels == [
        "The application was started as a draft",
        "You submitted the application",
        "DOE started the environmental review",
    ]
    page = html(response)
    assert "Environmental review (DOE)" in page
    assert [m.name for m in (i["move"] for i in response.context["owner_actions"])] == ["withdraw"]
    assert 'data-testid="action-withdraw"' in page
    assert 'name="expected_stage" value="environmental_review"' in page
    assert f'action="{reverse("incentives:transition", args=[application.pk])}"' in page
    assert 'data-testid="edit-application"' not in page


def test_a_complete_draft_offers_submit_and_an_incomplete_one_says_what_is_missing(
    client, owner, open_scheme
):
    complete = loan_draft(scheme=open_scheme, business=verified_business(owner=owner))
    other_scheme = LoanSchemeFactory()
    incomplete = applications.application_create(
        applicant=owner, business=complete.business, scheme=other_scheme,
        data={"amount": 500_000_000, "purpose": "تجهیزات"},
    )  # fmt: skip
    client.force_login(owner)
    in_language(client, "en")

    page = html(client.get(reverse("incentives:application_detail", args=[complete.pk])))
    assert 'data-testid="action-submit"' in page
    assert 'data-testid="submission-problems"' not in page
    assert 'data-testid="edit-application"' in page

    response = client.get(reverse("incentives:application_detail", args=[incomplete.pk]))
    page = html(response)
    assert response.context["problems"] == [
        "Say which green jobs the loan will create.",
        "Upload at least the business plan.",
    ]
    assert 'data-testid="action-submit"' not in page
    assert 'data-testid="action-withdraw"' in page


def test_the_owner_submits_through_the_rendered_form(client, owner, open_scheme):
    application = loan_draft(scheme=open_scheme, business=verified_business(owner=owner))
    client.force_login(owner)

    response = client.post(
        reverse("incentives:transition", args=[application.pk]),
        {"action": "submit", "expected_stage": "draft", "reason": ""},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.SUBMITTED


def test_the_owner_edits_a_draft(client, owner, open_scheme):
    application = loan_draft(scheme=open_scheme, business=verified_business(owner=owner))
    client.force_login(owner)
    url = reverse("incentives:application_edit", args=[application.pk])

    assert client.get(url).context["form"].initial["amount"] == 1_000_000_000
    response = client.post(
        url, {"amount": "۱٬۵۰۰٬۰۰۰٬۰۰۰", "purpose": "خرید توربین", "water_saving_m3": "۵۰"}
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.amount, application.purpose, str(application.water_saving_m3)) == (
        1_500_000_000,
        "خرید توربین",
        "50.00",
    )


def test_a_submitted_application_cannot_be_edited(client, owner, open_scheme):
    application = loan_at("submitted", scheme=open_scheme, business=verified_business(owner=owner))
    client.force_login(owner)

    response = client.post(
        reverse("incentives:application_edit", args=[application.pk]), {"amount": "5", "purpose": "x"}
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.amount == 1_000_000_000


def test_the_owner_sets_the_planned_jobs(client, owner, open_scheme):
    application = loan_draft(scheme=open_scheme, business=verified_business(owner=owner), jobs=3)
    url = reverse("incentives:planned_job_set", args=[application.pk])
    client.force_login(owner)

    client.post(url, {"occupation": occupation("GJ-EN-01").pk, "count": "۵"})
    client.post(url, {"occupation": occupation("GJ-EN-02").pk, "count": "2"})

    application.refresh_from_db()
    assert sorted(application.planned_jobs.values_list("occupation__code", "count")) == [
        ("GJ-EN-01", 5),
        ("GJ-EN-02", 2),
    ]
    assert application.jobs_to_create == 7

    client.force_login(ApplicantFactory())
    assert client.post(url, {"occupation": occupation("GJ-EN-01").pk, "count": "9"}).status_code == 404
    application.refresh_from_db()
    assert application.jobs_to_create == 7


# --- documents ---------------------------------------------------------------------------------------------


def test_the_owner_uploads_a_pdf(client, owner, open_scheme, private_media):
    application = loan_draft(scheme=open_scheme, business=verified_business(owner=owner))
    client.force_login(owner)
    before = files_on_disk(private_media)

    response = client.post(
        reverse("incentives:document_upload", args=[application.pk]),
        {"kind": "quotation", "file": SimpleUploadedFile("پیش-فاکتور.pdf", MINIMAL_PDF, "application/pdf")},
    )

    assert response.status_code == 302
    document = application.documents.get(kind="quotation")
    assert document.original_name == "پیش-فاکتور.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(MINIMAL_PDF)
    assert len(files_on_disk(private_media)) == len(before) + 1


def test_an_html_file_renamed_pdf_is_refused(client, owner, open_scheme, private_media):
    application = loan_draft(scheme=open_scheme, business=verified_business(owner=owner))
    client.force_login(owner)
    in_language(client, "en")
    before = (list(application.documents.values_list("pk", flat=True)), files_on_disk(private_media))

    response = client.post(
        reverse("incentives:document_upload", args=[application.pk]),
        {
            "kind": "quotation",
            "file": SimpleUploadedFile("invoice.pdf", b"<html><script>x()</script></html>"),
        },
    )

    assert response.status_code == 200
    assert response.context["document_form"].errors["file"] == [
        "Only PDF, JPEG and PNG files are accepted, and this file is none of them, whatever its name says."
    ]
    assert (list(application.documents.values_list("pk", flat=True)), files_on_disk(private_media)) == before


def test_documents_are_downloaded_by_the_owner_only(client, owner, open_scheme):
    application = loan_draft(scheme=open_scheme, business=verified_business(owner=owner))
    document = application.documents.get()
    url = reverse("incentives:document_download", args=[application.pk, document.pk])

    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"

    client.force_login(ApplicantFactory())
    assert client.get(url).status_code == 404
    client.force_login(make_staff("MCLS", "reviewer"))  # a draft is the applicant's alone
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_staff_download_the_documents_of_a_submitted_application(client, open_scheme):
    application = loan_at("submitted", scheme=open_scheme)
    document = application.documents.get()
    url = reverse("incentives:document_download", args=[application.pk, document.pk])

    client.force_login(make_staff("DOE", "reviewer"))
    assert client.get(url).status_code == 200
    client.force_login(make_staff("TVTO", "officer"))
    assert client.get(url).status_code == 404


def test_the_owner_removes_a_document_from_a_draft(client, owner, open_scheme, private_media):
    application = loan_draft(scheme=open_scheme, business=verified_business(owner=owner))
    document = application.documents.get()
    client.force_login(owner)

    response = client.post(reverse("incentives:document_delete", args=[application.pk, document.pk]))

    assert response.status_code == 302
    assert not ApplicationDocument.objects.filter(pk=document.pk).exists()


# --- the repayment schedule --------------------------------------------------------------------------------


@pytest.fixture
def repaying(owner, open_scheme, today):
    application = loan_at("approved", scheme=open_scheme, business=verified_business(owner=owner))
    officer = make_staff("MCLS", "officer")
    applications.application_transition(
        application_id=application.pk, actor=officer, name="contract",
        contract_number="QOM-1404-017", contracted_on=TODAY,
    )  # fmt: skip
    repayments.disbursement_record(
        application_id=application.pk, actor=officer, amount=1_000_000_000, paid_on=TODAY, request_key="first"
    )
    application.refresh_from_db()
    assert application.stage == Stage.REPAYING
    return application


def cells(page, testid):
    return re.findall(rf'data-testid="{testid}">([^<]*)<', page)


def as_int(text):
    return int(fold_digits(text).replace("٬", "").replace(",", ""))


def test_the_schedule_lists_36_instalments_with_jalali_dates_and_totals_that_add_up(client, owner, repaying):
    client.force_login(owner)
    in_language(client, "fa")

    response = client.get(reverse("incentives:schedule", args=[repaying.pk]))

    assert response.status_code == 200
    page = html(response)
    instalments = list(Instalment.objects.filter(application=repaying).order_by("number"))
    assert len(instalments) == 36
    due = cells(page, "due-on")
    assert len(due) == 36
    assert all(re.fullmatch(r"[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}", d) for d in due)
    with override("fa"):
        assert due == [jdate(i.due_on) for i in instalments]
    # Disbursed 20 Ordibehesht 1404, six months' grace: the first instalment is due 20 Azar 1404.
    assert due[0] == "۱۴۰۴/۰۹/۲۰"
    amounts = [as_int(a) for a in cells(page, "instalment-amount")]
    assert amounts == [i.amount for i in instalments]
    assert as_int(cells(page, "total-amount")[0]) == sum(amounts)
    assert as_int(cells(page, "total-principal")[0]) == sum(i.principal for i in instalments)
    assert as_int(cells(page, "total-interest")[0]) == sum(i.interest for i in instalments)
    assert as_int(cells(page, "total-outstanding")[0]) == sum(amounts)
    assert as_int(cells(page, "total-paid")[0]) == 0
    with override("fa"):
        assert cells(page, "total-amount")[0] == number(sum(amounts))


def test_the_schedule_prints_without_inline_script(client, owner, repaying):
    client.force_login(owner)

    page = html(client.get(reverse("incentives:schedule", args=[repaying.pk])))

    assert '<link rel="stylesheet" href="/static/css/print.css">' in page
    assert '<script src="/static/js/print.js"></script>' in page
    assert re.search(r"<button[^>]*data-print", page)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert " onclick=" not in page
    css = (Path(settings.BASE_DIR) / "static" / "css" / "print.css").read_text()
    assert "@media print" in css


@pytest.mark.parametrize(("who", "status"), [("other_applicant", 404), ("tvto", 404), ("mcls", 200)])
def test_the_schedule_is_seen_by_whoever_may_see_the_application(client, owner, repaying, who, status):
    client.force_login(viewer(who, owner))

    assert client.get(reverse("incentives:schedule", args=[repaying.pk])).status_code == status


def test_the_application_page_links_to_the_schedule_once_there_is_one(client, owner, repaying):
    client.force_login(owner)

    page = html(client.get(reverse("incentives:application_detail", args=[repaying.pk])))

    assert reverse("incentives:schedule", args=[repaying.pk]) in page


# --- query counts ------------------------------------------------------------------------------------------

MY_APPLICATIONS_QUERIES = 5  # with the header's unread notifications
SCHEME_LIST_QUERIES = 4  # open, upcoming, the closed ones' count and their page


@pytest.mark.parametrize("size", [2, 7])
def test_my_applications_runs_a_fixed_number_of_queries(client, django_assert_num_queries, owner, size):
    for _i in range(size):
        loan_draft(business=verified_business(owner=owner))
    loan_draft()  # someone else's
    client.force_login(owner)

    with django_assert_num_queries(MY_APPLICATIONS_QUERIES):
        response = client.get(reverse("incentives:my_applications"))

    assert len(response.context["page"].object_list) == size


@pytest.mark.parametrize("size", [2, 7])
def test_the_scheme_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    for i in range(size):
        scheme = LoanSchemeFactory(closes_on=timezone.localdate() + datetime.timedelta(days=i - 3))
        scheme.priority_counties.set([county("qom")])

    with django_assert_num_queries(SCHEME_LIST_QUERIES):
        response = client.get(reverse("incentives:scheme_list"))

    assert len(response.context["open_schemes"]) + len(response.context["closed_schemes"]) == size


def test_closed_schemes_are_paged_while_open_ones_are_all_shown(client, agencies):
    today = timezone.localdate()
    for index in range(23):
        LoanSchemeFactory(
            opens_on=today - datetime.timedelta(days=400 + index),
            closes_on=today - datetime.timedelta(days=30 + index),
        )
    LoanSchemeFactory(
        opens_on=today - datetime.timedelta(days=5), closes_on=today + datetime.timedelta(days=30)
    )

    first = client.get(reverse("incentives:scheme_list"))
    second = client.get(reverse("incentives:scheme_list"), {"page": 2})

    assert len(first.context["open_schemes"]) == 1 and len(second.context["open_schemes"]) == 1
    assert len(first.context["closed_schemes"]) == 20
    assert len(second.context["closed_schemes"]) == 3
    assert "page=2" in first.content.decode()

"""Names and codes in Latin letters keep their place in a Persian sentence (WCAG 2.1 AA, issue 14).

A value someone typed (the name of a person, a business or a centre) is set in a <bdi>, so the bidi
algorithm does not carry the Persian words around it to the wrong side; what is always Latin (file
names, tracking numbers, codes) reads left to right. The value is still escaped.
"""

import pytest
from django.template import Context, Template
from django.urls import reverse

from tests.factories import (
    ApplicantFactory,
    BusinessDocumentFactory,
    BusinessFactory,
    SessionFactory,
    TrainingCentreFactory,
    loan_draft,
    verified_business,
)
from training import pdf
from training.models import Enrolment
from training.services import certificates

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]

LATIN_BUSINESS = "Green Tech Co."


def persian_page(client, user, url) -> str:
    client.force_login(user)
    client.cookies["django_language"] = "fa"
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fa"
    return response.content.decode()


def test_the_isolate_filter_wraps_a_name_in_bdi_and_still_escapes_it():
    template = Template("{% load portal %}[{{ name|isolate }}][{{ empty|isolate }}]")

    rendered = template.render(Context({"name": "<b>R&D</b> Co.", "empty": ""}))

    assert rendered == "[<bdi>&lt;b&gt;R&amp;D&lt;/b&gt; Co.</bdi>][]"


def test_a_latin_business_name_is_isolated_on_the_business_page(client):
    business = BusinessFactory(legal_name=LATIN_BUSINESS)

    page = persian_page(client, business.owner, reverse("programs:business_detail", args=[business.pk]))

    assert f'<h1 class="h3 mb-1"><bdi>{LATIN_BUSINESS}</bdi></h1>' in page


def test_a_latin_business_name_is_isolated_in_the_sentences_of_a_loan_application(client):
    application = loan_draft(business=verified_business(legal_name=LATIN_BUSINESS))

    page = persian_page(
        client, application.applicant, reverse("incentives:application_detail", args=[application.pk])
    )

    # After the scheme's title ("… — Green Tech Co.") and in the business's description list.
    assert f"— <bdi>{LATIN_BUSINESS}</bdi></p>" in page
    assert f'<dd class="col-sm-7"><bdi>{LATIN_BUSINESS}</bdi>' in page
    # The tracking number in the heading's sentence reads left to right.
    assert f'<bdi class="identifier" dir="ltr">{application.reference}</bdi>' in page


def test_a_latin_name_in_the_welcome_sentence_is_isolated(client):
    person = ApplicantFactory(first_name="Narges", last_name="Ahmadi", latin_name="Narges Ahmadi")

    page = persian_page(client, person, reverse("measurement:applicant_dashboard"))

    # The Persian sentence puts the name first: "Narges Ahmadi، خوش آمدید".
    assert "<bdi>Narges Ahmadi</bdi>، خوش آمدید" in page


@pytest.mark.usefixtures("private_media")
def test_a_file_name_reads_left_to_right_before_the_persian_words_after_it(client):
    document = BusinessDocumentFactory(original_name="2024 licence.pdf")

    page = persian_page(
        client, document.business.owner, reverse("programs:business_detail", args=[document.business.pk])
    )

    assert '<bdi dir="ltr">2024 licence.pdf</bdi></a>' in page


def test_a_loan_reference_in_the_dashboard_list_reads_left_to_right(client):
    application = loan_draft()

    page = persian_page(client, application.applicant, reverse("measurement:applicant_dashboard"))

    assert f'<bdi class="identifier" dir="ltr">{application.reference}</bdi> · ' in page


@pytest.mark.usefixtures("private_media")
def test_the_certificate_isolates_a_latin_centre_name_and_marks_the_latin_holder_name():
    person = ApplicantFactory(first_name="نرگس", last_name="احمدی", latin_name="Narges Ahmadi")
    centre = TrainingCentreFactory(name_fa="Green Skills Academy")
    enrolment = Enrolment.objects.create(
        session=SessionFactory(centre=centre), person=person, status="enrolled", passed=True
    )
    certificate = certificates.certificate_issue(enrolment_id=enrolment.pk)

    persian = pdf.certificate_html(certificate, "fa")
    english = pdf.certificate_html(certificate, "en")

    assert "صادرشده از سوی <bdi>Green Skills Academy</bdi>" in persian
    assert 'lang="en" dir="ltr" data-testid="holder">Narges Ahmadi</p>' in english

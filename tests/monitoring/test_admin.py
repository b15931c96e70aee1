"""Monitoring in the admin: every record can be read there, none changed (the workflow and the import
write them), and the lists cost the same number of queries however many rounds there are."""

import pytest
from django.contrib import admin
from django.urls import reverse

from monitoring.models import InsuranceImport, InsuranceList, Round, SiteVisit
from tests.factories import UserFactory

from .factories import repaying_loan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]

MODELS = [Round, SiteVisit, InsuranceImport, InsuranceList]


@pytest.fixture
def administrator():
    return UserFactory(
        username="admin", national_id=None, mobile=None, kind="programme_manager", is_staff=True,
        is_superuser=True,
    )  # fmt: skip


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_monitoring_record_has_a_list_the_administrator_can_open(client, administrator, model):
    repaying_loan(monitoring_months="1,2")
    client.force_login(administrator)

    response = client.get(changelist(model))

    assert response.status_code == 200
    assert model in admin.site._registry


def test_a_round_is_shown_with_its_lines_and_history_and_cannot_be_changed(client, administrator):
    loan = repaying_loan(monitoring_months="1,2")
    round_ = Round.objects.filter(loan=loan).order_by("number").first()
    before = Round.objects.values_list("status", "promised", "verified").get(pk=round_.pk)
    client.force_login(administrator)

    page = client.get(reverse("admin:monitoring_round_change", args=[round_.pk]))
    change = client.post(reverse("admin:monitoring_round_change", args=[round_.pk]), {"status": "verified"})
    add = client.get(reverse("admin:monitoring_round_add"))

    assert page.status_code == 200
    assert str(loan) in page.content.decode()
    assert (change.status_code, add.status_code) == (403, 403)
    assert Round.objects.values_list("status", "promised", "verified").get(pk=round_.pk) == before


def test_the_rounds_list_runs_the_same_queries_for_two_loans_and_for_six(
    client, administrator, django_assert_max_num_queries
):
    client.force_login(administrator)
    repaying_loan(monitoring_months="1,2")
    repaying_loan(monitoring_months="1,2")
    with django_assert_max_num_queries(50) as few:
        client.get(changelist(Round))
    for _ in range(4):
        repaying_loan(monitoring_months="1,2,3")

    with django_assert_max_num_queries(50) as many:
        response = client.get(changelist(Round))

    assert response.status_code == 200
    assert len(many) == len(few)

import io

import pytest
from django.core.management import call_command

from incentives.models import LoanApplication, LoanScheme, Stage

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_schemes_and_an_application_in_every_stage(demo_once, agencies):
    assert LoanScheme.objects.count() == 2
    assert set(LoanApplication.objects.values_list("stage", flat=True)) == set(Stage.values)
    for scheme in LoanScheme.objects.all():
        approved = sum(
            LoanApplication.objects.filter(scheme=scheme, approved_amount__gt=0).values_list(
                "approved_amount", flat=True
            )
        )
        assert scheme.committed == approved <= scheme.budget
    in_arrears = LoanApplication.objects.get(stage=Stage.IN_ARREARS)
    assert in_arrears.overdue_amount > 0 and in_arrears.days_late > 0


def test_loading_the_demo_twice_adds_no_loans(demo_once, agencies):
    before = (LoanApplication.objects.count(), list(LoanScheme.objects.values_list("committed", flat=True)))

    call_command("seed_demo", stdout=io.StringIO())

    assert (
        LoanApplication.objects.count(),
        list(LoanScheme.objects.values_list("committed", flat=True)),
    ) == before

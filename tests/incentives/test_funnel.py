import io

import pytest
from django.core.management import call_command

from incentives import selectors

pytestmark = pytest.mark.django_db


def test_the_loan_funnel_counts_each_application_once_whatever_its_history(agencies):
    call_command("seed_demo", stdout=io.StringIO())

    funnel = selectors.funnel()

    # 14 demo applications: 1 draft; 6 reached approval (approved, contracted, disbursed, repaying,
    # in arrears, settled); 1 refused by DOE on environmental grounds.
    assert funnel["applied"] == 13
    assert funnel["approved"] == 6
    assert (
        funnel["approved_amount"]
        == 5_000_000_000 + 2_000_000_000 + 6_000_000_000 + 5_000_000_000 + 3_000_000_000 + 1_200_000_000
    )
    assert funnel["disbursed_amount"] == 3_000_000_000 + 5_000_000_000 + 1_200_000_000 + 3_000_000_000
    assert funnel["refused_environment"] == 1
    assert funnel["in_arrears"] == 1

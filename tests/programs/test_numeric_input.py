"""Numbers in Persian digits reach the checklist through the API as through the page; garbage is 400."""

from decimal import Decimal

import pytest

from tests.factories import make_staff
from tests.programs.test_api import ASSESSMENTS, under_assessment
from tests.utils import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]


def test_the_api_reads_a_checklist_line_in_persian_digits():
    officer = make_staff("DOE", "officer")
    _business, assessment = under_assessment(officer)

    response = client_for(officer).post(
        f"{ASSESSMENTS}{assessment.pk}/items/",
        {"category": "energy", "description": "برق", "baseline": "۱۲٬۰۰۰", "current": "٩٠٠٠٫٥"},
        format="json",
    )

    assert response.status_code == 201
    item = assessment.items.get()
    assert (item.baseline, item.current, item.reduction) == (
        Decimal("12000.00"),
        Decimal("9000.50"),
        Decimal("2999.50"),
    )


@pytest.mark.parametrize("baseline", ["۱۲x", "12,5", "1e400", "\x00", "9" * 10_000, True, [1], {"a": 1}])
def test_the_api_refuses_an_unreadable_measurement_with_400_on_the_field(baseline):
    officer = make_staff("DOE", "officer")
    _business, assessment = under_assessment(officer)

    response = client_for(officer).post(
        f"{ASSESSMENTS}{assessment.pk}/items/",
        {"category": "energy", "description": "برق", "baseline": baseline, "current": "10"},
        format="json",
    )

    assert response.status_code == 400
    # A NUL character makes the whole request malformed (the API's JSON parser refuses it).
    assert list(response.json()) == (["detail"] if baseline == "\x00" else ["baseline"])
    assert assessment.items.count() == 0

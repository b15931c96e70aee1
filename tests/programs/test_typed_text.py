"""Free text keeps the digits the person typed; only numbers and identifiers are folded (issue 9, 14)."""

import pytest
from django.urls import reverse

from programs import selectors
from programs.models import Business
from programs.services.registrations import business_create, business_update
from tests.factories import ApplicantFactory, BusinessFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]


def test_an_address_typed_with_persian_digits_is_stored_and_shown_as_typed(client):
    owner = ApplicantFactory()

    business = business_create(
        owner=owner, data={"legal_name": "كارگاه سبز ۷", "address": "قم، بلوار امين، كوچه ۱۲"}
    )

    stored = Business.objects.get(pk=business.pk)
    # Letter forms are made Persian (ي → ی, ك → ک); the digits stay as typed.
    assert (stored.legal_name, stored.address) == ("کارگاه سبز ۷", "قم، بلوار امین، کوچه ۱۲")
    client.force_login(owner)
    client.cookies["django_language"] = "fa"
    page = client.get(reverse("programs:business_detail", args=[business.pk])).content.decode()
    assert "قم، بلوار امین، کوچه ۱۲" in page
    assert "کوچه 12" not in page


def test_an_address_typed_with_latin_digits_is_kept_with_latin_digits():
    business = BusinessFactory(address="")

    business_update(
        business_id=business.pk, actor=business.owner, data={"address": "قم، خیابان ۱۹ دی، پلاک 40"}
    )

    assert Business.objects.get(pk=business.pk).address == "قم، خیابان ۱۹ دی، پلاک 40"


def test_search_finds_an_address_whatever_digits_the_searcher_types():
    business = BusinessFactory(address="قم، بلوار امین، کوچه ۱۲")

    for typed in ("کوچه 12", "کوچه ۱۲", "كوچه ١٢"):
        found = selectors.business_list(user=business.owner, filters={"q": typed})
        assert list(found.values_list("pk", flat=True)) == [business.pk]

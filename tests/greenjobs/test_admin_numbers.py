"""The admin's forms read numbers as every form of the portal does (issue 9, defect 3)."""

import pytest
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.test import RequestFactory

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]

NUMERIC = (models.IntegerField, models.DecimalField, models.FloatField)


def numeric_fields_of_admin_forms():
    """(model, field name, form field) of every numeric column an admin add/change form shows."""
    request = RequestFactory().get("/admin/")
    request.user = UserFactory.build(is_staff=True, is_superuser=True)
    found = []
    for model, model_admin in admin.site._registry.items():
        for name, field in model_admin.get_form(request)().fields.items():
            try:
                column = model._meta.get_field(name)
            except FieldDoesNotExist:  # a field of the form only
                column = None
            if (
                isinstance(column, NUMERIC)
                and not column.choices
                and not isinstance(column, models.AutoField)
            ):
                found.append((model, name, field))
    return found


def test_no_admin_form_shows_a_number_input_and_each_reads_persian_digits():
    fields = numeric_fields_of_admin_forms()

    assert len(fields) > 5
    for model, name, field in fields:
        assert 'type="number"' not in field.widget.render(name, None), (model, name)
        assert field.clean("۱۲") == field.clean("12") == field.clean("١٢"), (model, name)

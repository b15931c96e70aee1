"""The portal's admin site: its own translated headings, and dates in the reader's calendar.

Django's admin shows a date as Django formats it (Gregorian, Latin digits) whatever the language.
Every list column that is a date or a date-time field goes through greenjobs.formats instead, so an
administrator reading in Persian sees ۱۴۰۴/۰۲/۲۰ as on every other page. The site applies this to
every ModelAdmin registered on it, so no app can forget it.
"""

import datetime

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from .formats import format_date, format_datetime
from .forms import localized_formfield
from .paging import CheapPaginator


def jalali_column(field: models.Field):
    """A list_display column showing `field` as the pages show dates, sortable by the field itself."""
    is_datetime = isinstance(field, models.DateTimeField)

    def column(obj):
        value = getattr(obj, field.name)
        if value is None:
            return None
        if is_datetime and isinstance(value, datetime.datetime):
            return format_datetime(value)
        return format_date(value)

    column.short_description = field.verbose_name
    column.admin_order_field = field.name
    column.__name__ = f"{field.name}_shown"
    return column


class JalaliDatesMixin:
    """Replaces the date and date-time fields named in list_display by columns in the reader's calendar."""

    def get_list_display(self, request):
        columns = []
        for name in super().get_list_display(request):
            if isinstance(name, str):
                try:
                    field = self.model._meta.get_field(name)
                except FieldDoesNotExist:
                    field = None
                if isinstance(field, models.DateField):
                    columns.append(jalali_column(field))
                    continue
            columns.append(name)
        return columns

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        if links is None:
            return links
        # A link named after a date field follows that field's column.
        by_name = {getattr(column, "__name__", column): column for column in list_display}
        return [by_name.get(f"{link}_shown", link) if isinstance(link, str) else link for link in links]


class LocalNumbersMixin:
    """Numbers in the admin's forms read Persian, Arabic-Indic and Latin digits, as everywhere in the portal.

    Django's admin gives numeric columns a number input, which a browser leaves empty when Persian
    digits are typed into it.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        numeric = isinstance(db_field, models.IntegerField | models.DecimalField | models.FloatField)
        if numeric and not db_field.choices and not isinstance(db_field, models.AutoField):
            kwargs.pop("widget", None)
            return localized_formfield(db_field, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class LargeListAdmin(admin.ModelAdmin):
    """For tables that grow with the programme's history: the change list never counts the whole table
    (no "N total" beside the filtered count) and its pager counts as the portal's lists do (exact up to
    a limit, an estimate beyond it; see greenjobs.paging)."""

    show_full_result_count = False
    paginator = CheapPaginator


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records only services may write: the admin shows them and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """A related list shown for reading on a record's admin page."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PortalAdminSite(admin.AdminSite):
    site_header = _("Green Jobs Qom administration")
    site_title = _("Green Jobs Qom administration")
    index_title = _("Portal administration")

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, JalaliDatesMixin):
            admin_class = type(
                admin_class.__name__,
                (JalaliDatesMixin, LocalNumbersMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        return super().register(model_or_iterable, admin_class, **options)

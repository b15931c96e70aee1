from django.contrib import admin

from greenjobs.admin import LargeListAdmin, ReadOnlyInline

from .models import (
    Assessment,
    AssessmentItem,
    Business,
    County,
    GreenJob,
    GreenOccupation,
    ImportJob,
    RegistrationEvent,
)
from .services import occupations


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fa", "name_en", "order")


@admin.register(GreenOccupation)
class GreenOccupationAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fa", "name_en", "sector", "kind", "training_standard_code", "is_active")
    list_filter = ("sector", "kind", "is_active")
    search_fields = ("code", "name_fa", "name_en", "training_standard_code")
    readonly_fields = ("updated_by", "updated_at")

    def save_model(self, request, obj, form, change):
        # The catalogue's search key and audit fields are kept by the service, as for the staff pages.
        data = {field: form.cleaned_data[field] for field in form.cleaned_data}
        if change:
            saved = occupations.occupation_update(occupation_id=obj.pk, actor=request.user, data=data)
        else:
            saved = occupations.occupation_create(actor=request.user, data=data)
        obj.pk = saved.pk


class GreenJobInline(ReadOnlyInline):
    model = GreenJob
    fields = ("holder_name", "holder_national_id", "occupation")


class EventInline(ReadOnlyInline):
    model = RegistrationEvent
    fields = ("at", "from_status", "to_status", "actor", "note")
    readonly_fields = fields


@admin.register(Business)
class BusinessAdmin(LargeListAdmin):
    """Read-only: registrations change only through their workflow, on the portal's pages or API."""

    list_display = ("legal_name", "national_business_id", "county", "status", "verified_kind", "expires_on")
    list_filter = ("status", "verified_kind", "county", "sector", "is_knowledge_based")
    search_fields = ("legal_name", "national_business_id", "owner__email")
    list_select_related = ("county",)
    inlines = [GreenJobInline, EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ItemInline(ReadOnlyInline):
    model = AssessmentItem
    fields = ("category", "description", "unit", "baseline", "current", "compliant", "note")


@admin.register(Assessment)
class AssessmentAdmin(LargeListAdmin):
    list_display = ("business", "officer", "status", "started_at", "decision", "decided_at")
    list_filter = ("status", "decision")
    list_select_related = ("business", "officer")
    inlines = [ItemInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = (
        "original_name",
        "requested_by",
        "requested_at",
        "status",
        "created_count",
        "skipped_count",
    )
    list_filter = ("status",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

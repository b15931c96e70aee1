"""Monitoring in the admin, for reading: every change of a round goes through its workflow (services), and
the insurance lists through their import."""

from django.contrib import admin

from greenjobs.admin import LargeListAdmin, ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Decision,
    Employee,
    InsuranceImport,
    InsuranceList,
    Round,
    RoundEvent,
    RoundLine,
    SiteVisit,
)


class LineInline(ReadOnlyInline):
    model = RoundLine
    fields = readonly_fields = ("occupation", "promised", "verified")


class EmployeeInline(ReadOnlyInline):
    model = Employee
    fields = readonly_fields = ("national_id", "name", "occupation", "started_on", "outcome", "insured_days")


class EventInline(ReadOnlyInline):
    model = RoundEvent
    fields = readonly_fields = ("at", "action", "from_status", "to_status", "actor", "reason")


class DecisionInline(ReadOnlyInline):
    model = Decision
    fk_name = "round"
    fields = readonly_fields = (
        "decided_at",
        "kind",
        "new_deadline",
        "new_rate",
        "recall_due_on",
        "decided_by",
    )


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin, LargeListAdmin):
    list_display = ("pk", "loan", "number", "month", "due_on", "status", "promised", "verified", "flag")
    list_filter = ("status", "flag", "kind")
    list_select_related = ("loan__scheme",)
    raw_id_fields = ("loan",)
    inlines = [LineInline, EmployeeInline, DecisionInline, EventInline]


@admin.register(SiteVisit)
class SiteVisitAdmin(ReadOnlyAdmin, LargeListAdmin):
    list_display = ("pk", "loan", "agency", "due_on", "status", "visited_on")
    list_filter = ("status", "agency")
    list_select_related = ("loan__scheme", "agency")
    raw_id_fields = ("loan", "round")


@admin.register(InsuranceImport)
class InsuranceImportAdmin(ReadOnlyAdmin, LargeListAdmin):
    list_display = ("original_name", "requested_by", "requested_at", "status", "lists_count", "records_count")
    list_filter = ("status",)
    list_select_related = ("requested_by",)


@admin.register(InsuranceList)
class InsuranceListAdmin(ReadOnlyAdmin, LargeListAdmin):
    list_display = ("workshop_code", "month", "people", "imported_at")
    search_fields = ("workshop_code",)

from django.contrib import admin

from greenjobs.admin import LargeListAdmin, ReadOnlyInline

from .models import ApplicationEvent, Disbursement, Instalment, LoanApplication, LoanScheme, Payment


@admin.register(LoanScheme)
class LoanSchemeAdmin(admin.ModelAdmin):
    """Read-only here: schemes change through the MCLS managers' pages, which keep the budget rules."""

    list_display = (
        "code",
        "title_fa",
        "budget",
        "committed",
        "disbursed",
        "opens_on",
        "closes_on",
        "is_published",
    )
    readonly_fields = ("committed", "disbursed")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


class EventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = ("at", "action", "from_stage", "to_stage", "actor", "note")
    readonly_fields = fields


class DisbursementInline(ReadOnlyInline):
    model = Disbursement
    fields = ("paid_on", "amount", "recorded_by")


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ("paid_on", "amount", "reference", "recorded_by")


class InstalmentInline(ReadOnlyInline):
    model = Instalment
    fields = ("number", "due_on", "principal", "interest", "amount", "paid")


@admin.register(LoanApplication)
class LoanApplicationAdmin(LargeListAdmin):
    """Read-only: every change of an application goes through its workflow."""

    list_display = ("pk", "scheme", "business", "amount", "stage", "priority_score", "stage_changed_at")
    list_filter = ("stage", "scheme")
    search_fields = ("business__legal_name", "applicant__email", "contract_number")
    list_select_related = ("scheme", "business")
    inlines = [EventInline, DisbursementInline, PaymentInline, InstalmentInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

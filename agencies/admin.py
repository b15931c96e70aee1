from django import forms
from django.contrib import admin

from . import services
from .models import Agency, Goal, Memorandum, Obligation, StaffMembership


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fa", "name_en", "director_fa")
    ordering = ("order",)


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


class ObligationInline(admin.StackedInline):
    model = Obligation
    extra = 0
    autocomplete_fields = ("goals",)


@admin.register(Memorandum)
class MemorandumAdmin(admin.ModelAdmin):
    list_display = ("title_fa", "signed_on")
    inlines = [GoalInline, ObligationInline]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ("code", "title_fa", "title_en")
    search_fields = ("code", "title_fa", "title_en")


class MembershipForm(forms.ModelForm):
    class Meta:
        model = StaffMembership
        fields = ("user", "agency", "role", "is_active")


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ("user", "agency", "role", "is_active", "assigned_by", "assigned_at")
    list_filter = ("agency", "role", "is_active")
    list_select_related = ("user", "agency", "assigned_by")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)

    def save_model(self, request, obj, form, change):
        membership = services.membership_assign(
            user=obj.user, agency=obj.agency, role=obj.role, actor=request.user
        )
        if not form.cleaned_data.get("is_active", True):
            StaffMembership.objects.filter(pk=membership.pk).update(is_active=False)
        obj.pk = membership.pk

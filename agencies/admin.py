from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import admin as accounts_admin
from accounts.models import Kind, User

from . import services
from .models import Agency, Goal, Memorandum, Obligation, StaffMembership, StaffRole


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


class StaffUserCreationForm(accounts_admin.PortalUserCreationForm):
    """The accounts' creation form plus agency staff, who are created with their agency and role."""

    kind = forms.ChoiceField(
        label=_("kind of account"),
        choices=[
            (Kind.AGENCY_STAFF, Kind.AGENCY_STAFF.label),
            (Kind.PROGRAMME_MANAGER, Kind.PROGRAMME_MANAGER.label),
        ],
    )
    agency = forms.ModelChoiceField(label=_("agency"), queryset=Agency.objects.all(), required=False)
    role = forms.ChoiceField(label=_("role"), choices=[("", "—"), *StaffRole.choices], required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Kind.AGENCY_STAFF and not (cleaned.get("agency") and cleaned.get("role")):
            raise ValidationError(_("Agency staff need an agency and a role."))
        return cleaned


# The user admin is the accounts' one, with what only agencies know: the staff member's agency and role.
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(accounts_admin.UserAdmin):
    add_form = StaffUserCreationForm
    add_fieldsets = (
        (
            None,
            {
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "kind",
                    "agency",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                )
            },
        ),
    )
    list_display = ("username", "email", "first_name", "last_name", "kind", "agency_code", "is_active")
    list_filter = ("kind", "membership__agency", "membership__role", "is_active", "is_staff")
    list_select_related = ("membership__agency",)

    @admin.display(description=_("agency"))
    def agency_code(self, obj):
        membership = getattr(obj, "membership", None)
        return f"{membership.agency.code} · {membership.get_role_display()}" if membership else "—"

    def account_create(self, data, common):
        if data["kind"] == Kind.AGENCY_STAFF:
            return services.staff_account_create(**common, agency=data["agency"], role=data["role"])
        return super().account_create(data, common)

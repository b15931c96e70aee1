from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Kind, User


class PortalUserCreationForm(AdminUserCreationForm):
    """Administrators create programme-manager accounts; applicants sign themselves up. Staff accounts,
    which need an agency, are added by agencies.admin."""

    kind = forms.ChoiceField(
        label=_("kind of account"),
        choices=[(Kind.PROGRAMME_MANAGER, Kind.PROGRAMME_MANAGER.label)],
    )
    first_name = forms.CharField(label=_("first name"), max_length=150)
    last_name = forms.CharField(label=_("last name"), max_length=150)
    email = forms.EmailField(label=_("e-mail address"))

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = PortalUserCreationForm
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
                    "usable_password",
                    "password1",
                    "password2",
                )
            },
        ),
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "email", "national_id", "mobile", "language")},
        ),
        (_("Portal role"), {"fields": ("kind", "email_verified_at")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("kind", "last_login", "date_joined")
    list_display = ("username", "email", "first_name", "last_name", "kind", "is_active")
    list_filter = ("kind", "is_active", "is_staff")
    search_fields = ("username", "email", "first_name", "last_name", "national_id", "mobile")

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        password = data.get("password1") if data.get("usable_password", "true") != "false" else None
        common = {
            "username": data["username"],
            "email": data["email"],
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "password": password,
            "actor": request.user,
        }
        created = self.account_create(data, common)
        # The admin continues with the saved row (its change page, messages, log entry).
        obj.pk = created.pk
        obj.__dict__.update(User.objects.get(pk=created.pk).__dict__)

    def account_create(self, data, common):
        return services.programme_manager_create(**common)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

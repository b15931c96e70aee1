from django.contrib import admin

from greenjobs.admin import LargeListAdmin, ReadOnlyAdmin

from .models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin, LargeListAdmin):
    """What a person was told: shown, never edited (services write it)."""

    list_display = ("created_at", "recipient", "kind", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("recipient",)


@admin.register(Preference)
class PreferenceAdmin(LargeListAdmin):
    list_display = ("user", "kind", "email", "sms")
    raw_id_fields = ("user",)

"""Django admin for verification data: read-only views for support; changes go through services."""

from django.contrib import admin

from siinas.lib.admin import ReadOnlyAdmin
from verification.models import LetterCounter, Reminder, ReviewClaim, WarningLetter


@admin.register(WarningLetter)
class WarningLetterAdmin(ReadOnlyAdmin):
    list_display = ("number", "level", "factory", "period", "issued_on", "deadline", "sent_at", "cancelled_at")
    list_filter = ("level", "period")
    search_fields = ("number", "factory__company__name", "factory__company__nib")
    list_select_related = ("factory__company", "period")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("level", "factory", "period", "sent_at", "cancelled_at")
    list_filter = ("level", "period")
    list_select_related = ("factory__company", "period")


@admin.register(ReviewClaim)
class ReviewClaimAdmin(ReadOnlyAdmin):
    list_display = ("report", "user", "claimed_at")


@admin.register(LetterCounter)
class LetterCounterAdmin(ReadOnlyAdmin):
    list_display = ("year", "level", "last")

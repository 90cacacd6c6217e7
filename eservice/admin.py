"""Read-only admin views: every change goes through eservice/services.py (audited), never the admin."""

from django.contrib import admin

from eservice.models import Application, DirectoryProduct, DirectoryProfile, Inquiry, StatusChange
from siinas.lib.admin import ReadOnlyAdmin


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ("created_at", "from_status", "to_status", "actor", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("number", "service", "factory", "status", "last_submitted_at", "decided_at")
    list_filter = ("service", "status")
    search_fields = ("number", "factory__company__name")
    list_select_related = ("factory__company",)
    inlines = [StatusChangeInline]


@admin.register(DirectoryProfile)
class DirectoryProfileAdmin(ReadOnlyAdmin):
    list_display = ("display_name", "factory", "is_published", "updated_at")
    list_filter = ("is_published",)
    search_fields = ("display_name",)


@admin.register(DirectoryProduct)
class DirectoryProductAdmin(ReadOnlyAdmin):
    list_display = ("name", "profile", "hs_code", "kbli", "is_published")
    list_filter = ("is_published",)


@admin.register(Inquiry)
class InquiryAdmin(ReadOnlyAdmin):
    list_display = ("subject", "buyer", "supplier", "last_message_at")

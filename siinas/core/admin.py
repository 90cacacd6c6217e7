from django.contrib import admin

from siinas.core.models import AuditEvent, GdpShare, Holiday, Kbli, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "province")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(Kbli)
class KbliAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "level", "division")
    list_filter = ("level",)
    search_fields = ("code", "title")


@admin.register(GdpShare)
class GdpShareAdmin(admin.ModelAdmin):
    list_display = ("period", "subsector_no", "subsector", "share_pct")
    list_filter = ("period",)
    filter_horizontal = ("divisions",)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name")
    date_hierarchy = "date"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor_label", "action", "target_type", "target_label", "ip_address")
    list_filter = ("action", "target_type")
    search_fields = ("actor_label", "target_label", "action")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

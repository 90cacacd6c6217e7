from django.contrib import admin

from ews.models import Signal


@admin.register(Signal)
class SignalAdmin(admin.ModelAdmin):
    """Read-only: signals are written by ``ews_refresh`` alone."""

    list_display = ("kind", "measure", "subsector", "region", "period_label", "score", "threshold", "companies", "active")
    list_filter = ("kind", "source", "active")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

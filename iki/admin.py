from django.contrib import admin

from iki.models import IkiPeriod, IkiResult

# Individual responses are deliberately not in the Django admin: an admin opens them through the
# portal (IKI dashboard → period → response), where every opening is audited.


@admin.register(IkiPeriod)
class IkiPeriodAdmin(admin.ModelAdmin):
    """Where an admin moves a month's questionnaire window (default 12th–23rd)."""

    list_display = ("month", "opens_on", "closes_on")
    date_hierarchy = "month"


@admin.register(IkiResult)
class IkiResultAdmin(admin.ModelAdmin):
    list_display = ("period", "iki", "status", "respondents", "gdp_period", "computed_at", "computed_by")
    readonly_fields = [f.name for f in IkiResult._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

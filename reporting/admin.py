from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from reporting.models import Period, Report, ReportEvent, ReportVersion, SectionImport
from reporting.services import period_create_semesters
from siinas.lib.admin import ReadOnlyAdmin


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    """Periods and filing windows are data: the admin changes a window here, never in code."""

    list_display = ("__str__", "period_type", "start", "end", "window_opens", "window_closes")
    list_filter = ("period_type", "year")
    actions = ["create_next_year"]

    @admin.action(description=_("Buat semester 1 dan 2 tahun berikutnya (jendela bawaan)"))
    def create_next_year(self, request, queryset):
        for year in sorted({p.year + 1 for p in queryset}):
            created = period_create_semesters(actor=request.user, year=year)
            self.message_user(request, _("Periode %(year)s: %(periods)s") % {"year": year, "periods": ", ".join(map(str, created))}, messages.SUCCESS)


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ("actor", "action", "from_status", "to_status", "section", "comment", "version", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Read-only: reports change only through services (drafts by the company, status by officers)."""

    list_display = ("id", "factory", "period", "report_type", "status", "submitted_on_time")
    list_filter = ("status", "report_type", "period")
    search_fields = ("factory__company__name", "factory__name")
    list_select_related = ("factory__company", "period")
    inlines = [ReportEventInline]


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ("report", "number", "created_at", "content_hash")


@admin.register(SectionImport)
class SectionImportAdmin(ReadOnlyAdmin):
    """Read-only: which Excel upload replaced which tables, and what they held before (``previous``)."""

    list_display = ("report", "sections", "file_name", "created_by", "created_at")
    list_select_related = ("report", "created_by")
    readonly_fields = ("report", "sections", "rows", "previous", "file_name", "created_by", "created_at")

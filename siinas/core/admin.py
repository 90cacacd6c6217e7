from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from siinas.core import outbox
from siinas.core.models import AuditEvent, GdpShare, Holiday, Kbli, OutboxMessage, Region
from siinas.lib.admin import ReadOnlyAdmin


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
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_label", "action", "target_type", "target_label", "ip_address")
    list_filter = ("action", "target_type")
    search_fields = ("actor_label", "target_label", "action")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Pending and failed e-mails and tasks, for the operator (docs/operations.md)."""

    list_display = ("created_at", "kind", "name", "recipient_list", "status", "attempts", "next_attempt_at", "sent_at", "short_error")
    list_filter = ("status", "kind", "name")
    search_fields = ("name", "dedupe_key", "last_error", "recipients")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    exclude = ("payload", "attachments")
    actions = ["retry_now"]
    date_hierarchy = "created_at"

    @admin.display(description=_("penerima"))
    def recipient_list(self, obj: OutboxMessage) -> str:
        return ", ".join(obj.recipients)[:120]

    @admin.display(description=_("galat terakhir"))
    def short_error(self, obj: OutboxMessage) -> str:
        return obj.last_error[:120]

    @admin.action(description=_("Kirim ulang sekarang"))
    def retry_now(self, request, queryset):
        count = outbox.retry(actor=request.user, messages=queryset)
        self.message_user(request, _("%(n)s pesan dijadwalkan ulang untuk dikirim.") % {"n": count})

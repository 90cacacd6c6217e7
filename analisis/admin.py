from django.contrib import admin

from analisis.models import CuratedLink
from analisis.pohon import services


@admin.register(CuratedLink)
class CuratedLinkAdmin(admin.ModelAdmin):
    """Curated Pohon Industri links (also at /analisis/pohon-industri/kurasi/); writes go through the
    services (audited). The admin form runs the model's checks first (CuratedLink.clean)."""

    list_display = ("source_name", "source_hs", "target_name", "target_hs", "reference", "updated_at")
    search_fields = ("source_name", "source_hs", "target_name", "target_hs", "reference")
    readonly_fields = ("created_by", "created_at", "updated_at")

    def save_model(self, request, obj, form, change):
        services.curated_link_save(actor=request.user, data=form.cleaned_data, link=obj)

    def delete_model(self, request, obj):
        services.curated_link_delete(actor=request.user, link=obj)

    def delete_queryset(self, request, queryset):
        for link in queryset:
            services.curated_link_delete(actor=request.user, link=link)

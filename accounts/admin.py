from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    AccountCertificate,
    Company,
    CompanyProfile,
    Factory,
    FactoryContact,
    Licence,
    ProductionCapacity,
    ProfileChange,
    Registration,
    User,
)
from accounts.services.status import factory_deactivate, factory_reactivate
from siinas.lib.admin import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "role", "factory", "region", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Peran dan cakupan"), {"fields": ("role", "factory", "region", "kbli_divisions", "phone", "nip")}),
        (_("Password"), {"fields": ("password_changed_at", "must_change_password")}),
    )
    autocomplete_fields = ("factory", "region")
    filter_horizontal = ("kbli_divisions",)


class CompanyProfileInline(admin.StackedInline):
    model = CompanyProfile
    autocomplete_fields = ("hq_region",)
    extra = 0


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "nib", "npwp")
    search_fields = ("name", "nib", "npwp")
    inlines = [CompanyProfileInline]


class ContactInline(admin.StackedInline):
    model = FactoryContact
    extra = 0


class LicenceInline(admin.TabularInline):
    model = Licence
    extra = 0


class CapacityInline(admin.TabularInline):
    model = ProductionCapacity
    autocomplete_fields = ("kbli",)
    extra = 0


@admin.register(Factory)
class FactoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "account_type", "region", "scale", "stage", "status")
    list_filter = ("account_type", "scale", "stage", "status")
    search_fields = ("name", "company__name", "company__nib", "address")
    autocomplete_fields = ("company", "region")
    filter_horizontal = ("kbli",)
    inlines = [ContactInline, LicenceInline, CapacityInline]
    # The status and its closure date are facts of the obligation rule: changed only by the two actions
    # below (accounts.services.status), never typed in.
    readonly_fields = ("status", "closed_on")
    actions = ["deactivate_today", "reactivate"]

    @admin.action(description=_("Nonaktifkan akun terpilih (mulai hari ini)"))
    def deactivate_today(self, request, queryset):
        for factory in queryset:
            factory_deactivate(actor=request.user, factory=factory, request=request)

    @admin.action(description=_("Aktifkan kembali akun terpilih"))
    def reactivate(self, request, queryset):
        for factory in queryset:
            factory_reactivate(actor=request.user, factory=factory, request=request)


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ("number", "company_name", "nib", "status", "submitted_at", "decided_by", "decided_at")
    list_filter = ("status", "business_kind", "oss_match", "kswp_status")
    search_fields = ("number", "company_name", "nib", "email")
    exclude = ("nib_file",)  # served only through the UPP view, which checks access and logs the view


@admin.register(ProfileChange)
class ProfileChangeAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "factory", "section", "actor_label")
    list_filter = ("section",)
    search_fields = ("factory__company__name", "factory__company__nib", "actor_label")


@admin.register(AccountCertificate)
class AccountCertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "company_name", "nib", "status", "issued_at", "revoked_at")
    list_filter = ("status",)
    search_fields = ("company_name", "nib")

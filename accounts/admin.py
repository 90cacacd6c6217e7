from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Company, Factory, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "role", "factory", "region", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Peran dan cakupan"), {"fields": ("role", "factory", "region", "kbli_divisions", "phone")}),
        (_("Password"), {"fields": ("password_changed_at", "must_change_password")}),
    )
    autocomplete_fields = ("factory", "region")
    filter_horizontal = ("kbli_divisions",)


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "nib", "npwp")
    search_fields = ("name", "nib", "npwp")


@admin.register(Factory)
class FactoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "account_type", "region", "scale", "stage", "status")
    list_filter = ("account_type", "scale", "stage", "status")
    search_fields = ("name", "company__name", "company__nib", "address")
    autocomplete_fields = ("company", "region")
    filter_horizontal = ("kbli",)

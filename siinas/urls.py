"""Every route of the portal. Each one is listed in the authorization table (tests/authz/)."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from accounts.views.auth import admin_login
from siinas.core import views as core_views

admin.site.site_header = "SIINas — Administrasi"
admin.site.site_title = "SIINas"
# The admin signs in through the SIINas login (captcha, lockout, two-factor), never a form of its own.
admin.site.login = admin_login

urlpatterns = [
    path("", include("siinas.core.urls")),
    path("akun/", include("accounts.urls")),
    path("laporan/", include("reporting.urls")),
    path("verifikasi/", include("verification.urls")),
    path("iki/", include("iki.urls")),
    path("layanan/", include("eservice.urls")),
    path("pemda/", include("pemda.urls")),
    path("peringatan-dini/", include("ews.urls")),
    path("informasi-industri/", include("informasi.urls")),
    path("analisis/", include("analisis.urls")),
    path("mitra/", include("api.portal_urls")),
    path("api/v1/", include("api.urls")),
    path("captcha/", include("captcha.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/katalog.js", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]

handler403 = core_views.error_403
handler404 = core_views.error_404
handler500 = core_views.error_500

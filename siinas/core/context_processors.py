"""Navigation by role: the menu a user sees lists only what they may open."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]


# Each app adds its entries here as its pages land; an entry whose URL does not exist yet is skipped.
NAV: list[NavItem] = [
    NavItem(_("Beranda"), "core:dashboard", frozenset(Role.values)),
    NavItem(_("Data Perusahaan"), "accounts:profile", frozenset({Role.COMPANY})),
    NavItem(_("Laporan Semester"), "reporting:dashboard", frozenset({Role.COMPANY})),
    NavItem(_("Kuesioner IKI"), "iki:response-list", frozenset({Role.COMPANY})),
    NavItem(_("Layanan"), "eservice:application-list", frozenset({Role.COMPANY})),
    NavItem(_("Business Matching"), "eservice:inbox", frozenset({Role.COMPANY})),
    NavItem(_("Direktori Pemasok"), "eservice:directory", frozenset(Role.values)),
    NavItem(_("Validasi Registrasi"), "accounts:registration-queue", frozenset({Role.UPP, Role.ADMIN})),
    NavItem(_("Antrean Verifikasi"), "verification:verifier-queue", frozenset({Role.VERIFIER, Role.ADMIN})),
    NavItem(_("Antrean Validasi"), "verification:validator-queue", frozenset({Role.VALIDATOR})),
    NavItem(
        _("Tingkat Pelaporan"),
        "verification:reporting-rate",
        frozenset({Role.VERIFIER, Role.VALIDATOR, Role.ADMIN, Role.PEMDA_PROV, Role.PEMDA_KAB}),
    ),
    NavItem(_("Surat Peringatan"), "verification:letter-list", frozenset({Role.COMPANY, Role.VERIFIER, Role.ADMIN})),
    NavItem(_("Tim Verifikasi"), "verification:team-list", frozenset({Role.ADMIN})),
    NavItem(_("Dasbor IKI"), "iki:officer-dashboard", frozenset({Role.VERIFIER, Role.VALIDATOR, Role.ADMIN, Role.KL})),
    NavItem(_("Layanan (petugas)"), "eservice:review-queue", frozenset({Role.VERIFIER, Role.VALIDATOR, Role.ADMIN})),
    NavItem(_("Dasbor Daerah"), "pemda:dashboard", frozenset({Role.PEMDA_PROV, Role.PEMDA_KAB})),
    NavItem(
        _("Peringatan Dini"),
        "ews:signal-list",
        frozenset({Role.ADMIN, Role.VERIFIER, Role.VALIDATOR, Role.PEMDA_PROV, Role.PEMDA_KAB}),
    ),
    NavItem(_("Data IOMKI"), "eservice:pemda-iomki", frozenset({Role.PEMDA_PROV, Role.PEMDA_KAB})),
    NavItem(_("Informasi Pemda"), "pemda:ministry-overview", frozenset({Role.ADMIN, Role.VERIFIER})),
    NavItem(_("Sertifikat Akun"), "accounts:certificate-admin", frozenset({Role.ADMIN})),
    NavItem(_("Hari Libur"), "accounts:holiday-list", frozenset({Role.ADMIN})),
    NavItem(_("Pengumuman"), "core:announcement-list", frozenset({Role.ADMIN})),
    NavItem(_("Analisis Sektor"), "analisis:sector-list", frozenset(Role.values)),
    NavItem(_("Posisi Anda"), "analisis:position", frozenset({Role.COMPANY})),
    NavItem(_("Pohon Industri"), "analisis:pohon", frozenset(Role.values)),
    NavItem(_("Mitra & Token API"), "mitra:organisation-list", frozenset({Role.ADMIN})),
    NavItem(_("Token API organisasi saya"), "mitra:organisation-list", frozenset({Role.KL})),
]


def _resolve(item: NavItem) -> str | None:
    try:
        return reverse(item.url_name)
    except NoReverseMatch:
        return None


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for item in NAV:
        if user.role in item.roles and (url := _resolve(item)):
            items.append({"label": item.label, "url": url, "active": False})
    # Only the most specific entry is current: /layanan/pesan/ is "Business Matching", not also "Layanan".
    matches = [i for i in items if i["url"] != "/" and request.path.startswith(i["url"])]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_items": items}

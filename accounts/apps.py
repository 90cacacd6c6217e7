from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Akun dan perusahaan")

    def ready(self) -> None:
        from accounts import audit_hooks  # noqa: F401 — connects the authentication audit receivers

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EwsConfig(AppConfig):
    name = "ews"
    verbose_name = _("Peringatan dini")

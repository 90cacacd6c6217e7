from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformasiConfig(AppConfig):
    name = "informasi"
    verbose_name = _("Informasi industri")

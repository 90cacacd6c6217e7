from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IkiConfig(AppConfig):
    name = "iki"
    verbose_name = _("Indeks Kepercayaan Industri")

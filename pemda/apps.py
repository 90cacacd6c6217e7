from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PemdaConfig(AppConfig):
    name = "pemda"
    verbose_name = _("Pemerintah daerah")

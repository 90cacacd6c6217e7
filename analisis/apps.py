from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalisisConfig(AppConfig):
    """Data dan Informasi for companies (issue 18): sector analysis, a factory's own position against its
    subsector, and Pohon Industri built from reported flows. Every figure passes siinas.lib.disclosure."""

    name = "analisis"
    verbose_name = _("Data dan informasi industri")

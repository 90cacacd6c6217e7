from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The partner API under /api/v1/ (issue 15; docs/api.md): public aggregates without a token,
    confidential datasets with a scoped token issued to a partner organisation under its MoU."""

    name = "api"
    verbose_name = _("API mitra")

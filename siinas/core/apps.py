from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "siinas.core"
    label = "core"
    verbose_name = _("Data referensi dan audit")

    def ready(self) -> None:
        # Every select's empty choice in one Indonesian wording (Django 6.1's default, "- Select an option -",
        # has no Indonesian translation yet; issue 16 §9). The section forms use the same label.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("— pilih —")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    name = "oppdrag.interchange"
    label = "interchange"
    verbose_name = _("Utveksling med andre systemer")

    def ready(self) -> None:
        from oppdrag.importing.registry import register_importers

        from .importers import NVA_IMPORTERS

        register_importers(NVA_IMPORTERS)

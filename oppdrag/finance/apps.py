from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "oppdrag.finance"
    label = "finance"
    verbose_name = _("Budsjett og regnskap")

    def ready(self) -> None:
        from oppdrag.importing.registry import register_importers

        from .importers import FINANCE_IMPORTERS

        register_importers(FINANCE_IMPORTERS)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "oppdrag.finance"
    label = "finance"
    verbose_name = _("Budsjett og regnskap")

    def ready(self) -> None:
        from oppdrag.core.demo import register_demo_loader
        from oppdrag.importing.registry import register_importers

        from .demo import load_finance_demo
        from .importers import FINANCE_IMPORTERS
        from .report import register

        register()  # the chapter «Budsjett og regnskap» and the cost per assignment
        register_importers(FINANCE_IMPORTERS)
        # After hours (20): the salaries are shared by the demo's registered hours.
        register_demo_loader(
            "finance", lambda center, user, full: load_finance_demo(center, user), order=35
        )

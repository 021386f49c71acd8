from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HoursConfig(AppConfig):
    name = "oppdrag.hours"
    label = "hours"
    verbose_name = _("Timer og årsverk")

    def ready(self) -> None:
        from oppdrag.core.demo import register_demo_loader
        from oppdrag.importing.registry import register_importers

        from .demo import load_hours_demo
        from .importers import HOURS_IMPORTERS
        from .report import register

        register()  # appendices 7 and 8 in the annual report
        register_importers(HOURS_IMPORTERS)
        # Hours and staff (appendices 7 and 8) map projects to the registries' assignments.
        register_demo_loader(
            "hours", lambda center, user, full: load_hours_demo(center, user), order=20
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "oppdrag.activities"
    label = "activities"
    verbose_name = _("Aktiviteter")

    def ready(self) -> None:
        from oppdrag.core.demo import register_demo_loader
        from oppdrag.importing.registry import register_importers

        from .demo import load_registries_demo
        from .importers import IMPORTERS

        register_importers(IMPORTERS)
        register_demo_loader(
            "registries",
            lambda center, user, full: load_registries_demo(center, user),
            order=10,
            registries=True,
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "oppdrag.core"
    label = "core"
    verbose_name = _("Sentre og referansedata")

    def ready(self) -> None:
        from django.urls import register_converter

        from . import checks  # noqa: F401  (registers the system checks)
        from .converters import YearConverter

        register_converter(YearConverter, "year")  # before any URLconf is loaded

        from . import versions

        versions.connect()

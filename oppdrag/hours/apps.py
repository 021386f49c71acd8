from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HoursConfig(AppConfig):
    name = "oppdrag.hours"
    label = "hours"
    verbose_name = _("Timer og årsverk")

    def ready(self) -> None:
        from .report import register

        register()  # appendices 7 and 8 in the annual report

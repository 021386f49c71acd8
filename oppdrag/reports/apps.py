from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "oppdrag.reports"
    label = "reports"
    verbose_name = _("Årsrapport")

    def ready(self) -> None:
        from oppdrag.core.demo import register_demo_loader
        from oppdrag.importing.registry import register_importers

        from .demo import load_reports_demo
        from .importers import AssessmentImporter

        register_importers({AssessmentImporter.kind: AssessmentImporter})
        # The report's texts (assessments per assignment).
        register_demo_loader(
            "reports", lambda center, user, full: [load_reports_demo(center, user)], order=40
        )

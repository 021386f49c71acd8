from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "oppdrag.teams"
    label = "teams"
    verbose_name = _("Team og fidelitymålinger")

    def ready(self) -> None:
        from oppdrag.core.demo import register_demo_loader
        from oppdrag.importing.registry import register_importers

        from .demo import load_teams_demo
        from .importers import TEAM_IMPORTERS

        register_importers(TEAM_IMPORTERS)
        # Service teams, pilot projects, fidelity scales and reviews.
        register_demo_loader(
            "teams", lambda center, user, full: load_teams_demo(center, user), order=30
        )

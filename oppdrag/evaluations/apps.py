from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from oppdrag.importing.base import ImportResult


class EvaluationsConfig(AppConfig):
    name = "oppdrag.evaluations"
    verbose_name = _("Evalueringer og undersøkelser")

    def ready(self) -> None:
        from oppdrag.core.demo import register_demo_loader

        from .demo import load_evaluations_demo

        def load(center: Any, user: Any, full: bool) -> list[ImportResult]:
            load_evaluations_demo(center)
            return []

        register_demo_loader("evaluations", load, order=50)

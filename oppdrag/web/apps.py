from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from oppdrag.importing.base import ImportResult


class WebConfig(AppConfig):
    name = "oppdrag.web"
    label = "web"
    verbose_name = _("Nettgrensesnitt")

    def ready(self) -> None:
        from oppdrag.core.demo import register_demo_loader

        from .demo import load_roles_demo

        def load(center: Any, user: Any, full: bool) -> list[ImportResult]:
            load_roles_demo(center, full=full)
            return []

        # Last: the full demo submits NAPHA 2025, and the snapshot should hold everything.
        register_demo_loader("roles", load, order=90, registries=True)

        from django.contrib import admin

        from .forms import AdminLoginForm

        # The admin's sign-in reads the username as the staff sign-in and the throttle do.
        admin.site.login_form = AdminLoginForm

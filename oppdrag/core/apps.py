from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "oppdrag.core"
    label = "core"
    verbose_name = _("Sentre og referansedata")

    def ready(self) -> None:
        from django.db import connections
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate
        from django.urls import register_converter

        from . import checks  # noqa: F401  (registers the system checks)
        from .converters import YearConverter
        from .versions import install, migration_finished, migration_started

        # Every statement of every connection passes ``track_writes`` (core.versions).
        connection_created.connect(install, dispatch_uid="oppdrag-data-version")
        pre_migrate.connect(migration_started, dispatch_uid="oppdrag-data-version")
        post_migrate.connect(migration_finished, dispatch_uid="oppdrag-data-version")
        for connection in connections.all(initialized_only=True):
            install(connection)
        register_converter(YearConverter, "year")  # before any URLconf is loaded

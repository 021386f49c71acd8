"""Every import kind the ``oppdrag import`` command and the upload page know.

The apps that define importers register them in their ``AppConfig.ready()`` with
``register_importers``, so this package imports none of them.
"""

from __future__ import annotations

from collections.abc import Mapping

from .base import Importer

# kind name -> importer, in the order the apps registered them
IMPORTERS: dict[str, type[Importer]] = {}


def register_importers(importers: Mapping[str, type[Importer]]) -> None:
    """Register (or replace) an app's importers under their kind names."""
    IMPORTERS.update(importers)


def all_importers() -> dict[str, type[Importer]]:
    """Kind name → importer, across the apps that registered importers."""
    return dict(IMPORTERS)

"""Every import kind the ``oppdrag import`` command and the upload page know."""

from __future__ import annotations

from .base import Importer


def all_importers() -> dict[str, type[Importer]]:
    """Kind name → importer, across the apps that define importers."""
    from oppdrag.activities.importers import IMPORTERS
    from oppdrag.hours.importers import HOURS_IMPORTERS
    from oppdrag.interchange.importers import NVA_IMPORTERS
    from oppdrag.reports.importers import AssessmentImporter
    from oppdrag.teams.importers import TEAM_IMPORTERS

    return {
        **IMPORTERS,
        **HOURS_IMPORTERS,
        **TEAM_IMPORTERS,
        **NVA_IMPORTERS,
        AssessmentImporter.kind: AssessmentImporter,
    }

"""The demo's grantor and partner: who reads what NAPHA shares and submits.

Two extra accounts, both refused by production like the ``demo`` account:
``demo-hdir`` reads submitted reports at Helsedirektoratet, ``demo-partner`` is a
partner member of an example partner centre with which NAPHA shares a network
and (in the full demo) two of its example fidelity reviews.
"""

from __future__ import annotations

from oppdrag.activities.models import Group
from oppdrag.core.models import Center, Membership
from oppdrag.core.services import add_member, get_or_create_user

GRANTOR = {"slug": "hdir", "name": "Helsedirektoratet", "short_name": "Hdir"}
PARTNER = {"slug": "korus-ost", "name": "KORUS Øst (demo)", "short_name": "KORUS Øst"}


def load_roles_demo(center: Center, *, full: bool) -> None:
    grantor, _created = Center.objects.update_or_create(
        slug=GRANTOR["slug"], defaults={**GRANTOR, "kind": Center.Kind.GRANTOR}
    )
    partner, _created = Center.objects.update_or_create(slug=PARTNER["slug"], defaults=PARTNER)
    add_member(center=grantor, user=get_or_create_user("demo-hdir", "demo-hdir"), role="grantor")
    add_member(
        center=partner,
        user=get_or_create_user("demo-partner", "demo-partner"),
        role=Membership.Role.PARTNER,
    )
    network = Group.objects.filter(center=center, kind=Group.Kind.NETWORK).order_by("id").first()
    if network is not None:
        network.shared_with.add(partner)
    if not full:
        return
    from oppdrag.reports.submission import start_new_version, submit_report
    from oppdrag.teams.models import FidelityReview

    for review in FidelityReview.objects.filter(center=center).order_by("date", "id")[:2]:
        review.shared_with.add(partner)
    # The 2025 report as delivered, so the grantor's pages have something to show; then
    # a new version is started, so the demo's texts can be written, reviewed and approved.
    submit_report(center=center, year=2025, user=None)
    start_new_version(center=center, year=2025, user=None)

"""The demo's grantor and partner accounts see what the demo submitted and shared."""

from django.contrib.auth import get_user_model

from oppdrag.activities.models import Group
from oppdrag.reports.models import SubmittedReport
from oppdrag.teams.models import FidelityReview


def test_the_full_demo_has_a_grantor_reading_napha_2025_and_a_partner(client, full_demo):
    users = get_user_model().objects
    client.force_login(users.get(username="demo-hdir"))
    submitted = SubmittedReport.objects.get(center=full_demo, year=2025)
    page = client.get("/hdir/innsendte/").content.decode()
    assert f"/hdir/innsendte/{submitted.uid}/" in page
    assert client.get(f"/hdir/innsendte/{submitted.uid}/").status_code == 200
    assert client.get("/napha/").status_code == 404

    client.force_login(users.get(username="demo-partner"))
    assert client.get("/").url == "/korus-ost/delt/"
    page = client.get("/korus-ost/delt/").content.decode()
    shared = list(FidelityReview.objects.filter(shared_with__slug="korus-ost"))
    assert len(shared) == 2
    for review in shared:
        assert f"/korus-ost/delt/malinger/{review.uid}/" in page
    network = Group.objects.get(shared_with__slug="korus-ost")
    assert network.center == full_demo and network.kind == "nettverk"
    assert f"/korus-ost/delt/grupper/{network.uid}/" in page
    assert client.get("/korus-ost/").status_code == 403
    assert client.get("/napha/").status_code == 404


def test_the_quick_demo_leaves_the_grantor_page_empty(client, demo):
    client.force_login(get_user_model().objects.get(username="demo-hdir"))
    page = client.get("/hdir/innsendte/").content.decode()
    assert "Ingen sentre har levert årsrapport ennå." in page


def test_loading_the_demo_twice_keeps_one_grantor_and_one_partner_membership(db):
    from oppdrag.core.demo import load_demo
    from oppdrag.core.models import Membership

    load_demo(registries_only=True)
    load_demo(registries_only=True)
    assert Membership.objects.filter(user__username="demo-hdir").count() == 1
    assert Membership.objects.filter(user__username="demo-partner").count() == 1
    assert Group.objects.filter(shared_with__slug="korus-ost").count() == 1

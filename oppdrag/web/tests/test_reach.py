from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppdrag.activities import models as m
from oppdrag.core.models import Membership, Municipality
from oppdrag.figures.scale import multiply


def test_reach_counts_each_municipality_once_with_its_channels(client, demo, make_user):
    client.force_login(make_user("leser", demo, Membership.Role.READER))
    halden = Municipality.objects.get(name="Halden")
    m.AdviceRequest.objects.create(
        center=demo, year=2025, channel="telefon", topic="Bolig", municipality=halden
    )
    response = client.get(reverse("web:reach", kwargs={"center": "napha"}), {"year": 2025})
    rows = {r.county.name: r for r in response.context["rows"]}
    ostfold = rows["Østfold"]
    reached = dict((mu.name, channels) for mu, channels in ostfold.reached)
    assert set(reached["Halden"]) == {"veiledning", "arrangementer"}
    assert len(ostfold.reached) + len(ostfold.not_reached) == ostfold.total
    total = sum(r.total for r in response.context["rows"])
    assert total == 357  # the 2024 list
    # Events name 20 municipalities in the demo (key figure «municipalities_reached»).
    assert response.context["reached"] == 20


def test_reach_takes_a_fixed_number_of_queries(client, demo, make_user):
    client.force_login(make_user("leser", demo, Membership.Role.READER))
    url = reverse("web:reach", kwargs={"center": "napha"})
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    multiply(demo, 2025, 5)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)

"""The filters of every registry list: what each offers, what each selects, the
filtered export, and a fixed number of queries as the rows grow."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppdrag.activities import models as m
from oppdrag.core.models import Municipality, Person, Region
from oppdrag.figures.scale import multiply
from oppdrag.grants.models import Assignment, FocusArea
from oppdrag.web.filters import FILTERSETS
from oppdrag.web.registry import KINDS

COMMON = {"q", "year", "assignment", "focus_area", "sort"}
# The filters each kind offers beyond the common ones: those its model has fields for.
EXPECTED = {
    "arrangementer": {"theme", "region", "municipality", "format"},
    "presentasjoner": {"kind", "person"},
    "kronikker": {"kind", "person"},
    "horingsinnspill": set(),
    "produkter": {"kind", "person"},
    "medieoppslag": {"person"},
    "grupper": {"kind"},
    "nettsaker": {"category"},
    "henvendelser": {"theme", "channel", "region", "municipality"},
}
# Kinds without a year, assignments or focus areas of their own, and all their filters;
# their lists are tested with the kind (activities/tests/test_topic_pages.py).
ALONE = {"temasider": {"q", "year", "visits", "sort"}}
TAGGED = [slug for slug in KINDS if slug not in ALONE]


def municipality(name):
    return Municipality.objects.get(name=name, valid_to__isnull=True)


@pytest.fixture
def data(make_center, make_user):
    """Two records of every kind in NAPHA that differ in every filtered field, and a
    foreign centre whose people and themes must never be offered."""
    napha = make_center("napha")
    other = make_center("korus-oslo")
    user = make_user("leser", napha, "reader")
    a1 = Assignment.objects.create(center=napha, year=2025, number="3.1", title="Bolig")
    a2 = Assignment.objects.create(center=napha, year=2024, number="3.2", title="Rus")
    focus = FocusArea.objects.order_by("code").first()
    kari = Person.objects.create(center=napha, name="Kari Nordmann")
    ola = Person.objects.create(center=napha, name="Ola Nordmann")
    Person.objects.create(center=other, name="Fremmed Person")
    m.Event.objects.create(center=other, year=2025, theme="Fremmed tema", title="X")
    bodo, oslo = municipality("Bodø"), municipality("Oslo")
    nord = Region.objects.get(code="nord")

    def pair(model, first, second, **common):
        one = model.objects.create(center=napha, year=2025, **common, **first)
        two = model.objects.create(center=napha, year=2024, **common, **second)
        one.assignments.add(a1)
        one.focus_areas.add(focus)
        two.assignments.add(a2)
        return one, two

    e1, e2 = pair(
        m.Event,
        {"theme": "Bolig", "title": "Boligdag i Bodø", "format": "Digital"},
        {"theme": "Rus", "title": "Russamling i Oslo", "format": "Fysisk"},
    )
    e1.regions.add(nord)
    e1.municipalities.add(bodo)
    e2.municipalities.add(oslo)
    p1, p2 = pair(m.Presentation, {"title": "Bolig først", "kind": "Foredrag"},
                  {"title": "Rus og hverdag", "kind": "Poster"})  # fmt: skip
    p1.presentationcontributor_set.create(person=kari)
    p2.presentationcontributor_set.create(person=ola)
    o1, o2 = pair(m.OpEd, {"title": "Bolig er helse", "kind": "Kronikk", "outlet": "VG"},
                  {"title": "Rus", "kind": "Leserinnlegg", "outlet": "Avisa"})  # fmt: skip
    o1.opedauthor_set.create(person=kari)
    o2.opedauthor_set.create(person=ola)
    pair(m.ConsultationResponse, {"title": "Bolig-høring"}, {"title": "Rus-høring"})
    u1, u2 = pair(m.Publication, {"title": "Bolighefte", "kind": "Rapport"},
                  {"title": "Rusfilm", "kind": "Film"})  # fmt: skip
    u1.publicationcontributor_set.create(person=kari)
    u2.publicationcontributor_set.create(person=ola)
    pair(m.MediaAppearance, {"title": "Bolig på NRK", "outlet": "NRK", "person": kari},
         {"title": "Rus i P4", "outlet": "P4", "person": ola})  # fmt: skip
    pair(m.Group, {"name": "Boligbolaget", "role": "leder", "kind": "nettverk"},
         {"name": "Rusrådet", "role": "medlem", "kind": "arbeidsgruppe"})  # fmt: skip
    pair(m.WebArticle, {"title": "Bolignytt", "category": "nyhet", "visits": 5},
         {"title": "Rusblogg", "category": "blogg", "visits": 9})  # fmt: skip
    pair(m.AdviceRequest, {"topic": "Bolig", "channel": "telefon", "municipality": bodo},
         {"topic": "Rus", "channel": "epost", "municipality": oslo})  # fmt: skip
    return {"center": napha, "user": user, "a1": a1, "focus": focus, "kari": kari,
            "bodo": bodo, "nord": nord}  # fmt: skip


def titles(response, slug):
    kind = KINDS[slug]
    return sorted(cells[kind.title_column] for _record, cells in response.context["rows"])


def test_every_kind_declares_the_filters_its_model_has():
    assert set(FILTERSETS) == set(KINDS)
    for slug, filterset in FILTERSETS.items():
        expected = ALONE[slug] if slug in ALONE else COMMON | EXPECTED[slug]
        assert set(filterset.base_filters) == expected, slug


@pytest.mark.parametrize("slug", TAGGED)
def test_each_common_filter_selects_the_right_record(client, data, slug):
    client.force_login(data["user"])
    url = f"/napha/{slug}/"
    everything = titles(client.get(url), slug)
    assert len(everything) == 2
    first = [t for t in everything if t.startswith("Bolig")]
    assert len(first) == 1, everything
    for params in (
        {"year": "2025"},
        {"assignment": data["a1"].pk},
        {"focus_area": data["focus"].pk},
        {"q": "bolig"},
    ):
        assert titles(client.get(url, params), slug) == first, params


@pytest.mark.parametrize(
    ("slug", "params"),
    [
        ("arrangementer", {"theme": "Bolig"}),
        ("arrangementer", {"format": "Digital"}),
        ("arrangementer", {"region": "REGION"}),
        ("arrangementer", {"municipality": "Bodø"}),
        ("presentasjoner", {"person": "KARI"}),
        ("presentasjoner", {"kind": "Foredrag"}),
        ("kronikker", {"person": "KARI"}),
        ("produkter", {"person": "KARI"}),
        ("medieoppslag", {"person": "KARI"}),
        ("grupper", {"kind": "nettverk"}),
        ("nettsaker", {"category": "nyhet"}),
        ("henvendelser", {"theme": "Bolig"}),
        ("henvendelser", {"channel": "telefon"}),
        ("henvendelser", {"municipality": "bodø"}),
        ("henvendelser", {"region": "REGION"}),
    ],
)
def test_each_kinds_own_filters_select_the_right_record(client, data, slug, params):
    client.force_login(data["user"])
    ids = {"KARI": data["kari"].pk, "REGION": data["nord"].pk}
    query = {key: ids.get(value, value) for key, value in params.items()}
    response = client.get(f"/napha/{slug}/", query)
    assert response.context["filter"].is_valid()
    result = titles(response, slug)
    assert len(result) == 1 and result[0].startswith("Bolig"), result


def test_choices_offer_only_the_centres_own_values(client, data):
    client.force_login(data["user"])
    form = client.get("/napha/presentasjoner/").context["filter"].form
    people = [label for _value, label in form.fields["person"].choices]
    assert "Kari Nordmann" in people and "Fremmed Person" not in people
    events = client.get("/napha/arrangementer/").context["filter"].form
    themes = [value for value, _label in events.fields["theme"].choices]
    assert themes == ["", "Bolig", "Rus"]
    # A person of another centre is refused, not silently ignored.
    foreign = Person.objects.get(name="Fremmed Person")
    response = client.get("/napha/presentasjoner/", {"person": foreign.pk})
    assert not response.context["filter"].is_valid()
    assert "person" in response.context["filter"].errors


def test_sorting_orders_the_rows(client, data):
    client.force_login(data["user"])
    rows = client.get("/napha/nettsaker/", {"sort": "-visits"}).context["rows"]
    assert [cells[1] for _r, cells in rows] == ["Rusblogg", "Bolignytt"]
    rows = client.get("/napha/nettsaker/", {"sort": "title"}).context["rows"]
    assert [cells[1] for _r, cells in rows] == ["Bolignytt", "Rusblogg"]


@pytest.mark.parametrize("slug", [k for k in TAGGED if k != "arrangementer"])
def test_the_export_holds_exactly_the_filtered_rows(client, data, slug):
    client.force_login(data["user"])
    url = f"/napha/{slug}/"
    csv = client.get(url, {"year": "2025", "export": "csv"})
    assert csv.content.startswith("\ufeff".encode())
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ";".join(KINDS[slug].columns)
    assert len(lines) == 2 and "Bolig" in lines[1]
    xlsx = client.get(url, {"year": "2024", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and not any("Bolig" in str(cell) for cell in rows[1])


def test_the_page_links_the_export_with_the_current_filters(client, data):
    client.force_login(data["user"])
    page = client.get("/napha/presentasjoner/", {"year": "2025", "page": "1"}).content.decode()
    assert 'href="?year=2025&amp;export=csv"' in page


@pytest.mark.parametrize("slug", TAGGED)
def test_a_filtered_and_sorted_list_takes_the_same_queries_for_more_rows(client, data, slug):
    client.force_login(data["user"])
    sort = next(iter(FILTERSETS[slug].sorts))
    params = {"q": "o", "focus_area": data["focus"].pk, "sort": sort}
    url = f"/napha/{slug}/"
    client.get(url, params)
    with CaptureQueriesContext(connection) as small:
        rows_small = len(client.get(url, params).context["rows"])
    multiply(data["center"], 2025, 30)
    with CaptureQueriesContext(connection) as large:
        rows_large = len(client.get(url, params).context["rows"])
    assert rows_large == 30 * rows_small > rows_small
    assert len(large) == len(small)

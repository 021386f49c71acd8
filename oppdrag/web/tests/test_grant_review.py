"""The grant review in Norwegian: dates as sentences, corrected and removed; the draft
kept in the database; a year's letter replaced by a newer version."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppdrag.activities import models as m
from oppdrag.core.models import Membership
from oppdrag.grants.models import Assignment, Grant, GrantDate, LetterDraft


def url(name, center="napha", **kwargs):
    return reverse(f"web:{name}", kwargs={"center": center, **kwargs})


@pytest.fixture
def editor(center, make_user):
    return make_user("redaktor", center, Membership.Role.EDITOR)


@pytest.fixture
def letter_text(reference_grant_letter):
    return reference_grant_letter.read_text(encoding="utf-8")


def upload(client, text, name="tilskuddsbrev-2026.txt", center="napha"):
    letter = SimpleUploadedFile(name, text.encode())
    response = client.post(url("grant_list", center=center), {"letter": letter})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def dates(client, review_url):
    return client.get(review_url).context["dates"]


def index_of(rows, start):
    return next(row["index"] for row in rows if row["sentence"].startswith(start))


def test_meetings_campaigns_and_deadlines_read_as_norwegian_sentences(client, editor, letter_text):
    client.force_login(editor)
    page = client.get(upload(client, letter_text)).content.decode()
    assert "Møte i april–mai 2026: Dialogmøte om måloppnåelse og rapportering (april/mai)." in page
    assert "Møte i desember 2026: Dialogmøte om tilskuddsbrev (desember)." in page
    assert "Kampanjeperiode i september 2026: Det tas sikte på to kampanjeperioder" in page
    assert "Gjelder oppdrag 2.3." in page
    assert "– meeting" not in page and "campaign" not in page.split('id="datoer"')[1][:200]


def test_the_grantors_own_deadline_to_the_ministry_is_not_the_centres(
    client, editor, center, letter_text
):
    client.force_login(editor)
    review_url = upload(client, letter_text)
    page = client.get(review_url).content.decode()
    assert "Annen dato 01.05.2026: Helsedirektoratet skal i første fase" in page
    assert "tilskuddsgiverens egen frist overfor departementet, ikke en frist for senteret" in page
    assert "Frist for senteret 01.05.2026" not in page
    client.post(review_url, {"operation": "save"})
    saved = GrantDate.objects.get(grant__center=center, date=dt.date(2026, 5, 1))
    assert saved.kind == "other"


def test_a_date_is_corrected_in_the_review_and_saved_as_corrected(
    client, editor, center, letter_text
):
    client.force_login(editor)
    review_url = upload(client, letter_text)
    index = index_of(dates(client, review_url), "Møte i april–mai 2026")
    response = client.post(
        review_url,
        {"operation": "date_change", "target": index, "kind": "meeting",
         "text": "Dialogmøte om måloppnåelse", "date": "29.04.2026", "start": "", "end": "",
         "assignment": "2.1"},
    )  # fmt: skip
    assert response.status_code == 302
    sentences = [row["sentence"] for row in dates(client, review_url)]
    assert "Møte 29.04.2026: Dialogmøte om måloppnåelse. Gjelder oppdrag 2.1." in sentences
    client.post(review_url, {"operation": "save"})
    saved = GrantDate.objects.get(grant__center=center, date=dt.date(2026, 4, 29))
    assert (saved.kind, saved.title, saved.assignment.number) == (
        "meeting", "Dialogmøte om måloppnåelse", "2.1",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date": "31.02.2026"}, "Dato: «31.02.2026» er ikke en dato"),
        ({"date": "", "start": "01.06.2026", "end": ""}, "både start og slutt"),
        ({"date": "", "start": "01.06.2026", "end": "01.05.2026"}, "slutter før den begynner"),
        ({"date": "01.06.2025"}, "er ikke i 2026"),
        ({"kind": "fest"}, "Velg hva slags dato"),
        ({"text": "  "}, "Skriv hva datoen gjelder"),
        ({"assignment": "9.9"}, "Fant ikke oppdrag 9.9"),
    ],
)
def test_a_bad_date_correction_is_explained_and_changes_nothing(
    client, editor, letter_text, change, message
):
    client.force_login(editor)
    review_url = upload(client, letter_text)
    before = client.get(review_url).context["data"]
    data = {"operation": "date_change", "target": "0", "kind": "meeting", "text": "Møte",
            "date": "02.02.2026", "start": "", "end": "", "assignment": "", **change}  # fmt: skip
    response = client.post(review_url, data)
    assert response.status_code == 400
    assert message in response.context["error"] and message in response.content.decode()
    assert client.get(review_url).context["data"] == before


def test_a_date_is_removed_from_the_review(client, editor, center, letter_text):
    client.force_login(editor)
    review_url = upload(client, letter_text)
    rows = dates(client, review_url)
    index = index_of(rows, "Annen dato 01.05.2026")
    assert client.post(review_url, {"operation": "date_remove", "target": index}).status_code == 302
    assert len(dates(client, review_url)) == len(rows) - 1
    client.post(review_url, {"operation": "save"})
    assert not GrantDate.objects.filter(grant__center=center, date=dt.date(2026, 5, 1)).exists()


def test_a_draft_survives_signing_out_and_in_again(client, editor, letter_text):
    client.force_login(editor)
    review_url = upload(client, letter_text)
    client.post(review_url, {"operation": "rename", "target": "2.2", "value": "Kartleggingen"})
    client.logout()
    assert client.get(review_url).status_code == 302  # to sign-in
    client.force_login(editor)
    listing = client.get(url("grant_list")).content.decode()
    assert review_url in listing and "tilskuddsbrev-2026.txt" in listing
    nodes = {n["full_number"]: n for n in client.get(review_url).context["nodes"]}
    assert nodes["2.2"]["title"] == "Kartleggingen"


def test_a_saved_draft_is_gone_and_another_centres_draft_is_not_found(
    client, editor, make_center, make_user, letter_text
):
    other = make_center("korus-sor")
    client.force_login(make_user("annen", other, Membership.Role.EDITOR))
    foreign = upload(client, letter_text, center="korus-sor").rstrip("/").rsplit("/", 1)[1]
    client.force_login(editor)
    assert client.get(url("grant_review", token=foreign)).status_code == 404
    assert client.post(url("grant_review", token=foreign), {"operation": "save"}).status_code == 404
    review_url = upload(client, letter_text)
    client.post(review_url, {"operation": "save"})
    assert client.get(review_url).status_code == 404
    assert LetterDraft.objects.filter(center__slug="napha").count() == 0


def test_a_newer_version_of_the_letter_replaces_the_years_grant_keeping_links(
    client, editor, center, letter_text
):
    client.force_login(editor)
    client.post(upload(client, letter_text), {"operation": "save"})
    kept = Assignment.objects.get(center=center, year=2026, number="2.3")
    event = m.Event.objects.create(center=center, year=2026, theme="T", title="Kampanjedag")
    event.assignments.add(kept)
    newer = letter_text.replace("45 500 000", "46 000 000").replace(
        "2.3 Bidra i arbeidet med nasjonal", "2.3 Bidra i det nye arbeidet med nasjonal"
    )
    review_url = upload(client, newer, name="tilskuddsbrev-2026-v2.txt")
    page = client.get(review_url).content.decode()
    assert "Erstatt tilskuddet for 2026 med denne versjonen" in page
    refused = client.post(review_url, {"operation": "save"})
    assert (
        refused.status_code == 400 and "allerede et tilskudd for 2026" in refused.context["error"]
    )
    response = client.post(review_url, {"operation": "save", "replace": "1"})
    assert response["Location"] == url("grant_detail", year=2026)
    grant = Grant.objects.get(center=center, year=2026)
    assert (grant.amount_nok, grant.letter_name) == (46_000_000, "tilskuddsbrev-2026-v2.txt")
    assignment = Assignment.objects.get(center=center, year=2026, number="2.3")
    assert assignment.pk == kept.pk and assignment.title.startswith("Bidra i det nye arbeidet")
    assert list(event.assignments.all()) == [assignment]
    assert GrantDate.objects.filter(grant=grant).count() == len(
        GrantDate.objects.filter(grant=grant).values("kind", "date", "period_start").distinct()
    )
    messages = [str(m) for m in client.get(url("grant_detail", year=2026)).context["messages"]]
    assert any("erstattet med den nye versjonen" in text for text in messages)


def test_the_grant_list_takes_the_same_queries_with_1_and_10_drafts(client, editor, letter_text):
    client.force_login(editor)
    upload(client, letter_text)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("grant_list")).status_code == 200
        return len(captured)

    few = count()
    for _ in range(9):
        upload(client, letter_text)
    assert count() == few

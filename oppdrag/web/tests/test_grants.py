"""Grant letters in the staff interface: upload, review, save, year plan and feed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from oppdrag.core.models import Membership
from oppdrag.grants.models import Assignment, Grant
from oppdrag.grants.tests import letters


def url(name, center="napha", **kwargs):
    return reverse(f"web:{name}", kwargs={"center": center, **kwargs})


@pytest.fixture
def letter():
    """A letter written for the tests (2027), where any letter will do."""
    return SimpleUploadedFile("tilskuddsbrev-2027.txt", letters.DECIMAL_ZERO.encode())


@pytest.fixture
def seed_letter(reference_grant_letter):
    """The published 2026 letter, where a test checks what is read from it."""
    return SimpleUploadedFile("tilskuddsbrev-2026.txt", reference_grant_letter.read_bytes())


@pytest.fixture
def editor(center, make_user):
    return make_user("redaktor", center, Membership.Role.EDITOR)


def upload(client, letter):
    response = client.post(url("grant_list"), {"letter": letter})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_a_letter_is_read_reviewed_corrected_and_saved(client, editor, center, seed_letter):
    client.force_login(editor)
    review_url = upload(client, seed_letter)
    page = client.get(review_url)
    numbers = [node["full_number"] for node in page.context["nodes"]]
    assert numbers[:3] == ["2.1", "2.1.1", "2.1.1.A"]
    assert "2.8" in numbers
    assert not Grant.objects.exists()  # nothing is saved before the user says so

    response = client.post(
        review_url, {"operation": "rename", "target": "2.2", "value": "BrukerPlan-kartleggingen"}
    )
    assert response.status_code == 302
    response = client.post(review_url, {"operation": "save"})
    assert response["Location"] == url("grant_detail", year=2026)

    grant = Grant.objects.get(center=center, year=2026)
    assert grant.amount_nok == 45_500_000
    assert Assignment.objects.get(center=center, year=2026, number="2.2").title == (
        "BrukerPlan-kartleggingen"
    )
    detail = client.get(url("grant_detail", year=2026))
    assert detail.status_code == 200
    assert "45\u2009500\u2009000" in detail.content.decode()
    assert any(
        item.date and item.date.isoformat() == "2026-05-01" for item in detail.context["plan"]
    )


def test_a_bad_correction_is_explained_and_changes_nothing(client, editor, letter):
    client.force_login(editor)
    review_url = upload(client, letter)
    before = client.get(review_url).context["data"]
    response = client.post(review_url, {"operation": "merge", "target": "2.2", "value": "9.9"})
    assert response.status_code == 400 and response.context["error"]
    assert client.get(review_url).context["data"] == before


def test_a_file_that_is_not_a_letter_is_refused_with_a_reason(client, editor):
    client.force_login(editor)
    junk = SimpleUploadedFile("brev.docx", b"PK\x03\x04 not really a document")
    response = client.post(url("grant_list"), {"letter": junk})
    assert response.status_code == 400
    assert response.context["error"]
    assert not Grant.objects.exists()


def test_the_year_plan_feed_is_a_calendar_behind_a_signed_link(client, editor, center, letter):
    client.force_login(editor)
    client.post(upload(client, letter), {"operation": "save"})
    feed_url = client.get(url("grant_detail", year=2027)).context["feed_url"]
    client.logout()
    response = client.get(feed_url)  # calendar programs do not sign in
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in body
    assert client.get(feed_url[:-8] + "xxxx.ics").status_code == 404
    Membership.objects.filter(user=editor).delete()
    assert client.get(feed_url).status_code == 404  # leaving the centre ends the feed


def test_readers_see_grants_but_cannot_upload(client, center, make_user, letter):
    client.force_login(make_user("leser", center, Membership.Role.READER))
    assert client.get(url("grant_list")).status_code == 200
    assert client.post(url("grant_list"), {"letter": letter}).status_code == 403


def test_another_centres_grants_are_not_found(client, editor, make_center):
    other = make_center("korus-sor")
    Grant.objects.create(center=other, year=2026, amount_nok=1)
    client.force_login(editor)
    assert client.get(url("grant_detail", center="korus-sor", year=2026)).status_code == 404
    assert client.get(url("grant_detail", year=2026)).status_code == 404


def test_last_years_assignments_are_proposed_by_title_and_linked_on_confirmation(
    client, editor, center, seed_letter
):
    from oppdrag.grants.models import Assignment

    client.force_login(editor)
    client.post(upload(client, seed_letter), {"operation": "save"})
    old_brukerplan = Assignment.objects.create(
        center=center, year=2025, number="3.4", title="BrukerPlan"
    )
    Assignment.objects.create(
        center=center,
        year=2025,
        number="3.2",
        title="Implementering av veilederen «Sammen om mestring»",
    )
    page = client.get(url("grant_carry_forward", year=2026))
    rows = {row["assignment"].number: row for row in page.context["rows"]}
    # Same subject, different number: proposed; same number, other subject: not.
    assert rows["2.2"]["chosen"] == old_brukerplan
    assert not Assignment.objects.get(center=center, year=2026, number="2.2").previous
    client.post(url("grant_carry_forward", year=2026), carry_forward_form(page))
    assert Assignment.objects.get(center=center, year=2026, number="2.2").previous == (
        old_brukerplan
    )


def carry_forward_form(page, **choices):
    """The carry-forward form as shown, with ``choices`` (assignment number → uid) changed."""
    form = {
        f"prev-{row['assignment'].uid}": row["chosen"].uid if row["chosen"] else ""
        for row in page.context["rows"]
    }
    by_number = {row["assignment"].number: row["assignment"].uid for row in page.context["rows"]}
    form.update({f"prev-{by_number[n]}": uid for n, uid in choices.items()})
    return {**form, "versjon": page.context["version"]}


def test_two_editors_linking_assignments_do_not_undo_each_other(client, editor, center, make_user):
    from oppdrag.grants.models import Assignment

    Grant.objects.create(center=center, year=2026, amount_nok=1)
    old = {n: Assignment.objects.create(center=center, year=2025, number=n, title=t)
           for n, t in (("1", "Veiledning"), ("2", "Kurs"))}  # fmt: skip
    for n, t in (("1", "Rettleiing"), ("2", "Opplæring")):
        Assignment.objects.create(center=center, year=2026, number=n, title=t)
    other = Client()
    other.force_login(make_user("redaktor2", center, Membership.Role.EDITOR))
    client.force_login(editor)
    address = url("grant_carry_forward", year=2026)
    first, second = client.get(address), other.get(address)
    response = client.post(address, carry_forward_form(first, **{"1": old["1"].uid}))
    assert response.status_code == 302
    response = other.post(address, carry_forward_form(second, **{"2": old["2"].uid}))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Noen andre har lagret endringer" in html and "«1 Veiledning»" in html
    links = {a.number: a.previous for a in Assignment.objects.filter(center=center, year=2026)}
    assert links == {"1": old["1"], "2": None}
    rows = {row["assignment"].number: row["chosen"] for row in response.context["rows"]}
    assert rows["2"] == old["2"]  # the second editor's choice is kept on the page
    again = carry_forward_form(response, **{"1": old["1"].uid, "2": old["2"].uid})
    assert other.post(address, again).status_code == 302
    links = {a.number: a.previous for a in Assignment.objects.filter(center=center, year=2026)}
    assert links == {"1": old["1"], "2": old["2"]}


def test_coverage_shows_hours_and_report_text_status(client, editor, center, seed_letter):
    client.force_login(editor)
    client.post(upload(client, seed_letter), {"operation": "save"})
    rows = client.get(url("grant_detail", year=2026)).context["coverage"]
    first = rows[0]
    assert first["report_status"] == "0 av 3 tekster klare"
    assert "hours" in first


def test_an_assignment_is_split_at_a_deliverable(client, editor, center, seed_letter):
    client.force_login(editor)
    review_url = upload(client, seed_letter)
    nodes = {n["full_number"]: n for n in client.get(review_url).context["nodes"]}
    before = len(nodes["2.1.1.C"]["deliverables"])
    assert before >= 3
    client.post(review_url, {"operation": "split", "target": "2.1.1.C", "value": "3, G, Resten"})
    nodes = {n["full_number"]: n for n in client.get(review_url).context["nodes"]}
    assert len(nodes["2.1.1.C"]["deliverables"]) == 2
    assert nodes["2.1.1.G"]["title"] == "Resten"
    assert len(nodes["2.1.1.G"]["deliverables"]) == before - 2


def test_a_docx_letter_with_an_xml_entity_is_refused_with_a_reason(client, editor):
    from oppdrag.grants.tests.test_extract import docx_letter, with_entity

    client.force_login(editor)
    letter = SimpleUploadedFile("brev.docx", docx_letter(with_entity))
    response = client.post(url("grant_list"), {"letter": letter})
    assert response.status_code == 400
    assert "delen word/document.xml – den inneholder en DTD" in response.context["error"]
    assert "den inneholder en DTD" in response.content.decode()
    assert not Grant.objects.exists()


def test_the_review_shows_the_letters_dates_as_day_month_year(client, editor, letter):
    client.force_login(editor)
    body = client.get(upload(client, letter)).content.decode()
    assert "15.10.2027" in body and "01.03.2027" in body
    assert "2027-10-15" not in body and "2027-03-01" not in body

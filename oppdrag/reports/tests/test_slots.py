"""The report's outline of text slots: keys, headings as printed, and what is written."""

from __future__ import annotations

from oppdrag.core.models import Person
from oppdrag.grants.models import Assignment, FocusArea
from oppdrag.reports.models import AssessmentBlock
from oppdrag.reports.services import save_assessment
from oppdrag.reports.slots import slots, theme_section_key


def _areas():
    for code, name in (("a", "Formidling"), ("b", "Kompetanseheving")):
        FocusArea.objects.update_or_create(code=code, defaults={"name": name})


def test_the_outline_lists_every_slot_in_reading_order_with_numbered_headings(center):
    _areas()
    parent = Assignment.objects.create(center=center, year=2026, number="3.1", title="Veiledning")
    child = Assignment.objects.create(
        center=center, year=2026, number="3.1.1", title="Kurs", parent=parent
    )
    outline = slots(center, 2026)
    keys = [slot.key for slot in outline]
    assert keys[:4] == ["foreword", "overall:a:text", "overall:b:text", "overall:c:text"]
    assert "focus:b:involvement" in keys
    assert f"assignment:{child.uid}:results" in keys
    assert keys[-1] == "references"
    assert sum(1 for key in keys if key.startswith("questionnaire:")) == 8
    by_key = {slot.key: slot for slot in outline}
    assert by_key["overall:b:text"].place.startswith("b) Vurdering av samlet")
    assert by_key["overall:b:text"].chapter == "1 Overordnet vurdering"
    assert by_key["focus:b:activities"].heading == "b) Kompetanseheving – Aktiviteter"
    # Chapter 3's first assignment is 3.1 whatever number the grant letter gave it.
    assert by_key[f"assignment:{child.uid}:activities"].heading == "3.1.1 Kurs – Aktiviteter"
    assert by_key[f"assignment:{child.uid}:activities"].section == "assignment:3.1.1"
    assert by_key["questionnaire:1"].place == (
        "Vedlegg: Målgrupper og annen måloppnåelse – samlet oppsummert vurdering"
    )
    assert all(slot.status == "" and slot.words == 0 for slot in outline)


def test_a_slot_shows_status_owner_words_and_a_centres_own_themes(center):
    _areas()
    owner = Person.objects.create(center=center, name="Kari Nordmann")
    block = save_assessment(
        center=center, year=2026, kind="overall", section_key="overall:a", text="Tre ord her."
    )
    block.owner = owner
    block.save()
    AssessmentBlock.objects.create(
        center=center,
        year=2026,
        kind="text",
        section_key=theme_section_key("b", "recovery"),
        title="Recovery-orientert praksis",
        text="",
    )
    by_key = {slot.key: slot for slot in slots(center, 2026)}
    slot = by_key["overall:a:text"]
    assert (slot.status, slot.owner_name, slot.words) == ("draft", "Kari Nordmann", 3)
    theme = by_key["focus:b:theme:recovery"]
    assert theme.heading == "b) Kompetanseheving – Recovery-orientert praksis"
    keys = list(by_key)
    assert keys.index("focus:b:results") < keys.index("focus:b:theme:recovery")


def test_the_outline_takes_the_same_few_queries_for_one_and_many_slots(
    center, django_assert_max_num_queries
):
    _areas()
    Assignment.objects.create(center=center, year=2026, number="3.1", title="Én")
    with django_assert_max_num_queries(3):
        few = slots(center, 2026)
    for n in range(2, 30):
        assignment = Assignment.objects.create(
            center=center, year=2026, number=f"3.{n}", title=f"Nr {n}"
        )
        save_assessment(
            center=center, year=2026, kind="results", assignment=assignment, text="Tekst."
        )
    with django_assert_max_num_queries(3):
        many = slots(center, 2026)
    assert len(many) > len(few)


def test_another_centres_texts_are_not_in_the_outline(center, other_center):
    _areas()
    save_assessment(
        center=other_center, year=2026, kind="foreword", section_key="foreword", text="Fremmed."
    )
    assert slots(center, 2026)[0].block is None

"""Project mappings carried to the next year, as the hours projects are."""

from oppdrag.finance import services
from oppdrag.finance.models import LedgerProject
from oppdrag.grants.models import Assignment


def test_last_years_projects_follow_their_assignments_into_the_new_year(center):
    act_2024 = Assignment.objects.create(center=center, year=2024, number="3.1.1", title="ACT")
    abc_2024 = Assignment.objects.create(center=center, year=2024, number="3.1.4", title="ABC")
    gone_2024 = Assignment.objects.create(center=center, year=2024, number="3.9", title="Slutt")
    # 2025: ACT continues under a new number; ABC keeps its number; 3.9 has no successor.
    act_2025 = Assignment.objects.create(
        center=center, year=2025, number="3.2.1", title="ACT", previous=act_2024
    )
    abc_2025 = Assignment.objects.create(center=center, year=2025, number="3.1.4", title="ABC")
    for code, assignment in [("100", act_2024), ("200", abc_2024), ("300", gone_2024)]:
        services.map_project(center=center, year=2024, code=code, assignment=assignment)
    # A project already mapped for 2025 is left as it is.
    services.map_project(center=center, year=2025, code="200", assignment=act_2025)

    copied = services.carry_forward_projects(center=center, year=2025)

    assert copied == 2
    mapped = {
        p.code: p.assignment_id for p in LedgerProject.objects.filter(center=center, year=2025)
    }
    assert mapped == {"100": act_2025.pk, "200": act_2025.pk, "300": None}
    assert abc_2025.pk not in mapped.values()
    # Running it again copies nothing more.
    assert services.carry_forward_projects(center=center, year=2025) == 0

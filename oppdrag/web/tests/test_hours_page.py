from django.urls import reverse

from oppdrag.core.models import Membership
from oppdrag.hours.demo import load_hours_demo


def test_the_hours_page_lists_where_the_published_table_differs(client, demo, make_user):
    load_hours_demo(demo)
    client.force_login(make_user("leser", demo, Membership.Role.READER))
    response = client.get(reverse("web:hours", kwargs={"center": "napha", "year": 2025}))
    differences = {(d.title, d.measure): d for d in response.context["differences"]}
    boligsosialt = differences[("Boligsosialt arbeid", "hours")]
    # Published 1 649; its lines add to 1 650 (appendix 7 of the 2025 report).
    assert (boligsosialt.published, boligsosialt.computed) == (1649, 1650)
    assert "Formidling" not in {title for title, _m in differences}  # 4 786 adds up
    page = response.content.decode()
    assert "1\u2009650" in page
    # Norwegian number formats: the difference with a minus sign, FTE with a decimal comma.
    assert (
        '<td class="num">1\u2009649</td><td class="num">1\u2009650</td><td class="num">−1</td>'
        in page
    )
    assert "1 årsverk utgjør 1\u2009950 timer" in page
    # The demo's lines of appendix 7 add up to 50 631 hours, 26,0 FTE (the published
    # total, 50 625, is off by the group sums' rounding; the reconciliation lists it).
    assert 'Sum utført arbeid</th><td></td><td class="num">50\u2009631' in page
    assert '<td class="num">100 %</td><td class="num">26,0</td>' in page


def test_another_centre_cannot_see_the_hours(client, demo, make_center, make_user):
    other = make_center("rvts-midt")
    client.force_login(make_user("annen", other))
    url = reverse("web:hours", kwargs={"center": "napha", "year": 2025})
    assert client.get(url).status_code == 404

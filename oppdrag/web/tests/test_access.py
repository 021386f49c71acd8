"""Tenancy and roles, walked over every page of the staff interface."""

import pytest
from django.urls import reverse

from oppdrag.activities import models as m
from oppdrag.core.models import Membership


@pytest.fixture
def two_centres(make_center, make_user):
    own = make_center("napha")
    other = make_center("korus-oslo")
    own_event = m.Event.objects.create(center=own, year=2025, theme="Bolig", title="Egen samling")
    other_event = m.Event.objects.create(
        center=other, year=2025, theme="Hemmelig", title="Andres samling"
    )
    users: dict[str, object] = {
        str(role): make_user(f"u-{role}", own, role)
        for role in (Membership.Role.READER, Membership.Role.EDITOR, Membership.Role.ADMIN)
    }
    users["outsider"] = make_user("u-outsider", other, Membership.Role.ADMIN)
    return {
        "own": own,
        "other": other,
        "own_event": own_event,
        "other_event": other_event,
        "users": users,
    }


def pages(center, event):
    slug = center.slug
    return {
        "dashboard": reverse("web:dashboard", kwargs={"center": slug}),
        "event_list": reverse("activities:event_list", kwargs={"center": slug}),
        "event_export": reverse("activities:event_list", kwargs={"center": slug}) + "?export=csv",
        "event_create": reverse("activities:event_create", kwargs={"center": slug}),
        "event_detail": reverse(
            "activities:event_detail", kwargs={"center": slug, "uid": event.uid}
        ),
        "event_edit": reverse("activities:event_edit", kwargs={"center": slug, "uid": event.uid}),
        "event_delete": reverse(
            "activities:kind_delete",
            kwargs={"center": slug, "kind": "arrangementer", "uid": event.uid},
        ),
        "deleted": reverse(
            "activities:kind_deleted", kwargs={"center": slug, "kind": "arrangementer"}
        ),
    }


EDITOR_ONLY = {"event_create", "event_edit", "event_delete", "deleted"}


@pytest.mark.parametrize("role", ["reader", "editor", "admin"])
def test_members_reach_their_centre_within_their_role(client, two_centres, role):
    client.force_login(two_centres["users"][role])
    for name, url in pages(two_centres["own"], two_centres["own_event"]).items():
        status = client.get(url).status_code
        expected = 403 if (role == "reader" and name in EDITOR_ONLY) else 200
        assert status == expected, (name, status)


@pytest.mark.parametrize("role", ["reader", "editor", "admin"])
def test_no_role_ever_sees_another_centre(client, two_centres, role):
    client.force_login(two_centres["users"][role])
    for name, url in pages(two_centres["other"], two_centres["other_event"]).items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"title": "x"}).status_code == 404, name


def test_another_centres_record_is_not_found_under_ones_own_centre(client, two_centres):
    client.force_login(two_centres["users"]["admin"])
    for name, url in pages(two_centres["own"], two_centres["other_event"]).items():
        if name in {"event_detail", "event_edit"}:
            assert client.get(url).status_code == 404, name


def test_signed_out_visitors_are_sent_to_sign_in(client, two_centres):
    for url in pages(two_centres["own"], two_centres["own_event"]).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))


def test_a_reader_cannot_register_by_posting(client, two_centres):
    client.force_login(two_centres["users"]["reader"])
    url = reverse("activities:event_create", kwargs={"center": "napha"})
    response = client.post(url, {"year": 2025, "theme": "T", "title": "Ny"})
    assert response.status_code == 403
    assert not m.Event.objects.filter(title="Ny").exists()


def test_pages_carry_a_strict_content_security_policy(client, two_centres):
    client.force_login(two_centres["users"]["admin"])
    response = client.get(reverse("web:dashboard", kwargs={"center": "napha"}))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script" not in response.content.decode()


def test_a_member_of_two_centres_switches_between_them(client, two_centres):
    user = two_centres["users"]["editor"]
    Membership.objects.create(user=user, center=two_centres["other"], role="reader")
    client.force_login(user)
    page = client.get(reverse("web:dashboard", kwargs={"center": "napha"})).content.decode()
    switch = reverse("web:dashboard", kwargs={"center": "korus-oslo"})
    assert f'href="{switch}"' in page
    assert client.get(switch).status_code == 200
    assert client.get(reverse("web:home")).status_code == 200  # lists both centres


# --- every URL, every role, against another centre's objects --------------------------
import datetime as dt  # noqa: E402
import re  # noqa: E402
from functools import partial  # noqa: E402

from django.urls import URLPattern, URLResolver, get_resolver  # noqa: E402

from oppdrag.activities.services import delete_record  # noqa: E402
from oppdrag.core.models import Center, Person  # noqa: E402
from oppdrag.reports.submission import submit_report  # noqa: E402
from oppdrag.teams import services as team_services  # noqa: E402
from oppdrag.teams.tests.factories import all_items, dacts, team  # noqa: E402
from oppdrag.web.registry import KINDS  # noqa: E402

ALL_ROLES = ["reader", "editor", "admin", "partner", "grantor"]
READY = {"agreement_signed_on": dt.date(2025, 3, 1), "dpo_approved_on": dt.date(2025, 4, 1)}
SHARED_PAGES = {"web:shared_list", "web:shared_review", "web:shared_group"}
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
# A value for a parameter the walk has no special value for, by its converter.
CONVERTER_DEFAULTS = {"int": "1", "uuid": "00000000-0000-4000-8000-000000000000", "path": "x"}
GRANTOR_PAGES = {"web:submitted_list", "web:submitted_report", "web:submitted_comparison"}
MEETING_PAGES = {"meetings:create", "meetings:edit", "meetings:delete"}


def centre_routes():
    """(name, route) of every URL that lives under a centre's slug, from the resolver."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                yield namespace + (pattern.name or ""), prefix + str(pattern.pattern)

    return [(n, r) for n, r in walk(get_resolver().url_patterns) if r.startswith("<slug:center>")]


def record_of_every_kind(center, word):
    person = Person.objects.create(center=center, name=f"{word} Person")
    common = {"center": center, "year": 2025}
    return {
        "arrangementer": m.Event.objects.create(**common, theme=word, title=word),
        "presentasjoner": m.Presentation.objects.create(**common, title=word, kind="Foredrag"),
        "kronikker": m.OpEd.objects.create(**common, title=word, kind="Kronikk", outlet="Avis"),
        "horingsinnspill": m.ConsultationResponse.objects.create(**common, title=word),
        "produkter": m.Publication.objects.create(**common, title=word, kind="Rapport"),
        "medieoppslag": m.MediaAppearance.objects.create(
            **common, person=person, title=word, outlet="NRK"
        ),
        "grupper": m.Group.objects.create(**common, name=word, role="leder"),
        "nettsaker": m.WebArticle.objects.create(**common, title=word, category="nyhet"),
        "henvendelser": m.AdviceRequest.objects.create(**common, channel="Telefon", topic=word),
    }


@pytest.fixture
def world(make_center, make_user):
    """Own centre (NAPHA) with a member of every role, a foreign centre with records of
    every kind, a grantor, and a third centre that shares a review and a group with NAPHA."""
    own = make_center("napha")
    other = make_center("korus-oslo")
    third = make_center("rvts-ost")
    grantor = make_center("hdir")
    grantor.kind = Center.Kind.GRANTOR
    grantor.save()
    users = {
        role: make_user(f"w-{role}", own, role) for role in ("reader", "editor", "admin", "partner")
    }
    users["grantor"] = make_user("w-grantor", grantor, "grantor")
    foreign = record_of_every_kind(other, "Hemmelig")
    own_records = record_of_every_kind(own, "Egen")
    version = dacts(other)
    foreign_review = team_services.record_review(
        center=other,
        team=team(other, "FACT Oslo", municipalities=("Oslo",)),
        date=dt.date(2025, 5, 10),
        scale_version=version,
        consensus=all_items(version, 3),
        status="completed",
        **READY,
    )
    foreign_pilot = team_services.register_pilot(
        center=other,
        data=team_services.PilotData(
            model_type=foreign_review.team.model_type, name="Hemmelig forprosjekt"
        ),
    )
    gone = m.Presentation.objects.create(center=other, year=2025, title="Slettet", kind="Foredrag")
    foreign_deletion = delete_record(gone, user=None, kind="presentasjoner")
    foreign_meeting = m.GroupMeeting.objects.create(
        center=other, group=foreign["grupper"], date=dt.date(2025, 2, 3), participants=7
    )
    own_meeting = m.GroupMeeting.objects.create(
        center=own, group=own_records["grupper"], date=dt.date(2025, 2, 4), participants=5
    )
    # A third centre shares one review and one group with NAPHA, and keeps others.
    version3 = dacts(third)
    shared_review = team_services.record_review(
        center=third,
        team=team(third, "FACT Hamar", municipalities=("Hamar",)),
        date=dt.date(2025, 6, 1),
        scale_version=version3,
        consensus=all_items(version3, 4),
        comments={"H1": "Godt bemannet"},
        status="completed",
        shared_with=[own],
        **READY,
    )
    unshared_review = team_services.record_review(
        center=third,
        team=team(third, "FACT Gjøvik", municipalities=("Gjøvik",)),
        date=dt.date(2025, 6, 2),
        scale_version=version3,
        status="planned",
    )
    shared_group = m.Group.objects.create(
        center=third, year=2025, name="Delt nettverk", role="leder", kind="nettverk"
    )
    shared_group.shared_with.add(own)
    m.GroupMeeting.objects.create(
        center=third, group=shared_group, date=dt.date(2025, 3, 4), participants=12
    )
    unshared_group = m.Group.objects.create(
        center=third, year=2025, name="Lukket nettverk", role="leder"
    )
    # NAPHA's own reports: 2024 submitted twice, 2025 is a draft. The other centre
    # never submitted; the third centre submitted 2025.
    old = submit_report(center=own, year=2024, user=users["admin"])
    newest = submit_report(center=own, year=2024, user=users["admin"])
    third_submitted = submit_report(center=third, year=2025, user=None)
    return {
        "own": own,
        "other": other,
        "third": third,
        "grantor": grantor,
        "users": users,
        "foreign": foreign,
        "own_records": own_records,
        "foreign_review": foreign_review,
        "foreign_pilot": foreign_pilot,
        "foreign_meeting": foreign_meeting,
        "own_meeting": own_meeting,
        "foreign_deletion": foreign_deletion,
        "shared_review": shared_review,
        "unshared_review": unshared_review,
        "shared_group": shared_group,
        "unshared_group": unshared_group,
        "old_submission": old,
        "newest_submission": newest,
        "third_submission": third_submitted,
    }


def fill(values: dict[str, str], match: re.Match[str]) -> str:
    converter, name = match.group(1) or "str", match.group(2)
    return values.get(name) or CONVERTER_DEFAULTS.get(converter, "x")


def urls_against(world, slug, objects):
    """Every centre URL under ``slug``, filled with ``objects`` (uids of another centre).

    URLs the walk has no special value for (added later) still get walked with the
    foreign event's uid, year 2025 and placeholder tokens.
    """
    urls = []
    for name, route in centre_routes():
        kinds = list(KINDS) if "<slug:kind>" in route else [""]
        for kind in kinds:
            uid = objects.get(name) or objects.get(kind) or objects["arrangementer"]
            values = {
                "center": slug,
                "kind": kind,
                "uid": str(uid),
                "year": "2025",
                "token": "x",
                "identifier": "html",
                "meeting": str(objects.get("meeting", "")),
            }
            path = PARAMETER.sub(partial(fill, values), route)
            urls.append((name, "/" + path))
    return urls


def foreign_objects(world):
    objects = {kind: record.uid for kind, record in world["foreign"].items()}
    objects["activities:kind_restore"] = world["foreign_deletion"].uid
    objects["activities:event_detail"] = objects["activities:event_edit"] = world["foreign"][
        "arrangementer"
    ].uid
    objects["web:shared_review"] = world["unshared_review"].uid
    objects["web:shared_group"] = world["unshared_group"].uid
    objects["web:submitted_report"] = world["old_submission"].uid
    foreign_team = world["foreign_review"].team.uid
    for name in ("team_detail", "team_edit", "team_status", "review_create"):
        objects[f"teams:{name}"] = foreign_team
    for name in (
        "review_detail",
        "review_feedback_docx",
        "review_feedback_pdf",
        "review_feedback_html",
    ):
        objects[f"teams:{name}"] = world["foreign_review"].uid
    objects["teams:pilot_detail"] = objects["teams:pilot_edit"] = world["foreign_pilot"].uid
    for name in MEETING_PAGES:
        objects[name] = world["foreign"]["grupper"].uid
    objects["meeting"] = world["foreign_meeting"].uid
    return objects


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_url_as_every_role_in_another_centres_space_is_refused(client, world, role):
    client.force_login(world["users"][role])
    leaks = []
    for name, url in urls_against(world, "korus-oslo", foreign_objects(world)):
        for method in ("get", "post"):
            status = getattr(client, method)(url, {"title": "x"}).status_code
            if status not in (403, 404):
                leaks.append((method, name, url, status))
    assert leaks == []


@pytest.mark.parametrize("role", ALL_ROLES)
def test_another_centres_objects_under_ones_own_centre_are_refused(client, world, role):
    """Own slug, foreign uids: nothing of theirs answers, whatever the role."""
    client.force_login(world["users"][role])
    slug = "hdir" if role == "grantor" else "napha"
    leaks = []
    for name, url in urls_against(world, slug, foreign_objects(world)):
        if "<uuid:uid>" not in dict(centre_routes())[name]:
            continue
        for method in ("get", "post"):
            status = getattr(client, method)(url, {"title": "x"}).status_code
            if status not in (403, 404):
                leaks.append((method, name, url, status))
    assert leaks == []
    # The check can fail: the same walk with the page's own record answers 200 for staff.
    if role == "reader":
        own = world["own_records"]["presentasjoner"].uid
        assert client.get(f"/napha/presentasjoner/{own}/").status_code == 200


def own_objects(world):
    objects = {kind: record.uid for kind, record in world["own_records"].items()}
    objects["activities:event_detail"] = objects["activities:event_edit"] = world["own_records"][
        "arrangementer"
    ].uid
    objects["web:shared_review"] = world["shared_review"].uid
    objects["web:shared_group"] = world["shared_group"].uid
    objects["web:submitted_report"] = world["newest_submission"].uid
    for name in MEETING_PAGES:
        objects[name] = world["own_records"]["grupper"].uid
    objects["meeting"] = world["own_meeting"].uid
    return objects


def test_a_partner_sees_only_what_was_shared_in_its_own_centre(client, world):
    client.force_login(world["users"]["partner"])
    answers = {}
    for name, url in urls_against(world, "napha", own_objects(world)):
        answers[(name, url)] = client.get(url).status_code
    for (name, url), status in answers.items():
        if name in SHARED_PAGES:
            assert status == 200, (name, url, status)
        else:
            assert status in (403, 404), (name, url, status)
    assert 403 in answers.values()  # refused as a member, not hidden as a stranger


def test_the_shared_page_lists_exactly_what_was_shared(client, world):
    for role in ("partner", "reader"):
        client.force_login(world["users"][role])
        page = client.get("/napha/delt/").content.decode()
        assert "FACT Hamar" in page and "Delt nettverk" in page
        assert "FACT Gjøvik" not in page and "Lukket nettverk" not in page
        assert "FACT Oslo" not in page and "Hemmelig" not in page
    review = client.get(f"/napha/delt/malinger/{world['shared_review'].uid}/").content.decode()
    assert "Godt bemannet" in review and "H1" in review
    group = client.get(f"/napha/delt/grupper/{world['shared_group'].uid}/").content.decode()
    assert "04.03.2025" in group and "12" in group
    # What NAPHA shared is not "shared with us" in the centre it was shared with.
    client.force_login(make_member(world["third"], "t-reader"))
    assert "FACT Hamar" not in client.get("/rvts-ost/delt/").content.decode()


def make_member(center, username):
    from django.contrib.auth import get_user_model

    from oppdrag.core.services import add_member

    user = get_user_model().objects.create_user(username=username, password="x")
    add_member(center=center, user=user, role="reader")
    return user


def test_partner_and_grantor_never_have_a_staff_role(world):
    from oppdrag.web.access import has_role, membership_for

    for role in ("partner", "grantor"):
        slug = "hdir" if role == "grantor" else "napha"
        membership = membership_for(world["users"][role], slug)
        assert not any(has_role(membership, r) for r in ("reader", "editor", "admin"))
    # An admin role on a grantor centre does not open centre pages there either.
    Membership.objects.filter(user=world["users"]["grantor"]).update(role="admin")
    assert not has_role(membership_for(world["users"]["grantor"], "hdir"), "reader")


def test_a_grantor_reads_exactly_the_latest_submitted_versions(client, world):
    client.force_login(world["users"]["grantor"])
    assert client.get("/").url == "/hdir/innsendte/"
    page = client.get("/hdir/innsendte/").content.decode()
    newest, old = world["newest_submission"], world["old_submission"]
    third = world["third_submission"]
    # 2025 of NAPHA is a draft, and KORUS Oslo never submitted: neither is listed;
    # of NAPHA's two versions of 2024 only the newest.
    listed = set(re.findall(r"/hdir/innsendte/([0-9a-f-]{36})/", page))
    assert listed == {str(newest.uid), str(third.uid)}
    assert str(old.uid) not in page
    assert "KORUS-OSLO" not in page
    assert client.get(f"/hdir/innsendte/{old.uid}/").status_code == 404
    report = client.get(f"/hdir/innsendte/{newest.uid}/")
    assert report.status_code == 200 and "Senter napha" in report.content.decode()
    assert client.get("/hdir/innsendte/sammenligning/").status_code == 200
    for slug in ("napha", "korus-oslo", "rvts-ost"):
        assert client.get(f"/{slug}/").status_code == 404
        assert client.get(f"/{slug}/rapport/2025/").status_code == 404
        assert client.get(f"/{slug}/rapport/2024/forhandsvisning/").status_code == 404
    assert client.get("/hdir/").status_code == 403


def test_centre_staff_cannot_open_the_grantors_pages(client, world):
    client.force_login(world["users"]["admin"])
    assert client.get("/hdir/innsendte/").status_code == 404
    assert client.get("/napha/innsendte/").status_code == 403

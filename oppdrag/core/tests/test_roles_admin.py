"""Who may make whom a grantor: the kind of a centre and the grantor role."""

import pytest
from django.core.exceptions import ValidationError

from oppdrag.core.models import Center, Membership
from oppdrag.core.services import add_member


def test_the_grantor_role_belongs_to_grantor_centres_only(center, make_center, make_user):
    hdir = make_center("hdir")
    hdir.kind = Center.Kind.GRANTOR
    hdir.save()
    user = make_user("person")
    with pytest.raises(ValidationError):
        add_member(center=center, user=user, role=Membership.Role.GRANTOR)
    with pytest.raises(ValidationError):
        add_member(center=hdir, user=user, role=Membership.Role.READER)
    assert not Membership.objects.filter(user=user).exists()
    add_member(center=hdir, user=user, role=Membership.Role.GRANTOR)
    add_member(center=center, user=user, role=Membership.Role.PARTNER)
    assert Membership.objects.filter(user=user).count() == 2


def test_a_centre_administrator_cannot_make_the_centre_a_grantor(center, make_user):
    from django.contrib import admin
    from django.test import RequestFactory

    from oppdrag.core.admin import CenterAdmin, MembershipInline

    request = RequestFactory().get("/admin/core/center/")
    request.user = make_user("admin", center, Membership.Role.ADMIN)
    assert "kind" in CenterAdmin(Center, admin.site).get_readonly_fields(request)
    inline = MembershipInline(Center, admin.site)
    field = inline.formfield_for_choice_field(Membership._meta.get_field("role"), request)
    roles = [value for value, _label in field.choices]
    assert "grantor" not in roles and "partner" in roles
    request.user = make_user("root")
    request.user.is_superuser = True
    assert "kind" not in CenterAdmin(Center, admin.site).get_readonly_fields(request)

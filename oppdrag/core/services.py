"""Operations on centres and their members, used by commands, the admin and tests."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db import transaction
from django.db.models import Q

from .bulk import create_with_history
from .models import Center, Membership, Organization, Person, ReportingYear

CENTER_ADMIN_GROUP = "Senteradministratorer"
# Apps whose records a centre administrator edits in the back-office; the
# reference data (municipalities, organisations) they may only view and add to.
EDITABLE_APPS = ("activities", "grants", "hours", "teams", "reports")
EDITABLE_CORE_MODELS = ("person", "reportingyear", "organization")


def center_admin_group() -> Group:
    """The permission group for centre administrators, kept in step with the models."""
    group, _ = Group.objects.get_or_create(name=CENTER_ADMIN_GROUP)
    permissions = Permission.objects.filter(
        Q(content_type__app_label__in=EDITABLE_APPS)
        | Q(content_type__app_label="core", content_type__model__in=EDITABLE_CORE_MODELS)
        | Q(content_type__app_label="core", codename__startswith="view_")
    )
    group.permissions.set(permissions)
    return group


@transaction.atomic
def create_center(
    *,
    slug: str,
    name: str,
    short_name: str,
    organization_name: str = "",
    organization: Organization | None = None,
) -> Center:
    """Create a centre, linked to its entry in the organisation register when given
    (``organization``, or the entry named ``organization_name``, made if missing)."""
    if organization is None and organization_name:
        organization, _ = Organization.objects.get_or_create(
            name=organization_name, defaults={"kind": Organization.Kind.CENTRE}
        )
    return Center.objects.create(
        slug=slug, name=name, short_name=short_name, organization=organization
    )


@transaction.atomic
def add_member(
    *,
    center: Center,
    user: AbstractBaseUser,
    role: str = Membership.Role.READER,
    backoffice: bool = True,
) -> Membership:
    """Give ``user`` a role in ``center``; administrators get back-office access
    unless ``backoffice`` is false (a role read from an archive never brings it).

    Refused (ValidationError) when the role does not fit the centre's kind.
    """
    Membership(user=user, center=center, role=role).clean()  # type: ignore[misc]
    membership, _ = Membership.objects.update_or_create(
        user=user, center=center, defaults={"role": role}
    )
    if role == Membership.Role.ADMIN and backoffice:
        user.is_staff = True  # type: ignore[attr-defined]
        user.save(update_fields=["is_staff"])
        user.groups.add(center_admin_group())  # type: ignore[attr-defined]
    return membership


def ensure_year(center: Center, year: int) -> ReportingYear:
    reporting_year, _ = ReportingYear.objects.get_or_create(center=center, year=year)
    return reporting_year


def get_or_create_user(username: str, password: str) -> AbstractBaseUser:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username)
    if created or not user.check_password(password):
        user.set_password(password)
        user.save()
    return user


def people_by_name(
    center: Center, names: set[str], user: AbstractBaseUser | None = None
) -> dict[str, Person]:
    """The centre's people by name, creating (with history) those not yet registered."""
    existing = {p.name: p for p in Person.objects.filter(center=center, name__in=names)}
    missing = [{"name": name} for name in sorted(names - set(existing))]
    if missing:
        ids = create_with_history(Person, missing, fixed={"center": center}, user=user)
        existing.update({p.name: p for p in Person.objects.filter(pk__in=ids)})
    return existing

"""Importers for the team lists centres keep: teams, pilot projects and fidelity reviews.

Municipalities are matched by name or official number with suggestions for near
misses; a name two municipalities share (Herøy, Våler, Os …) must be written with
its number, e.g. «Herøy (1515)». Rows name a team by model and name, so a file can
be imported again to update it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from oppdrag.core.models import Center, CityDistrict, Municipality, Organization, Region
from oppdrag.core.parsing import fold, normalize_space, parse_date, parse_yes_no, split_list
from oppdrag.importing.base import CellError, Column, Importer, Problem, Row
from oppdrag.importing.cleaners import choice as _choice
from oppdrag.importing.lookups import NameLookup

from . import services
from .models import FidelityReview, PilotProject, ServiceTeam, TeamModelType, TeamStatus


def _name(text: str) -> str:
    value = normalize_space(text)
    if len(value) > 200:
        raise ValueError(_("Navnet er for langt (høyst 200 tegn)."))
    return value


def _years(text: str) -> list[int]:
    years = []
    for part in split_list(text):
        if not re.fullmatch(r"(19|20)\d\d", part):
            raise ValueError(_("«{part}» er ikke et årstall.").format(part=part))
        years.append(int(part))
    return sorted(set(years))


class MunicipalityLookup:
    """Municipalities by name, number or «Name (number)»; shared names need the number."""

    def __init__(self) -> None:
        current = list(Municipality.objects.filter(valid_to__isnull=True).select_related("county"))
        by_name: dict[str, list[Municipality]] = defaultdict(list)
        for municipality in current:
            for name in {municipality.name, *municipality.name.split(" - ")}:
                by_name[fold(name)].append(municipality)
        self.ambiguous = {key: found for key, found in by_name.items() if len(found) > 1}
        pairs: list[tuple[str, Municipality]] = []
        for municipality in current:
            pairs.append((municipality.number, municipality))
            pairs.append((f"{municipality.name} ({municipality.number})", municipality))
            for name in {municipality.name, *municipality.name.split(" - ")}:
                if fold(name) not in self.ambiguous:
                    pairs.append((name, municipality))
        self.lookup = NameLookup(_("kommune"), pairs)

    def get(self, text: str) -> Municipality:
        found = self.ambiguous.get(fold(text))
        if found:
            options = _(" eller ").join(f"«{m.name} ({m.number})» ({m.county})" for m in found)
            raise ValueError(
                _("Flere kommuner heter «{name}»; skriv kommunenummeret: {options}.").format(
                    name=text, options=options
                )
            )
        return self.lookup.get(text)

    def get_list(self, text: str) -> list[Municipality]:
        found: list[Municipality] = []
        errors: list[str] = []
        for part in split_list(text):
            try:
                municipality = self.get(part)
            except ValueError as exc:
                errors.append(str(exc))
                continue
            if municipality not in found:
                found.append(municipality)
        if errors:
            raise ValueError(" ".join(errors))
        return found


class _TeamLookups(Importer):
    """Lookups the team importers share."""

    def prepare(self) -> None:
        self.model_types = NameLookup(
            _("tjenestemodell"),
            [pair for t in TeamModelType.objects.all() for pair in ((t.name, t), (t.code, t))],
        )
        self.municipalities = MunicipalityLookup()
        self.districts = NameLookup(_("bydel"), [(d.name, d) for d in CityDistrict.objects.all()])
        self.organizations = NameLookup(
            _("organisasjon"),
            [
                pair
                for org in Organization.objects.all()
                for pair in [(org.name, org), *((alias, org) for alias in org.alias_list())]
            ],
        )
        self.regions = NameLookup(
            _("region"),
            [pair for r in Region.objects.all() for pair in ((r.name, r), (r.code, r))],
        )

    def clean_model_type(self, text: str) -> TeamModelType:
        return self.model_types.get(text)

    def clean_municipalities(self, text: str) -> list[Municipality]:
        return self.municipalities.get_list(text)

    def clean_districts(self, text: str) -> list[CityDistrict]:
        return self.districts.get_list(text)

    def clean_organizations(self, text: str) -> list[Organization]:
        return self.organizations.get_list(text)

    def clean_organization(self, text: str) -> Organization:
        return self.organizations.get(text)

    def clean_region(self, text: str) -> Region:
        return self.regions.get(text)


def _duplicates(rows: list[Row], file: str, what: str) -> list[Problem]:
    seen: dict[tuple[int, str], int] = {}
    problems = []
    for row in rows:
        key = (row.values["model_type"].pk, fold(row.values["name"]))
        if key in seen:
            problems.append(
                Problem(
                    file,
                    _("{what} «{name}» står også i rad {row}.").format(
                        what=what, name=row.values["name"], row=seen[key]
                    ),
                    row.sheet,
                    row.number,
                    _("Navn"),
                )
            )
        seen.setdefault(key, row.number)
    return problems


class TeamImporter(_TeamLookups):
    """Teams with owners and status; an existing team (same model and name) is updated."""

    kind = "teams"
    label = "team"
    columns: ClassVar[list[Column]] = [
        Column("Modell", "model_type", "clean_model_type", required=True),
        Column("Navn", "name", _name, required=True, aliases=("Team", "Teamnavn")),
        Column("Kommuner", "municipalities", "clean_municipalities", aliases=("Kommune",)),
        Column("Bydeler", "districts", "clean_districts", aliases=("Bydel",)),
        Column(
            "Helseforetak",
            "organizations",
            "clean_organizations",
            aliases=("Andre eiere", "Eiere (helseforetak)"),
        ),
        Column("Region", "region", "clean_region"),
        Column("Startdato", "start_date", parse_date, aliases=("Oppstart",)),
        Column(
            "Status",
            "status",
            _choice(TeamStatus.Status, _("teamstatus")),
        ),
        Column("Statusdato", "status_date", parse_date, aliases=("Status fra",)),
        Column("Kontakt", "contact", "clean_organization", aliases=("Kontaktorganisasjon",)),
        Column("Plassholder", "is_placeholder", parse_yes_no),
        Column("Merknad", "notes", normalize_space, aliases=("Merknader",)),
    ]

    def check_row(self, values: dict[str, Any]) -> None:
        if not values.get("municipalities") and not values.get("districts"):
            raise CellError(_("Kommuner"), _("Teamet må ha minst én eierkommune eller bydel."))
        status = values.get("status")
        if status and status != TeamStatus.Status.ESTABLISHED and not values.get("status_date"):
            raise CellError(_("Statusdato"), _("Oppgi fra hvilken dato statusen gjelder."))

    def check_all(self, rows: list[Row]) -> list[Problem]:
        return _duplicates(rows, self.file_name, _("Teamet"))

    def save(self, rows: list[Row]) -> tuple[int, int]:
        existing = {
            (team.model_type_id, fold(team.name)): team
            for team in ServiceTeam.objects.filter(center=self.center)
        }
        added = updated = 0
        for row in rows:
            v = row.values
            team = existing.get((v["model_type"].pk, fold(v["name"])))
            status = v.get("status") or TeamStatus.Status.ESTABLISHED
            if team is None:
                team = services.create_team(
                    center=self.center,
                    model_type=v["model_type"],
                    name=v["name"],
                    start_date=v.get("start_date"),
                    municipalities=v.get("municipalities", []),
                    districts=v.get("districts", []),
                    organizations=v.get("organizations", []),
                    region=v.get("region"),
                    contact_organization=v.get("contact"),
                    is_placeholder=bool(v.get("is_placeholder")),
                    notes=v.get("notes", ""),
                )
                added += 1
            else:
                team.start_date = v.get("start_date", team.start_date)
                team.region = v.get("region", team.region)
                team.contact_organization = v.get("contact", team.contact_organization)
                team.is_placeholder = bool(v.get("is_placeholder", team.is_placeholder))
                team.notes = v.get("notes", team.notes)
                team.save()
                team.municipalities.set(v.get("municipalities", []))
                team.districts.set(v.get("districts", []))
                team.organizations.set(v.get("organizations", []))
                updated += 1
            status_date = v.get("status_date")
            if status_date is not None:
                services.set_team_status(team=team, status=status, valid_from=status_date)
        return added, updated


class PilotProjectImporter(_TeamLookups):
    """Pilot projects (forprosjekter) with grant years and outcome."""

    kind = "pilot-projects"
    label = "forprosjekter"
    columns: ClassVar[list[Column]] = [
        Column("Modell", "model_type", "clean_model_type", required=True),
        Column("Navn", "name", _name, required=True, aliases=("Forprosjekt",)),
        Column("Kommuner", "municipalities", "clean_municipalities", aliases=("Kommune",)),
        Column("Helseforetak", "organizations", "clean_organizations"),
        Column("Region", "region", "clean_region"),
        Column("Tilskuddsår", "grant_years", _years, required=True),
        Column("Utfall", "outcome", _choice(PilotProject.Outcome, _("utfall"))),
        Column("Avsluttet", "ended_on", parse_date),
        Column("Team", "team", _name, aliases=("Ble team",)),
        Column("Plassholder", "is_placeholder", parse_yes_no),
    ]

    def prepare(self) -> None:
        super().prepare()
        self.teams = {
            (team.model_type_id, fold(team.name)): team
            for team in ServiceTeam.objects.filter(center=self.center)
        }

    def check_row(self, values: dict[str, Any]) -> None:
        team_name = values.get("team")
        if team_name:
            team = self.teams.get((values["model_type"].pk, fold(team_name)))
            if team is None:
                raise CellError(
                    _("Team"),
                    _("Ukjent {model}-team «{name}».").format(
                        model=values["model_type"], name=team_name
                    ),
                )
            values["team"] = team
        if values.get("outcome") == PilotProject.Outcome.BECAME_TEAM and not team_name:
            raise CellError(_("Team"), _("Oppgi teamet forprosjektet ble til."))

    def check_all(self, rows: list[Row]) -> list[Problem]:
        problems = _duplicates(rows, self.file_name, _("Forprosjektet"))
        existing = {
            (p.model_type_id, fold(p.name)) for p in PilotProject.objects.filter(center=self.center)
        }
        for row in rows:
            if (row.values["model_type"].pk, fold(row.values["name"])) in existing:
                problems.append(
                    Problem(
                        self.file_name,
                        _("Forprosjektet «{name}» er allerede registrert.").format(
                            name=row.values["name"]
                        ),
                        row.sheet,
                        row.number,
                        _("Navn"),
                    )
                )
        return problems

    def save(self, rows: list[Row]) -> tuple[int, int]:
        for row in rows:
            v = row.values
            services.create_pilot_project(
                center=self.center,
                model_type=v["model_type"],
                name=v["name"],
                grant_years=v["grant_years"],
                municipalities=v.get("municipalities", []),
                organizations=v.get("organizations", []),
                region=v.get("region"),
                outcome=v.get("outcome", PilotProject.Outcome.ONGOING),
                ended_on=v.get("ended_on"),
                team=v.get("team"),
                is_placeholder=bool(v.get("is_placeholder")),
            )
        return len(rows), 0


class FidelityReviewImporter(_TeamLookups):
    """Fidelity reviews as a list (team, date, scale version, preconditions); item
    scores are entered per review, not through this list."""

    kind = "fidelity-reviews"
    label = "fidelitymålinger"
    reject_duplicate_rows = True
    columns: ClassVar[list[Column]] = [
        Column("Modell", "model_type", "clean_model_type", required=True),
        Column("Team", "team", _name, required=True),
        Column("Dato", "date", parse_date, required=True),
        Column("Skala", "scale", normalize_space, required=True),
        Column("Versjon", "version", normalize_space, required=True),
        Column("Status", "status", _choice(FidelityReview.Status, _("status"))),
        Column("Samarbeidsavtale signert", "agreement_signed_on", parse_date),
        Column("Tilrådning personvernombud", "dpo_approved_on", parse_date),
        Column("Delt med", "shared_with", "clean_centers"),
        Column("Oppfølging", "follow_up", normalize_space),
    ]

    def prepare(self) -> None:
        super().prepare()
        self.teams = {
            (team.model_type_id, fold(team.name)): team
            for team in ServiceTeam.objects.filter(center=self.center)
        }
        self.centers = NameLookup(
            _("senter"),
            [pair for c in Center.objects.all() for pair in ((c.slug, c), (c.short_name, c))],
        )
        self.versions = {
            (fold(v.scale.key), fold(v.version)): v
            for v in services.FidelityScaleVersion.objects.filter(
                center=self.center
            ).select_related("scale")
        }

    def clean_centers(self, text: str) -> list[Center]:
        return self.centers.get_list(text)

    def check_row(self, values: dict[str, Any]) -> None:
        team = self.teams.get((values["model_type"].pk, fold(values["team"])))
        if team is None:
            raise CellError(
                _("Team"),
                _("Ukjent {model}-team «{name}».").format(
                    model=values["model_type"], name=values["team"]
                ),
            )
        values["team"] = team
        version = self.versions.get((fold(values["scale"]), fold(values["version"])))
        if version is None:
            known = ", ".join(f"{k} {v}" for k, v in self.versions) or _("ingen")
            raise CellError(
                _("Versjon"),
                _("Ukjent skalaversjon «{scale} {version}». Registrerte: {known}.").format(
                    scale=values["scale"], version=values["version"], known=known
                ),
            )
        values["scale_version"] = version
        status = values.get("status", FidelityReview.Status.PLANNED)
        if status != FidelityReview.Status.PLANNED and not (
            values.get("agreement_signed_on") and values.get("dpo_approved_on")
        ):
            raise CellError(
                _("Status"),
                _(
                    "En måling kan ikke være startet eller fullført uten signert "
                    "samarbeidsavtale og tilrådning fra personvernombudet."
                ),
            )

    def save(self, rows: list[Row]) -> tuple[int, int]:
        for row in rows:
            v = row.values
            try:
                services.record_review(
                    center=self.center,
                    team=v["team"],
                    date=v["date"],
                    scale_version=v["scale_version"],
                    status=v.get("status", FidelityReview.Status.PLANNED),
                    agreement_signed_on=v.get("agreement_signed_on"),
                    dpo_approved_on=v.get("dpo_approved_on"),
                    shared_with=v.get("shared_with", []),
                    follow_up=v.get("follow_up", ""),
                )
            except ValidationError as exc:  # pragma: no cover - check_row rules this out
                raise ValueError(" ".join(exc.messages)) from exc
        return len(rows), 0


TEAM_IMPORTERS: dict[str, type[Importer]] = {
    TeamImporter.kind: TeamImporter,
    PilotProjectImporter.kind: PilotProjectImporter,
    FidelityReviewImporter.kind: FidelityReviewImporter,
}

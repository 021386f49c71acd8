"""Forms of the team pages: a team, a status change, a pilot project, a fidelity review.

The forms read and tidy what was typed; the rules live in ``services``, whose
refusals (by field) the views put back on the form.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oppdrag.core.models import Center, CityDistrict, Municipality, Organization
from oppdrag.web.forms import DateInput, search_as_you_type
from oppdrag.web.widgets import plain_widgets

from .models import (
    FidelityReview,
    PilotProject,
    ReviewRater,
    ServiceTeam,
    TeamModelType,
    TeamStatus,
)
from .scales import Scale

MULTIPLE = _("Hold nede Ctrl (Cmd på Mac) for å velge flere.")
# Rater columns the review form offers; more raters than this are rare in practice.
MAX_RATERS = 6


def _style(form: forms.Form) -> None:
    for name, field in form.fields.items():
        field.widget.attrs.setdefault("class", "ds-input")
        field.widget.attrs.setdefault("id", f"id_{name}")
    plain_widgets(form)


def _municipalities() -> Any:
    return Municipality.objects.filter(valid_to__isnull=True).order_by("name")


class TeamForm(forms.Form):
    model_type = forms.ModelChoiceField(
        label=_("Modell"), queryset=TeamModelType.objects.all(), empty_label=None
    )
    name = forms.CharField(label=_("Navn"), max_length=200)
    start_date = forms.DateField(label=_("Startdato"), required=False, widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status fra startdatoen"),
        choices=[c for c in TeamStatus.Status.choices if c[0] != TeamStatus.Status.CLOSED],
        initial=TeamStatus.Status.ESTABLISHED,
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Eierkommuner"), queryset=Municipality.objects.none(), required=False
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Eierbydeler"),
        queryset=CityDistrict.objects.order_by("name"),
        required=False,
        help_text=MULTIPLE,
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Helseforetak og andre eiere"),
        queryset=Organization.objects.order_by("name"),
        required=False,
    )
    contact_organization = forms.ModelChoiceField(
        label=_("Kontaktorganisasjon"),
        queryset=Organization.objects.order_by("name"),
        required=False,
    )
    notes = forms.CharField(
        label=_("Merknader"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, center: Center, creating: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["municipalities"].queryset = _municipalities()
        if not creating:
            del self.fields["status"]
        _style(self)
        search_as_you_type(fields["municipalities"], center, "web:lookup_municipalities")
        search_as_you_type(fields["organizations"], center, "web:lookup_organizations")

    @staticmethod
    def initial_for(team: ServiceTeam) -> dict[str, Any]:
        return {
            "model_type": team.model_type_id,
            "name": team.name,
            "start_date": team.start_date,
            "municipalities": [m.pk for m in team.municipalities.all()],
            "districts": [d.pk for d in team.districts.all()],
            "organizations": [o.pk for o in team.organizations.all()],
            "contact_organization": team.contact_organization_id,
            "notes": team.notes,
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Ny status"), choices=TeamStatus.Status.choices, initial=TeamStatus.Status.CLOSED
    )
    valid_from = forms.DateField(label=_("Fra dato"), widget=DateInput())
    note = forms.CharField(label=_("Merknad"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("prefix", "status")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "ds-input")
            field.widget.attrs.setdefault("id", f"id_status_{name}")
        plain_widgets(self)


class PilotForm(forms.Form):
    model_type = forms.ModelChoiceField(
        label=_("Modell"), queryset=TeamModelType.objects.all(), empty_label=None
    )
    name = forms.CharField(label=_("Navn"), max_length=200)
    grant_years = forms.CharField(
        label=_("Tilskuddsår"),
        required=False,
        help_text=_("Årene forprosjektet fikk tilskudd, skilt med komma, f.eks. 2024, 2025."),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Kommuner"), queryset=Municipality.objects.none(), required=False
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organisasjoner"), queryset=Organization.objects.order_by("name"), required=False
    )
    outcome = forms.ChoiceField(label=_("Utfall"), choices=PilotProject.Outcome.choices)
    ended_on = forms.DateField(label=_("Avsluttet"), required=False, widget=DateInput())
    team = forms.ModelChoiceField(
        label=_("Ble teamet"), queryset=ServiceTeam.objects.none(), required=False
    )

    def __init__(self, *args: Any, center: Center, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["municipalities"].queryset = _municipalities()
        fields["team"].queryset = ServiceTeam.objects.filter(center=center).select_related(
            "model_type"
        )
        _style(self)
        search_as_you_type(fields["municipalities"], center, "web:lookup_municipalities")
        search_as_you_type(fields["organizations"], center, "web:lookup_organizations")

    def clean_grant_years(self) -> list[int]:
        text = self.cleaned_data.get("grant_years", "")
        parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
        if len(parts) > 50:
            raise forms.ValidationError(gettext("Oppgi høyst 50 år."))
        years = []
        for part in parts:
            if not (part.isascii() and part.isdigit() and len(part) == 4):
                raise forms.ValidationError(
                    gettext("«{part}» er ikke et årstall (fire sifre).").format(part=part[:20])
                )
            years.append(int(part))
        return years

    @staticmethod
    def initial_for(pilot: PilotProject) -> dict[str, Any]:
        return {
            "model_type": pilot.model_type_id,
            "name": pilot.name,
            "grant_years": ", ".join(str(y) for y in pilot.grant_years or []),
            "municipalities": [m.pk for m in pilot.municipalities.all()],
            "organizations": [o.pk for o in pilot.organizations.all()],
            "outcome": pilot.outcome,
            "ended_on": pilot.ended_on,
            "team": pilot.team_id,
        }


SCORE = re.compile(r"-?[0-9]{1,4}(?:\.[0-9]{1,4})?")


def parse_score(text: str) -> Decimal | None:
    """A score as typed: «4», «3,5» or «3.5»; empty is None. ValueError otherwise
    (words, exponents, more than four digits on either side of the comma)."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    if not SCORE.fullmatch(text):
        raise ValueError(text[:20])
    return Decimal(text)


class ScoreField(forms.CharField):
    """A score typed as text (so «3,5» works in every browser); cleans to a Decimal."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "size": "4", "autocomplete": "off"})

    def clean(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().clean(value)
        try:
            return parse_score(text or "")
        except ValueError as exc:
            raise forms.ValidationError(
                gettext("«{text}» er ikke en skår.").format(text=str(text)[:10])
            ) from exc


class ReviewForm(forms.Form):
    """A review with one score field per item of the scale, for each rater and for the
    consensus: the scale is data, so the fields come from its definition."""

    date = forms.DateField(label=_("Dato for målingen"), widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"),
        choices=FidelityReview.Status.choices,
        initial=FidelityReview.Status.COMPLETED,
    )
    agreement_signed_on = forms.DateField(
        label=_("Samarbeidsavtale signert"),
        required=False,
        widget=DateInput(),
        help_text=_("Målingen kan ikke starte uten signert samarbeidsavtale."),
    )
    dpo_approved_on = forms.DateField(
        label=_("Tilrådning fra personvernombud"),
        required=False,
        widget=DateInput(),
        help_text=_("Målingen kan ikke starte uten tilrådning fra personvernombudet."),
    )
    follow_up = forms.CharField(
        label=_("Oppfølging"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Del med partnersentre"),
        queryset=Center.objects.none(),
        required=False,
        help_text=MULTIPLE,
    )

    def __init__(self, *args: Any, center: Center, scale: Scale | None, raters: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.scale = scale
        self.rater_count = raters
        fields: Any = self.fields
        fields["shared_with"].queryset = (
            Center.objects.filter(kind=Center.Kind.CENTRE).exclude(pk=center.pk).order_by("name")
        )
        for n in range(1, raters + 1):
            self.fields[f"r{n}_name"] = forms.CharField(
                label=gettext("Bedømmer {n}: navn").format(n=n), max_length=200, required=False
            )
            self.fields[f"r{n}_organization"] = forms.ModelChoiceField(
                label=gettext("Bedømmer {n}: senter eller organisasjon").format(n=n),
                queryset=Organization.objects.order_by("name"),
                required=False,
            )
            self.fields[f"r{n}_role"] = forms.ChoiceField(
                label=gettext("Bedømmer {n}: rolle").format(n=n),
                choices=ReviewRater.Role.choices,
                initial=ReviewRater.Role.LEAD if n == 1 else ReviewRater.Role.RATER,
            )
        # The organisations are read once for every rater's select, not once per rater.
        organizations = list(fields["r1_organization"].choices) if raters else []
        for n in range(1, raters + 1):
            fields[f"r{n}_organization"].widget.choices = organizations
        if scale is not None:
            for item in scale.items:
                for n in range(1, raters + 1):
                    self.fields[f"r{n}_{item.code}"] = ScoreField(
                        label=gettext("{code} {name}, bedømmer {n}").format(
                            code=item.code, name=item.name, n=n
                        )
                    )
                self.fields[f"c_{item.code}"] = ScoreField(
                    label=gettext("{code} {name}, konsensus").format(code=item.code, name=item.name)
                )
                self.fields[f"k_{item.code}"] = forms.CharField(
                    label=gettext("{code} {name}, kommentar").format(
                        code=item.code, name=item.name
                    ),
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 1}),
                )
        _style(self)

    def rater_fields(self) -> list[list[forms.BoundField]]:
        """(name, organization, role) of each rater, for the template."""
        return [
            [self[f"r{n}_name"], self[f"r{n}_organization"], self[f"r{n}_role"]]
            for n in range(1, self.rater_count + 1)
        ]

    def item_rows(self) -> list[tuple[str, list[tuple[Any, list[forms.BoundField]]]]]:
        """(section name, [(item, [rater fields…, consensus, comment])]) for the template."""
        if self.scale is None:
            return []
        return [
            (
                section.name,
                [
                    (
                        item,
                        [self[f"r{n}_{item.code}"] for n in range(1, self.rater_count + 1)]
                        + [self[f"c_{item.code}"], self[f"k_{item.code}"]],
                    )
                    for item in section.items
                ],
            )
            for section in self.scale.sections
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, self.rater_count + 1):
            has_scores = self.scale is not None and any(
                data.get(f"r{n}_{code}") is not None for code in self.scale.item_codes
            )
            if has_scores and not (data.get(f"r{n}_name") or "").strip():
                self.add_error(
                    f"r{n}_name",
                    gettext("Bedømmer {n} har skårer, men mangler navn.").format(n=n),
                )
        return data

    def raters(self) -> list[dict[str, Any]]:
        """The named raters with their scores, as ``services.RaterInput`` arguments."""
        data = self.cleaned_data
        found = []
        for n in range(1, self.rater_count + 1):
            name = (data.get(f"r{n}_name") or "").strip()
            if not name:
                continue
            scores = {}
            if self.scale is not None:
                scores = {
                    code: data[f"r{n}_{code}"]
                    for code in self.scale.item_codes
                    if data.get(f"r{n}_{code}") is not None
                }
            found.append(
                {
                    "name": name,
                    "organization": data.get(f"r{n}_organization"),
                    "role": data.get(f"r{n}_role") or ReviewRater.Role.RATER,
                    "scores": scores,
                }
            )
        return found

    def consensus(self) -> dict[str, Decimal]:
        if self.scale is None:
            return {}
        return {
            code: self.cleaned_data[f"c_{code}"]
            for code in self.scale.item_codes
            if self.cleaned_data.get(f"c_{code}") is not None
        }

    def comments(self) -> dict[str, str]:
        if self.scale is None:
            return {}
        return {
            code: text
            for code in self.scale.item_codes
            if (text := (self.cleaned_data.get(f"k_{code}") or "").strip())
        }

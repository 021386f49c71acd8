"""Forms of the staff pages for evaluations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oppdrag.activities.models import Event, EventSeries
from oppdrag.core.models import Center
from oppdrag.teams.models import TeamModelType
from oppdrag.web.forms import DateInput
from oppdrag.web.widgets import plain_widgets

from . import answers
from .models import Question, Questionnaire

MAX_OPTIONS = 30


class QuestionnaireForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
    purpose = forms.ChoiceField(label=_("Bruk"), choices=Questionnaire.Purpose.choices)
    intro = forms.CharField(
        label=_("Innledning på skjemaet"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    base_on_standard = forms.BooleanField(
        label=_("Start med spørsmålene i standardevalueringen"), required=False, initial=True
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Spørsmål"), max_length=500)
    kind = forms.ChoiceField(label=_("Type"), choices=Question.Kind.choices)
    required = forms.BooleanField(label=_("Påkrevd"), required=False)
    section = forms.CharField(label=_("Del (valgfritt)"), max_length=200, required=False)
    options = forms.CharField(
        label=_("Svaralternativer, ett per linje"),
        help_text=_(
            "For ett eller flere valg: alternativene. For skala: fem merkelapper, 1 til 5."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    minimum = forms.FloatField(label=_("Minste verdi (tall)"), required=False)
    maximum = forms.FloatField(label=_("Største verdi (tall)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = [line.strip() for line in (data.get("options") or "").splitlines() if line.strip()]
        kind = data.get("kind")
        if kind in (answers.SINGLE, answers.MULTIPLE):
            if len(lines) < 2:
                self.add_error("options", _("Skriv minst to svaralternativer, ett per linje."))
            if len(set(lines)) != len(lines):
                self.add_error("options", _("To svaralternativer er like."))
        if kind == answers.SCALE and len(lines) not in (0, 5):
            self.add_error("options", _("En skala har fem merkelapper, eller ingen."))
        if len(lines) > MAX_OPTIONS:
            self.add_error("options", _("Høyst 30 svaralternativer."))
        if any(len(line) > 200 for line in lines):
            self.add_error("options", _("Et svaralternativ kan være høyst 200 tegn."))
        low, high = data.get("minimum"), data.get("maximum")
        if low is not None and high is not None and low > high:
            self.add_error("maximum", _("Største verdi er mindre enn minste verdi."))
        data["option_list"] = tuple(lines) if kind != answers.TEXT else ()
        return data


class AttachForm(forms.Form):
    target = forms.ChoiceField(label=_("Arrangement eller serie"))
    questionnaire = forms.ModelChoiceField(label=_("Skjema"), queryset=Questionnaire.objects.none())
    closes_on = forms.DateField(label=_("Stenger (dato)"), required=False, widget=DateInput())
    one_per_device = forms.BooleanField(label=_("Ett svar per enhet"), required=False, initial=True)

    def __init__(self, *args: Any, center: Center, questionnaires: Any, year: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.center = center
        self.fields["questionnaire"].queryset = questionnaires.filter(  # type: ignore[attr-defined]
            purpose=Questionnaire.Purpose.EVENT
        )
        events = Event.objects.filter(center=center, year=year).order_by("date_start", "title")
        series = EventSeries.objects.filter(center=center, year=year).order_by("name")
        self.fields["target"].choices = [  # type: ignore[attr-defined]
            (str(_("Serier")), [(f"series:{s.uid}", s.name) for s in series]),
            (
                str(_("Arrangementer")),
                [
                    (
                        f"event:{e.uid}",
                        f"{e.date_start:%d.%m.%Y} {e.title}" if e.date_start else e.title,
                    )
                    for e in events
                ],
            ),
        ]
        plain_widgets(self)

    def clean_target(self) -> Any:
        kind, _sep, uid = self.cleaned_data["target"].partition(":")
        model = Event if kind == "event" else EventSeries
        target = model.objects.filter(center=self.center, uid=uid).first()  # type: ignore[attr-defined]
        if target is None:
            raise forms.ValidationError(_("Velg et arrangement eller en serie fra listen."))
        return target


class TeamSurveyForm(forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=300)
    team_type = forms.ModelChoiceField(
        label=_("Team av modellen"), queryset=TeamModelType.objects.all()
    )
    questionnaire = forms.ModelChoiceField(label=_("Skjema"), queryset=Questionnaire.objects.none())
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    closes_on = forms.DateField(label=_("Stenger (dato)"), required=False, widget=DateInput())
    email = forms.EmailField(
        label=_("Send lenkene til denne e-postadressen (valgfritt)"),
        required=False,
        help_text=_("Adressen brukes bare til denne sendingen og lagres ikke."),
    )

    def __init__(self, *args: Any, questionnaires: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = questionnaires  # type: ignore[attr-defined]
        plain_widgets(self)


class ReminderForm(forms.Form):
    email = forms.EmailField(
        label=_("E-postadresse"),
        help_text=_("Lenkene til teamene som ikke har svart sendes hit. Adressen lagres ikke."),
    )

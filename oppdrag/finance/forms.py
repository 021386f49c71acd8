"""Forms of the finance pages. Amounts are read with the Norwegian amount parser."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from oppdrag.grants.models import Assignment
from oppdrag.web.forms import DateInput
from oppdrag.web.widgets import plain_widgets

from .amounts import parse_amount
from .models import AuditorConfirmation, CostType, Funding, Source

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class StyledForm(forms.Form):
    """A form whose inputs carry the design system's class."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput | forms.HiddenInput):
                field.widget.attrs.setdefault("class", "ds-input")
        plain_widgets(self)


class AmountField(forms.CharField):
    """Kroner and øre as typed: 1 234,50, −1 234 or (1 234)."""

    # The text is limited here, not by a max_length validator, which would be run on
    # the cleaned Decimal.
    LIMIT = 40

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("maxlength", str(self.LIMIT))

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > self.LIMIT:
            raise forms.ValidationError(_("Beløpet er for langt."))
        try:
            return parse_amount(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return value


class FundingForm(StyledForm):
    grantor = forms.CharField(
        label=_("Tilskuddsgiver"), max_length=200, initial="Helsedirektoratet"
    )
    reference = forms.CharField(
        label=_("Tilskuddsbrev (dato eller saksnummer)"), max_length=200, required=False
    )
    chapter = forms.RegexField(
        label=_("Kapittel"), regex=r"^[0-9]{3,4}$", required=False, max_length=4,
        error_messages={"invalid": _("Kapittelet er tre eller fire siffer, for eksempel 765.")},
    )  # fmt: skip
    post = forms.RegexField(
        label=_("Post"), regex=r"^[0-9]{2}$", required=False, max_length=2,
        error_messages={"invalid": _("Posten er to siffer, for eksempel 74.")},
    )  # fmt: skip
    amount = AmountField(label=_("Tilskudd (kr)"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("chapter")) != bool(data.get("post")):
            raise forms.ValidationError(_("Oppgi både kapittel og post, eller ingen av dem."))
        amount = data.get("amount")
        if amount is not None and amount < 0:
            self.add_error("amount", _("Tilskuddet kan ikke være negativt."))
        return data


class BudgetItemForm(StyledForm):
    source = forms.ChoiceField(label=_("Finansiering"), choices=Source.choices)
    funding = forms.ModelChoiceField(
        label=_("Budsjettpost"), queryset=Funding.objects.none(), required=False
    )
    assignment = forms.ModelChoiceField(
        label=_("Oppdrag"),
        queryset=Assignment.objects.none(),
        required=False,
        empty_label=_("Felles (uten oppdrag)"),
    )
    cost_type = forms.ChoiceField(label=_("Kostnadstype"), choices=CostType.choices)
    amount = AmountField(label=_("Beløp (kr)"), required=False)

    def __init__(self, *args: Any, center: Any, year: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fundings = Funding.objects.filter(center=center, year=year)
        self.fields["funding"].queryset = fundings  # type: ignore[attr-defined]
        self.fields["assignment"].queryset = Assignment.objects.filter(  # type: ignore[attr-defined]
            center=center, year=year
        ).order_by("sort_key")
        self.fundings = fundings

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("amount") is None:
            return data
        if data.get("source") == Source.GRANT and data.get("funding") is None:
            only = list(self.fundings[:2])
            if len(only) == 1:
                data["funding"] = only[0]
            else:
                self.add_error("funding", _("Velg budsjettposten for tilskuddsmidler."))
        return data


class BaseItemFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, center: Any, year: int, **kwargs: Any):
        self.center, self.year = center, year
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"center": self.center, "year": self.year}


BudgetItemFormSet = forms.formset_factory(
    BudgetItemForm, formset=BaseItemFormSet, extra=3, max_num=500, validate_max=True
)


class RevisionForm(StyledForm):
    note = forms.CharField(
        label=_("Begrunnelse for endringen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class LedgerUploadForm(StyledForm):
    file = forms.FileField(label=_("Fil fra regnskapssystemet (CSV eller XLSX)"))
    start = forms.DateField(label=_("Perioden fra"), widget=DateInput())
    end = forms.DateField(label=_("Perioden til"), widget=DateInput())

    def __init__(self, *args: Any, year: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("Perioden slutter før den begynner."))
            if start.year != self.year or end.year != self.year:
                raise forms.ValidationError(
                    _("Perioden må ligge i tilskuddsåret {year}.").format(year=self.year)
                )
        upload = data.get("file")
        if upload is not None and upload.size > settings.IMPORT_MAX_BYTES:
            self.add_error("file", _("Filen er for stor."))
        return data


class BudgetUploadForm(StyledForm):
    file = forms.FileField(label=_("Budsjett som regneark (CSV eller XLSX)"))


class AccountMappingForm(StyledForm):
    account = forms.CharField(label=_("Konto"), max_length=20)
    name = forms.CharField(label=_("Kontonavn"), max_length=200, required=False)
    cost_type = forms.ChoiceField(
        label=_("Kostnadstype"),
        choices=[("", _("Ikke forbruk (holdes utenfor)")), *CostType.choices],
        required=False,
    )


class LedgerProjectForm(StyledForm):
    code = forms.CharField(label=_("Prosjekt eller avdeling"), max_length=30)
    name = forms.CharField(label=_("Navn"), max_length=200, required=False)
    assignment = forms.ModelChoiceField(
        label=_("Oppdrag"),
        queryset=Assignment.objects.none(),
        required=False,
        empty_label=_("Felles (uten oppdrag)"),
    )
    funding = forms.ModelChoiceField(
        label=_("Budsjettpost"),
        queryset=Funding.objects.none(),
        required=False,
        empty_label=_("Fordeles på postene"),
    )

    def __init__(self, *args: Any, center: Any, year: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = Assignment.objects.filter(  # type: ignore[attr-defined]
            center=center, year=year
        ).order_by("sort_key")
        self.fields["funding"].queryset = Funding.objects.filter(  # type: ignore[attr-defined]
            center=center, year=year
        )


class SettingsForm(StyledForm):
    deviation_percent = forms.DecimalField(
        label=_("Avvik som må forklares, over (prosent)"),
        min_value=0,
        max_value=1000,
        decimal_places=2,
    )
    deviation_minimum = AmountField(label=_("… og minst (kr)"))
    report_chapter = forms.BooleanField(
        label=_("Ta med kapittelet «Budsjett og regnskap» i årsrapporten"), required=False
    )


class ExplanationForm(StyledForm):
    key = forms.CharField(max_length=60, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Forklaring"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class AuditorForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), choices=AuditorConfirmation.Status.choices)
    engagement = forms.ChoiceField(
        label=_("Type uttalelse"), choices=AuditorConfirmation.Engagement.choices
    )
    auditor = forms.CharField(label=_("Revisor"), max_length=200, required=False)
    document = forms.FileField(label=_("Revisors bekreftelse (PDF)"), required=False)

    def clean_document(self) -> Any:
        upload = self.cleaned_data.get("document")
        if upload is None:
            return None
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("Dokumentet er for stort (høyst 20 MB)."))
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("Dokumentet må være en PDF-fil."))
        return upload

"""The key-figures page and the page where a centre chooses them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from oppdrag.core.models import Membership
from oppdrag.web.access import center_view

from .catalogue import CATALOGUE
from .forms import SelectionForm
from .keyfigures import chosen_figures, key_figure_inputs
from .selection import choose_key_figures, selection_for


@center_view()
def key_figures_page(request: HttpRequest, year: int) -> HttpResponse:
    """The year's chosen key figures, each with its source beside it."""
    center = request.center  # type: ignore[attr-defined]
    chosen = chosen_figures(center, year, key_figure_inputs(center, year))
    return render(
        request,
        "figures/key_figures.html",
        {
            "year": year,
            "chosen": chosen,
            "can_choose": request.membership.role == Membership.Role.ADMIN,  # type: ignore[attr-defined]
        },
    )


@center_view(Membership.Role.ADMIN)
def choose_page(request: HttpRequest, year: int) -> HttpResponse:
    """Choose the key figures and their order from ``year`` on (centre administrators)."""
    center = request.center  # type: ignore[attr-defined]
    current = selection_for(center, year)
    form = SelectionForm(
        request.POST or None,
        chosen=current.keys,
        initial={"reach_counting": current.reach_counting},
    )
    if request.method == "POST" and form.is_valid():
        try:
            choose_key_figures(
                center=center,
                user=request.user,
                year=year,
                keys=form.chosen_keys(),
                reach_counting=form.cleaned_data["reach_counting"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Nøkkeltallene er lagret og gjelder fra {year}.").format(year=year),
            )
            return redirect("figures:key_figures", center=center.slug, year=year)
    return render(
        request,
        "figures/choose.html",
        {"year": year, "form": form, "current": current, "catalogue": CATALOGUE},
    )

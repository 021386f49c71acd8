"""The signed-in user's own API tokens: make one (shown once) or revoke one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken
from .tokens import create_token


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    key = None
    user: Any = request.user
    if request.method == "POST" and "revoke" in request.POST:
        pk = request.POST["revoke"]
        # A number the form never sends ("abc", "²") is no key of the user's either.
        revoked = (pk.isascii() and pk.isdigit()) and ApiToken.objects.filter(
            user=user, pk=pk, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        if revoked:
            messages.success(request, _("Nøkkelen er trukket tilbake."))
        else:
            messages.error(request, _("Fant ingen aktiv nøkkel å trekke tilbake."))
        return redirect("api:tokens")
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100]
        _token, key = create_token(user, name)
    return render(
        request,
        "api/tokens.html",
        {"tokens": ApiToken.objects.filter(user=user), "key": key},
    )

"""What the staff interface keeps besides the registries: request counts for rate limits."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateLimitHit(models.Model):
    """One counted request under a limit (``web.ratelimit``): in the database, so every
    process sees the same count. ``key`` is a keyed hash of what is limited (an address,
    an e-mail address), never the value itself; rows older than the window are deleted."""

    scope = models.CharField(_("område"), max_length=40)
    key = models.CharField(_("nøkkel"), max_length=64)
    at = models.DateTimeField(_("tidspunkt"), db_index=True)

    class Meta:
        verbose_name = _("telt forespørsel")
        verbose_name_plural = _("telte forespørsler")
        indexes = [models.Index(fields=["scope", "key", "at"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M}"

"""API tokens: a script's key, stored only as a hash, tied to one user."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A token carries the rights of its user's memberships and nothing more.

    Only a SHA-256 hash of the key is kept (the key is random, 256 bits, so a slow
    hash adds nothing); ``prefix`` is the key's first characters, shown so a user can
    tell their tokens apart and revoke one.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruker"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("navn"), max_length=100, blank=True)
    prefix = models.CharField(_("prefiks"), max_length=12, db_index=True)
    key_hash = models.CharField(_("nøkkelhash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("sist brukt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nøkkel")
        verbose_name_plural = _("API-nøkler")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

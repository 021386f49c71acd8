"""The back-office site: open to superusers and to staff of a centre, nobody else.

Kept apart from ``admin.py`` because ``INSTALLED_APPS`` names the config below, which
is imported before the models are ready.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class OppdragAdminSite(admin.AdminSite):
    """Django's admin site, closed to users who hold no staff role in a centre:
    partner and grantor members stay out even when marked as staff."""

    def has_permission(self, request: HttpRequest) -> bool:
        from .admin import user_centers

        if not super().has_permission(request):
            return False
        return request.user.is_superuser or user_centers(request).exists()


class OppdragAdminConfig(AdminConfig):
    default_site = "oppdrag.core.admin_site.OppdragAdminSite"

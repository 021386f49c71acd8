from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "oppdrag.web"
    label = "web"
    verbose_name = _("Nettgrensesnitt")

    def ready(self) -> None:
        from django.contrib import admin

        from .forms import AdminLoginForm

        # The admin's sign-in reads the username as the staff sign-in and the throttle do.
        admin.site.login_form = AdminLoginForm

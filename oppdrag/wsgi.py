"""WSGI entry point. Under production settings it refuses to serve a demo database."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oppdrag.settings.production")

application = get_wsgi_application()

from oppdrag.core.checks import refuse_demo_user  # noqa: E402  (needs the app registry)

refuse_demo_user()

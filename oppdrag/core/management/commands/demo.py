"""``oppdrag demo [--port N]``: build the demo database and serve it."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Bygg demodataene og start webapplikasjonen på http://127.0.0.1:PORT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        call_command("load_demo", stdout=self.stdout, stderr=self.stderr)
        port = options["port"]
        self.stdout.write(
            self.style.SUCCESS(
                f"\nOppdrag kjører på http://127.0.0.1:{port}/  (logg inn som demo / demo)\n"
            )
        )
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)

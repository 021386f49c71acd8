"""``oppdrag load-demo [--database-url URL]``: (re)build the NAPHA 2025 demo."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from oppdrag.core.demo import load_demo
from oppdrag.importing.base import ImportRejected


class Command(BaseCommand):
    help = "Opprett (eller bygg på nytt) demodataene for NAPHA 2025."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        call_command("migrate", interactive=False, verbosity=0)
        try:
            results = load_demo()
        except ImportRejected as exc:
            for problem in exc.result.problems:
                self.stderr.write(str(problem))
            raise CommandError("Demodataene kunne ikke lastes; ingenting er endret.") from exc
        for result in results:
            self.stdout.write(f"  {result.file:<28} {result.added:>4} lagt til")
        self.stdout.write(self.style.SUCCESS("Demoen er klar: senter «napha», bruker demo/demo."))

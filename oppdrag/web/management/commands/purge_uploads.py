from datetime import timedelta

from django.core.management.base import BaseCommand

from oppdrag.web import uploads


class Command(BaseCommand):
    help = "Delete spreadsheet uploads that were previewed but never imported."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=float,
            default=uploads.MAX_AGE.total_seconds() / 3600,
            help="Delete uploads older than this many hours (default 24).",
        )

    def handle(self, *args, **options):
        removed = uploads.purge(timedelta(hours=options["hours"]))
        self.stdout.write(f"Slettet {removed} gamle opplastinger.")

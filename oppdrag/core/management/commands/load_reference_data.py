from django.apps import apps
from django.core.management.base import BaseCommand

from oppdrag.core.reference import load_reference_data


class Command(BaseCommand):
    help = "Create or update the shared reference data from the project's data files."

    def handle(self, *args, **options):
        load_reference_data(apps.get_model)
        self.stdout.write(self.style.SUCCESS("Referansedata er oppdatert."))

"""Load the shared reference data (municipalities, counties, regions, districts,
focus areas and the organisation register) into every new database."""

from django.db import migrations


def load(apps, schema_editor):
    from oppdrag.core.reference import load_reference_data

    load_reference_data(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("grants", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

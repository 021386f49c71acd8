"""The service models NAPHA's registry starts with; more can be added as rows."""

from django.db import migrations

MODEL_TYPES = [
    ("act", "ACT", 10),
    ("fact", "FACT", 20),
    ("fact-ung", "FACT ung", 30),
    ("rph", "RPH", 40),
    ("housing-first", "Housing First", 50),
]


def load(apps, schema_editor):
    TeamModelType = apps.get_model("teams", "TeamModelType")
    for code, name, order in MODEL_TYPES:
        TeamModelType.objects.update_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("teams", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

# The period index also carries the project and the hours, so a centre-year's hours per
# project are summed from the index alone (an index-only scan on PostgreSQL). The new
# index is built before the old one goes, so the look-ups by period always have one.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_center_version"),
        ("hours", "0006_time_entries_as_rows"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="timeentry",
            index=models.Index(
                fields=["center", "start"],
                include=("project", "hours"),
                name="timeentry_period_hours",
            ),
        ),
        migrations.RemoveIndex(model_name="timeentry", name="timeentry_period"),
    ]

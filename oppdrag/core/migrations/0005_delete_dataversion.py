# The global write counters are gone: access is read from the database with each
# request and pages are computed afresh, so nothing needs to hear of writes.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_data_version'),
    ]

    operations = [
        migrations.DeleteModel(
            name='DataVersion',
        ),
    ]

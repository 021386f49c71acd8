from django.db import migrations, models


class Migration(migrations.Migration):
    """Rendered documents kept under the centre's data version (and when it was checked)."""

    dependencies = [
        ("reports", "0006_rendereddocument_tree"),
    ]

    operations = [
        migrations.AddField(
            model_name="rendereddocument",
            name="data_version",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="dataversjon"),
        ),
        migrations.AddField(
            model_name="rendereddocument",
            name="checked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="sist kontrollert"),
        ),
    ]

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_data_version'),
        ('reports', '0003_rendereddocument'),
    ]

    operations = [
        migrations.AddField(
            model_name='assessmentblock',
            name='due_on',
            field=models.DateField(blank=True, null=True, verbose_name='frist'),
        ),
        migrations.AddField(
            model_name='assessmentblock',
            name='owner',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.person', verbose_name='ansvarlig'),
        ),
        migrations.AddField(
            model_name='assessmentblock',
            name='title',
            field=models.CharField(blank=True, help_text='Overskriften på et eget tema under et innsatsområde.', max_length=200, verbose_name='overskrift'),
        ),
        migrations.AddField(
            model_name='historicalassessmentblock',
            name='due_on',
            field=models.DateField(blank=True, null=True, verbose_name='frist'),
        ),
        migrations.AddField(
            model_name='historicalassessmentblock',
            name='owner',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.person', verbose_name='ansvarlig'),
        ),
        migrations.AddField(
            model_name='historicalassessmentblock',
            name='title',
            field=models.CharField(blank=True, help_text='Overskriften på et eget tema under et innsatsområde.', max_length=200, verbose_name='overskrift'),
        ),
    ]

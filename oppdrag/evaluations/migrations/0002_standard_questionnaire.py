from django.db import migrations


def install_standard(apps, schema_editor):
    from oppdrag.evaluations.standard import install

    install(
        apps.get_model("evaluations", "Questionnaire"),
        apps.get_model("evaluations", "QuestionnaireVersion"),
        apps.get_model("evaluations", "Section"),
        apps.get_model("evaluations", "Question"),
    )


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(install_standard, migrations.RunPython.noop)]

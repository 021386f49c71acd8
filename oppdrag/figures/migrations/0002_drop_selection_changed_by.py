"""Who changed a centre's choice of key figures is the history's ``history_user``; the
copy in ``changed_by`` goes. Where the latest history row names no one (a choice
saved outside a request), it takes the name ``changed_by`` held first."""

from django.db import migrations


def keep_who_changed(apps, schema_editor):
    selections = apps.get_model("figures", "KeyFigureSelection")
    history = apps.get_model("figures", "HistoricalKeyFigureSelection")
    for pk, user_id in selections.objects.filter(changed_by__isnull=False).values_list(
        "pk", "changed_by_id"
    ):
        latest = history.objects.filter(id=pk).order_by("-history_date", "-history_id").first()
        if latest is not None and latest.history_user_id is None:
            latest.history_user_id = user_id
            latest.save(update_fields=["history_user"])


class Migration(migrations.Migration):
    dependencies = [
        ("figures", "0001_key_figure_selection"),
    ]

    operations = [
        migrations.RunPython(keep_who_changed, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="historicalkeyfigureselection",
            name="changed_by",
        ),
        migrations.RemoveField(
            model_name="keyfigureselection",
            name="changed_by",
        ),
    ]

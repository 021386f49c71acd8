# Written for the change from packed series back to one row per time entry: the
# entries of each TimeSeries are unpacked into TimeEntry rows (same person, project,
# import, period and hours; the series' timestamps), then the series go.

import uuid

import django.db.models.deletion
from django.db import migrations, models


def unpack_series(apps, schema_editor):
    """Every packed entry as a row, streamed a series at a time and written in chunks."""
    import calendar
    import datetime as dt
    import struct
    from decimal import Decimal

    # As ``oppdrag.hours.series`` packed them (written out: a migration must not change):
    # day of the year the period starts (0 = 1 January), unit, hours in hundredths.
    layout = struct.Struct("<HBi")

    def end_of(start, unit):
        if unit == 0:  # day
            return start
        if unit == 1:  # ISO week
            return start + dt.timedelta(days=6)
        if unit == 2:  # month
            return start.replace(day=calendar.monthrange(start.year, start.month)[1])
        return dt.date(start.year, 12, 31)  # year

    TimeSeries = apps.get_model("hours", "TimeSeries")
    TimeEntry = apps.get_model("hours", "TimeEntry")
    connection = schema_editor.connection
    names = (
        "center", "uid", "created_at", "updated_at", "person", "project", "start", "end",
        "hours", "batch",
    )  # fmt: skip
    fields = [TimeEntry._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {table} ({columns}) VALUES ({marks})".format(
        table=quote(TimeEntry._meta.db_table),
        columns=", ".join(quote(field.column) for field in fields),
        marks=", ".join(["%s"] * len(fields)),
    )
    chunk = []
    with connection.cursor() as cursor:
        for series in TimeSeries.objects.order_by("pk").iterator(chunk_size=1000):
            first = dt.date(series.year, 1, 1)
            for day, unit, hundredths in layout.iter_unpack(bytes(series.entries)):
                start = first + dt.timedelta(days=day)
                values = (
                    series.center_id, uuid.uuid4(), series.created_at, series.updated_at,
                    series.person_id, series.project_id, start, end_of(start, unit),
                    Decimal(hundredths).scaleb(-2), series.batch_id,
                )  # fmt: skip
                chunk.append(
                    tuple(
                        field.get_db_prep_save(value, connection)
                        for field, value in zip(fields, values, strict=True)
                    )
                )
                if len(chunk) >= 10_000:
                    cursor.executemany(sql, chunk)
                    chunk = []
        if chunk:
            cursor.executemany(sql, chunk)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_data_version"),
        ("hours", "0005_published_hours_note"),
    ]

    operations = [
        migrations.CreateModel(
            name="TimeEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "uid",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, unique=True, verbose_name="id"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="opprettet")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="endret")),
                ("start", models.DateField(verbose_name="fra")),
                ("end", models.DateField(verbose_name="til")),
                (
                    "hours",
                    models.DecimalField(decimal_places=2, max_digits=9, verbose_name="timer"),
                ),
                (
                    "batch",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="entries",
                        to="hours.hoursimport",
                        verbose_name="import",
                    ),
                ),
                (
                    "center",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="core.center",
                        verbose_name="senter",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="time_entries",
                        to="core.person",
                        verbose_name="person",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entries",
                        to="hours.timeproject",
                        verbose_name="prosjekt",
                    ),
                ),
            ],
            options={
                "verbose_name": "timeregistrering",
                "verbose_name_plural": "timeregistreringer",
                "ordering": ["center", "start", "project"],
                "indexes": [models.Index(fields=["center", "start"], name="timeentry_period")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("end__gte", models.F("start"))),
                        name="timeentry_end_after_start",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("hours__gte", 0)), name="timeentry_hours_not_negative"
                    ),
                ],
            },
        ),
        # Going back leaves the entries behind (the series come back empty).
        migrations.RunPython(unpack_series, migrations.RunPython.noop),
        migrations.DeleteModel(
            name="TimeSeries",
        ),
    ]

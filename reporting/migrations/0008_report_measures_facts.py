"""The report's fixed facts (period, account, type) copied beside its stored measures, so the Pemda
dashboards group ``ReportMeasures`` alone (issue 14, docs/pemda.md): added empty, filled from the reports
in one statement each, then required (0009: apart, because PostgreSQL refuses to alter a table
with the fill's deferred foreign-key checks still pending in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    ReportMeasures = apps.get_model("reporting", "ReportMeasures")
    Report = apps.get_model("reporting", "Report")
    report = Report.objects.filter(pk=OuterRef("report_id"))
    ReportMeasures.objects.update(
        period_id=Subquery(report.values("period_id")[:1]),
        factory_id=Subquery(report.values("factory_id")[:1]),
        report_type=Subquery(report.values("report_type")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("reporting", "0007_drop_report_updated_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportmeasures",
            name="period",
            field=models.ForeignKey(
                db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="reporting.period"
            ),
        ),
        migrations.AddField(
            model_name="reportmeasures",
            name="factory",
            field=models.ForeignKey(
                db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="accounts.factory"
            ),
        ),
        migrations.AddField(
            model_name="reportmeasures",
            name="report_type",
            field=models.CharField(max_length=40, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

"""The facts copied beside the stored measures (0008) become required, with the index the Pemda dashboards
read them by."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0008_report_measures_facts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reportmeasures",
            name="period",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="reporting.period"),
        ),
        migrations.AlterField(
            model_name="reportmeasures",
            name="factory",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="accounts.factory"),
        ),
        migrations.AlterField(
            model_name="reportmeasures",
            name="report_type",
            field=models.CharField(max_length=40),
        ),
        migrations.AddIndex(
            model_name="reportmeasures",
            index=models.Index(fields=["period", "factory"], name="measures_period_factory_idx"),
        ),
    ]

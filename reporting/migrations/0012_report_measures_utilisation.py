"""The capacity utilisation of a validated report, stored beside its other measures (issue 17 §4,
published on Informasi Industri): added empty, then every row rebuilt from the sections
(``reporting.measures.rebuild``, the same code as ``load_scale``)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from reporting.measures import rebuild

    rebuild(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0011_reportsection_state_to_confirm'),
    ]

    operations = [
        migrations.AddField(
            model_name='reportmeasures',
            name='utilisation',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=9, null=True, verbose_name='utilisasi kapasitas (%)'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

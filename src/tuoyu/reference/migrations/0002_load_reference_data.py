"""Load the shipped reference data (divisions, industries, populations, credit-code categories)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from tuoyu.reference.loaders import load_all

    load_all(apps)


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

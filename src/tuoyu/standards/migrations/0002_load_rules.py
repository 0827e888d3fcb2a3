"""Load the shipped rule table (data/rules.json) into Rule and RuleOverride."""

from django.db import migrations


def forwards(apps, schema_editor):
    from tuoyu.standards.loaders import load_rules

    load_rules(apps.get_model("standards", "Rule"), apps.get_model("standards", "RuleOverride"))


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

from django.db import migrations


def load(apps, schema_editor):
    from programs import seed_indicators

    seed_indicators.load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0003_initiatives_projects_indicators_reports"),
        ("agencies", "0002_seed_memorandum"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

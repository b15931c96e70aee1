from django.db import migrations

from measurement import seed_indicators


def load(apps, schema_editor):
    # A database migrated before the move was seeded by programs' 0004 and keeps its indicators and the
    # committee's targets as they are; a new one is seeded here.
    if apps.get_model("measurement", "Indicator").objects.exists():
        return
    seed_indicators.load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("measurement", "0001_initial"),
        ("agencies", "0002_seed_memorandum"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

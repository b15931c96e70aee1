from django.db import migrations


class Migration(migrations.Migration):
    """Seeded the indicators while they lived in programs. They moved to the measurement app, whose
    0002_seed_indicators seeds them now; a database migrated before the move keeps the rows this made."""

    dependencies = [
        ("programs", "0003_initiatives_projects_indicators_reports"),
        ("agencies", "0002_seed_memorandum"),
    ]

    operations = []

"""Trigram indexes for the staff search's "contains" matches on names (PostgreSQL; SQLite scans).

They are created here rather than declared on the models: the models belong to lower apps that know
nothing of the search, and SQLite (the embedded demo) has no trigram index.
"""

from django.db import migrations

INDEXES = [
    ("search_user_name_trgm", "accounts_user", "search_text"),
    ("search_business_name_trgm", "programs_business", "search_text"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_search_text"),
        ("programs", "0012_indexes_for_api_orderings"),
    ]

    operations = [migrations.RunPython(create, drop)]

"""Trigram indexes for the admin's obstacle search on PostgreSQL.

The admin searches with `icontains`, which PostgreSQL runs as UPPER(col::text) LIKE UPPER('%term%'):
a full scan without these indexes (about a second at 100,000 rows on a busy machine, see
docs/performance.md), some tens of milliseconds with them. The expressions match Django's SQL exactly.
SQLite (development) has no such index type and simply scans.
"""

from django.db import migrations

COLUMNS = ["title", "description", "support_needed"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS belemmering_{column}_trgm ON belemmeringen_belemmering "
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS belemmering_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("belemmeringen", "0005_groups")]

    operations = [migrations.RunPython(create, drop)]

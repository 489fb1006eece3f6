"""Trigram indexes (PostgreSQL's pg_trgm) for the search on people's names and e-mail
addresses: Django's `icontains` reads `UPPER(col::text) LIKE UPPER('%…%')`, which no
B-tree serves; a GIN index of `UPPER(col::text) gin_trgm_ops` does. Nothing on SQLite."""

from django.db import migrations

SEARCHED = ("last_name", "first_name", "email")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in SEARCHED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS people_user_{column}_trgm ON people_user "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED:
        schema_editor.execute(f"DROP INDEX IF EXISTS people_user_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("people", "0005_civility")]

    operations = [migrations.RunPython(create, drop)]

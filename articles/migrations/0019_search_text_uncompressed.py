"""PostgreSQL keeps the folded search text uncompressed (STORAGE EXTERNAL): search compares it with LIKE on every
candidate row, on every search, and decompressing it took half of that. Other databases: nothing to do."""

from django.db import migrations

TABLE, COLUMN = "articles_articleversion", "search_text"


def uncompressed(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {COLUMN} SET STORAGE EXTERNAL")
    # Values already stored stay compressed until written again.
    schema_editor.execute(f"UPDATE {TABLE} SET {COLUMN} = {COLUMN} || '' WHERE {COLUMN} <> ''")


def compressed(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {COLUMN} SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_pages_stored_uncompressed")]

    operations = [migrations.RunPython(uncompressed, compressed)]

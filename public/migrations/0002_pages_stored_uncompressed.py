"""PostgreSQL keeps stored pages uncompressed (STORAGE EXTERNAL), as articles 0018 does for article pages."""

from django.db import migrations

TABLE, COLUMN = "public_storedpage", "html"


def uncompressed(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {COLUMN} SET STORAGE EXTERNAL")
    schema_editor.execute(f"UPDATE {TABLE} SET {COLUMN} = {COLUMN} || ''")


def compressed(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {COLUMN} SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("public", "0001_stored_page")]

    operations = [migrations.RunPython(uncompressed, compressed)]

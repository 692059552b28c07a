"""PostgreSQL keeps stored pages uncompressed (STORAGE EXTERNAL): a reader's page is read far more often than it is
written, and decompressing it took a fifth of the read. Other databases: nothing to do."""

from django.db import migrations

TABLE, COLUMN = "articles_articleversion", "page_html"


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
    dependencies = [("articles", "0017_link_index_by_article")]

    operations = [migrations.RunPython(uncompressed, compressed)]

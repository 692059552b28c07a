"""PostgreSQL: the trigram index finds the candidate rows of one language, and their folded text is stored uncompressed.
Other databases: nothing to do.

The index was on `search_text` alone: a search in English rechecked, with LIKE over the whole text, every row of
every language holding the words' trigrams (the French text holding "social" and "médias" for "social media"), and
dropped the other languages after. Keyed by (language, trigrams) (btree_gin lets a GIN index hold the language), the
index answers the language's rows only. The text is read whole for each candidate, on each search: decompressing it
took half of that (STORAGE EXTERNAL, as 0018 did for page_html).
"""

from django.db import migrations

TABLE, COLUMN, INDEX = "articles_articleversion", "search_text", "articles_version_trigram"


def by_language(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(f"DROP INDEX {INDEX}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON {TABLE} USING gin (language, {COLUMN} gin_trgm_ops)")
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {COLUMN} SET STORAGE EXTERNAL")
    # Values already stored stay compressed until written again.
    schema_editor.execute(f"UPDATE {TABLE} SET {COLUMN} = {COLUMN} || '' WHERE {COLUMN} <> ''")


def by_text(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {COLUMN} SET STORAGE EXTENDED")
    schema_editor.execute(f"DROP INDEX {INDEX}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON {TABLE} USING gin ({COLUMN} gin_trgm_ops)")


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_pages_stored_uncompressed")]

    operations = [migrations.RunPython(by_language, by_text)]

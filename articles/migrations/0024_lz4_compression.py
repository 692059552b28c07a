"""On PostgreSQL, compress the articles' long texts with lz4 rather than the default pglz.

Every save writes the article's row (five languages of source and file), its versions (HTML, plain text, findings)
and the revision's copy of the article (django-reversion's serialised data, about 70 KB for five languages): pglz
spent 8-10 ms of the server's CPU an imported article compressing them, lz4 about a fifth of that, for smaller
values. Only values written from now on are compressed with lz4; the stored ones stay readable as they are. A server
built without lz4 keeps pglz (the change is skipped).
"""

from django.db import migrations

TABLES = ("articles_article", "articles_articleversion", "reversion_version")
TEXT_TYPES = ("text", "character varying", "jsonb")


def _set_compression(schema_editor, method: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ANY(%s) AND data_type = ANY(%s) "
            "ORDER BY table_name, ordinal_position",
            [list(TABLES), list(TEXT_TYPES)],
        )
        columns = cursor.fetchall()
    quote = schema_editor.quote_name
    alters = "; ".join(
        f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} SET COMPRESSION {method}" for table, column in columns
    )
    # One block, so that a server without lz4 ("not supported") skips all of it.
    schema_editor.execute(f"DO $$ BEGIN {alters}; EXCEPTION WHEN feature_not_supported THEN NULL; END $$")


def forward(apps, schema_editor):
    _set_compression(schema_editor, "lz4")


def backward(apps, schema_editor):
    _set_compression(schema_editor, "default")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0023_version_rows_narrow"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [migrations.RunPython(forward, backward)]

"""SQLite: an index of each language version's id with what search ranks its hits by (articles/search_index.py's
HIT_INDEX). Other databases: nothing to do.

A search on SQLite finds its rows through FTS5 (their ids), then reads each one's language, title and article to
count and rank them. `article_id` comes after the long columns of the row (texts, HTML, the stored page), in its
overflow pages: reading it walked some fifty kilobytes a row, 13 ms for a word found in 1,000 Korean articles. The
index holds those few columns keyed by id, so the search reads none of the row but the ten hits the page shows.
"""

from django.db import migrations

TABLE, INDEX = "articles_articleversion", "articles_version_hit"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"CREATE INDEX {INDEX} ON {TABLE} (id, language, published, search_title, article_id)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0020_search_index_optimize")]

    operations = [migrations.RunPython(forward, backward)]

"""PostgreSQL: the names' trigram index holds each name's language too, as the articles' index does (articles 0019).
Other databases: nothing to do.

Searching one language's names, PostgreSQL intersected the names the trigram index found with every name of the
language, read from the btree index of (language, folded_name): 11,000 names for the 1,000 holding 크라우드, about a
quarter of the names' statement. Keyed by (language, trigrams) (btree_gin lets a GIN index hold the language), the
index answers the language's names only.

"Did you mean" reads the names of a language that start with the query's first letter (`folded_name LIKE 'q%'`):
`glossary_name_prefix`, with the pattern operators, serves that LIKE whatever the database's collation (the btree
index of (language, folded_name) does only under the C collation), as articles 0023 does for titles.
"""

from django.db import migrations

TABLE, INDEX = "glossary_termname", "glossary_name_trigram"


def by_language(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(f"DROP INDEX {INDEX}")
    # Few new names wait outside the index, which every search would read whole (articles 0022 says why).
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON {TABLE} USING gin (language, folded_name gin_trgm_ops)"
        " WITH (gin_pending_list_limit = 256)"
    )
    schema_editor.execute(f"CREATE INDEX glossary_name_prefix ON {TABLE} (language, folded_name varchar_pattern_ops)")


def by_name(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX glossary_name_prefix")
    schema_editor.execute(f"DROP INDEX {INDEX}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON {TABLE} USING gin (folded_name gin_trgm_ops)")


class Migration(migrations.Migration):
    dependencies = [("glossary", "0011_name_index_optimize")]

    operations = [migrations.RunPython(by_language, by_name)]

"""PostgreSQL: a language version's row keeps only its short columns in the table itself, its long ones (TOC,
findings, usages, description, bodies) stored beside it (TOAST); the titles are never compressed (every match is
ranked by its title, and "did you mean" reads hundreds), the plain text is stored uncompressed. Other databases:
nothing to do.

A search reads the row of every version that matches, for its title and article (to count them and rank them):
a row was about 2 KB in the table, as PostgreSQL keeps values inline until a row passes 2 KB, so the 1,000 Korean
versions holding 크라우드 were 1,000 pages read; with rows of a few hundred bytes they are a few dozen, and the
articles' statement of that search took a third less. The plain text is read for the hits shown (their snippets):
decompressing it was 7% of that statement.

Rows already stored move their long columns out when they are next written; `VACUUM FULL articles_articleversion`
moves them all at once.

"Did you mean" reads the titles of a language that start with the query's first letter (`search_title LIKE 'q%'`):
a btree index serves such a LIKE only with the pattern operators when the database's collation is not C, so
PostgreSQL read every title of the language (20,000 versions: 92 ms at 100,000 versions, through the words' index);
`articles_version_title_prefix` answers the titles of that letter (1 ms).
"""

from django.db import migrations

TABLE = "articles_articleversion"
FORWARD = [
    f"ALTER TABLE {TABLE} SET (toast_tuple_target = 128)",
    f"ALTER TABLE {TABLE} ALTER COLUMN search_title SET STORAGE PLAIN",
    f"ALTER TABLE {TABLE} ALTER COLUMN display_title SET STORAGE PLAIN",
    f"ALTER TABLE {TABLE} ALTER COLUMN body_text SET STORAGE EXTERNAL",
    f"CREATE INDEX articles_version_title_prefix ON {TABLE} (language, search_title varchar_pattern_ops)"
    " WHERE published",
]
BACKWARD = [
    "DROP INDEX articles_version_title_prefix",
    f"ALTER TABLE {TABLE} RESET (toast_tuple_target)",
    f"ALTER TABLE {TABLE} ALTER COLUMN search_title SET STORAGE EXTENDED",
    f"ALTER TABLE {TABLE} ALTER COLUMN display_title SET STORAGE EXTENDED",
    f"ALTER TABLE {TABLE} ALTER COLUMN body_text SET STORAGE EXTENDED",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0022_search_by_words")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]

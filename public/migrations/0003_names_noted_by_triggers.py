"""The database notes the topic "names" whenever what the A–Z index and the API's term lists show changes.

Those pages show term names, term slugs and definitions, and which terms have an article published in which
language. Until now every write rendered them again (their dependency was "everything": an article's save may
harvest a link text as a name, or change its term's names through its title), about 900 pages a pass with 10,000
terms per language. Triggers note "names" in the content generation's topics, in the writing transaction, only
when such a row really changes, whichever code wrote it (the write services, bulk_create, a cascade); the stored
pages' renderer renders those pages again only then (public/stored.py).

The topic is written here as the literal `names` (public.stored.NAMES) and "*" is core.generation.EVERYTHING:
a migration must keep working when the code it was written with changes.
"""

from django.db import migrations

GENERATION = "glossary_contentgeneration"
NOTE = (
    f"UPDATE {GENERATION} SET topics = topics || ' names'"
    " WHERE id = 1 AND topics <> '*' AND (topics || ' ') NOT LIKE '% names %'"
)
# (table, event, condition on OLD and NEW or ""): every row whose change the index pages show.
WATCHED = [
    ("glossary_termname", "INSERT", ""),
    ("glossary_termname", "DELETE", ""),
    ("glossary_termname", "UPDATE", ""),
    ("glossary_term", "INSERT", ""),
    ("glossary_term", "DELETE", ""),
    ("glossary_term", "UPDATE", ""),
    ("articles_article", "INSERT", ""),
    ("articles_article", "DELETE", ""),
    ("articles_article", "UPDATE", "old.slug IS DISTINCT FROM new.slug OR old.term_id IS DISTINCT FROM new.term_id"),
    ("articles_articleversion", "INSERT", ""),
    ("articles_articleversion", "DELETE", ""),
    ("articles_articleversion", "UPDATE", "old.published IS DISTINCT FROM new.published"),
]
FUNCTION = "public_names_noted"


def _name(table: str, event: str) -> str:
    return f"public_names_{table}_{event.lower()}"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {NOTE}; RETURN NULL; END $$",
            params=None,  # the LIKE pattern's % are not placeholders
        )
    for table, event, condition in WATCHED:
        if vendor == "postgresql":
            when = f" WHEN ({condition.replace('old.', 'OLD.').replace('new.', 'NEW.')})" if condition else ""
            schema_editor.execute(
                f"CREATE TRIGGER {_name(table, event)} AFTER {event} ON {table} FOR EACH ROW{when}"
                f" EXECUTE FUNCTION {FUNCTION}()"
            )
        else:  # SQLite writes IS NOT for IS DISTINCT FROM
            when = f" WHEN {condition.replace('IS DISTINCT FROM', 'IS NOT')}" if condition else ""
            schema_editor.execute(
                f"CREATE TRIGGER {_name(table, event)} AFTER {event} ON {table} FOR EACH ROW{when} BEGIN {NOTE}; END",
                params=None,
            )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, event, _condition in WATCHED:
        on = f" ON {table}" if vendor == "postgresql" else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(table, event)}{on}")
    if vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0002_pages_stored_uncompressed"),
        ("articles", "0020_search_index_optimize"),
        ("glossary", "0011_name_index_optimize"),
        ("core", "0003_content_topics"),
    ]

    operations = [migrations.RunPython(create, drop)]

"""The search index over ArticleVersion rows (search_index.py): pg_trgm on `search_text` and a GIN index of
`search_grams` on PostgreSQL, FTS5 tables keyed by the ArticleVersion id on SQLite; only published rows hold text."""

from django.db import migrations, models

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX articles_version_trigram ON articles_articleversion USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX articles_version_grams ON articles_articleversion USING gin (string_to_array(search_grams, ' '))",
]
POSTGRESQL_REVERSE = ["DROP INDEX articles_version_trigram", "DROP INDEX articles_version_grams"]
# The trigram tokenizer needs SQLite 3.34 or later.
SQLITE = [
    "CREATE VIRTUAL TABLE articles_search_trigram USING fts5(text, tokenize='trigram')",
    "CREATE VIRTUAL TABLE articles_search_grams USING fts5(grams, tokenize='unicode61')",
]
SQLITE_REVERSE = ["DROP TABLE articles_search_trigram", "DROP TABLE articles_search_grams"]


def create_index(apps, schema_editor):
    from articles.search_text import text_grams as wide_grams  # renamed since (grams of every character: 0026)

    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)
    ArticleVersion = apps.get_model("articles", "ArticleVersion")
    rows = list(ArticleVersion.objects.filter(published=True).only("id", "search_text"))
    for row in rows:
        row.search_grams = wide_grams(row.search_text)
    ArticleVersion.objects.bulk_update(rows, ["search_grams"], batch_size=500)
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO articles_search_trigram (rowid, text) VALUES (%s, %s)",
                [(r.id, r.search_text) for r in rows],
            )
            cursor.executemany(
                "INSERT INTO articles_search_grams (rowid, grams) VALUES (%s, %s)",
                [(r.id, r.search_grams) for r in rows],
            )


def drop_index(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0013_version_block_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="articleversion",
            name="search_grams",
            field=models.TextField(blank=True, default="", verbose_name="characters and pairs"),
        ),
        migrations.RunPython(create_index, drop_index),
    ]

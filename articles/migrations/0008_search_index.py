"""The search index: pg_trgm and a GIN index of `grams` on PostgreSQL, FTS5 tables on SQLite (search_index.py)."""

from django.db import migrations, models

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX articles_searchtext_trigram ON articles_articlesearchtext USING gin (text gin_trgm_ops)",
    "CREATE INDEX articles_searchtext_grams ON articles_articlesearchtext USING gin (string_to_array(grams, ' '))",
]
POSTGRESQL_REVERSE = ["DROP INDEX articles_searchtext_trigram", "DROP INDEX articles_searchtext_grams"]
# The trigram tokenizer needs SQLite 3.34 or later.
SQLITE = [
    "CREATE VIRTUAL TABLE articles_search_trigram USING fts5(text, tokenize='trigram')",
    "CREATE VIRTUAL TABLE articles_search_grams USING fts5(grams, tokenize='unicode61')",
]
SQLITE_REVERSE = ["DROP TABLE articles_search_trigram", "DROP TABLE articles_search_grams"]


def create_index(apps, schema_editor):
    from articles.search_index import wide_grams

    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)
    SearchText = apps.get_model("articles", "ArticleSearchText")
    rows = list(SearchText.objects.only("id", "text"))
    for row in rows:
        row.grams = wide_grams(row.text)
    SearchText.objects.bulk_update(rows, ["grams"], batch_size=500)
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO articles_search_trigram (rowid, text) VALUES (%s, %s)", [(r.id, r.text) for r in rows]
            )
            cursor.executemany(
                "INSERT INTO articles_search_grams (rowid, grams) VALUES (%s, %s)", [(r.id, r.grams) for r in rows]
            )


def drop_index(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0007_article_images"),
    ]

    operations = [
        migrations.AddField(
            model_name="articlesearchtext",
            name="grams",
            field=models.TextField(blank=True, default="", verbose_name="characters and pairs"),
        ),
        migrations.RunPython(create_index, drop_index),
    ]

"""SQLite: what finds a word of two characters without reading the texts (glossary.search_index.pair_holders): the
trigram table's vocabulary (an fts5vocab table) and an index of each text's last two characters. Other databases:
nothing to do (PostgreSQL finds such a word among the texts' words, articles 0022).
"""

from django.db import migrations

TABLE, TRIGRAMS = "articles_articleversion", "articles_search_trigram"
STATEMENTS = [
    f"CREATE VIRTUAL TABLE {TRIGRAMS}_vocabulary USING fts5vocab({TRIGRAMS}, 'row')",
    f"CREATE INDEX {TABLE}_tail ON {TABLE} (substr(search_text, -2))",
]
UNDO = [f"DROP INDEX {TABLE}_tail", f"DROP TABLE {TRIGRAMS}_vocabulary"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in STATEMENTS:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in UNDO:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0024_lz4_compression")]

    operations = [migrations.RunPython(forward, backward)]

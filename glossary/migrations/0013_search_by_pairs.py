"""SQLite: what finds a word of two characters in the names without reading every name of the language
(glossary.search_index.pair_holders): the names' trigram table's vocabulary (an fts5vocab table) and an index of each
name's language and last two characters. Other databases: nothing to do.
"""

from django.db import migrations

TABLE, TRIGRAMS = "glossary_termname", "glossary_name_trigram"
STATEMENTS = [
    f"CREATE VIRTUAL TABLE {TRIGRAMS}_vocabulary USING fts5vocab({TRIGRAMS}, 'row')",
    f"CREATE INDEX {TABLE}_tail ON {TABLE} (language, substr(folded_name, -2))",
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
    dependencies = [("glossary", "0012_name_trigram_by_language")]

    operations = [migrations.RunPython(forward, backward)]

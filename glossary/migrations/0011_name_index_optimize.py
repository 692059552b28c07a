"""Merge the SQLite names' index into one segment (glossary/search_index.py: a bulk load left it in dozens)."""

from django.db import migrations

TABLE = "glossary_name_trigram"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")


class Migration(migrations.Migration):

    dependencies = [
        ("glossary", "0010_name_folded_index"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

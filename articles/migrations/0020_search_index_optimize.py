"""Merge the SQLite search indexes of the articles' texts into one segment each (articles/search_index.py: an
import left them in one piece an article)."""

from django.db import migrations

TABLES = ("articles_search_trigram", "articles_search_grams")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0019_search_by_language"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

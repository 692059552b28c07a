"""SQLite's FTS5 search tables read their text from the ArticleVersion rows, and triggers keep them in step.

Before, the write service deleted and inserted each saved version's two FTS5 rows itself: four statements a save.
As external-content tables kept by triggers, SQLite updates them within the row's own UPDATE, as PostgreSQL's GIN
indexes are, and they store no second copy of the text. Nothing changes on PostgreSQL.
"""

from django.db import migrations

TABLES = {"articles_search_trigram": ("search_text", "trigram"), "articles_search_grams": ("search_grams", "unicode61")}


def _forward_statements() -> list[str]:
    statements = []
    for table, (column, tokenizer) in TABLES.items():
        statements += [
            f"DROP TABLE {table}",
            f"CREATE VIRTUAL TABLE {table} USING fts5({column}, content='articles_articleversion', "
            f"content_rowid='id', tokenize='{tokenizer}')",
            f"CREATE TRIGGER {table}_insert AFTER INSERT ON articles_articleversion BEGIN "
            f"INSERT INTO {table} (rowid, {column}) VALUES (new.id, new.{column}); END",
            f"CREATE TRIGGER {table}_delete AFTER DELETE ON articles_articleversion BEGIN "
            f"INSERT INTO {table} ({table}, rowid, {column}) VALUES ('delete', old.id, old.{column}); END",
            # Only when the text changed: a save rewrites every column of the rows it touches.
            f"CREATE TRIGGER {table}_update AFTER UPDATE OF {column} ON articles_articleversion "
            f"WHEN old.{column} IS NOT new.{column} BEGIN "
            f"INSERT INTO {table} ({table}, rowid, {column}) VALUES ('delete', old.id, old.{column}); "
            f"INSERT INTO {table} (rowid, {column}) VALUES (new.id, new.{column}); END",
            f"INSERT INTO {table} ({table}) VALUES ('rebuild')",
        ]
    return statements


def _backward_statements() -> list[str]:
    statements = []
    for table, (column, tokenizer) in TABLES.items():
        name = "text" if column == "search_text" else "grams"
        statements += [
            *(f"DROP TRIGGER {table}_{event}" for event in ("insert", "delete", "update")),
            f"DROP TABLE {table}",
            f"CREATE VIRTUAL TABLE {table} USING fts5({name}, tokenize='{tokenizer}')",
            f"INSERT INTO {table} (rowid, {name}) "
            f"SELECT id, {column} FROM articles_articleversion WHERE published",
        ]
    return statements


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in _forward_statements():
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in _backward_statements():
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0014_search_index"),
    ]

    operations = [migrations.RunPython(forward, backward)]

"""A trigram index of the folded term names search compares (glossary/search_index.py).

On SQLite an FTS5 table with the trigram tokenizer reads `folded_name` from the TermName rows (external content,
keyed by the row's id) and triggers keep it in step within each write, as they do for the articles' texts
(articles 0015). On PostgreSQL pg_trgm's GIN index on `folded_name` serves the LIKE itself.
"""

from django.db import migrations

TABLE = "glossary_name_trigram"
SQLITE = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(folded_name, content='glossary_termname', content_rowid='id', "
    "tokenize='trigram')",
    f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON glossary_termname BEGIN "
    f"INSERT INTO {TABLE} (rowid, folded_name) VALUES (new.id, new.folded_name); END",
    f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON glossary_termname BEGIN "
    f"INSERT INTO {TABLE} ({TABLE}, rowid, folded_name) VALUES ('delete', old.id, old.folded_name); END",
    # Only when the folded name changed: a save rewrites every column of the row.
    f"CREATE TRIGGER {TABLE}_update AFTER UPDATE OF folded_name ON glossary_termname "
    "WHEN old.folded_name IS NOT new.folded_name BEGIN "
    f"INSERT INTO {TABLE} ({TABLE}, rowid, folded_name) VALUES ('delete', old.id, old.folded_name); "
    f"INSERT INTO {TABLE} (rowid, folded_name) VALUES (new.id, new.folded_name); END",
    f"INSERT INTO {TABLE} ({TABLE}) VALUES ('rebuild')",
]
SQLITE_REVERSE = [*(f"DROP TRIGGER {TABLE}_{event}" for event in ("insert", "delete", "update")), f"DROP TABLE {TABLE}"]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX {TABLE} ON glossary_termname USING gin (folded_name gin_trgm_ops)",
]
POSTGRESQL_REVERSE = [f"DROP INDEX {TABLE}"]


def forward(apps, schema_editor):
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    for statement in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("glossary", "0008_term_redirects"),
    ]

    operations = [migrations.RunPython(forward, backward)]

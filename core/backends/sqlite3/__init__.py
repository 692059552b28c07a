"""Django's SQLite backend, with a schema editor that keeps what migrations made in SQL (schema.py)."""

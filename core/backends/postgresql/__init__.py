"""Django's PostgreSQL backend, with a schema editor that keeps what migrations set in SQL (schema.py)."""

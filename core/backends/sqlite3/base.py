"""Django's SQLite backend (settings' ENGINE "core.backends.sqlite3"), with the schema editor of schema.py."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.sqlite3 import base

from core.backends.sqlite3.schema import DatabaseSchemaEditor


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor

    @contextmanager
    def values_bound_on_server(self) -> Iterator[None]:
        """As PostgreSQL's (core.backends.postgresql): SQLite binds every statement's values apart already."""
        yield

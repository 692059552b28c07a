"""Django's SQLite backend (settings' ENGINE "core.backends.sqlite3"), with the schema editor of schema.py."""

from django.db.backends.sqlite3 import base

from core.backends.sqlite3.schema import DatabaseSchemaEditor


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor

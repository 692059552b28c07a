"""Django's PostgreSQL backend (settings' ENGINE "core.backends.postgresql"), with the schema editor of schema.py."""

from django.db.backends.postgresql import base

from core.backends.postgresql.schema import DatabaseSchemaEditor


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor

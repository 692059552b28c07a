"""PostgreSQL's schema editor, keeping the storage and compression migrations set on a column whose type it alters.

PostgreSQL keeps a table's indexes and triggers when a column's type changes (varchar(300) to varchar(400) too),
but sets the column's STORAGE and COMPRESSION back to the new type's defaults: the first migration altering such a
column of ArticleVersion would undo, without a word, what articles 0019, 0023 and 0024 set for speed (the folded
text and plain text stored uncompressed, the titles kept in the row, lz4). The editor reads them before the change
and sets them again after it, when the new type is stored in variable length too.
"""

from django.db.backends.postgresql import schema

STORAGE = {"p": "PLAIN", "e": "EXTERNAL", "m": "MAIN", "x": "EXTENDED"}
COMPRESSION = {"p": "pglz", "l": "lz4"}


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    def _alter_field(self, model, old_field, new_field, old_type, new_type, *args, **kwargs):
        table = model._meta.db_table
        kept = self._column_settings(table, old_field.column) if old_type != new_type else None
        super()._alter_field(model, old_field, new_field, old_type, new_type, *args, **kwargs)
        if kept is None:
            return
        storage, compression, type_storage = kept
        now = self._column_settings(table, new_field.column)
        if now is None or now[2] == "p":  # gone, or a type of fixed length: nothing to keep
            return
        column = f"{self.quote_name(table)} ALTER COLUMN {self.quote_name(new_field.column)}"
        if storage != type_storage and storage != now[0]:
            self.execute(f"ALTER TABLE {column} SET STORAGE {STORAGE[storage]}")
        if compression and compression != now[1]:
            self.execute(f"ALTER TABLE {column} SET COMPRESSION {COMPRESSION[compression]}")

    def _column_settings(self, table: str, column: str) -> tuple[str, str, str] | None:
        """The column's storage, its compression ("" for the server's default) and its type's storage."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.attstorage, a.attcompression, t.typstorage FROM pg_attribute a"
                " JOIN pg_type t ON t.oid = a.atttypid"
                " WHERE a.attrelid = %s::regclass AND a.attname = %s AND NOT a.attisdropped",
                [self.quote_name(table), column],
            )
            row = cursor.fetchone()
        return None if row is None else tuple(value or "" for value in row)

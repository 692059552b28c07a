"""SQLite's schema editor, keeping the triggers and indexes that migrations made in SQL when it remakes a table.

SQLite alters most columns only by copying the table into a new one (Django's `_remake_table`, after SQLite's own
procedure, https://www.sqlite.org/lang_altertable.html#otheralter): dropping the old table drops its triggers and
indexes, and Django makes again only those its models declare. Without this editor, the first migration altering a
column of ArticleVersion or TermName would drop the search index's triggers (articles 0015, glossary 0009: the
index falls out of step at the next write), the names topic's (public 0003: the A–Z pages are no longer rendered
again) and the search's hit index (articles 0021: every search fails with "no such index"), without a word.
As SQLite's procedure says (its steps 3 and 8), the editor reads their definitions from the schema before the
remake and makes them again after it, as they were: each stays defined once, by the migration that made it, and
altered or dropped only by a migration that says so.

A trigger on another table whose statements name the remade table is dropped and made again too: SQLite checks
every trigger when the new table takes the old one's name, and one naming a table that is not there fails it
("error in trigger …: no such table").
"""

import re

from django.db import DatabaseError
from django.db.backends.sqlite3 import schema
from django.db.backends.utils import strip_quotes


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    def _remake_table(self, model, create_field=None, delete_field=None, alter_fields=None):
        table = model._meta.db_table
        kept = self._made_outside_django(model)
        for kind, name, on, _sql in kept:
            if kind == "trigger" and on != table:
                self.execute(f"DROP TRIGGER {self.quote_name(name)}")
        super()._remake_table(model, create_field=create_field, delete_field=delete_field, alter_fields=alter_fields)
        present = set() if self.collect_sql else self._schema_names()
        for kind, name, _on, sql in kept:
            if name in present:  # the new model declares it: Django made it again
                continue
            try:
                self.execute(sql, params=None)  # as stored: a LIKE pattern's % is no placeholder
            except DatabaseError as error:
                raise DatabaseError(
                    f"The {kind} {name}, made again after the table {table} was remade, fails: {error}. "
                    "Drop or change it in the migration, before the change that remakes the table."
                ) from error

    def _made_outside_django(self, model) -> list[tuple[str, str, str, str]]:
        """The indexes and triggers the remake of `model`'s table would lose that its model does not declare, and
        the triggers on other tables that name it: (kind, name, table it is on, SQL)."""
        table = model._meta.db_table
        declared = self._declared_index_names(model)
        names_table = re.compile(rf"(?<![\w$]){re.escape(table)}(?![\w$])", re.IGNORECASE)
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
                " AND sql IS NOT NULL AND (tbl_name = %s OR type = 'trigger')",
                [table],
            )
            objects = cursor.fetchall()
        return [
            (kind, name, on, sql)
            for kind, name, on, sql in objects
            if (on == table and name not in declared) or (on != table and names_table.search(sql))
        ]

    def _declared_index_names(self, model) -> set[str]:
        """The names of the indexes Django makes for `model`: its fields', Meta.indexes, unique_together and
        constraints (a remake that leaves one out means to drop it)."""
        statements = list(self._model_indexes_sql(model))
        for fields in model._meta.unique_together:
            statements.append(self._create_unique_sql(model, [model._meta.get_field(name) for name in fields]))
        names = {strip_quotes(str(statement.parts["name"])) for statement in statements if statement is not None}
        return names | {constraint.name for constraint in model._meta.constraints}

    def _schema_names(self) -> set[str]:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master")
            return {row[0] for row in cursor.fetchall()}

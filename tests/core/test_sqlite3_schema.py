"""SQLite's schema editor keeps the triggers and indexes migrations made in SQL when it remakes a table."""

import copy

import pytest
from django.db import connection, models

from articles.models import Article, ArticleVersion
from core.models import ContentGeneration
from glossary.models import Term, TermName

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite remakes a table to alter it"),
]


def schema_objects() -> set[tuple[str, str, str, str]]:
    """Every index and trigger of the database, as SQLite stores it: (type, name, table, SQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
        )
        return set(cursor.fetchall())


@pytest.mark.parametrize("model", [ArticleVersion, TermName, Term, Article, ContentGeneration])
def test_a_remade_table_keeps_every_trigger_and_index_as_it_was(model):
    """Adding a check constraint, and removing it, each remake the table; the last names the triggers of other
    tables that write to it (the names topic's, on ContentGeneration's table), which SQLite checks on the rename."""
    before = schema_objects()
    check = models.CheckConstraint(condition=models.Q(pk__gt=0), name="test_remake")

    with connection.schema_editor() as editor:
        editor.add_constraint(model, check)
        editor.remove_constraint(model, check)

    assert schema_objects() == before


def test_an_index_the_model_no_longer_declares_is_dropped_not_made_again():
    field = ArticleVersion._meta.get_field("article")
    unindexed = copy.copy(field)
    unindexed.db_index = False
    before = schema_objects()
    declared = {row for row in before if row[1].startswith("articles_articleversion_article_id_")}

    with connection.schema_editor() as editor:
        editor.alter_field(ArticleVersion, field, unindexed)
    try:
        assert schema_objects() == before - declared != before
    finally:
        with connection.schema_editor() as editor:
            editor.alter_field(ArticleVersion, unindexed, field)
    assert schema_objects() == before


def test_a_trigger_made_again_still_fires():
    ContentGeneration.objects.update_or_create(pk=1, defaults={"topics": ""})
    check = models.CheckConstraint(condition=models.Q(pk__gt=0), name="test_remake")
    with connection.schema_editor() as editor:
        editor.add_constraint(ContentGeneration, check)
        editor.remove_constraint(ContentGeneration, check)

    Term.objects.create(slug="kept")

    assert "names" in ContentGeneration.objects.get().topics.split()

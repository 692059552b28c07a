"""`render_stored_pages --follow` beside the app servers (public/management/commands/render_stored_pages.py)."""

import time
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection

from articles.models import Article, ArticleVersion
from articles.search_index import WORD_TABLE
from public.management.commands import render_stored_pages
from tests.conftest import FIXTURES, SEED_SLUG


class _Stopped(Exception):
    pass


def _follow(monkeypatch, *, turns: int, meanwhile=None) -> str:
    """Run the command with --follow for `turns` looks for writes, and return what it wrote; `meanwhile()` runs
    during its first wait."""
    left = iter(range(turns))
    writes = [meanwhile] if meanwhile else []

    def sleep(_seconds):
        if next(left, None) is None:
            raise _Stopped
        while writes:
            writes.pop()()

    monkeypatch.setattr(render_stored_pages, "time", SimpleNamespace(sleep=sleep, monotonic=time.monotonic))
    out = StringIO()
    with pytest.raises(_Stopped):
        call_command("render_stored_pages", "--follow", "--interval", "0", stdout=out)
    return out.getvalue()


def _edit_drops_a_word() -> None:
    """An edit adds a word no other text holds, the next takes it out again: PostgreSQL's list keeps it."""
    call_command("import_articles", str(FIXTURES), stdout=StringIO())
    version = ArticleVersion.objects.get(article=Article.objects.get(slug=SEED_SLUG), language="en")
    text = version.search_text
    version.search_text = f"{text}\nzyzzyvas"
    version.save(update_fields=["search_text"])
    version.search_text = text
    version.save(update_fields=["search_text"])


def _listed(word: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT FROM {WORD_TABLE} WHERE word = %s)", [word])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)  # the shrink runs in a transaction of its own
def test_following_takes_the_words_edits_dropped_out_of_the_search_list(monkeypatch, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the list of search words is PostgreSQL's")
    settings.GLOSSARY_WORDS_SHRINK_SECONDS = 0
    _edit_drops_a_word()
    assert _listed("zyzzyvas")

    said = _follow(monkeypatch, turns=1)

    assert not _listed("zyzzyvas")
    assert "1 word(s) no text holds any more taken out of the search's list" in said


@pytest.mark.django_db(transaction=True)
def test_following_leaves_the_dropped_words_until_their_time_comes(monkeypatch, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the list of search words is PostgreSQL's")
    settings.GLOSSARY_WORDS_SHRINK_SECONDS = 3600
    _edit_drops_a_word()

    said = _follow(monkeypatch, turns=3)

    assert _listed("zyzzyvas")
    assert "word(s)" not in said


@pytest.mark.django_db(transaction=True)
def test_following_renders_after_a_write_made_while_it_waits(monkeypatch, settings):
    """On either database: the first pass, then a turn that finds the write made meanwhile and renders after it."""
    settings.GLOSSARY_WORDS_SHRINK_SECONDS = 0  # the shrink's turn too (nothing to do on SQLite)

    said = _follow(
        monkeypatch, turns=1, meanwhile=lambda: call_command("import_articles", str(FIXTURES), stdout=StringIO())
    )

    passes = [line.split(":")[0] for line in said.splitlines() if "page(s) rendered" in line]
    assert len(passes) == 2
    assert passes[0] != passes[1]  # "generation N": the second pass renders the import's

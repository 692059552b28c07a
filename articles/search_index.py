"""The folded text search compares, stored on save for each published language version, and its index.

ArticleSearchText holds one row per published language version: its folded title and text, and `grams`, the
distinct Han, kana and Hangul characters and pairs of them in the text. The index over these rows:
- words of 3 characters or more: PostgreSQL's pg_trgm GIN index on `text` (the LIKE search runs uses it as is);
  on SQLite an FTS5 table with the trigram tokenizer (`articles_search_trigram`), asked first for candidates;
- a Chinese or Korean word of 1 or 2 characters, which no trigram can find: the row's `grams`, through a GIN index
  on its words on PostgreSQL and an FTS5 table (`articles_search_grams`) on SQLite.
The LIKE on the row's text stays in every query, so what matches, and in what order, is the same on both
databases with or without the index; the index only decides how few rows LIKE reads.
`search_texts_index` is what writers call; the migration that creates the index is articles 0008.
"""

import re
from collections.abc import Iterable
from functools import reduce
from operator import and_

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from articles.models import Article, ArticleSearchText
from glossary.collation import fold

# Hangul, kana and Han: scripts written without spaces, where one or two characters are a word.
WIDE = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7a3\uf900-\ufaff]+")
TRIGRAM_TABLE = "articles_search_trigram"
GRAM_TABLE = "articles_search_grams"


def article_search_texts_store(
    article: Article, *, languages: Iterable[str] | None = None, drop_others: bool = True
) -> None:
    """Store what search compares for `languages` (all by default) `article` is published in; drop the others."""
    wanted = article.published_languages if languages is None else set(languages)
    stored = []
    for language in [code for code in article.published_languages if code in wanted]:
        title, description, text = (
            article.value(name, language) or "" for name in ("display_title", "display_description", "body_text")
        )
        folded = fold(f"{title}\n{description}\n{text}")
        values = {"title": fold(title), "text": folded, "grams": wide_grams(folded)}
        row, _ = ArticleSearchText.objects.update_or_create(article=article, language=language, defaults=values)
        stored.append(row)
    dropped = []
    if drop_others:
        others = ArticleSearchText.objects.filter(article=article).exclude(language__in=article.published_languages)
        dropped = list(others.values_list("pk", flat=True))
        others.delete()
    search_texts_index(stored, dropped=dropped)


def wide_grams(text: str) -> str:
    """The distinct Han, kana and Hangul characters of `text` and the pairs of them that follow each other."""
    grams = set()
    for run in WIDE.findall(text):
        grams.update(run)
        grams.update(run[index : index + 2] for index in range(len(run) - 1))
    return " ".join(sorted(grams))


def search_texts_index(rows: Iterable[ArticleSearchText], *, dropped: Iterable[int] = ()) -> None:
    """Bring the search index up to date with these stored rows, and forget the rows `dropped` (their ids).

    PostgreSQL keeps its GIN indexes itself; SQLite's FTS5 tables are filled here, in the writer's transaction.
    """
    if connection.vendor != "sqlite":
        return
    rows = list(rows)
    gone = [row.pk for row in rows] + list(dropped)
    with connection.cursor() as cursor:
        for table in (TRIGRAM_TABLE, GRAM_TABLE):
            cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [(pk,) for pk in gone])
        cursor.executemany(f"INSERT INTO {TRIGRAM_TABLE} (rowid, text) VALUES (%s, %s)", [(r.pk, r.text) for r in rows])
        cursor.executemany(f"INSERT INTO {GRAM_TABLE} (rowid, grams) VALUES (%s, %s)", [(r.pk, r.grams) for r in rows])


def indexed_matches(words: Iterable[str]) -> Q:
    """Rows the index says may hold every word (LIKE decides); no condition for a word the index cannot find.

    Only a word of one or two Latin letters or digits has no index: another word of the query narrows it, or
    LIKE reads the language's rows.
    """
    conditions = [condition for word in words if (condition := _indexed(fold(word))) is not None]
    return reduce(and_, conditions, Q())


def _indexed(word: str) -> Q | None:
    wide = WIDE.fullmatch(word) is not None
    if connection.vendor == "postgresql":
        if len(word) >= 3 or not wide:
            return None  # pg_trgm's GIN index serves the LIKE itself
        sql = "SELECT id FROM articles_articlesearchtext WHERE string_to_array(grams, ' ') @> ARRAY[%s]::text[]"
        return Q(id__in=RawSQL(sql, (word,)))
    if connection.vendor != "sqlite":
        return None
    phrase = '"' + word.replace('"', '""') + '"'
    if len(word) >= 3:
        return Q(id__in=RawSQL(f"SELECT rowid FROM {TRIGRAM_TABLE} WHERE {TRIGRAM_TABLE} MATCH %s", (phrase,)))
    if wide:
        return Q(id__in=RawSQL(f"SELECT rowid FROM {GRAM_TABLE} WHERE {GRAM_TABLE} MATCH %s", (phrase,)))
    return None

"""The folded text search compares, set on save for each published language version (ArticleVersion), and its index.

A published ArticleVersion row holds its folded title and text (`search_title`, `search_text`) and `search_grams`,
the distinct Han, kana and Hangul characters and pairs of them in the text; an unpublished row holds none of them.
The index over these rows:
- words of 3 characters or more: PostgreSQL's pg_trgm GIN index on `search_text` (the search's LIKE uses it as is);
  on SQLite an FTS5 table with the trigram tokenizer (`articles_search_trigram`), asked first for candidates;
- a Chinese or Korean word of 1 or 2 characters, which no trigram can find: the row's `search_grams`, through a GIN
  index on its words on PostgreSQL and an FTS5 table (`articles_search_grams`) on SQLite.
Both databases keep their index within the row's own write: GIN indexes on PostgreSQL, and on SQLite triggers on the
ArticleVersion table that update the FTS5 tables, which read their text from the rows (external content, keyed by
the row's id); unpublished rows hold no text, so the index never finds them.
The LIKE on the row's text stays in every query, so what matches, and in what order, is the same on both
databases with or without the index; the index only decides how few rows LIKE reads.
The migrations that make the index are articles 0014 and 0015.
"""

import re
from collections.abc import Iterable
from functools import reduce
from operator import and_

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from articles.models import Article
from glossary.collation import fold

# Hangul, kana and Han: scripts written without spaces, where one or two characters are a word.
WIDE = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7a3\uf900-\ufaff]+")
TRIGRAM_TABLE = "articles_search_trigram"
GRAM_TABLE = "articles_search_grams"


def article_search_texts_set(article: Article, *, languages: Iterable[str] | None = None) -> None:
    """Set what search compares for `languages` (all by default) `article` is published in; clear unpublished ones.

    Only the article's ArticleVersion rows change; the caller saves them.
    """
    wanted = set(article.published_languages if languages is None else languages)
    for language, row in article.version_rows().items():
        if not row.published:
            row.search_title, row.search_text, row.search_grams = "", "", ""
        elif language in wanted:
            title, description, text = row.display_title, row.display_description, row.body_text
            row.search_title = fold(title)[:300]
            row.search_text = fold(f"{title}\n{description}\n{text}")
            row.search_grams = wide_grams(row.search_text)


def wide_grams(text: str) -> str:
    """The distinct Han, kana and Hangul characters of `text` and the pairs of them that follow each other."""
    grams = set()
    for run in WIDE.findall(text):
        grams.update(run)
        grams.update(run[index : index + 2] for index in range(len(run) - 1))
    return " ".join(sorted(grams))


def rows_holding_every_word(words: Iterable[str]) -> Q:
    """Rows whose folded text (`search_text`) holds every word: the index alone where it decides exactly, else LIKE.

    On SQLite the FTS5 trigram table decides for words of 3 characters or more: a phrase of trigrams matches where
    the word is a substring of the folded text (the table holds `search_text` itself, and the word is folded the same
    way), so LIKE would only read every candidate's long text again: for a word in every text that is most of the
    query's time. Those words go to one MATCH. Every other word is a LIKE, narrowed by the index where it can be
    (on PostgreSQL, whose trigram index serves the LIKE itself, every word).
    """
    folded = list(dict.fromkeys(fold(word) for word in words))
    exact = [word for word in folded if connection.vendor == "sqlite" and len(word) >= 3]
    others = [word for word in folded if word not in exact]
    conditions = [Q(search_text__contains=word) for word in others]
    if exact:
        phrases = " AND ".join('"' + word.replace('"', '""') + '"' for word in exact)
        sql = f"SELECT rowid FROM {TRIGRAM_TABLE} WHERE {TRIGRAM_TABLE} MATCH %s"
        conditions.append(Q(id__in=RawSQL(sql, (phrases,))))
    return reduce(and_, conditions, indexed_matches(others))


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
        # An unpublished row's grams are empty, so it never matches.
        sql = "SELECT id FROM articles_articleversion WHERE string_to_array(search_grams, ' ') @> ARRAY[%s]::text[]"
        return Q(id__in=RawSQL(sql, (word,)))
    if connection.vendor != "sqlite":
        return None
    phrase = '"' + word.replace('"', '""') + '"'
    if len(word) >= 3:
        return Q(id__in=RawSQL(f"SELECT rowid FROM {TRIGRAM_TABLE} WHERE {TRIGRAM_TABLE} MATCH %s", (phrase,)))
    if wide:
        return Q(id__in=RawSQL(f"SELECT rowid FROM {GRAM_TABLE} WHERE {GRAM_TABLE} MATCH %s", (phrase,)))
    return None

"""The folded text search compares, set on save for each published language version (ArticleVersion), and its index.

A published ArticleVersion row holds its folded title and text (`search_title`, `search_text`) and `search_grams`,
the distinct Han, kana and Hangul characters and pairs of them in the text; an unpublished row holds none of them.
The index over these rows:
- words of 3 characters or more: on PostgreSQL a GIN index of each row's language and the pg_trgm trigrams of its
  `search_text` (the search's LIKE uses it as is, and reads the candidates of one language only); on SQLite an
  FTS5 table with the trigram tokenizer (`articles_search_trigram`), asked first for candidates;
- a Chinese or Korean word of 1 or 2 characters, which no trigram can find: the row's `search_grams`, through a GIN
  index on its words on PostgreSQL and an FTS5 table (`articles_search_grams`) on SQLite.
Both databases keep their index within the row's own write: GIN indexes on PostgreSQL, and on SQLite triggers on the
ArticleVersion table that update the FTS5 tables, which read their text from the rows (external content, keyed by
the row's id); unpublished rows hold no text, so the index never finds them.
Where the index can only narrow the rows (a word of 1 or 2 characters that are not all Han, kana or Hangul letters;
on PostgreSQL any word of 3 or more), LIKE on the row's text decides (on PostgreSQL strpos, for a word pg_trgm takes
no trigram from, as one of 1 or 2 characters: no index serves LIKE there); where it decides alone, it answers
exactly what LIKE would: what matches, and in what order, is the same on both databases (tests run the same
expectations on both).
The migrations that make the index are articles 0014, 0015 and 0019 (PostgreSQL keeps `search_text` uncompressed:
LIKE reads it on every search). On SQLite each write adds a segment to each FTS5 table, which every MATCH reads; FTS5
merges them as it goes, and after an import `search_index_merge` finishes the merges its writes left half done.
"""

import unicodedata
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connections

from articles.models import Article
from articles.search_text import WIDE, search_text
from glossary.collation import fold
from glossary.search_index import NAME_TRIGRAM_TABLE, fts_merge, trigram_indexed

TRIGRAM_TABLE = "articles_search_trigram"
GRAM_TABLE = "articles_search_grams"
# SQLite: each row's id with the columns search counts and ranks its hits by (articles migration 0021), so that a
# search reads no row but the hits it shows (`article_id` lies past the row's long texts, in its overflow pages).
HIT_INDEX = "articles_version_hit"


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
            row.search_text, row.search_grams = search_text(title=title, description=description, text=text)


def rows_holding_every_word(words: Iterable[str], *, alias: str) -> tuple[str, list]:
    """SQL that is true for the ArticleVersion row `alias` whose folded text (`search_text`) holds every word, and
    its parameters: the index alone where it decides exactly, else LIKE (narrowed by the index where it can be).

    SQL, not a Q: the search page is a few such queries, and composing them with the ORM cost more than running
    them. Two kinds of word are decided by the index alone, so LIKE does not read every candidate's long text again
    (for a word in every text, most of the query's time):
    - on SQLite, a word of 3 characters or more, by the FTS5 trigram table: a phrase of trigrams matches where the
      word is a substring of the folded text (the table holds `search_text` itself, folded the same way); one MATCH
      for all of them. PostgreSQL's trigram index serves the LIKE itself;
    - on both, a Chinese, Japanese or Korean word of 1 or 2 letters, by the row's grams: they are every such
      character of the text and every pair of them that follow each other, so the word is in the text exactly when
      it is among them (FTS5's unicode61 tokenizer keeps each of these letters as itself: a test checks it).
    On PostgreSQL a longer such word is narrowed by the grams (each of its pairs) and decided by strpos.
    """
    db = connections[DEFAULT_DB_ALIAS]  # `connection` looks the thread's connection up on each use
    folded = list(dict.fromkeys(fold(word) for word in words))
    sqlite = db.vendor == "sqlite"
    trigrams = [word for word in folded if sqlite and len(word) >= 3]
    grams = [word for word in folded if word not in trigrams and decided_by_grams(word)]
    # PostgreSQL: a longer Chinese, Japanese or Korean word is in the text only if each pair of its characters is
    # among the grams; strpos then decides, where LIKE took 100 µs a row on Korean text (and pg_trgm rechecks with it).
    found_by_pairs = [word for word in folded if not sqlite and len(word) >= 3 and WIDE.fullmatch(word)]
    pairs = [word[index : index + 2] for word in found_by_pairs for index in range(len(word) - 1)]
    conditions, params = [], []
    if trigrams:
        conditions.append(f"{alias}.id IN (SELECT rowid FROM {TRIGRAM_TABLE} WHERE {TRIGRAM_TABLE} MATCH %s)")
        params.append(_phrases(trigrams))
    if grams and sqlite:
        conditions.append(f"{alias}.id IN (SELECT rowid FROM {GRAM_TABLE} WHERE {GRAM_TABLE} MATCH %s)")
        params.append(_phrases(grams))
    elif grams or pairs:
        # An unpublished row's grams are empty, so it never matches.
        conditions.append(f"string_to_array({alias}.search_grams, ' ') @> %s::text[]")
        params.append(list(dict.fromkeys([*grams, *pairs])))
    for word in found_by_pairs:
        conditions.append(f"strpos({alias}.search_text, %s) > 0")
        params.append(word)
    for word in folded:
        if word in trigrams or word in grams or word in found_by_pairs:
            continue
        narrowed = _narrowing(word, alias=alias, vendor=db.vendor)
        if narrowed:
            conditions.append(narrowed[0])
            params.append(narrowed[1])
        if not sqlite and not trigram_indexed(word):
            # No trigram holds the word, so no index serves LIKE: strpos decides, two to four times faster where
            # the text does not hold the word (and the prepared statement's plan does not read the trigram index).
            conditions.append(f"strpos({alias}.search_text, %s) > 0")
            params.append(word)
            continue
        conditions.append(f"{alias}.search_text {db.operators['contains'] % '%s'}")
        params.append(f"%{db.ops.prep_for_like_query(word)}%")
    return " AND ".join(conditions), params


def decided_by_grams(word: str) -> bool:
    """Whether the grams decide alone if the (folded) word is in a text: 1 or 2 Han, kana or Hangul letters."""
    return len(word) <= 2 and WIDE.fullmatch(word) is not None and all(unicodedata.category(c)[0] == "L" for c in word)


def _phrases(words: list[str]) -> str:
    """An FTS5 query holding every word as a phrase: quoted, so that FTS5 reads nothing in them as syntax."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


def _narrowing(word: str, *, alias: str, vendor: str) -> tuple[str, str] | None:
    """A condition the index answers, true for every row whose text may hold the word, with its parameter; none
    for a word of one or two Latin letters or digits (another word of the query narrows it, or LIKE reads the
    language's rows) or where PostgreSQL's trigram index serves the LIKE itself."""
    wide = WIDE.fullmatch(word) is not None
    if vendor == "postgresql":
        if len(word) >= 3 or not wide:
            return None
        return f"string_to_array({alias}.search_grams, ' ') @> ARRAY[%s]::text[]", word
    if vendor != "sqlite" or not wide:
        return None
    return f"{alias}.id IN (SELECT rowid FROM {GRAM_TABLE} WHERE {GRAM_TABLE} MATCH %s)", _phrases([word])


# Pages of merging an import may write for each language version it wrote: a version's text is about four pages of
# the trigram index, so the levels its transactions filled are merged with room to spare, and a one-article import
# into a large corpus writes a few dozen pages at most, never the whole index again.
MERGE_PAGES_PER_VERSION = 16


def search_index_merge(*, versions: int) -> None:
    """Merge what `versions` written language versions left in pieces in the SQLite search indexes (articles' texts
    and grams, term names), with work bounded by that number, not by the size of the index.

    An import writes each article in a transaction of its own, each a new segment of each index; FTS5 merges levels
    of four segments as it goes, a little at each write, and leaves the last merges half done, each still a segment
    every MATCH reads. Merging them took a text query over a 900-article import from 1.2 ms to 0.5 ms, as fast as
    'optimize' made it, which rewrote the whole index after every import (1-2 s at 5,000 versions, even for one
    article).
    """
    fts_merge(TRIGRAM_TABLE, GRAM_TABLE, NAME_TRIGRAM_TABLE, pages=MERGE_PAGES_PER_VERSION * max(versions, 1))

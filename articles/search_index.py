"""The folded text search compares, set on save for each published language version (ArticleVersion), and its index.

A published ArticleVersion row holds its folded title and text (`search_title`, `search_text`) and `search_grams`,
the distinct characters of the text and the pairs of Han, kana and Hangul characters in it; an unpublished row holds
none of them. The index over these rows:
- a Chinese or Korean word of 1 or 2 characters, which no trigram can find: the row's `search_grams`, through a GIN
  index on its words on PostgreSQL and an FTS5 table (`articles_search_grams`) on SQLite;
- on SQLite, a word of 3 characters or more: an FTS5 table with the trigram tokenizer (`articles_search_trigram`);
  any other word of 2 characters: that table's vocabulary and an index of the texts' ends; of 1: the grams;
- on PostgreSQL, any other word: the text's words (its runs between whitespace, TEXT_WORDS) in a GIN index of each
  row's language and words, and every word of every text once in WORD_TABLE, with a trigram index: the words that
  hold the query's word are found there, then the rows holding one of them.
Both databases keep their index within the row's own write: GIN indexes and a trigger adding a text's new words to
WORD_TABLE on PostgreSQL, and on SQLite triggers on the ArticleVersion table that update the FTS5 tables, which read
their text from the rows (external content, keyed by the row's id); unpublished rows hold no text, so the index
never finds them.
Where the index can only narrow the rows (on SQLite a word of 1 character that is not a Han, kana or Hangul letter),
LIKE on the row's text decides; where it decides alone, it answers exactly what LIKE would: what matches, and in
what order, is the same on both databases (tests run the same expectations on both).
The migrations that make the index are articles 0014, 0015, 0019, 0021, 0022 and 0025 to 0029; on SQLite, a
table Django remakes to alter a column keeps their triggers and indexes (core/backends/sqlite3/schema.py). On SQLite
each write adds a segment to each FTS5 table, which every MATCH reads; FTS5 merges them as it goes, and after an
import `search_index_merge` finishes the merges its writes left half done. On PostgreSQL a word no text holds any
more stays in WORD_TABLE until `search_words_shrink`, after an import, takes it out.
"""

import unicodedata
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

from articles.models import Article
from articles.search_text import WIDE, search_text
from glossary.collation import fold
from glossary.search_index import (
    NAME_TRIGRAM_TABLE,
    containing,
    fts_merge,
    fts_phrases,
    pair_holders,
    trigram_indexed,
)

VERSION_TABLE = "articles_articleversion"
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
    them. The index decides alone for every word but a rare one, so no text is read again (for a word in every
    text, reading them was most of the query's time):
    - on SQLite, a word of 3 characters or more, by the FTS5 trigram table: a phrase of trigrams matches where the
      word is a substring of the folded text (the table holds `search_text` itself, folded the same way); one MATCH
      for all of them;
    - on both, a Chinese, Japanese or Korean word of 1 or 2 letters, by the row's grams: they are every such
      character of the text and every pair of them that follow each other, so the word is in the text exactly when
      it is among them (FTS5's unicode61 tokenizer keeps each of these letters as itself: a test checks it);
    - on SQLite, any other word of 2 characters, by the trigram table's vocabulary and an index of the texts' last
      two characters (glossary.search_index.pair_holders);
    - on PostgreSQL, any other word, by the text's words (_postgresql_rows_holding_every_word).
    Only a word of one character that is not a Chinese, Japanese or Korean letter is left to LIKE on SQLite, on the
    rows the grams found.
    """
    db = connections[DEFAULT_DB_ALIAS]  # `connection` looks the thread's connection up on each use
    folded = list(dict.fromkeys(fold(word) for word in words))
    if db.vendor == "postgresql":
        return _postgresql_rows_holding_every_word(folded, alias=alias)
    if db.vendor != "sqlite":
        conditions, params = zip(*(containing(f"{alias}.search_text", word) for word in folded), strict=True)
        return " AND ".join(conditions), list(params)
    trigrams = [word for word in folded if len(word) >= 3]
    # A word of one character that is not a Chinese, Japanese or Korean letter is in the grams too, as every
    # character of the text is, but FTS5's tokenizer folds letters' case as it likes: LIKE decides, on the rows the
    # grams found. (Without the grams, a rare character with a common word, "ꙮ crowd", read the common word's 1,000
    # texts to their ends: 65 ms.)
    checked = [word for word in folded if len(word) == 1 and not decided_by_grams(word)]
    grams = [word for word in folded if decided_by_grams(word) or word in checked]
    pairs = [word for word in folded if len(word) == 2 and word not in grams]
    found, params = [], []
    if trigrams:
        found.append(f"SELECT rowid FROM {TRIGRAM_TABLE} WHERE {TRIGRAM_TABLE} MATCH %s")
        params.append(fts_phrases(trigrams))
    if grams:
        found.append(f"SELECT rowid FROM {GRAM_TABLE} WHERE {GRAM_TABLE} MATCH %s")
        params.append(fts_phrases(grams))
    for pair in pairs:
        rows, rows_params = pair_holders(pair, trigrams=TRIGRAM_TABLE, table=VERSION_TABLE, column="search_text")
        found.append(f"SELECT * FROM ({rows})")
        params += rows_params
    # One set of ids, the intersection of each index's: SQLite looked up every row the first index found and then
    # asked the others, 5,000 rows for a common word with a word no text holds.
    conditions = [f"{alias}.id IN ({' INTERSECT '.join(found)})"]
    for word in checked:
        condition, param = containing(f"{alias}.search_text", word)
        conditions.append(condition)
        params.append(param)
    return " AND ".join(conditions), params


# PostgreSQL: a text's words, its runs between spaces, line breaks, carriage returns and tabs, as the index
# `articles_version_words` holds them and as the trigger adding them to WORD_TABLE splits them; and its grams, as
# `articles_version_grams` holds them. Functions (articles migration 0029) declared with what a call costs, so that
# the planner asks the indexes rather than split every text of a language (180 ms for a miss at 200 articles). The
# expressions must stay the same, character for character, for the indexes to serve them.
TEXT_WORDS = "articles_text_words({column})"
TEXT_GRAMS = "articles_text_grams({column})"
WORD_TABLE = "articles_search_word"
# The words writes took out of texts, noted by a trigger (articles migration 0027), for search_words_shrink.
DROPPED_WORD_TABLE = "articles_search_word_dropped"
_SPLIT = frozenset(" \n\r\t")


def _postgresql_rows_holding_every_word(folded: list[str], *, alias: str) -> tuple[str, list]:
    """rows_holding_every_word on PostgreSQL, for the folded words.

    A query's word holds no whitespace (the query is split at it), so it is in a text exactly when it is in one of
    the text's words: the words that hold it are found in WORD_TABLE (every word of every text, once: LIKE there,
    served by its trigram index, or strpos for a word pg_trgm takes no trigram from), and the versions holding one of
    them by the GIN index of their words, which decides alone. Folding may put a space in a word (˘ folds to a space
    and an accent taken off): such a word is looked for in the texts themselves.
    """
    grams = [word for word in folded if decided_by_grams(word)]
    conditions, params = [], []
    if grams:
        # An unpublished row's grams are empty, so it never matches.
        conditions.append(f"{TEXT_GRAMS.format(column=f'{alias}.search_grams')} @> %s::text[]")
        params.append(grams)
    text_words = TEXT_WORDS.format(column=f"{alias}.search_text")
    for word in folded:
        if word in grams:
            continue
        if _SPLIT.intersection(word):
            conditions.append(f"strpos({alias}.search_text, %s) > 0")
            params.append(word)
            continue
        if trigram_indexed(word):
            holding, param = containing("word", word)
        else:
            # A plan made once for any word (the statement is prepared) would read the whole trigram index for it.
            holding, param = "strpos(word, %s) > 0", word
        conditions.append(f"{text_words} && ARRAY(SELECT word FROM {WORD_TABLE} WHERE {holding})")
        params.append(param)
    return " AND ".join(conditions), params


def decided_by_grams(word: str) -> bool:
    """Whether the grams decide alone if the (folded) word is in a text: 1 or 2 Han, kana or Hangul letters."""
    return len(word) <= 2 and WIDE.fullmatch(word) is not None and all(unicodedata.category(c)[0] == "L" for c in word)


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


# An import that wrote this share of the versions' table or more has PostgreSQL analyze it at once (autovacuum's
# default share for analyzing, 10 %, which it acts on within about a minute).
ANALYZE_SHARE = 0.1


def search_statistics_refresh(*, versions: int) -> bool:
    """Have PostgreSQL analyze the versions' table after a write of `versions` rows that is a tenth of it or more
    (or into a table never analyzed), and say whether it did; nothing elsewhere, or within a transaction.

    Never analyzed, the table looked to the planner as if each language had one row, and splitting that row's text
    the cheapest way to search it: right after a first import of 200 articles a search took 20-180 ms instead of
    1-4, until autovacuum's analyze. With the split texts' statistics off (articles 0029) it takes 8 ms at 1,000
    versions; below the share the table's statistics still describe it, and an import of one article into a large
    corpus costs nothing more.
    """
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or db.in_atomic_block or not versions:
        return False
    with db.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [VERSION_TABLE])
        (rows,) = cursor.fetchone()
        if rows >= 0 and versions < rows * ANALYZE_SHARE:  # -1: never analyzed
            return False
        cursor.execute(f"ANALYZE {VERSION_TABLE}")
    return True


# How long the shrink waits for the writes going on to end (holding new ones meanwhile) before it leaves the words
# for the next time.
SHRINK_LOCK_TIMEOUT = "2s"
# A statement after the lock, so that it sees every text committed: the words WORD_TABLE lists that a write took out
# of a text (DROPPED_WORD_TABLE, emptied as they are read) and no text holds, each looked for through the index of
# the versions' words (articles_version_words, any language). An md5 both words share would only delete another word
# no text holds either.
_SHRINK = (
    f"WITH dropped AS (DELETE FROM {DROPPED_WORD_TABLE} RETURNING word) "
    f"DELETE FROM {WORD_TABLE} w WHERE md5(w.word) IN (SELECT md5(word) FROM dropped) "
    f"AND NOT EXISTS (SELECT FROM {VERSION_TABLE} v WHERE {TEXT_WORDS.format(column='v.search_text')}"
    " && ARRAY[w.word])"
)


def search_words_shrink(*, lock_timeout: str | None = None) -> int:
    """Take out of PostgreSQL's list of words (WORD_TABLE) those that writes took out of texts and no text holds any
    more, and return how many; nothing elsewhere, or when the writes going on do not end in `lock_timeout`
    (SHRINK_LOCK_TIMEOUT by default), or when no write dropped a word (no lock taken then).

    Only the words the writes dropped are looked at (DROPPED_WORD_TABLE), so the work is bounded by what was written,
    not by the corpus: looking at every word took 6 s for 400,000 words at 100,000 versions.
    A write's words are not seen by a statement that started before the write committed (MVCC), and a write adds no
    row, and takes no lock, for a word already listed (ON CONFLICT DO NOTHING): a delete running beside a write could
    take out a word the write's text holds, and that text would never be found by it. So the shrink first locks the
    versions' table in SHARE mode, which waits for the writes going on to end and holds new ones until it commits;
    its DELETE, a later statement, sees every text committed. A write held meanwhile finds, once it goes on, no listed
    word the shrink deleted, and adds it again. Within a transaction of the caller's, nothing is done: the lock would
    hold every write until that transaction ends.
    """
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or db.in_atomic_block:
        return 0
    with db.cursor() as cursor:  # a first import drops no word, nor does a pass of the renderer after most edits
        cursor.execute(f"SELECT EXISTS (SELECT FROM {DROPPED_WORD_TABLE})")
        if not cursor.fetchone()[0]:
            return 0
    try:
        with transaction.atomic(), db.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [lock_timeout or SHRINK_LOCK_TIMEOUT])
            cursor.execute(f"LOCK TABLE {VERSION_TABLE} IN SHARE MODE")
            cursor.execute(_SHRINK)
            return cursor.rowcount
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != "55P03":  # lock_not_available
            raise
        return 0  # the dropped words wait for the next time

"""The index of the folded term names search compares (TermName.folded_name), made by migration glossary 0009.

On SQLite an FTS5 table with the trigram tokenizer (`glossary_name_trigram`), kept in step by triggers, decides alone
for words of 3 characters or more: a phrase of trigrams matches where the word is a substring of the folded name.
Shorter words are a LIKE over the language's names. On PostgreSQL pg_trgm's GIN index of each name's language and
trigrams (glossary 0012) serves the LIKE itself, for a word it takes a trigram from (trigram_indexed); any other
word is strpos over the language's names.
The same names match, in the same order, on both databases.

FTS5 writes each transaction's rows as a new segment of the index and merges them only now and then, and a MATCH
reads every segment: after a bulk load the names' index was dozens of segments, and a search's names query took
four to ten times as long as on the same index merged into one (`name_index_optimize`).
"""

import re
import sys
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connection, connections

from glossary.collation import fold

NAME_TRIGRAM_TABLE = "glossary_name_trigram"


def names_holding_every_word(words: Iterable[str], *, alias: str, languages: Iterable[str]) -> tuple[str, list]:
    """SQL that is true for the TermName row `alias` of `languages` whose folded name holds every word, and its
    parameters: on SQLite the trigram table alone for words of 3 characters or more, its vocabulary and an index of
    the names' ends for words of 2 (pair_holders), LIKE for a word of 1; on PostgreSQL LIKE, which the names'
    trigram index serves where it takes a trigram from the word (trigram_indexed), else strpos.

    SQL, not a Q: the search page is a few such queries, and composing them with the ORM cost more than running them.
    """
    db = connections[DEFAULT_DB_ALIAS]  # `connection` looks the thread's connection up on each use
    languages = list(languages)
    folded = list(dict.fromkeys(fold(word) for word in words))
    exact = [word for word in folded if db.vendor == "sqlite" and len(word) >= 3]
    conditions, params = [], []
    paired = False
    for word in folded:
        if word in exact:
            continue
        if db.vendor == "sqlite" and len(word) == 2:
            rows, rows_params = pair_holders(
                word, trigrams=NAME_TRIGRAM_TABLE, table="glossary_termname", column="folded_name", languages=languages
            )
            conditions.append(f"{alias}.id IN ({rows})")
            params += rows_params
            paired = True
            continue
        if db.vendor == "postgresql" and not trigram_indexed(word):
            conditions.append(f"strpos({alias}.folded_name, %s) > 0")
            params.append(word)
            continue
        condition, param = containing(f"{alias}.folded_name", word)
        conditions.append(condition)
        params.append(param)
    places = ", ".join(["%s"] * len(languages))
    if not exact:
        # The names a pair's indexes found have their language checked on each, as below.
        language = f"+{alias}.language" if paired else f"{alias}.language"
        return " AND ".join([f"{language} IN ({places})", *conditions]), [*languages, *params]
    phrases = fts_phrases(exact)
    # `+language`, which no index serves, makes SQLite start from the names the index found and check the language
    # on each: else it read every name of the language and looked each up among them, or asked the index once per
    # name. (Checking the language inside, on a join of the index with the names, looked each name up twice.)
    table = NAME_TRIGRAM_TABLE
    found = f"{alias}.id IN (SELECT rowid FROM {table} WHERE {table} MATCH %s) AND +{alias}.language IN ({places})"
    return " AND ".join([found, *conditions]), [phrases, *languages, *params]


def fts_phrases(words: list[str]) -> str:
    """An FTS5 query holding every word as a phrase: quoted, so that FTS5 reads nothing in them as syntax."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


def prefix_range(column: str, prefix: str) -> tuple[str, list]:
    """SQLite: SQL true where `column` starts with `prefix`, as a range of its values that an index (or fts5vocab's
    sorted terms) serves, and its parameters.

    SQLite compares text as UTF-8 bytes, in the order of code points, so the values starting with the prefix are those
    from the prefix up to the prefix with its last character moved on by one (past the surrogates, which no text
    holds). After the last character there is none: the range is open above, and the start checked on each value.
    """
    following = ord(prefix[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:
        following = 0xE000
    if following > sys.maxunicode:
        return f"{column} >= %s AND substr({column}, 1, {len(prefix)}) = %s", [prefix, prefix]
    return f"{column} >= %s AND {column} < %s", [prefix, prefix[:-1] + chr(following)]


def pair_holders(
    word: str, *, trigrams: str, table: str, column: str, languages: list[str] | None = None
) -> tuple[str, list]:
    """SQLite: a query of the ids of the rows of `table` whose `column` holds `word`, two characters, decided by
    indexes alone, and its parameters.

    No trigram is two characters, so FTS5's trigram table of the column (`trigrams`) cannot be asked for the pair
    itself. But a text holds the pair exactly when one of its trigrams starts with it, or the text ends with it
    (where the pair has no character after it): the trigrams starting with the pair are read from the trigram
    table's vocabulary (`{trigrams}_vocabulary`, an fts5vocab table: a range of its sorted terms) and asked for in
    one MATCH, and the texts ending with it from an index of their last two characters (`{table}_tail`; with the
    language first where `languages` are given). Articles migration 0025 and glossary 0013 make them.

    LIKE read every text of the language, to its end where the pair was not in it: at 1,000 articles and 10,000
    terms, 7 ms a language for the articles' texts and 1.5 for the names, and a two-letter miss's page, which counts
    the other languages' hits too, took 65 ms.
    """
    phrases = "group_concat('\"' || replace(term, '\"', '\"\"') || '\"', ' OR ')"
    # '""' matches nothing: no trigram starts with the pair.
    starts, params = prefix_range("term", word)
    starting = f"SELECT coalesce({phrases}, '\"\"') FROM {trigrams}_vocabulary WHERE {starts}"
    ending = f"substr({column}, -2) = %s"
    if languages is not None:
        ending = f"language IN ({', '.join(['%s'] * len(languages))}) AND {ending}"
        params += languages
    params.append(word)
    sql = (
        f"SELECT rowid FROM {trigrams} WHERE {trigrams} MATCH ({starting})"
        f" UNION ALL SELECT id FROM {table} INDEXED BY {table}_tail WHERE {ending}"
    )
    return sql, params


def containing(column: str, word: str) -> tuple[str, str]:
    """SQL true where `column` holds `word` (LIKE '%word%', the word's own % and _ escaped), and its parameter."""
    db = connections[DEFAULT_DB_ALIAS]  # `connection` looks the thread's connection up on each use
    return f"{column} {db.operators['contains'] % '%s'}", f"%{db.ops.prep_for_like_query(word)}%"


# Three letters or digits in a row: pg_trgm takes a trigram from them for LIKE '%word%'.
_TRIGRAM = re.compile(r"[^\W_]{3}")


def trigram_indexed(word: str) -> bool:
    """Whether PostgreSQL's trigram indexes can find the (folded) word: pg_trgm takes a trigram from it.

    The search's statements are prepared with one plan for any word (core.stored_pages.prepared_cursor), so a LIKE
    is only written for a word the index serves: for any other the plan would read the whole index, where a plan
    made for the word reads the language's rows. That word is found by strpos, which no index serves.
    """
    return _TRIGRAM.search(word) is not None


def name_index_optimize() -> None:
    """Merge the SQLite names' index into one segment, after a bulk write: the same rows, found faster."""
    fts_optimize(NAME_TRIGRAM_TABLE)


def fts_merge(*tables: str, pages: int) -> None:
    """Merge the levels of each of SQLite's FTS5 `tables` that hold several segments, writing about `pages` pages at
    most (FTS5's 'merge' command); nothing elsewhere.

    Unlike 'optimize', which rewrites the whole index, the work is bounded by `pages`, whatever the index holds, and
    a level of fewer segments than FTS5 merges on its own (usermerge, 4) is left as it is.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('merge', %s)", [pages])


def fts_optimize(*tables: str) -> None:
    """Merge each of SQLite's FTS5 `tables` into one segment (FTS5's 'optimize' command); nothing elsewhere."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")

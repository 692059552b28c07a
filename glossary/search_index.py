"""The index of the folded term names search compares (TermName.folded_name), made by migration glossary 0009.

On SQLite an FTS5 table with the trigram tokenizer (`glossary_name_trigram`), kept in step by triggers, decides alone
for words of 3 characters or more: a phrase of trigrams matches where the word is a substring of the folded name.
Shorter words are a LIKE over the language's names. On PostgreSQL pg_trgm's GIN index serves the LIKE itself.
The same names match, in the same order, on both databases.
"""

from collections.abc import Iterable
from functools import reduce
from operator import and_

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from glossary.collation import fold

NAME_TRIGRAM_TABLE = "glossary_name_trigram"


def names_holding_every_word(words: Iterable[str], *, languages: Iterable[str]) -> Q:
    """TermName rows of `languages` whose folded name holds every word: the trigram table alone where it decides,
    else LIKE."""
    languages = list(languages)
    folded = list(dict.fromkeys(fold(word) for word in words))
    exact = [word for word in folded if connection.vendor == "sqlite" and len(word) >= 3]
    conditions = [Q(folded_name__contains=word) for word in folded if word not in exact]
    if not exact:
        return reduce(and_, conditions, Q(language__in=languages))
    phrases = " AND ".join('"' + word.replace('"', '""') + '"' for word in exact)
    # The languages are asked for inside, and CROSS JOIN makes SQLite start from the names the index found: else it
    # read every name of the language and looked each up among them, or asked the index once per name.
    table = NAME_TRIGRAM_TABLE
    sql = (
        f"SELECT name.id FROM {table} CROSS JOIN glossary_termname name ON name.id = {table}.rowid"
        f" WHERE {table} MATCH %s AND name.language IN ({', '.join(['%s'] * len(languages))})"
    )
    return reduce(and_, conditions, Q(id__in=RawSQL(sql, (phrases, *languages))))

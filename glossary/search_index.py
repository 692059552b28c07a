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


def names_holding_every_word(words: Iterable[str]) -> Q:
    """TermName rows whose folded name holds every word: the trigram table alone where it decides, else LIKE."""
    folded = list(dict.fromkeys(fold(word) for word in words))
    exact = [word for word in folded if connection.vendor == "sqlite" and len(word) >= 3]
    conditions = [Q(folded_name__contains=word) for word in folded if word not in exact]
    if exact:
        phrases = " AND ".join('"' + word.replace('"', '""') + '"' for word in exact)
        sql = f"SELECT rowid FROM {NAME_TRIGRAM_TABLE} WHERE {NAME_TRIGRAM_TABLE} MATCH %s"
        conditions.append(Q(id__in=RawSQL(sql, (phrases,))))
    return reduce(and_, conditions)

"""Locale-correct sorting and A–Z grouping of names with ICU, and the folded form search compares. No Django here.

ICU's AlphabeticIndex knows each language's index letters: Korean initial consonants (ㄲ under ㄱ), Chinese pinyin
initials, Norwegian Æ Ø Å after Z, French É under E. Latin letters are added to every index, so Latin names in a
Korean list get their own letters after Hangul and in a Chinese list join the pinyin letters; digits and symbols go
under OTHER_LABEL.
"""

import unicodedata
from functools import lru_cache

import icu

OTHER_LABEL = "#"
NORMAL_BUCKET = 0  # ICU's U_ALPHAINDEX_NORMAL; the others are under-, in- and overflow


@lru_cache(maxsize=32)
def _index(language: str):
    locale = icu.Locale.forLanguageTag(language)
    index = icu.AlphabeticIndex(locale)
    index.addLabels(icu.Locale.getEnglish())
    return index.buildImmutableIndex(), icu.Collator.createInstance(locale)


def collation_key(name: str, *, language: str) -> str:
    """Return a key whose plain string order is the language's alphabetical order (hex of ICU's sort key)."""
    _immutable, collator = _index(language)
    return collator.getSortKey(name).hex()


def index_label(name: str, *, language: str) -> str:
    """Return the index letter a reader of `language` looks for `name` under."""
    immutable, _collator = _index(language)
    label, kind = immutable.getBucket(immutable.getBucketIndex(name))
    return label if kind == NORMAL_BUCKET else OTHER_LABEL


def index_labels(language: str) -> list[str]:
    """Return every index letter of `language` in order, OTHER_LABEL last."""
    immutable, _collator = _index(language)
    buckets = (immutable.getBucket(position) for position in range(immutable.bucketCount))
    return [*(label for label, kind in buckets if kind == NORMAL_BUCKET), OTHER_LABEL]


def fold(text: str) -> str:
    """Return text as search compares it: composed (NFC) and case folded (RÉSEAUX and réseaux are one word)."""
    return unicodedata.normalize("NFC", text).casefold()

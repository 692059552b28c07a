"""Locale-correct sorting and A–Z grouping of names with ICU, and the folded form search compares. No Django here.

ICU's AlphabeticIndex knows each language's index letters: Korean initial consonants (ㄲ under ㄱ), Chinese pinyin
initials, Norwegian Æ Ø Å after Z, French É under E. Latin letters are added to every index, so Latin names in a
Korean list get their own letters after Hangul and in a Chinese list join the pinyin letters; digits and symbols go
under OTHER_LABEL.
"""

import re
import unicodedata
from collections.abc import Sequence
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
    return list(_index_labels(language))


@lru_cache(maxsize=32)
def _index_labels(language: str) -> tuple[str, ...]:
    immutable, _collator = _index(language)
    buckets = (immutable.getBucket(position) for position in range(immutable.bucketCount))
    return (*(label for label, kind in buckets if kind == NORMAL_BUCKET), OTHER_LABEL)


# Latin, Greek and Cyrillic letters lose their accents in search (reseaux finds réseaux); Hangul and Han are never
# decomposed: a Hangul syllable would fall apart into its jamo.
_ACCENTED_SCRIPTS = ((0x00C0, 0x052F), (0x1E00, 0x1FFF))


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    code = ord(char)
    if any(low <= code <= high for low, high in _ACCENTED_SCRIPTS):
        decomposed = unicodedata.normalize("NFKD", char)
        char = "".join(part for part in decomposed if not unicodedata.combining(part))
    return char.casefold()


@lru_cache(maxsize=1)
def _unaccent_table() -> dict[int, str]:
    """str.translate's table taking the accents off every character of the accented scripts."""
    table = {}
    for low, high in _ACCENTED_SCRIPTS:
        for code in range(low, high + 1):
            decomposed = unicodedata.normalize("NFKD", chr(code))
            bare = "".join(part for part in decomposed if not unicodedata.combining(part))
            if bare != chr(code):
                table[code] = bare
    return table


def fold(text: str) -> str:
    """Return text as search compares it: composed (NFC), case folded, Latin/Greek/Cyrillic accents stripped.

    The same as folding each character with `_fold_char` (case folding has no context), done by C loops: a search
    text is folded on every save.
    """
    return _unaccent(unicodedata.normalize("NFC", text)).casefold()


def _unaccent(text: str) -> str:
    """Take the accents off the characters of the accented scripts, run by run of them.

    The same as str.translate with _unaccent_table (every character it changes is in _ACCENTED_SCRIPTS), which
    looks every character up in a dict: 0.1-0.2 µs a character outside ASCII, several times the regular expression
    that finds the runs. ASCII text has none.
    """
    if text.isascii():
        return text
    table = _unaccent_table()
    return _accented_runs().sub(lambda run: run.group().translate(table), text)


@lru_cache(maxsize=1)
def _accented_runs() -> re.Pattern:
    return re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _ACCENTED_SCRIPTS) + "]+")


def fold_with_positions(text: str) -> tuple[str, Sequence[int]]:
    """Fold `text` (already NFC) and say, for each folded character, which character of `text` it came from.

    Most texts fold character for character (no ß, no ligature, no lone combining mark): their folded form is made
    by C loops and each character comes from the same position, a range rather than a list. Search folds some forty
    texts a page: one pass tells whether a text holds anything but case to fold (ASCII never does), where a Korean
    or Chinese text took three.
    """
    if text.isascii():
        return text.casefold(), range(len(text))
    first = _irregular_or_accented().search(text)
    if first is None:
        return text.casefold(), range(len(text))
    if _irregular().search(text, first.start()) is None:
        return _unaccent(text).casefold(), range(len(text))
    folded, origins = [], []
    for position, char in enumerate(text):
        part = _fold_char(char)
        folded.append(part)
        origins.extend([position] * len(part))
    return "".join(folded), origins


@lru_cache(maxsize=1)
def _irregular() -> re.Pattern:
    """Characters that fold to more or fewer than one character (ß → ss, ﬁ → fi, a lone combining accent → "")."""
    return re.compile("[" + "".join(re.escape(char) for char in _irregular_characters()) + "]")


@lru_cache(maxsize=1)
def _irregular_or_accented() -> re.Pattern:
    """The irregular characters and every character of the accented scripts: a text without any folds as its case."""
    accented = "".join(f"{chr(low)}-{chr(high)}" for low, high in _ACCENTED_SCRIPTS)
    return re.compile("[" + "".join(re.escape(char) for char in _irregular_characters()) + accented + "]")


@lru_cache(maxsize=1)
def _irregular_characters() -> tuple[str, ...]:
    # Outside the accented scripts folding is case folding alone; past U+1FFFF no character folds to several.
    irregular = [
        chr(code) for code in range(0x20000) if not 0xD800 <= code <= 0xDFFF and len(chr(code).casefold()) != 1
    ]
    for low, high in _ACCENTED_SCRIPTS:
        irregular += [chr(code) for code in range(low, high + 1) if len(_fold_char.__wrapped__(chr(code))) != 1]
    return tuple(irregular)

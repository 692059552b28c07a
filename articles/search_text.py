"""The folded text search compares, made from a language version's title, description and plain text. No Django.

The write service sets it on every save (articles.search_index); the import's second process makes it too, for the
bodies it renders (`read_ahead_with_search_texts`), and a save uses what it made for the very same text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from glossary.collation import fold
from markup.ahead import ReadAhead, read_ahead
from markup.document import Document, plain_text
from markup.qa import document_version

# Hangul, kana and Han: scripts written without spaces, where one or two characters are a word.
WIDE = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7a3\uf900-\ufaff]+")


def search_text(*, title: str, description: str, text: str) -> tuple[str, str]:
    """The folded text of a version (title, description and plain text, one a line) and its grams (text_grams)."""
    combined = f"{title}\n{description}\n{text}"
    made = _made_ahead.get(combined)
    if made is not None:
        return made
    folded = fold(combined)
    return folded, text_grams(folded)


def text_grams(text: str) -> str:
    """Every distinct character of `text` but whitespace, and the pairs of Han, kana and Hangul characters that follow
    each other: what finds a word of one character, and a Chinese, Japanese or Korean word of two, which no trigram
    holds."""
    grams = {char for char in set(text) if not char.isspace()}
    for run in WIDE.findall(text):
        grams.update(run[index : index + 2] for index in range(len(run) - 1))
    return " ".join(sorted(grams))


# Search texts made ahead by the import's second process for the next save, by the text they were made from;
# replaced for each article.
_made_ahead: dict[str, tuple[str, str]] = {}


def search_texts_made_ahead(made: Mapping[str, tuple[str, str]]) -> None:
    """Use these search texts (by the text they were made from) instead of the ones before."""
    global _made_ahead
    _made_ahead = dict(made)


def read_ahead_with_search_texts(
    documents: list[tuple[str, Document]], *, source_language: str, resolved: dict | None = None
) -> tuple[ReadAhead, dict[str, tuple[str, str]]]:
    """What markup.ahead.read_ahead makes of one article's files, and the search text of each body it rendered."""
    read = read_ahead(documents, source_language=source_language, resolved=resolved)
    made = {}
    for language, document in documents:
        version = document_version(document, language=language)
        rendered = read.renders.get(version.body)
        if rendered is not None:
            title, description = plain_text(version.title), plain_text(version.description)
            made[f"{title}\n{description}\n{rendered.rendered.text}"] = search_text(
                title=title, description=description, text=rendered.rendered.text
            )
    return read, made


# In the import's second process: the number of the last article whose save did not wait for it (a shared integer
# the importing process moves on), so that it skips those instead of reading them for nothing.
_taken = None


def read_ahead_process_start(niceness: int, taken) -> None:
    """Set up the second process: its priority, and where it learns which articles the saves took over."""
    global _taken
    os.nice(niceness)
    _taken = taken


def read_ahead_unless_taken(
    number: int, documents: list[tuple[str, Document]], *, source_language: str, resolved: dict | None = None
) -> tuple[ReadAhead, dict[str, tuple[str, str]]] | None:
    """read_ahead_with_search_texts for article `number`, or None when its save has taken it over already.

    A skipped article's link resolutions are still noted: later articles render with them.
    """
    if _taken is not None and _taken.value >= number:
        read_ahead([], source_language=source_language, resolved=resolved)
        return None
    return read_ahead_with_search_texts(documents, source_language=source_language, resolved=resolved)

"""Per-block review marks of translations (the segment view), kept in step with the text by the write service."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from articles.models import Article, ArticleVersion
from markup.qa import version_passages
from markup.segments import passage_source

HASH_LENGTH = 16


def block_hash(text: str) -> str:
    """Return the hash a review mark names a block's text by (line ends do not count)."""
    normalized = text.replace("\r\n", "\n")
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def body_block_hashes(body: str) -> list[str]:
    return [block_hash(passage_source(passage)) for passage in version_passages(body)]


def article_reviews_refresh(*, article: Article, languages: Iterable[str]) -> None:
    """After the bodies of `languages` changed: count their blocks and drop the marks of blocks that changed.

    Only the version rows in memory change; the write service saves them with everything else it derived.
    """
    for language in languages:
        if language == article.source_language:
            continue
        hashes = set(body_block_hashes(article.value("body", language) or ""))
        row = article.version_row(language)
        row.reviewed = [mark for mark in row.reviewed if mark in hashes]
        row.block_count = len(hashes)


def article_reviews_set(*, article: Article, language: str, reviewed: set[str]) -> None:
    """Store which blocks of the current `language` body are reviewed; marks of blocks it no longer has drop."""
    hashes = body_block_hashes(article.value("body", language) or "")
    ArticleVersion.objects.filter(article=article, language=language).update(
        reviewed=[mark for mark in dict.fromkeys(hashes) if mark in reviewed], block_count=len(set(hashes))
    )

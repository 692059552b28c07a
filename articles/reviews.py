"""Per-block review marks of translations (the segment view), kept in step with the text by the write service."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from articles.models import Article, ArticleReview
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
    """After the bodies of `languages` changed: count their blocks and drop the marks of blocks that changed."""
    for language in languages:
        if language == article.source_language:
            continue
        hashes = set(body_block_hashes(article.value("body", language) or ""))
        review = ArticleReview.objects.filter(article=article, language=language).first()
        if review is None:
            ArticleReview.objects.create(article=article, language=language, blocks=len(hashes))
            continue
        kept = [mark for mark in review.reviewed if mark in hashes]
        if kept != review.reviewed or review.blocks != len(hashes):
            ArticleReview.objects.filter(pk=review.pk).update(reviewed=kept, blocks=len(hashes))


def article_reviews_set(*, article: Article, language: str, reviewed: set[str]) -> None:
    """Store which blocks of the current `language` body are reviewed; marks of blocks it no longer has drop."""
    hashes = body_block_hashes(article.value("body", language) or "")
    ArticleReview.objects.update_or_create(
        article=article,
        language=language,
        defaults={"reviewed": [mark for mark in dict.fromkeys(hashes) if mark in reviewed], "blocks": len(set(hashes))},
    )

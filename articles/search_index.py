"""The folded text search compares, set on save for each published language version (ArticleVersion)."""

from collections.abc import Iterable

from articles.models import Article
from glossary.collation import fold


def article_search_texts_set(article: Article, *, languages: Iterable[str] | None = None) -> None:
    """Set what search compares for `languages` (all by default) `article` is published in; clear unpublished ones.

    Only the article's ArticleVersion rows change; the caller saves them.
    """
    wanted = set(article.published_languages if languages is None else languages)
    for language, row in article.version_rows().items():
        if not row.published:
            row.search_title, row.search_text = "", ""
        elif language in wanted:
            title, description, text = row.display_title, row.display_description, row.body_text
            row.search_title = fold(title)[:300]
            row.search_text = fold(f"{title}\n{description}\n{text}")

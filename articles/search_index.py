"""The folded text search compares, stored on save for each published language version (ArticleSearchText)."""

from collections.abc import Iterable

from articles.models import Article, ArticleSearchText
from glossary.collation import fold


def article_search_texts_store(
    article: Article, *, languages: Iterable[str] | None = None, drop_others: bool = True
) -> None:
    """Store what search compares for `languages` (all by default) `article` is published in; drop the others."""
    wanted = article.published_languages if languages is None else set(languages)
    for language in [code for code in article.published_languages if code in wanted]:
        title, description, text = (
            article.value(name, language) or "" for name in ("display_title", "display_description", "body_text")
        )
        values = {"title": fold(title), "text": fold(f"{title}\n{description}\n{text}")}
        if not ArticleSearchText.objects.filter(article=article, language=language).update(**values):
            ArticleSearchText.objects.create(article=article, language=language, **values)
    if drop_others:
        ArticleSearchText.objects.filter(article=article).exclude(language__in=article.published_languages).delete()

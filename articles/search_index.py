"""The folded text search compares, stored on save for each published language version (ArticleSearchText)."""

from articles.models import Article, ArticleSearchText
from glossary.collation import fold


def article_search_texts_store(article: Article) -> None:
    """Store what search compares for every language `article` is published in; drop the others."""
    for language in article.published_languages:
        title, description, text = (
            article.value(name, language) or "" for name in ("display_title", "display_description", "body_text")
        )
        ArticleSearchText.objects.update_or_create(
            article=article,
            language=language,
            defaults={"title": fold(title), "text": fold(f"{title}\n{description}\n{text}")},
        )
    ArticleSearchText.objects.filter(article=article).exclude(language__in=article.published_languages).delete()

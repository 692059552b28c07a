from django.shortcuts import get_object_or_404, render
from django.utils import translation

from articles.selectors import article_language_links, article_toc, articles_for_readers, other_languages
from glossary.cache import cached_page


@cached_page
def article_detail(request, slug):
    language = translation.get_language()
    article = get_object_or_404(articles_for_readers(language), slug=slug)
    context = {"article": article, "language_links": article_language_links(article)}
    if not article.is_published(language):
        context["other_languages"] = other_languages(article, language=language)
        return render(request, "articles/missing.html", context, status=404)
    context.update(
        body=article.html(language),
        toc=article_toc(article, language),
        title=article.value("display_title", language),
        description=article.value("display_description", language),
    )
    return render(request, "articles/detail.html", context)

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation

from articles.pages import article_page_context, stored_article_page, with_origin
from articles.selectors import article_language_links, articles_for_readers, other_languages
from glossary.cache import cached_page


@cached_page
def article_detail(request, slug):
    language = translation.get_language()
    stored = stored_article_page(slug=slug, language=language)
    if stored is not None:
        return HttpResponse(with_origin(stored, request))
    # Not published in this language, or rendered by other code (a deploy before `render_pages` ran): live.
    article = get_object_or_404(articles_for_readers(language), slug=slug)
    if not article.is_published(language):
        context = {
            "article": article,
            "language_links": article_language_links(article),
            "other_languages": other_languages(article, language=language),
        }
        return render(request, "articles/missing.html", context, status=404)
    return render(request, "articles/detail.html", article_page_context(article, language))

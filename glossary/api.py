"""Read-only JSON for other tools: /api/terms/?lang=… and /api/articles/<slug>/?lang=…"""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from articles.models import Article
from glossary.languages import is_language, language_codes
from glossary.selectors import term_display_name, terms_with_names

PAGE_SIZE = 100


def _language(request):
    language = request.GET.get("lang", "")
    return language if is_language(language) else None


def _error(message: str) -> JsonResponse:
    return JsonResponse({"error": message, "languages": language_codes()}, status=400)


def terms(request):
    """Terms with their name in `lang`, every name, links and the languages their article is in; paginated."""
    language = _language(request)
    if language is None:
        return _error("lang must be one of the configured languages")
    page = Paginator(terms_with_names().select_related("article").order_by("slug"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = []
    for term in page:
        name = term_display_name(term, language=language)
        article = getattr(term, "article", None)
        items.append(
            {
                "slug": term.slug,
                "name": name.name,
                "name_language": name.language,
                "confirmed": name.confirmed,
                "names": [
                    {"language": n.language, "name": n.name, "status": n.status, "confirmed": n.confirmed}
                    for n in term.names.all()
                ],
                "url": request.build_absolute_uri(term.get_absolute_url(language)),
                "article_languages": article.available_languages() if article else [],
            }
        )
    return JsonResponse(
        {
            "language": language,
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "next": page.next_page_number() if page.has_next() else None,
            "results": items,
        }
    )


def article(request, slug):
    """One article in `lang`: title, description, HTML, contents, term links and the other languages."""
    language = _language(request)
    if language is None:
        return _error("lang must be one of the configured languages")
    found = get_object_or_404(Article, slug=slug)
    if not found.has_language(language):
        return JsonResponse(
            {"error": "not available in this language", "languages": found.available_languages()}, status=404
        )
    links = sorted({link.term.slug for link in found.links.filter(language=language).select_related("term")})
    return JsonResponse(
        {
            "slug": found.slug,
            "language": language,
            "title": found.value("display_title", language),
            "description": found.value("display_description", language),
            "html": found.value("body_html", language),
            "toc": found.value("toc", language),
            "terms": links,
            "url": request.build_absolute_uri(found.get_absolute_url(language)),
            "languages": {
                code: request.build_absolute_uri(found.get_absolute_url(code)) for code in found.available_languages()
            },
            "updated": found.updated.isoformat(),
        }
    )

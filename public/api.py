"""Read-only JSON for other tools.

GET /api/terms/?lang=<code>[&page=<n>]      every term: its name in `lang`, all its names, links; 100 a page
GET /api/articles/<slug>/?lang=<code>       one article in `lang`: title, HTML, contents, linked terms, languages
`lang` is required and must be a configured language; errors are JSON too, with the list of languages.
"""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from modeltranslation.utils import build_localized_fieldname

from articles.models import ArticleVersion
from core.cache import cached_page
from core.languages import is_language, language_codes
from core.links import slug_url
from core.stored_pages import stored_kind
from glossary.models import Term, TermName, term_url
from glossary.selectors import display_name, names_by_term, term_display_name, terms_with_names

PAGE_SIZE = 100


def _json(data: dict, *, status: int = 200, language: str | None = None) -> JsonResponse:
    # Korean and Chinese names stay readable in the response rather than becoming \uXXXX escapes.
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    if language is not None:
        # The language of the data, not the one the reader's browser asks for (LocaleMiddleware's default here).
        response["Content-Language"] = language
    return response


def _language(request) -> str | None:
    language = request.GET.get("lang", "")
    return language if is_language(language) else None


def _error(message: str, *, status: int = 400, languages: list[str] | None = None) -> JsonResponse:
    return _json({"error": message, "languages": language_codes() if languages is None else languages}, status=status)


def _page_url(request, language: str, number: int | None) -> str | None:
    if number is None:
        return None
    return request.build_absolute_uri(f"{reverse('api_terms')}?{urlencode({'lang': language, 'page': number})}")


# Status.values builds its list again on each use: a page of the term list sorts some five hundred names.
_STATUS_ORDER = {status: position for position, status in enumerate(TermName.Status.values)}


def _name_order(name) -> tuple:
    """Order a term's names: by language as configured, confirmed first, then by status."""
    return (language_codes().index(name.language), not name.confirmed, _STATUS_ORDER[name.status])


@cached_page
@stored_kind
def terms(request):
    """Terms with their name in `lang`, every name, links and the languages they exist in; paginated.

    Read as plain rows (the page's terms, their names, their articles' published languages): a page of 100 terms
    as model instances, each with its names and article, cost several times the rest of the request.
    """
    language = _language(request)
    if language is None:
        return _error("lang must be one of the configured languages")
    definition = build_localized_fieldname("definition", language)
    rows = Term.objects.order_by("slug").values_list("pk", "slug", definition, "article__slug")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    names = names_by_term([pk for pk, *_rest in page])
    published = _published_languages([article for *_rest, article in page if article is not None])
    origin = f"{request.scheme}://{request.get_host()}"
    items = []
    for pk, slug, text, article in page:
        name = display_name(names[pk], slug=slug, language=language)
        article_languages = published.get(article, []) if article is not None else []
        named = {row.language for row in names[pk]}
        items.append(
            {
                "slug": slug,
                "name": name.name,
                "name_language": name.language,
                "confirmed": name.confirmed,
                "definition": text or "",
                "names": [
                    {"language": row.language, "name": row.name, "status": row.status, "confirmed": row.confirmed}
                    for row in sorted(names[pk], key=_name_order)
                ],
                "url": origin + term_url(slug, language=language),
                "languages": [code for code in language_codes() if code in named or code in article_languages],
                "article_url": (
                    origin + slug_url("articles:detail", slug=article, language=language)
                    if language in article_languages
                    else None
                ),
                "article_languages": article_languages,
            }
        )
    return _json(
        {
            "language": language,
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "next": _page_url(request, language, page.next_page_number() if page.has_next() else None),
            "previous": _page_url(request, language, page.previous_page_number() if page.has_previous() else None),
            "results": items,
        },
        language=language,
    )


def _published_languages(article_slugs: list[str]) -> dict[str, list[str]]:
    """Each article's published languages, in the order of LANGUAGES, by the article's slug."""
    rows = ArticleVersion.objects.filter(article__slug__in=article_slugs, published=True).values_list(
        "article__slug", "language"
    )
    found: dict[str, set[str]] = {}
    for slug, code in rows:
        found.setdefault(slug, set()).add(code)
    return {slug: [code for code in language_codes() if code in codes] for slug, codes in found.items()}


@cached_page
@stored_kind
def article(request, slug):
    """One article in `lang`: title, description, HTML, contents, the terms it links to and its other languages."""
    language = _language(request)
    if language is None:
        return _error("lang must be one of the configured languages")
    # The article with its language versions in one query (an article is never without one).
    versions = list(
        ArticleVersion.objects.select_related("article")
        .filter(article__slug=slug)
        .defer("page_html", "search_text", "body_text")
    )
    if not versions:
        return _error("no such article", status=404, languages=[])
    found = versions[0].article
    found.set_version_rows(versions)
    if not found.is_published(language):
        return _error("not available in this language", status=404, languages=found.published_languages)
    linked = terms_with_names().filter(mentions__article=found, mentions__language=language).distinct()
    return _json(
        {
            "slug": found.slug,
            "language": language,
            "title": found.value("display_title", language),
            "description": found.value("display_description", language),
            "html": found.value("body_html", language),
            "toc": found.value("toc", language),
            "terms": [
                {
                    "slug": term.slug,
                    "name": term_display_name(term, language=language).name,
                    "url": request.build_absolute_uri(term.get_absolute_url(language)),
                }
                for term in linked.order_by("slug")
            ],
            "url": request.build_absolute_uri(found.get_absolute_url(language)),
            "languages": {
                code: request.build_absolute_uri(found.get_absolute_url(code)) for code in found.published_languages
            },
            "updated": found.updated.isoformat(),
        },
        language=language,
    )

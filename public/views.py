from typing import NamedTuple
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from modeltranslation.utils import build_localized_fieldname

from articles.selectors import other_languages
from articles.suggestions import SuggestionRefused, suggestion_submit
from core.cache import cached_page
from core.client_ip import client_ip_address
from core.languages import is_language
from core.stored_pages import stored_kind
from core.switcher import language_links
from glossary.collation import collation_key
from glossary.models import Term, term_url
from glossary.selectors import (
    display_names_in,
    index_letters,
    index_names,
    term_alternative_names,
    term_display_name,
    term_merged_into,
    term_names_by_language,
)
from public.forms import SuggestionForm
from public.search_page import search_page
from public.selectors import (
    latest_articles,
    mentioning_articles,
    most_mentioned_terms,
    related_term_ids,
    related_terms,
    suggestion_target,
    term_has_language,
    term_usages,
    term_worth_indexing,
    terms_with_names_and_publication,
)

INDEX_PAGE_SIZE = 200
# The home page lists this many of each, whatever the size of the glossary; the A–Z index leads to the rest.
HOME_ARTICLES = 20
HOME_TERMS = 40
MENTIONS_SHOWN = 50
# Set on a term page's response: what the page was made from, so that the renderer that stores it records what it
# depends on (public/stored.py) without reading the related terms again, which cost as much as the rest of the page.
TERM_PAGE_SHOWS = "glossary_term_page_shows"


class TermPageShows(NamedTuple):
    term_id: int
    article_id: int | None  # the term's own article, published or not
    related: tuple[int, ...]  # the related terms listed


@cached_page
@stored_kind
def index(request):
    """The home page: the A–Z letters, the latest articles and the most mentioned terms, a fixed number of each."""
    language = translation.get_language()
    letters = index_letters(language=language)
    terms = sorted(
        (
            (term, term_display_name(term, language=language))
            for term in most_mentioned_terms(language=language, limit=HOME_TERMS)
        ),
        key=lambda pair: collation_key(pair[1].name, language=language),
    )
    context = {
        "letters": letters,
        "total": sum(letter.count for letter in letters),
        "articles": latest_articles(language=language, limit=HOME_ARTICLES),
        "terms": terms,
        "language_links": language_links(url_for=lambda code: reverse("home"), available=lambda code: True),
    }
    return render(request, "glossary/index.html", context)


@cached_page
@stored_kind
def term_detail(request, slug):
    language = translation.get_language()
    term = terms_with_names_and_publication(shown=language).filter(slug=slug).first()
    if term is None:
        merged_into = term_merged_into(slug)
        if merged_into is None:
            raise Http404(slug)
        return HttpResponsePermanentRedirect(merged_into.get_absolute_url(language))
    article = getattr(term, "article", None)
    mentions = mentioning_articles(term, language=language)
    has_definition = bool(getattr(term, build_localized_fieldname("definition", language), ""))
    related = related_term_ids(term, language=language)
    context = {
        "term": term,
        "indexable": term_worth_indexing(term, language),
        "usages": [] if has_definition else term_usages(term, language=language),
        "name": term_display_name(term, language=language),
        "article": article if article is not None and article.is_published(language) else None,
        "article_elsewhere": other_languages(article, language=language) if article is not None else [],
        "mentioned_in": mentions[:MENTIONS_SHOWN],
        "mentioned_more": max(0, len(mentions) - MENTIONS_SHOWN),
        "other_names": term_names_by_language(term, exclude=language),
        "alternative_names": term_alternative_names(term, language=language),
        "related": [(other, other.name) for other in related_terms(related, language=language)],
        "language_links": language_links(
            url_for=lambda code: term.get_absolute_url(code),
            available=lambda code: term_has_language(term, code),
        ),
    }
    if context["article"] is not None:
        context["article_title"] = article.value("display_title", language)
        context["article_description"] = article.value("display_description", language)
    response = render(request, "glossary/term_detail.html", context)
    setattr(
        response, TERM_PAGE_SHOWS, TermPageShows(term.pk, article.pk if article is not None else None, tuple(related))
    )
    return response


def term_redirect(request, slug):
    """Send the link form used inside source files (`/slug`) to the term in the visitor's language."""
    language = translation.get_language_from_request(request, check_path=False)
    if is_language(slug):
        return redirect(f"/{slug}/")
    if not Term.objects.filter(slug=slug).exists():
        merged_into = term_merged_into(slug)
        if merged_into is None:
            raise Http404(slug)
        slug = merged_into.slug
    with translation.override(language):
        return redirect("glossary:term", slug=slug)


@require_GET
def switch_language(request, language):
    """Remember the reader's language and go to the page they chose (a plain link: works without JavaScript)."""
    if not is_language(language):
        raise Http404(language)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=False):
        next_url = ""
    if not urlsplit(next_url).path.startswith(f"/{language}/"):
        with translation.override(language):
            next_url = reverse("home")
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


@cached_page
@stored_kind
def term_index(request):
    """A–Z: the bar of the language's index letters with counts, and the names under the chosen letter.

    No letter chosen opens the first letter that has names; a letter with no names says so; a letter the language
    does not have answers 404 with the bar, never another letter's names.
    """
    language = translation.get_language()
    letters = index_letters(language=language)
    counts = {item.label: item.count for item in letters}
    asked = request.GET.get("letter", "")
    unknown = asked != "" and asked not in counts
    letter = "" if unknown else asked or next((item.label for item in letters if item.count), "")
    context = {
        "letters": letters,
        "letter": letter,
        "unknown_letter": asked if unknown else "",
        "total": sum(counts.values()),
        "language_links": language_links(url_for=lambda code: reverse("glossary:index"), available=lambda code: True),
    }
    if counts.get(letter):
        page = Paginator(index_names(language=language, letter=letter), INDEX_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context["page"] = page
        # Each entry's URL from the route reversed once (core.links): reverse() for each of 200 names costs more than
        # the rest of the page.
        shown = display_names_in((row.term_id for row in page), language=language)
        context["entries"] = [(row, shown[row.term_id], term_url(row.term__slug, language=language)) for row in page]
    return render(request, "glossary/az.html", context, status=404 if unknown else 200)


@cached_page
@stored_kind
def search_view(request):
    """The search page, written by public/search_page.py; the front answers it too (public/apps.py)."""
    origin = f"{request.scheme}://{request.get_host()}"
    return HttpResponse(search_page(query=request.GET, language=translation.get_language(), origin=origin))


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("django.contrib.sitemaps.views.sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /i18n/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def favicon(request):
    """Browsers ask for /favicon.ico on every page, the admin's included."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def health(request):
    """The minimal view: load balancers poll it, and the benchmark compares every page with it."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def suggest(request):
    """A reader's correction of an article or a term: the form (never cached: it holds a CSRF token) and its POST."""
    language = translation.get_language()
    params = request.POST if request.method == "POST" else request.GET
    article, term = suggestion_target(
        article_slug=params.get("article", ""), term_slug=params.get("term", ""), language=language
    )
    if article is None and term is None:
        raise Http404
    about = (
        article.value("display_title", language)
        if article is not None
        else term_display_name(term, language=language).name
    )
    target = {"article": article.slug} if article is not None else {"term": term.slug}
    page_url = article.get_absolute_url(language) if article is not None else term.get_absolute_url(language)
    status = 200
    form = SuggestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            return HttpResponseRedirect(f"{reverse('suggest')}?{urlencode({**target, 'sent': 1})}")
        try:
            suggestion_submit(
                article=article,
                term=term,
                language=language,
                quoted=form.cleaned_data["quoted"],
                suggested=form.cleaned_data["suggested"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                address=client_ip_address(request),
            )
        except SuggestionRefused as refusal:
            form.add_error(refusal.field or None, refusal.message)
            status = 429 if not refusal.field else 400
        else:
            return HttpResponseRedirect(f"{reverse('suggest')}?{urlencode({**target, 'sent': 1})}")
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "about": about,
        "target": target,
        "page_url": page_url,
        "sent": request.method == "GET" and request.GET.get("sent") == "1",
        "language_links": language_links(
            url_for=lambda code: f"{_language_path(code, 'suggest')}?{urlencode(target)}", available=lambda code: True
        ),
    }
    return render(request, "public/suggest.html", context, status=status)


def _language_path(language: str, name: str) -> str:
    with translation.override(language):
        return reverse(name)

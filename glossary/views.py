from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from articles.models import ArticleLink
from articles.selectors import articles_in_language, other_languages
from glossary.languages import is_language
from glossary.models import Term
from glossary.selectors import term_display_name, term_has_language, term_names_by_language, terms_with_names
from glossary.switcher import language_links


def index(request):
    language = translation.get_language()
    terms = sorted(
        ((term, term_display_name(term, language=language)) for term in terms_with_names()),
        key=lambda pair: pair[1].name.casefold(),
    )
    context = {
        "articles": [
            (a, a.value("display_title", language), a.value("display_description", language))
            for a in articles_in_language(language)
        ],
        "terms": terms,
        "language_links": language_links(url_for=lambda code: reverse("home"), available=lambda code: True),
    }
    return render(request, "glossary/index.html", context)


def term_detail(request, slug):
    language = translation.get_language()
    term = get_object_or_404(terms_with_names().select_related("article"), slug=slug)
    article = getattr(term, "article", None)
    mentions = (
        ArticleLink.objects.filter(term=term, language=language).select_related("article").order_by("article__slug")
    )
    context = {
        "term": term,
        "name": term_display_name(term, language=language),
        "article": article if article is not None and article.has_language(language) else None,
        "article_elsewhere": other_languages(article, language=language) if article is not None else [],
        "mentioned_in": [link.article for link in mentions if link.article.has_language(language)],
        "other_names": term_names_by_language(term, exclude=language),
        "language_links": language_links(
            url_for=lambda code: term.get_absolute_url(code),
            available=lambda code: term_has_language(term, code),
        ),
    }
    if context["article"] is not None:
        context["article_title"] = article.value("display_title", language)
        context["article_description"] = article.value("display_description", language)
    return render(request, "glossary/term_detail.html", context)


def term_redirect(request, slug):
    """Send the link form used inside source files (`/slug`) to the term in the visitor's language."""
    language = translation.get_language_from_request(request, check_path=False)
    if is_language(slug):
        return redirect(f"/{slug}/")
    if not Term.objects.filter(slug=slug).exists():
        raise Http404(slug)
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

"""Each language's home page, rendered after every write and stored, so that a reader's home page is one read.

The home page follows from all the content (the A–Z counts, the latest articles, the most mentioned terms), so it
changes with every write: core.generation calls `home_pages_render` once each write has committed (once after a
batch of writes: an import), and the view serves the stored page only while the content generation and the code
are the ones it was rendered with. Rendered without a request, like the stored article pages (articles/pages.py):
the scheme and host are put in when the page is served.
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from articles.pages import PAGE_ORIGIN, page_version, with_origin
from core.generation import committed_content_state, content_state
from core.languages import language_codes
from core.switcher import language_links
from glossary.collation import collation_key
from glossary.selectors import index_letters, term_display_name
from public.models import StoredPage
from public.selectors import latest_articles, most_mentioned_terms

# The home page lists this many of each, whatever the size of the glossary; the A–Z index leads to the rest.
HOME_ARTICLES = 20
HOME_TERMS = 40
TEMPLATE = "glossary/index.html"


def home_context(language: str) -> dict:
    """What the home page of `language` shows: the A–Z letters, the latest articles, the most mentioned terms."""
    letters = index_letters(language=language)
    terms = sorted(
        (
            (term, term_display_name(term, language=language))
            for term in most_mentioned_terms(language=language, limit=HOME_TERMS)
        ),
        key=lambda pair: collation_key(pair[1].name, language=language),
    )
    return {
        "letters": letters,
        "total": sum(letter.count for letter in letters),
        "articles": latest_articles(language=language, limit=HOME_ARTICLES),
        "terms": terms,
        "language_links": language_links(url_for=lambda code: reverse("home"), available=lambda code: True),
    }


def home_pages_render() -> None:
    """Render and store every language's home page as the committed content is now."""
    state = committed_content_state()  # first: the content read below is at least as new
    version = page_version()
    for language in language_codes():
        with translation.override(language):
            path = reverse("home")
            context = {
                **home_context(language),
                "home_language_links": [],  # what context processors give a request's pages; unused here
                "page_origin": PAGE_ORIGIN,
                "page_path": path,
            }
            html = render_to_string(TEMPLATE, context)
        fields = {"generation": state.generation, "version": version, "html": html}
        # Never over a page of a later generation (a later write's renderer may have been quicker).
        if not StoredPage.objects.filter(path=path, generation__lte=state.generation).update(**fields):
            StoredPage.objects.get_or_create(path=path, defaults=fields)


def stored_home_page(request) -> str | None:
    """The stored home page of the request's language, if it is of the current content and code."""
    stored = (
        StoredPage.objects.filter(path=request.path, generation=content_state().generation, version=page_version())
        .values_list("html", flat=True)
        .first()
    )
    return None if stored is None else with_origin(stored, request)

"""The search page, written in Python around a shell of the site's template, so that it can be answered before
Django runs.

Search pages cannot be rendered on write: there are as many as there are queries. What they cost beyond the search
itself was Django's: its template engine (two thirds of the page: base, header, switcher and a loop per list) and
its request cycle. So the parts that depend on the query are written here, as page_tags writes the switcher, and the
rest of the page (head, header, footer) is the site's own template, rendered once per language and mount point with
markers where those parts go (`_shell`). The view and the front (core/stored_pages.py, which answers a kind of page
with the headers Django gave it) both answer with `search_page`, so they cannot differ.
"""

from functools import cache
from html import escape
from urllib.parse import quote_plus, urlencode

from django.core.exceptions import TooManyFieldsSent
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import QueryDict
from django.urls import get_script_prefix
from django.utils import numberformat, translation
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from core.languages import language_codes, language_name
from core.links import route_url, slug_urls
from core.page_shells import Shell, Shells, fill, mark
from core.switcher import LanguageLink
from core.templatetags.page_tags import alternate_links, language_switcher
from public.search import FoundName, SearchResults, TermHit, escaped, search

SEARCH = "search"  # the view's name
# What the shell leaves open for each search: the query's title, search box and results, the page's origin, and the
# query string its language links end with (escaped in the alternates, quoted as `next=` in the switcher).
SLOTS = ("title", "query", "content", "origin", "asked", "next")


def search_page(*, query: QueryDict, language: str, origin: str) -> str:
    """The whole search page for the query parameters `query` (q, page), in `language`, with links under `origin`."""
    with translation.override(language):
        results = search(raw_query=query.get("q", ""), language=language, page=query.get("page"))
        text = results.query.text
        asked = f"?q={quote_plus(text)}" if text else ""  # as urlencode({"q": text}) writes it
        filled = {
            "title": _("Search: %(query)s", language) % {"query": escape(text)} if text else _("Search", language),
            "query": escape(text),
            "content": _content(results, language),
            "origin": escape(origin),
            "asked": escape(asked),
            "next": quote_plus(asked),
        }
        return fill(_shell(language, get_script_prefix()), filled)


def search_answer(*, language: str, path: str, slug: None = None, origin: str) -> str | None:
    """The search page at `path` ("/fr/search/?q=…"), for the front (core/stored_pages.py); None to ask Django."""
    query = path.partition("?")[2]
    try:
        # As WSGIRequest.GET reads it: the WSGI string's bytes, decoded as the settings say.
        parameters = QueryDict(query.encode("iso-8859-1"))
    except (TooManyFieldsSent, UnicodeEncodeError):
        return None  # Django answers 400, and says why
    return search_page(query=parameters, language=language, origin=origin)


def search_url(language: str, query: str, *, page: int = 1) -> str:
    if not query:
        return route_url(SEARCH, language=language)
    return f"{route_url(SEARCH, language=language)}?{urlencode({'q': query, **({'page': page} if page > 1 else {})})}"


SHELLS = Shells("glossary/search.html")


def _shell(language: str, script_prefix: str) -> Shell:
    """The search page in `language` cut at the slots (core.page_shells), one per language and mount point (its links
    and static files' addresses depend on both), rendered under `language`.

    The site's template with its links (alternates, switcher: every language has a search page) written around
    marks, so that a search only fills the slots in. Escaping and quoting are character by character, so a mark
    stands for what the query string becomes in a link: quote_plus(route + asked) is quote_plus(route) +
    quote_plus(asked).
    """

    def context() -> dict:
        marks = {slot: mark(slot) for slot in SLOTS}
        links = [
            LanguageLink(
                code, language_name(code), route_url(SEARCH, language=code) + marks["asked"], True, code == language
            )
            for code in language_codes()
        ]
        path = route_url(SEARCH, language=language)  # the page's own address, for its canonical link
        return {
            "title": mark_safe(marks["title"]),
            "alternates": alternate_links({"page_origin": marks["origin"], "page_path": path}, links),
            # Safe: the switcher escaped its text; the mark is ours.
            "switcher": mark_safe(language_switcher(links).replace(quote_plus(marks["asked"]), marks["next"])),
            "content": mark_safe(marks["content"]),
            "results": {"query": {"text": mark_safe(marks["query"])}},  # the header's search box
            "home_language_links": (),  # base.html's default links: the switcher slot stands for them
        }

    return SHELLS.get((language, script_prefix), context=context, slots=SLOTS)


@cache
def _translated(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def _(message: str, language: str) -> str:
    """gettext in `language`, kept per language: each call of Django's looks the active language up, µs a string."""
    return _translated(language, message)


@receiver(setting_changed)
def _forget_translations(**kwargs) -> None:
    """Tests change settings (languages, catalogues) inside one process; a real process never does."""
    _translated.cache_clear()


def _content(results: SearchResults, language: str) -> str:
    """The page's main part, as the template wrote it before (the same bytes)."""
    parts = ["\n<h1>", _("Search", language), "</h1>\n"]
    query = results.query
    if query.problem == "empty":
        parts += ["\n<p>", _("Type a word or a name to search titles, terms and article text.", language), "</p>\n"]
    elif query.problem == "short":
        parts += ["\n<p>", _("Type a word of at least two letters.", language), "</p>\n"]
    else:
        parts.append("\n  ")
        if query.truncated:
            notice = ngettext(
                "Only the first %(counter)s character of your search was used.",
                "Only the first %(counter)s characters of your search were used.",
                query.limit,
            ) % {"counter": _number(query.limit, language)}
            parts += ['<p class="notice">', notice, "</p>"]
        parts.append("\n  ")
        parts += _found(results, language) if results.found else _missed(results, language)
        parts.append("\n")
    parts.append("\n")
    return "".join(parts)


def _found(results: SearchResults, language: str) -> list[str]:
    parts = ["\n  "]
    if results.articles:
        article_url = slug_urls("articles:detail", language=language)
        items = "".join(
            f'<li><a href="{escaped(article_url(hit.article.slug))}">{hit.title}</a>'
            f'<p class="snippet">{hit.snippet}</p></li>'
            for hit in results.articles
        )
        parts += [
            '\n  <section aria-labelledby="article-hits">\n    <h2 id="article-hits">',
            _("Articles", language),
            f' ({_count(results.article_count, language)})</h2>\n    <ul class="hits">\n      {items}\n    </ul>\n'
            "  </section>\n  ",
        ]
    parts.append("\n  ")
    if results.terms:
        term_url = slug_urls("glossary:term", language=language)
        items = "".join(_term_item(hit, term_url(hit.term.slug), language) for hit in results.terms)
        parts += [
            '\n  <section aria-labelledby="term-hits">\n    <h2 id="term-hits">',
            _("Terms", language),
            f' ({_count(results.term_count, language)})</h2>\n    <ul class="hits">\n      {items}\n    </ul>\n'
            "  </section>\n  ",
        ]
    parts.append("\n  ")
    if results.pages > 1:
        text = results.query.text
        previous = following = ""
        if results.page > 1:
            url = escape(search_url(language, text, page=results.page - 1))
            previous = f'<a href="{url}" rel="prev">{_("Previous", language)}</a>'
        if results.page < results.pages:
            url = escape(search_url(language, text, page=results.page + 1))
            following = f'<a href="{url}" rel="next">{_("Next", language)}</a>'

        where = _("Page %(number)s of %(pages)s", language) % {
            "number": _number(results.page, language),
            "pages": _number(results.pages, language),
        }
        parts.append(
            f'\n  <nav class="pages" aria-label="{_("Pages", language)}">\n    {previous}\n    <span>{where}</span>\n'
            f"    {following}\n  </nav>\n  "
        )
    parts.append("\n  ")
    return parts


def _term_item(hit: TermHit, url: str, language: str) -> str:
    item = f'<li><a href="{escaped(url)}">{hit.title}</a>{name_marks(hit.name, language)}'
    if hit.display.name != hit.name.name:
        shown_language = hit.display.language
        lang = f' lang="{escape(shown_language)}"' if shown_language and shown_language != language else ""
        item += (
            f' <span class="see"><span aria-hidden="true">→</span><span class="visually-hidden">'
            f"{_('main name:', language)}</span> <span{lang}>{escape(hit.display.name)}</span></span>"
        )
    return item + "</li>"


def name_marks(name: FoundName, language: str) -> str:
    """What templates/includes/name_marks.html says of a name: deprecated, unconfirmed."""
    marks = ""
    if name.status == "deprecated":
        marks += f' <span class="deprecated">({_("deprecated", language)})</span>'
    if not name.confirmed:
        marks += f' <span class="unconfirmed">({_("unconfirmed", language)})</span>'
    return marks


def _missed(results: SearchResults, language: str) -> list[str]:
    text = results.query.text
    parts = [
        "\n  <p>",
        _("Nothing found for “%(query)s” in this language.", language) % {"query": escape(text)},
        "</p>\n  ",
    ]
    if results.did_you_mean:
        url = escape(search_url(language, results.did_you_mean))
        suggestion = escape(results.did_you_mean)
        parts.append(f'<p class="did-you-mean">{_("Did you mean:", language)} <a href="{url}">{suggestion}</a></p>')
    parts.append("\n  ")
    if results.elsewhere:
        items = "".join(
            f'<li><a href="{escape(search_url(code, text))}" lang="{code}" hreflang="{code}">'
            f"{escape(language_name(code))}</a> ({_count(count, language)})</li>"
            for code, count in results.elsewhere.items()
        )
        parts.append(
            f'\n  <p>{_("The same search finds results in:", language)}</p>\n  <ul class="language-list">\n'
            f"    {items}\n  </ul>\n  "
        )
    index = escape(route_url("glossary:index", language=language))
    parts.append(f'\n  <p><a href="{index}">{_("Browse every term from A to Z", language)}</a></p>\n  ')
    return parts


def _count(value: int, language: str) -> str:
    """A count as the template's `floatformat:"g"` showed it: grouped, localised (what that filter does for an int,
    without its Decimal arithmetic)."""
    return _formatted(str(value), language, grouped=True)


def _number(value: int, language: str) -> str:
    """A number as a template shows it: localised, escaped."""
    return escape(_formatted(value, language, grouped=False))


def _formatted(value: int | str, language: str, *, grouped: bool) -> str:
    """django.utils.formats.number_format in `language` (the active one), without looking the language up."""
    return numberformat.format(
        value,
        get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
        0 if grouped else None,
        get_format("NUMBER_GROUPING", language, use_l10n=True),
        get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
        force_grouping=grouped,
        use_l10n=True,
    )

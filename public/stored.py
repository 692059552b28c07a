"""Reader pages rendered after the writes that change them, and served as stored before Django runs.

Render on write, for the pages a write changes without naming them: a term's page shows the articles that link to
it and the terms related to it, so an article's save changes the pages of the terms it links to, before and after.
Writers note what they change as topics ("article:12", "term:7") in the same UPDATE that moves the content
generation on (core.generation.content_changed). `render_stored_pages` (a command; `--follow` keeps it running
beside the app servers) takes those topics and, for the new generation:
- renders again the pages whose recorded dependencies (`StoredPage.depends`) meet a topic, the pages of the terms an
  article named by a topic links to now, and the home pages (latest articles, most mentioned terms: any write);
- renders the A–Z index and the API's term lists again only when the topic NAMES is noted: the database's triggers
  note it when a term, a name, an article's slug or term, or a version's publication changes (public migration
  0003), which is what those pages show; an article's body saved with no new name leaves them as they are;
- moves every other page on to the new generation: the write did not change it.
A page is served only at the generation it is valid at, so between a write and its renderer's pass readers get the
page Django renders live: never an older page, only a slower one. A write whose topics are EVERYTHING (the default
of content_changed), or too many topics at once, renders every page again.

Stored: the home page, every A–Z page, every term's page and the JSON API's pages (term lists and articles), at
the addresses the site's own links give them. The front (core/stored_pages.py) answers a stored page with one
indexed read, and the headers Django gave pages of its kind.
"""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from math import ceil
from operator import or_
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.test import Client, override_settings
from django.urls import reverse

from articles.models import Article, ArticleLink, ArticleVersion
from articles.pages import page_version
from core.generation import EVERYTHING, content_state, publish_stamp
from core.languages import language_codes
from core.links import route_url, slug_url
from core.models import ContentGeneration
from core.stored_pages import PAGE_ORIGIN, RENDER, page_bytes, stored_bytes
from glossary.models import Term, term_url
from glossary.selectors import index_letters
from public.api import PAGE_SIZE as API_PAGE_SIZE
from public.models import StoredPage
from public.views import INDEX_PAGE_SIZE, TERM_PAGE_SHOWS

logger = logging.getLogger(__name__)

HOME, TERM, INDEX = "home", "glossary:term", "glossary:index"
# The topic the database's triggers note when what the A–Z index and the API's term lists show changes (public
# migration 0003 writes it as a literal).
NAMES = "names"
API_TERMS, API_ARTICLE = "api_terms", "api_article"
PAGE_HOST = PAGE_ORIGIN.removeprefix("http://")
# More topics than this in one pass: every page is rendered again (cheaper than matching them one by one).
TOPICS_MATCHED = 300
BATCH = 500


@dataclass(frozen=True)
class Page:
    path: str
    view_name: str
    language: str
    article_id: int | None = field(default=None, compare=False)


@dataclass
class Refresh:
    """What one pass did."""

    generation: int
    everything: bool = False
    rendered: int = 0
    kept: int = 0
    removed: int = 0


def stored_public_page(*, language: str, path: str, slug: str | None = None) -> bytes | None:
    """The stored page at `path` (UTF-8) if it is valid now and the running code rendered it; else None (one query)."""
    state = content_state()
    if state.pages != state.generation:  # no pass of the renderer since the last write: nothing stored is valid
        return None
    return stored_bytes(_page_sql(connection.vendor), [path, state.generation, page_version()])


@lru_cache(maxsize=4)
def _page_sql(vendor: str) -> str:
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(StoredPage._meta.get_field(name).column)

    return (
        f"SELECT {page_bytes(column('html'))} FROM {quote(StoredPage._meta.db_table)} WHERE {column('path')} = %s "
        f"AND {column('valid_at')} = %s AND {column('page_version')} = %s"
    )


def stored_pages_refresh(*, everything: bool = False) -> Refresh:
    """Bring the stored pages up to the current generation: render again what the writes since changed."""
    generation, topics, previous = _topics_take()
    version = page_version()
    everything = everything or previous == 0 or EVERYTHING in topics or len(topics) > TOPICS_MATCHED
    refresh = Refresh(generation, everything=everything)
    if everything:
        StoredPage.objects.update(valid_at=0)
        pages = list(_every_page())
        wanted = {page.path for page in pages}
        gone = [pk for pk, path in StoredPage.objects.values_list("pk", "path") if path not in wanted]
        refresh.removed += _delete(gone)
    else:
        articles, terms = _resolve(topics)
        tokens = {f"article:{pk}" for pk in articles} | {f"term:{pk}" for pk in terms} | (topics & {NAMES})
        terms |= set(ArticleLink.objects.filter(article__in=articles).values_list("term_id", flat=True))
        terms |= set(Article.objects.filter(pk__in=articles).values_list("term_id", flat=True))
        depending = [Q(depends__contains=f" {token} ") for token in (*tokens, EVERYTHING)]
        stale = StoredPage.objects.filter(reduce(or_, depending) | ~Q(valid_at=previous) | ~Q(page_version=version))
        rows = list(stale.values_list("pk", "path", "view_name", "language"))  # one match of every page's depends
        pages = {Page(path, view_name, language) for _pk, path, view_name, language in rows}
        for pk_batch in _batches([pk for pk, *_rest in rows]):
            StoredPage.objects.filter(pk__in=pk_batch).update(valid_at=0)
        refresh.kept = StoredPage.objects.filter(valid_at=previous).update(valid_at=generation)
        pages |= set(_home_pages()) | set(_index_pages() if NAMES in topics else ())
        pages |= set(_term_pages(Term.objects.filter(pk__in=terms)))
        pages |= set(_api_article_pages(ArticleVersion.objects.filter(article__in=articles)))
        pages = list(pages)
    # Rendered over plain HTTP for PAGE_ORIGIN's sake (the front writes the reader's origin in its place), so the
    # redirect to HTTPS production turns on must not answer instead of the page.
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, PAGE_HOST], SECURE_SSL_REDIRECT=False):
        client = Client(raise_request_exception=False)
        for page in pages:
            if _render(client, page, generation=generation, version=version):
                refresh.rendered += 1
            else:
                refresh.removed += StoredPage.objects.filter(path=page.path).delete()[0]
    return refresh


def _topics_take() -> tuple[int, set[str], int]:
    """Take the topics noted since the last pass, and say which generation they end at and which it started at."""
    with transaction.atomic():
        row = ContentGeneration.objects.select_for_update().filter(pk=1).first()
        if row is None:
            row = ContentGeneration.objects.create(pk=1)
        ContentGeneration.objects.filter(pk=1).update(topics="", pages_generation=row.value)
    publish_stamp()  # the app servers learn that stored pages may be valid again
    return row.value, set(row.topics.split()), row.pages_generation


def _resolve(topics: set[str]) -> tuple[set[int], set[int]]:
    """The ids of the articles and terms the topics name (by id, or by slug for what a write created)."""
    named: dict[str, set[str]] = {}
    for topic in topics:
        kind, _, value = topic.partition(":")
        named.setdefault(kind, set()).add(value)
    articles = {int(pk) for pk in named.get("article", ()) if pk.isdigit()}
    terms = {int(pk) for pk in named.get("term", ()) if pk.isdigit()}
    if slugs := named.get("article-slug"):
        articles |= set(Article.objects.filter(slug__in=slugs).values_list("pk", flat=True))
    if slugs := named.get("term-slug"):
        terms |= set(Term.objects.filter(slug__in=slugs).values_list("pk", flat=True))
    return articles, terms


def _every_page() -> Iterator[Page]:
    yield from _home_pages()
    yield from _index_pages()
    yield from _term_pages(Term.objects.all())
    yield from _api_article_pages(ArticleVersion.objects.all())


def _home_pages() -> Iterator[Page]:
    """The pages any write may change: the home page of each language (latest articles, most mentioned terms)."""
    for language in language_codes():
        yield Page(route_url(HOME, language=language), HOME, language)


def _index_pages() -> Iterator[Page]:
    """The pages NAMES changes: every page of the A–Z index as its links name them, and the API's term lists."""
    for language in language_codes():
        index = route_url(INDEX, language=language)
        yield Page(index, INDEX, language)
        for letter in index_letters(language=language):
            if not letter.count:
                continue
            address = f"{index}?letter={quote(letter.label, safe='/')}"  # as the template's urlencode writes it
            yield Page(address, INDEX, language)
            for number in range(1, ceil(letter.count / INDEX_PAGE_SIZE) + 1):
                yield Page(f"{address}&page={number}", INDEX, language)
    # The JSON list of terms, first without a page number, then each page as its `next` and `previous` name it.
    api, terms = reverse(API_TERMS), Term.objects.count()
    for language in language_codes():
        yield Page(f"{api}?{urlencode({'lang': language})}", API_TERMS, language)
        for number in range(1, max(1, ceil(terms / API_PAGE_SIZE)) + 1):
            yield Page(f"{api}?{urlencode({'lang': language, 'page': number})}", API_TERMS, language)


def _api_article_pages(versions) -> Iterator[Page]:
    """The JSON of each article in each language it is published in."""
    published = versions.filter(published=True).order_by("article_id", "language")
    for article_id, slug, language in published.values_list("article_id", "article__slug", "language").iterator():
        path = slug_url(API_ARTICLE, slug=slug, language=language)
        yield Page(f"{path}?{urlencode({'lang': language})}", API_ARTICLE, language, article_id=article_id)


def _term_pages(terms) -> Iterator[Page]:
    for slug in terms.order_by("pk").values_list("slug", flat=True).iterator():
        for language in language_codes():
            yield Page(term_url(slug, language=language), TERM, language)


def _render(client: Client, page: Page, *, generation: int, version: str) -> bool:
    """Render `page` as Django serves it live and store it valid at `generation`; False if it is no page now."""
    response = client.get(page.path, HTTP_HOST=PAGE_HOST, **{RENDER: True})
    if response.status_code != 200 or response.cookies:  # a page that sets a cookie is not the same for everyone
        if response.status_code >= 500 or 300 <= response.status_code < 400 or response.cookies:
            logger.error("stored page %s not stored: status %s", page.path, response.status_code)
        return False
    fields = {
        "view_name": page.view_name,
        "language": page.language,
        "html": response.content.decode(),
        "page_version": version,
        "valid_at": generation,
        "depends": f" {' '.join(sorted(_depends(page, response)))} ",
    }
    # One UPDATE for a page stored before (nearly every one): update_or_create reads the row first, in a transaction.
    if not StoredPage.objects.filter(path=page.path).update(**fields):
        StoredPage.objects.update_or_create(path=page.path, defaults=fields)
    return True


def _depends(page: Page, response) -> set[str]:
    """The topics whose writes change the page."""
    if page.view_name == API_ARTICLE:
        return _api_article_depends(page)
    if page.view_name in (INDEX, API_TERMS):
        return {NAMES}
    if page.view_name != TERM:
        return {EVERYTHING}
    # The term page says what it was made from; what it does not show (other languages' links) is read here.
    shows = getattr(response, TERM_PAGE_SHOWS)
    articles = set(ArticleLink.objects.filter(term_id=shows.term_id).values_list("article_id", flat=True))
    if shows.article_id is not None:
        articles.add(shows.article_id)
    related = (f"term:{pk}" for pk in shows.related)
    return {f"term:{shows.term_id}", *(f"article:{pk}" for pk in articles), *related}


def _api_article_depends(page: Page) -> set[str]:
    """An article's JSON shows the article and the names of the terms it links to in that language."""
    article_id = page.article_id
    if article_id is None:
        slug = page.path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        article_id = Article.objects.filter(slug=slug).values_list("pk", flat=True)[0]
    links = ArticleLink.objects.filter(article_id=article_id, language=page.language)
    return {f"article:{article_id}", *(f"term:{pk}" for pk in links.values_list("term_id", flat=True))}


def _batches(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _delete(pks: list[int]) -> int:
    return sum(StoredPage.objects.filter(pk__in=batch).delete()[0] for batch in _batches(pks))

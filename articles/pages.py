"""Readers' article pages, rendered whole when the article is saved and served as stored.

Render on write, carried to the whole page: everything on an article page follows from the article itself (its
version in the page's language, the languages it is published in, its date) and from the code, templates and
catalogues; nothing depends on the reader. So every save renders each published language's page once and stores
it, and a reader's request is one indexed read and a string replacement for the scheme and host.

Each stored page carries the version of the code that rendered it (with the script prefix the site is mounted
under): after a deploy, pages of the old version are not served; the view renders them live until
`manage.py render_pages` (run by bin/serve) stores them anew.
"""

from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import translation

from articles.models import Article, ArticlePage
from articles.selectors import article_language_links, article_toc
from core.cache import code_version

# Stands for the scheme and host in stored pages (canonical and alternate links are absolute); never a real host.
PAGE_ORIGIN = "http://stored-page.invalid"


def page_version() -> str:
    """What a stored page's bytes depend on besides the article: code, mount point, static URLs (hashed or not)."""
    return f"{code_version()}:{get_script_prefix()}:{settings.STATIC_URL}:{int(settings.DEBUG)}"


def article_page_context(article: Article, language: str) -> dict:
    """What the article template shows of `article` in `language` (published there)."""
    return {
        "article": article,
        "language_links": article_language_links(article),
        "body": article.html(language),
        "toc": article_toc(article, language),
        "title": article.value("display_title", language),
        "description": article.value("display_description", language),
    }


def article_pages_render(article: Article, *, languages: Iterable[str] | None = None, drop_others: bool = True) -> None:
    """Store the page of each of `languages` (all by default) `article` is published in; drop unpublished ones."""
    version = page_version()
    wanted = article.published_languages if languages is None else set(languages)
    for language in [code for code in article.published_languages if code in wanted]:
        with translation.override(language):
            context = {
                **article_page_context(article, language),
                "home_language_links": [],  # what context processors give a request's pages; unused here
                "page_origin": PAGE_ORIGIN,
                "page_path": article.get_absolute_url(language),
            }
            html = render_to_string("articles/detail.html", context)
        values = {"slug": article.slug, "version": version, "title": article.value("display_title", language) or ""}
        # One UPDATE for a page that exists (every save but the first); the writer holds the article's lock.
        if not ArticlePage.objects.filter(article=article, language=language).update(**values, html=html):
            ArticlePage.objects.create(article=article, language=language, **values, html=html)
    if drop_others:
        ArticlePage.objects.filter(article=article).exclude(language__in=article.published_languages).delete()


def stored_article_page(*, slug: str, language: str) -> str | None:
    """Return the stored page of `slug` in `language` if the running code rendered it; None otherwise.

    The one query of a reader's article page, so its SQL is built once from the model rather than compiled by the
    ORM on every request (which costs more than running it).
    """
    with connection.cursor() as cursor:
        cursor.execute(_page_sql(connection.vendor), [slug, language, page_version()])
        row = cursor.fetchone()
    return row[0] if row else None


@lru_cache(maxsize=4)
def _page_sql(vendor: str) -> str:
    meta = ArticlePage._meta
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(meta.get_field(name).column)

    return (
        f"SELECT {column('html')} FROM {quote(meta.db_table)} "
        f"WHERE {column('slug')} = %s AND {column('language')} = %s AND {column('version')} = %s"
    )


def with_origin(html: str, request) -> str:
    return html.replace(PAGE_ORIGIN, f"{request.scheme}://{request.get_host()}")

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

from articles.article_page import TEMPLATE, article_page, article_page_context
from articles.models import Article, ArticleVersion
from articles.selectors import article_language_links
from core.cache import code_version
from core.stored_pages import page_bytes, stored_bytes
from core.stored_pages import with_origin as stored_with_origin


def page_version() -> str:
    """What a stored page's bytes depend on besides the article: code, mount point, static URLs (hashed or not)."""
    return f"{code_version()}:{get_script_prefix()}:{settings.STATIC_URL}:{int(settings.DEBUG)}"


def article_pages_render(article: Article, *, languages: Iterable[str] | None = None) -> None:
    """Set the page of each of `languages` (all by default) `article` is published in; clear unpublished ones.

    Only the article's ArticleVersion rows change; the caller saves them (the write service, with the rest).
    """
    version = page_version()
    wanted = set(article.published_languages if languages is None else languages)
    links = None
    for language, row in article.version_rows().items():
        if not row.published:
            row.page_html, row.page_version = "", ""
        elif language in wanted:
            links = links or article_language_links(article)  # the same for each language but the current one
            with translation.override(language):
                row.page_html = article_page(article_page_context(article, language, links=links))
            row.page_version = version


def article_page_live(article: Article, language: str) -> str:
    """The page of `article` in `language` (active, and published there) rendered by its template, as stored."""
    links = article_language_links(article)
    return render_to_string(TEMPLATE, article_page_context(article, language, links=links))


def stored_article_page(*, slug: str, language: str, path: str = "") -> bytes | None:
    """Return the stored page of `slug` in `language` (UTF-8) if the running code rendered it; None otherwise.

    The one query of a reader's article page, so its SQL is built once from the model rather than compiled by the
    ORM on every request (which costs more than running it).
    """
    return stored_bytes(_page_sql(connection.vendor), [slug, language, page_version()])


@lru_cache(maxsize=4)
def _page_sql(vendor: str) -> str:
    quote = connection.ops.quote_name

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    version, article = ArticleVersion, Article
    # The article's id by its slug, then its version by (article, language): two unique indexes, no join to plan.
    return (
        f"SELECT {page_bytes(column(version, 'page_html'))} FROM {quote(version._meta.db_table)} "
        f"WHERE {column(version, 'article')} = (SELECT {column(article, 'id')} FROM {quote(article._meta.db_table)} "
        f"WHERE {column(article, 'slug')} = %s) AND {column(version, 'language')} = %s "
        f"AND {column(version, 'published')} AND {column(version, 'page_version')} = %s"
    )


def with_origin(html: bytes, request) -> bytes:
    return stored_with_origin(html, f"{request.scheme}://{request.get_host()}")

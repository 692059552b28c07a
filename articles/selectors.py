"""Reads for article pages."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname

from articles.models import Article
from core.languages import language_codes, language_name
from core.switcher import LanguageLink, language_links
from glossary.models import Term
from markup.render import TermLink


@dataclass(frozen=True)
class TocItem:
    id: str
    title: str
    children: list["TocItem"]


def article_language_links(article: Article) -> list[LanguageLink]:
    """Lead to the same article in each language; where it is missing, to its term's page, which explains."""
    return language_links(
        url_for=lambda code: (
            article.get_absolute_url(code) if article.is_published(code) else article.term.get_absolute_url(code)
        ),
        available=article.is_published,
    )


def other_languages(article: Article, *, language: str) -> list[tuple[str, str, str]]:
    """Return (code, autonym, url) of the languages this article exists in, other than `language`."""
    return [
        (code, language_name(code), article.get_absolute_url(code))
        for code in language_codes()
        if code != language and article.is_published(code)
    ]


def article_toc(article: Article, language: str) -> list[TocItem]:
    """Nest h3 entries under their h2 for the table of contents."""
    items: list[TocItem] = []
    for entry in article.value("toc", language) or []:
        item = TocItem(entry["id"], entry["title"], [])
        if entry["level"] > 2 and items:
            items[-1].children.append(item)
        else:
            items.append(item)
    return items


@dataclass(frozen=True)
class CoverageCell:
    language: str
    state: str
    warnings: int
    errors: int


def article_coverage() -> list[tuple[Article, list[CoverageCell]]]:
    """Return every article with the state and finding counts of each language, in one query."""
    rows = []
    for article in Article.objects.order_by("slug"):
        cells = []
        for code in language_codes():
            severities = [finding.get("severity") for finding in article.value("findings", code) or []]
            cells.append(CoverageCell(code, article.state(code), len(severities), severities.count("error")))
        rows.append((article, cells))
    return rows


# What a reader's page shows of the version in its language; every other language is only a name in the switcher.
READER_FIELDS = ("display_title", "display_description", "body_html", "toc")


def articles_for_readers(language: str):
    """Articles with only the columns a reader's page in `language` reads."""
    shown = [build_localized_fieldname(name, language) for name in READER_FIELDS]
    return Article.objects.select_related("term").only("slug", "published_languages", "updated", "term__slug", *shown)


def article_publication_fields(*, prefix: str = "") -> list[str]:
    """The article columns that tell where it is published, and no others (its texts and HTML are large)."""
    return [f"{prefix}{field}" for field in ("slug", "published_languages")]


def term_link_resolver(*, language: str, slugs: Iterable[str]) -> Callable[[str], TermLink | None]:
    """Build the link resolver for one language version, with one query for all its link targets."""
    terms = {
        term.slug: term
        for term in Term.objects.filter(slug__in=set(slugs))
        .select_related("article")
        .only("slug", *article_publication_fields(prefix="article__"))
    }
    with translation.override(language):
        no_article = gettext("No article yet")
        not_in_language = gettext("No article in %(language)s yet; available in other languages") % {
            "language": language_name(language)
        }
        links = {}
        for slug, term in terms.items():
            article = getattr(term, "article", None)
            if article is not None and article.is_published(language):
                links[slug] = TermLink(href=term.get_absolute_url(language), missing=False)
            else:
                has_other = article is not None and bool(article.published_languages)
                links[slug] = TermLink(
                    href=term.get_absolute_url(language),
                    missing=True,
                    title=not_in_language if has_other else no_article,
                )
    return links.get

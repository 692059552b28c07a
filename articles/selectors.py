"""Reads for article pages."""

from dataclasses import dataclass

from django.db.models import Count
from modeltranslation.utils import build_localized_fieldname

from articles.models import Article, ArticlePage
from glossary.collation import collation_key
from glossary.languages import language_codes, language_name
from glossary.links import slug_url
from glossary.models import Term
from glossary.selectors import terms_with_names
from glossary.switcher import LanguageLink, language_links


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


@dataclass(frozen=True)
class Mention:
    """An article as the "mentioned in" list of a term's page shows it."""

    slug: str
    title: str
    language: str

    def get_absolute_url(self) -> str:
        return slug_url("articles:detail", slug=self.slug, language=self.language)


def mentioning_articles(term, *, language: str) -> list[Mention]:
    """Articles published in `language` whose version in it links to `term`, in the language's order of titles.

    Read from the stored pages (one short row per published language, drafts have none) as plain rows: a term
    can be mentioned in thousands of articles, and an article's own row holds every language's text.
    """
    rows = ArticlePage.objects.filter(
        language=language, article__links__term=term, article__links__language=language
    ).values_list("slug", "title")
    mentions = [Mention(slug, title, language) for slug, title in rows]
    return sorted(mentions, key=lambda mention: collation_key(mention.title, language=language))


@dataclass(frozen=True)
class ArticleSummary:
    """An article as the home page lists it."""

    slug: str
    title: str
    description: str
    language: str

    def get_absolute_url(self) -> str:
        return slug_url("articles:detail", slug=self.slug, language=self.language)


def latest_articles(*, language: str, limit: int) -> list[ArticleSummary]:
    """The articles published in `language` that changed last, newest first: one query for short rows."""
    description = f"article__{build_localized_fieldname('display_description', language)}"
    rows = (
        ArticlePage.objects.filter(language=language)
        .order_by("-article__updated", "slug")
        .values_list("slug", "title", description)[:limit]
    )
    return [ArticleSummary(slug, title, text or "", language) for slug, title, text in rows]


def most_mentioned_terms(*, language: str, limit: int) -> list[Term]:
    """The terms that the most articles link to in `language`, with their names: two queries, `limit` terms."""
    return list(
        terms_with_names()
        .filter(mentions__language=language)
        .annotate(mentioned=Count("mentions"))
        .order_by("-mentioned", "slug")[:limit]
    )

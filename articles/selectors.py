"""Reads for article pages."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch
from modeltranslation.utils import build_localized_fieldname

from articles.models import Article, ArticleLink, ArticlePage, ArticleReview
from glossary.collation import collation_key
from glossary.languages import language_codes, language_name
from glossary.links import slug_url
from glossary.models import Term, TermName
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
    reviewed: int = 0
    blocks: int = 0  # 0: not counted (the source, or a version not saved since marks exist)


def article_coverage() -> list[tuple[Article, list[CoverageCell]]]:
    """Return every article with the state, finding counts and reviewed blocks of each language, in two queries."""
    rows = []
    for article in Article.objects.order_by("slug").prefetch_related("reviews"):
        reviews = {review.language: review for review in article.reviews.all()}
        cells = []
        for code in language_codes():
            severities = [finding.get("severity") for finding in article.value("findings", code) or []]
            review = reviews.get(code) if article.has_text(code) else None
            cells.append(
                CoverageCell(
                    code,
                    article.state(code),
                    len(severities),
                    severities.count("error"),
                    reviewed=len(review.reviewed) if review else 0,
                    blocks=review.blocks if review else 0,
                )
            )
        rows.append((article, cells))
    return rows


def article_reviewed_blocks(article: Article, language: str) -> set[str]:
    """Return the hashes of the blocks of a translation marked reviewed."""
    review = ArticleReview.objects.filter(article=article, language=language).first()
    return set(review.reviewed) if review else set()


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
    """The articles last added among those published in `language`, newest first: one query for short rows.

    Ordered by article id, not by the article's `updated`: that column sits behind every language's text in the
    article's row, and sorting by it would read all of them (half a second with 1,000 articles on SQLite).
    """
    description = f"article__{build_localized_fieldname('display_description', language)}"
    rows = (
        ArticlePage.objects.filter(language=language)
        .order_by("-article_id")
        .values_list("slug", "title", description)[:limit]
    )
    return [ArticleSummary(slug, title, text or "", language) for slug, title, text in rows]


# Mentions are counted over this many of a language's latest articles, so the home page's cost has a ceiling.
MENTION_SAMPLE = 500


def most_mentioned_terms(*, language: str, limit: int) -> list[Term]:
    """The `limit` terms linked from the most articles published in `language`, with their names: two queries.

    Counted over the latest MENTION_SAMPLE articles of the language (all of them on most sites), by article id
    alone: no article row (which holds every language's text) is read.
    """
    published = (
        ArticlePage.objects.filter(language=language).order_by("-article_id").values("article_id")[:MENTION_SAMPLE]
    )
    ranked = (
        ArticleLink.objects.filter(language=language, article__in=published)
        .values("term")
        .annotate(mentioned=Count("pk"))
        .order_by("-mentioned", "term")
        .values_list("term", flat=True)[:limit]
    )
    names = TermName.objects.only("term_id", "language", "name", "status", "confirmed").order_by()
    return list(Term.objects.filter(pk__in=ranked).only("slug").prefetch_related(Prefetch("names", queryset=names)))

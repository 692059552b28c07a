"""Reads that join the term base and the articles, for the reader's pages."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q
from modeltranslation.utils import build_localized_fieldname

from articles.models import Article, ArticleLink, ArticleVersion, TermUsage
from core.languages import language_codes
from core.links import slug_url
from glossary.collation import collation_key
from glossary.models import Term, TermName
from glossary.selectors import NAME_FIELDS, NamedTerm, named_terms, terms_with_names


def terms_with_names_and_publication(*, shown: str | None = None):
    """Terms with their names, definitions and just enough of their article to tell where it is published.

    With `shown` (a language), the article's title and description in that language are read too.
    """
    definitions = [build_localized_fieldname("definition", code) for code in language_codes()]
    fields = ["article_id", "language", "published"]
    if shown is not None:
        fields += ["display_title", "display_description"]
    rows = ArticleVersion.objects.filter(published=True).only(*fields)
    return (
        terms_with_names()
        .select_related("article")
        .only("slug", *definitions, "article__slug")
        .prefetch_related(Prefetch("article__versions", queryset=rows))
    )


def term_has_language(term: Term, language: str) -> bool:
    """Say whether the term has a name or an article in `language`."""
    article = getattr(term, "article", None)
    return any(name.language == language for name in term.names.all()) or bool(
        article and article.is_published(language)
    )


def term_worth_indexing(term: Term, language: str) -> bool:
    """Say whether the term's page in `language` says more than its name: a definition or a published article.

    Other pages are still served (links lead there) but kept out of search engines and the sitemap.
    """
    article = getattr(term, "article", None)
    has_definition = bool(getattr(term, build_localized_fieldname("definition", language), ""))
    return has_definition or bool(article and article.is_published(language))


RELATED_SHOWN = 20
RELATED_SAMPLE = 200


def related_terms(ranked: list[int], *, language: str) -> list[NamedTerm]:
    """The terms `related_term_ids` ranked, in its order, with the names they go by in `language`."""
    terms = named_terms(ranked, language=language)
    return [terms[pk] for pk in ranked if pk in terms]


def related_term_ids(term: Term, *, language: str, limit: int = RELATED_SHOWN) -> list[int]:
    """The ids of the terms most closely related to `term` in `language`, best first, at most `limit`.

    First the terms this term's own article links to, then the terms linked from the same articles as this term
    (the more articles they share, the closer), then the terms of the latest articles that link here. Two queries
    whatever the number of articles (three for a term whose article is not loaded with it): a term mentioned in a
    thousand articles must not list (or load) a thousand others, and closeness is counted over the latest
    RELATED_SAMPLE of them.

    The links of those articles are read as plain (article, term) pairs and ranked here: the database did the same
    grouping in one query, but building that query (three nested subqueries) cost more than running it, and this
    runs for every term page in every language the renderer stores.
    """
    own = getattr(term, "article", None)
    own_id = own.pk if own is not None else None
    links = ArticleLink.objects.filter(language=language)
    # Articles are named by id throughout, so the database looks them up by index and reads no article row (an
    # article's row holds every language's text) except, at the end, the few whose terms are listed.
    sample = max(RELATED_SAMPLE, limit * 2 + 1)  # enough of the latest for closeness and for the last resort
    linking = links.filter(term=term).order_by("-article_id").values("article")[:sample]
    read = Q(article__in=linking) | Q(article_id=own_id) if own_id is not None else Q(article__in=linking)
    pairs = list(links.filter(read).values_list("article_id", "term_id"))
    # The latest articles linking here, as many as were asked for (an article links a term once in a language).
    latest = sorted({article for article, linked in pairs if linked == term.pk}, reverse=True)[:sample]
    measured = {*latest[:RELATED_SAMPLE], own_id}
    shared: Counter[int] = Counter()
    from_own = set()
    for article, linked in pairs:
        if linked != term.pk and article in measured:
            shared[linked] += 1
            if article == own_id:
                from_own.add(linked)
    ranked = sorted(shared, key=lambda pk: (pk not in from_own, -shared[pk], pk))[:limit]
    if len(ranked) < limit:
        others = [article for article in latest if article != own_id][: limit * 2]
        linking_terms = Article.objects.filter(pk__in=others).order_by("-pk").values_list("term_id", flat=True)
        ranked += [pk for pk in linking_terms if pk not in ranked]
    return ranked[:limit]


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

    Read from the language versions (the published rows of one language, by index) as plain rows: a term
    can be mentioned in thousands of articles, and an article's own row holds every language's text.
    """
    rows = ArticleVersion.objects.filter(
        language=language, published=True, article__links__term=term, article__links__language=language
    ).values_list("article__slug", "display_title")
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
    rows = (
        ArticleVersion.objects.filter(language=language, published=True)
        .order_by("-article_id")
        .values_list("article__slug", "display_title", "display_description")[:limit]
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
        ArticleVersion.objects.filter(language=language, published=True)
        .order_by("-article_id")
        .values("article_id")[:MENTION_SAMPLE]
    )
    ranked = (
        ArticleLink.objects.filter(language=language, article__in=published)
        .values("term")
        .annotate(mentioned=Count("pk"))
        .order_by("-mentioned", "term")
        .values_list("term", flat=True)[:limit]
    )
    names = TermName.objects.only(*NAME_FIELDS).order_by()
    return list(Term.objects.filter(pk__in=ranked).only("slug").prefetch_related(Prefetch("names", queryset=names)))


def suggestion_target(*, article_slug: str, term_slug: str, language: str) -> tuple[Article | None, Term | None]:
    """Return the article published in `language`, or else the term, a reader's suggestion is about."""
    if article_slug:
        article = Article.objects.filter(slug=article_slug).select_related("term").first()
        if article is not None and article.is_published(language):
            return article, None
        return None, None
    if term_slug:
        return None, Term.objects.filter(slug=term_slug).prefetch_related("names").first()
    return None, None


USAGES_SHOWN = 10


def term_usages(term: Term, *, language: str, limit: int = USAGES_SHOWN) -> list[TermUsage]:
    """Sentences of published `language` versions where `term` is linked, each with its article's title and URL.

    One query: the published versions linking to the term, with the usages stored on them (ArticleVersion.usages).
    """
    versions = (
        ArticleVersion.objects.filter(
            language=language, published=True, article__links__term=term, article__links__language=language
        )
        .annotate(article_slug=F("article__slug"))
        .only("article_id", "display_title", "usages")
        .order_by("article_id")[:limit]
    )
    usages = [
        TermUsage.from_dict(usage, article_slug=version.article_slug, article_title=version.display_title)
        for version in versions
        for usage in version.usages
        if usage["term"] == term.pk
    ]
    return usages[:limit]

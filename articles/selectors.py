"""Reads for article pages."""

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.db.models import JSONField, OuterRef, Prefetch, Q, Subquery
from django.utils import translation
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname

from articles.models import Article, ArticleLink, ArticleVersion, term_usage_sentence
from core.languages import language_codes, language_name
from core.links import slug_url
from core.switcher import LanguageLink, language_links
from glossary.models import Term, TermName, TermRedirect
from markup.findings import Severity
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


@dataclass(frozen=True)
class ReaderNotice:
    """What a reader is told about a language version: outdated against its source, known errors left."""

    outdated: bool
    source_language: str
    source_name: str
    source_url: str
    errors: int


def article_reader_notice(article: Article, language: str) -> ReaderNotice:
    """Say whether `language` lags behind the source language and how many error-level findings it still has."""
    source = article.source_language
    outdated = article.is_outdated(language) and article.is_published(source)
    errors = sum(1 for finding in article.language_findings(language) if finding.severity == Severity.ERROR)
    return ReaderNotice(
        outdated=outdated,
        source_language=source,
        source_name=language_name(source),
        source_url=article.get_absolute_url(source) if outdated else "",
        errors=errors,
    )


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
    flags = ArticleVersion.objects.only(
        "article_id", "language", "draft", "published", "synced_source_revision", "findings", "reviewed", "block_count"
    )
    for article in Article.objects.order_by("slug").prefetch_related(Prefetch("versions", queryset=flags)):
        reviews = article.version_rows()
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
                    blocks=review.block_count if review else 0,
                )
            )
        rows.append((article, cells))
    return rows


def article_reviewed_blocks(article: Article, language: str) -> set[str]:
    """Return the hashes of the blocks of a translation marked reviewed."""
    row = article.version_rows().get(language)
    return set(row.reviewed) if row is not None else set()


# What a reader's page shows of the version in its language; every other language is only a name in the switcher.
READER_FIELDS = ("display_title", "display_description", "body_html", "toc")


def articles_for_readers(language: str):
    """Articles with only what a reader's page in `language` reads: other languages' rows only say if published."""
    shown = ArticleVersion.objects.filter(Q(language=language) | Q(published=True)).only(
        "article_id", "language", "published", "draft", *READER_FIELDS
    )
    return (
        Article.objects.select_related("term")
        .only("slug", "updated", "term__slug")
        .prefetch_related(Prefetch("versions", queryset=shown))
    )


def published_versions(**filters):
    """Prefetch for an article's rows that says where it is published, and nothing else (its texts are large)."""
    return Prefetch(
        "versions",
        queryset=ArticleVersion.objects.filter(published=True, **filters).only("article_id", "language", "published"),
    )


PREVIEW_LENGTH = 160


def _preview(text: str) -> str:
    """Cut a definition or sentence to a tooltip's length, at a space where there is one."""
    text = " ".join(text.split())
    if len(text) <= PREVIEW_LENGTH:
        return text
    cut = text[:PREVIEW_LENGTH]
    return (cut.rsplit(" ", 1)[0] if " " in cut[PREVIEW_LENGTH // 2 :] else cut) + "…"


def term_link_resolver(*, language: str, slugs: Iterable[str]) -> Callable[[str], TermLink | None]:
    """Build the link resolver for one language version, with one query for all its link targets."""
    return term_links(language=language, slugs=slugs)[0]


def _usages_of_term(term: str, language) -> Subquery:
    """The stored usages (ArticleVersion.usages) of the first `language` version linking to the term `term` names.

    Read from the links in the order of their index (term, language, article): the first one whose article has a
    row in `language` is found without sorting every article that links to the term.
    """
    links = ArticleLink.objects.filter(
        term=OuterRef(term), language=language, article__versions__language=language
    ).order_by("article_id")
    return Subquery(links.values("article__versions__usages")[:1], output_field=JSONField())


def term_links(*, language: str, slugs: Iterable[str]) -> tuple[Callable[[str], TermLink | None], dict[str, str]]:
    """Build the link resolver for one language version, and map the merged terms' slugs among `slugs` onto the
    slugs of the terms they were merged into; one query for both."""
    resolvers, merged = term_links_by_language(slugs={language: slugs})
    return resolvers[language], merged


def term_links_by_language(
    *, slugs: Mapping[str, Iterable[str]]
) -> tuple[dict[str, Callable[[str], TermLink | None]], dict[str, str]]:
    """Build the link resolver of each language version (language -> its link targets), and map the merged terms'
    slugs among the targets onto the slugs of the terms they were merged into; one query for every language.

    Every save runs it, so its SQL is written out once per set of languages (_term_links_sql) rather than composed
    with the ORM on each call, which cost several times what running it does.
    """
    wanted = {language: set(targets) for language, targets in slugs.items()}
    every = set().union(*wanted.values())
    languages = list(wanted)
    # language -> link target -> (term slug, preview, published languages)
    targets: dict[str, dict[str, tuple[str, str, set[str]]]] = {language: {} for language in languages}
    merged: dict[str, str] = {}
    rows = []
    if every:
        with connection.cursor() as cursor:
            sql = _term_links_sql(connection.vendor, tuple(languages), len(every))
            cursor.execute(sql, [*(code for code in languages for _twice in (1, 2)), *every, *every])
            rows = cursor.fetchall()
    for pk, slug, old_slug, code, *texts in rows:
        if old_slug in every:
            merged[old_slug] = slug
        for index, language in enumerate(languages):
            for target in {slug, old_slug} & wanted[language]:
                usages = texts[len(languages) + index]
                preview = texts[index] or term_usage_sentence(_json(usages), pk)
                targets[language].setdefault(target, (slug, preview, set()))[2].update([code] if code else [])
    return {language: _resolver(language, targets[language]) for language in languages}, merged


@lru_cache(maxsize=64)
def _term_links_sql(vendor: str, languages: tuple[str, ...], count: int) -> str:
    """term_links_by_language's query for `count` link targets, written out once; its parameters are each language
    twice, then the targets twice.

    Each target's term, or the term a merged target was merged into (by its redirect: each condition an index
    lookup, where an OR across the join to the redirects would read every term), with its definitions, the usages
    of the first version linking to it in each language (in the order of the links' index: term, language,
    article) and each language its article is published in (none: no article, or unpublished).
    """
    quote = connection.ops.quote_name

    def table(model) -> str:
        return quote(model._meta.db_table)

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    term, version, link, redirect = Term, ArticleVersion, ArticleLink, TermRedirect
    definitions = [f"t.{column(term, build_localized_fieldname('definition', code))}" for code in languages]
    usages = [
        f"(SELECT v.{column(version, 'usages')} FROM {table(link)} l INNER JOIN {table(version)} v "
        f"ON v.{column(version, 'article')} = l.{column(link, 'article')} "
        f"WHERE l.{column(link, 'term')} = t.{column(term, 'id')} AND l.{column(link, 'language')} = %s "
        f"AND v.{column(version, 'language')} = %s "
        f"ORDER BY l.{column(link, 'article')} LIMIT 1)"
        for _code in languages
    ]
    placeholders = ", ".join(["%s"] * count)
    return (
        f"SELECT t.{column(term, 'id')}, t.{column(term, 'slug')}, r.{column(redirect, 'old_slug')}, "
        f"p.{column(version, 'language')}, {', '.join([*definitions, *usages])} "
        f"FROM {table(term)} t "
        f"LEFT OUTER JOIN {table(Article)} a ON a.{column(Article, 'term')} = t.{column(term, 'id')} "
        f"LEFT OUTER JOIN {table(version)} p ON p.{column(version, 'article')} = a.{column(Article, 'id')} "
        f"AND p.{column(version, 'published')} "
        f"LEFT OUTER JOIN {table(redirect)} r ON r.{column(redirect, 'term')} = t.{column(term, 'id')} "
        f"WHERE t.{column(term, 'slug')} IN ({placeholders}) OR t.{column(term, 'id')} IN "
        f"(SELECT {column(redirect, 'term')} FROM {table(redirect)} "
        f"WHERE {column(redirect, 'old_slug')} IN ({placeholders}))"
    )


def _json(value):
    """A JSON column read through a cursor: its text, on SQLite and on PostgreSQL (Django has psycopg leave jsonb as
    text for JSONField to decode)."""
    return json.loads(value) if isinstance(value, str) else value


def _resolver(language: str, targets: dict[str, tuple[str, str, set[str]]]) -> Callable[[str], TermLink | None]:
    with translation.override(language):
        no_article = gettext("No article yet")
        not_in_language = gettext("No article in %(language)s yet; available in other languages") % {
            "language": language_name(language)
        }
        links = {}
        for target, (slug, preview, languages) in targets.items():
            href = slug_url("glossary:term", slug=slug, language=language)
            if language in languages:
                links[target] = TermLink(href=href, missing=False, title=_preview(preview))
            else:
                fallback = not_in_language if languages else no_article
                links[target] = TermLink(href=href, missing=True, title=_preview(preview) or fallback)
    return links.get


def unconfirmed_names(*, languages: list[str], limit: int) -> list[TermName]:
    """Unconfirmed names in `languages`, oldest first, each with the first sentence its term is used in (`usage`)."""
    names = list(
        TermName.objects.filter(confirmed=False, language__in=languages)
        .select_related("term")
        .annotate(usages=_usages_of_term("term_id", OuterRef("language")))
        .order_by("pk")[:limit]
    )
    for name in names:
        name.usage = term_usage_sentence(name.usages, name.term_id)
    return names

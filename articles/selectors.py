"""Reads for article pages."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import translation
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname

from articles.models import Article, TermUsage
from core.languages import language_codes, language_name
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
    wanted = set(slugs)
    definition = build_localized_fieldname("definition", language)
    first_usage = TermUsage.objects.filter(term=OuterRef("pk"), language=language).order_by("article_id", "position")
    terms = {
        term.slug: term
        for term in Term.objects.filter(slug__in=wanted)
        .select_related("article")
        .only("slug", definition, *article_publication_fields(prefix="article__"))
        .annotate(first_usage=Subquery(first_usage.values("sentence")[:1]))
    }
    if wanted - terms.keys():
        # A merged term's slug: the link leads to the term it was merged into (one more query, only then).
        redirects = TermRedirect.objects.filter(old_slug__in=wanted - terms.keys()).select_related("term__article")
        terms.update({redirect.old_slug: redirect.term for redirect in redirects})
    with translation.override(language):
        no_article = gettext("No article yet")
        not_in_language = gettext("No article in %(language)s yet; available in other languages") % {
            "language": language_name(language)
        }
        links = {}
        for slug, term in terms.items():
            article = getattr(term, "article", None)
            if article is not None and article.is_published(language):
                preview = getattr(term, definition, "") or getattr(term, "first_usage", "") or ""
                links[slug] = TermLink(href=term.get_absolute_url(language), missing=False, title=_preview(preview))
            else:
                has_other = article is not None and bool(article.published_languages)
                preview = getattr(term, definition, "") or getattr(term, "first_usage", "") or ""
                links[slug] = TermLink(
                    href=term.get_absolute_url(language),
                    missing=True,
                    title=_preview(preview) or (not_in_language if has_other else no_article),
                )
    return links.get


def unconfirmed_names(*, languages: list[str], limit: int) -> list[TermName]:
    """Unconfirmed names in `languages`, oldest first, each with the first sentence its term is used in (`usage`)."""
    usage = TermUsage.objects.filter(term=OuterRef("term_id"), language=OuterRef("language")).order_by(
        "article_id", "position"
    )
    return list(
        TermName.objects.filter(confirmed=False, language__in=languages)
        .select_related("term")
        .annotate(usage=Subquery(usage.values("sentence")[:1]))
        .order_by("pk")[:limit]
    )

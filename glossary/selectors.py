"""Reads from the term base."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, Max, Prefetch, Q, When
from django.utils import translation
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname

from glossary.collation import index_labels
from glossary.languages import language_codes, language_name
from glossary.models import Term, TermName
from markup.render import TermLink


@dataclass(frozen=True)
class DisplayName:
    """The name to show for a term in a page language; `language` differs when none is known in that one."""

    name: str
    language: str
    confirmed: bool


def term_display_name(term: Term, *, language: str) -> DisplayName:
    """Pick the best name: confirmed before unconfirmed, preferred before others, page language before any."""
    names = list(term.names.all())
    ranked = sorted(names, key=_name_rank)
    for name in ranked:
        if name.language == language:
            return DisplayName(name.name, name.language, name.confirmed)
    for code in language_codes():
        for name in ranked:
            if name.language == code:
                return DisplayName(name.name, name.language, name.confirmed)
    return DisplayName(term.slug.replace("-", " "), "", False)


def _name_rank(name: TermName) -> tuple:
    status_order = [TermName.Status.PREFERRED, TermName.Status.ADMITTED, TermName.Status.DEPRECATED]
    return (not name.confirmed, status_order.index(name.status), name.name)


def terms_with_names():
    return Term.objects.prefetch_related(Prefetch("names", queryset=TermName.objects.order_by()))


def article_publication_fields(*, prefix: str = "") -> list[str]:
    """The article columns that tell where it is published, and no others (its texts and HTML are large)."""
    return [f"{prefix}{field}" for field in ("slug", "published_languages")]


def terms_with_names_and_publication(*, article_fields: Iterable[str] = ()):
    """Terms with their names, definitions and just enough of their article to tell where it is published.

    `article_fields` are further article columns to read (its texts and HTML in every language are long).
    """
    definitions = [build_localized_fieldname("definition", code) for code in language_codes()]
    return (
        terms_with_names()
        .select_related("article")
        .only(
            "slug",
            *definitions,
            *article_publication_fields(prefix="article__"),
            *(f"article__{field}" for field in article_fields),
        )
    )


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


def term_names_by_language(term: Term, *, exclude: str) -> list[tuple[str, str, list[TermName]]]:
    """Return (code, autonym, names) for every other language with names for the term, the name it goes by first."""
    ranked = sorted(term.names.all(), key=_name_rank)
    result = []
    for code in language_codes():
        names = [name for name in ranked if name.language == code]
        if code != exclude and names:
            result.append((code, language_name(code), names))
    return result


def term_alternative_names(term: Term, *, language: str) -> list[TermName]:
    """Return the term's names in `language` other than the one it goes by, ranked as `term_display_name` ranks."""
    return sorted((name for name in term.names.all() if name.language == language), key=_name_rank)[1:]


def term_has_language(term: Term, language: str) -> bool:
    """Say whether the term has a name or an article in `language`."""
    article = getattr(term, "article", None)
    return any(name.language == language for name in term.names.all()) or bool(
        article and article.is_published(language)
    )


@dataclass(frozen=True)
class IndexLetter:
    label: str
    count: int


def index_letters(*, language: str) -> list[IndexLetter]:
    """Return the language's index letters in order, with how many names each has (one grouped query)."""
    counts = dict(
        TermName.objects.filter(language=language)
        .values_list("index_label")
        .annotate(count=Count("id"))
        .values_list("index_label", "count")
    )
    return [IndexLetter(label, counts.get(label, 0)) for label in index_labels(language)]


def index_names(*, language: str, letter: str):
    """Return the names under one index letter, in the language's alphabetical order, with their terms' names.

    Only the terms' names in `language` are fetched: each term listed has one, so its display name is among them.
    """
    listed = ("term", "language", "name", "status", "confirmed")
    return (
        TermName.objects.filter(language=language, index_label=letter)
        .select_related("term")
        .only(*listed, "term__slug")
        .prefetch_related(
            Prefetch("term__names", queryset=TermName.objects.filter(language=language).only(*listed).order_by())
        )
        .order_by("sort_key", "name")
    )


RELATED_SHOWN = 20
RELATED_SAMPLE = 200


def related_terms(term: Term, *, language: str, limit: int = RELATED_SHOWN) -> list[Term]:
    """The terms most closely related to `term` in `language`, best first, at most `limit`.

    First the terms this term's own article links to, then the terms linked from the same articles as this term
    (the more articles they share, the closer), then the terms of the latest articles that link here. Four queries
    whatever the number of articles: a term mentioned in a thousand articles must not list (or load) a thousand
    others, and closeness is counted over the latest RELATED_SAMPLE of them.
    """
    from articles.models import Article, ArticleLink

    links = ArticleLink.objects.filter(language=language)
    # Articles are named by id throughout, so the database looks them up by index and reads no article row (an
    # article's row holds every language's text) except, at the end, the few whose terms are listed.
    own_article = Article.objects.filter(term=term).values("pk")
    # Closeness is measured over the latest articles that mention the term, so its cost has a ceiling.
    linking_articles = links.filter(term=term).order_by("-article_id").values("article")
    closest = (
        links.filter(Q(article__in=linking_articles[:RELATED_SAMPLE]) | Q(article__in=own_article))
        .exclude(term=term)
        .values("term")
        .annotate(
            own=Max(Case(When(article__in=own_article, then=1), default=0)),
            shared=Count("article", distinct=True),
        )
        .order_by("-own", "-shared", "term")
        .values_list("term", flat=True)[:limit]
    )
    ranked = list(dict.fromkeys(closest))
    if len(ranked) < limit:
        latest = linking_articles.exclude(article__in=own_article)[: limit * 2]
        linking_terms = Article.objects.filter(pk__in=latest).order_by("-pk").values_list("term_id", flat=True)
        ranked += [pk for pk in linking_terms if pk not in ranked]
    ranked = ranked[:limit]
    terms = terms_with_names().in_bulk(ranked)
    return [terms[pk] for pk in ranked if pk in terms]

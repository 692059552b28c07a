"""Reads from the term base."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import translation
from django.utils.translation import gettext

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


def term_link_resolver(*, language: str, slugs: Iterable[str]) -> Callable[[str], TermLink | None]:
    """Build the link resolver for one language version, with one query for all its link targets."""
    terms = {term.slug: term for term in Term.objects.filter(slug__in=set(slugs)).select_related("article")}
    with translation.override(language):
        no_article = gettext("No article yet")
        not_in_language = gettext("No article in %(language)s yet; available in other languages") % {
            "language": language_name(language)
        }
        links = {}
        for slug, term in terms.items():
            article = getattr(term, "article", None)
            if article is not None and article.has_language(language):
                links[slug] = TermLink(href=term.get_absolute_url(language), missing=False)
            else:
                has_other = article is not None and bool(article.available_languages())
                links[slug] = TermLink(
                    href=term.get_absolute_url(language),
                    missing=True,
                    title=not_in_language if has_other else no_article,
                )
    return links.get


def term_names_by_language(term: Term, *, exclude: str) -> list[tuple[str, str, DisplayName]]:
    """Return (code, autonym, best name) for every other language that has a name for the term."""
    result = []
    for code in language_codes():
        if code == exclude:
            continue
        name = term_display_name(term, language=code)
        if name.language == code:
            result.append((code, language_name(code), name))
    return result


def term_has_language(term: Term, language: str) -> bool:
    """Say whether the term has a name or an article in `language`."""
    article = getattr(term, "article", None)
    return any(name.language == language for name in term.names.all()) or bool(
        article and article.has_language(language)
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
    """Return the names under one index letter, in the language's alphabetical order, with their terms."""
    return (
        TermName.objects.filter(language=language, index_label=letter)
        .select_related("term")
        .order_by("sort_key", "name")
    )


def related_terms(term: Term, *, language: str) -> list[Term]:
    """Terms linked from the same articles, terms this term's article links to, and terms whose article links here."""
    from articles.models import ArticleLink

    linking_articles = ArticleLink.objects.filter(term=term, language=language).values("article")
    own_article = ArticleLink.objects.filter(article__term=term, language=language).values("term")
    related = (
        terms_with_names()
        .filter(
            Q(mentions__article__in=linking_articles, mentions__language=language)
            | Q(pk__in=own_article)
            | Q(article__in=linking_articles)
        )
        .exclude(pk=term.pk)
        .distinct()
        .order_by("slug")
    )
    return list(related)

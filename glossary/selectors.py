"""Reads from the term base."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Prefetch
from django.utils.translation import get_language

from core.languages import language_codes, language_name
from glossary.collation import index_labels
from glossary.models import Term, TermName, TermRedirect, term_url

# What choosing a term's display name reads of each of its names.
NAME_FIELDS = ("term_id", "language", "name", "status", "confirmed")


@dataclass(frozen=True)
class DisplayName:
    """The name to show for a term in a page language; `language` differs when none is known in that one."""

    name: str
    language: str
    confirmed: bool


def term_display_name(term: Term, *, language: str) -> DisplayName:
    """Pick the best name: confirmed before unconfirmed, preferred before others, page language before any."""
    return display_name(term.names.all(), slug=term.slug, language=language)


def display_name(names: Iterable, *, slug: str, language: str) -> DisplayName:
    """The choice `term_display_name` makes, among TermNames or rows with their language, name, status, confirmed."""
    ranked = sorted(names, key=_name_rank)
    for name in ranked:
        if name.language == language:
            return DisplayName(name.name, name.language, name.confirmed)
    for code in language_codes():
        for name in ranked:
            if name.language == code:
                return DisplayName(name.name, name.language, name.confirmed)
    return DisplayName(slug.replace("-", " "), "", False)


@dataclass(frozen=True)
class NamedTerm:
    """A term as a list of links shows it: its slug and the name it goes by, read as plain rows."""

    slug: str
    name: DisplayName

    def get_absolute_url(self, language: str | None = None) -> str:
        return term_url(self.slug, language=language or get_language())


class _Name(NamedTuple):
    language: str
    name: str
    status: str
    confirmed: bool


def named_terms(term_ids: Iterable[int], *, language: str) -> dict[int, NamedTerm]:
    """The terms by id with the name each goes by in `language`: one query of plain rows, no model instances.

    Each term's row joined with each of its names (or with none): every term page lists twenty such terms, and a
    second query cost as much as the first.
    """
    slugs: dict[int, str] = {}
    names: dict[int, list[_Name]] = {}
    fields = [f"names__{field}" for field in NAME_FIELDS if field != "term_id"]
    for pk, slug, *name in Term.objects.filter(pk__in=set(term_ids)).order_by().values_list("pk", "slug", *fields):
        slugs[pk] = slug
        names.setdefault(pk, [])
        if name[0] is not None:  # a term with no name at all
            names[pk].append(_Name(*name))
    return {pk: NamedTerm(slug, display_name(names[pk], slug=slug, language=language)) for pk, slug in slugs.items()}


def names_by_term(term_ids: Iterable[int], *, language: str | None = None) -> dict[int, list]:
    """The names of these terms (in `language` only, if given) as plain rows of NAME_FIELDS, by term: one query."""
    ids = set(term_ids)
    rows = TermName.objects.filter(term_id__in=ids)
    if language is not None:
        rows = rows.filter(language=language)
    names: dict[int, list] = {pk: [] for pk in ids}
    for row in rows.values_list(*NAME_FIELDS, named=True):
        names[row.term_id].append(row)
    return names


def _name_rank(name) -> tuple:
    """Rank a TermName, or a row with its confirmed, status and name."""
    status_order = [TermName.Status.PREFERRED, TermName.Status.ADMITTED, TermName.Status.DEPRECATED]
    return (not name.confirmed, status_order.index(name.status), name.name)


def terms_with_names():
    return Term.objects.prefetch_related(Prefetch("names", queryset=TermName.objects.order_by()))


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
    """Return the names under one index letter, in the language's alphabetical order, as plain rows.

    Each row has term_id, term__slug, name, status and confirmed: a page lists 200 of them, and model instances
    (each name with its term) cost more than the rest of the page.
    """
    return (
        TermName.objects.filter(language=language, index_label=letter)
        .order_by("sort_key", "name")
        .values_list("term_id", "term__slug", "name", "status", "confirmed", named=True)
    )


def display_names_in(term_ids: Iterable[int], *, language: str) -> dict[int, DisplayName]:
    """Return the name each term goes by in `language`, for terms that have a name there (one query, plain rows).

    The choice `term_display_name` makes, whose first choice is always a name in the page's language.
    """
    names = names_by_term(term_ids, language=language)
    return {pk: display_name(rows, slug="", language=language) for pk, rows in names.items() if rows}


def term_merged_into(slug: str) -> Term | None:
    """Return the term a merged term's slug leads to, or None if `slug` never named a merged term."""
    redirect = TermRedirect.objects.filter(old_slug=slug).select_related("term").first()
    return redirect.term if redirect is not None else None

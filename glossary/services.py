"""Writes to the term base."""

from collections.abc import Iterable

from glossary.models import Term, TermName
from markup.render import LinkRef


def terms_ensure(*, slugs: Iterable[str]) -> dict[str, Term]:
    """Return the terms for `slugs`, creating the ones that do not exist yet."""
    wanted = set(slugs)
    terms = {term.slug: term for term in Term.objects.filter(slug__in=wanted)}
    missing = [Term(slug=slug) for slug in sorted(wanted - terms.keys())]
    if missing:
        Term.objects.bulk_create(missing)
        terms.update({term.slug: term for term in Term.objects.filter(slug__in=[t.slug for t in missing])})
    return terms


def term_names_harvest(*, language: str, links: Iterable[LinkRef], terms: dict[str, Term]) -> int:
    """Record link texts as unconfirmed names of their terms; return how many names were new."""
    candidates = {(link.target, link.text) for link in links if link.text}
    existing = set(
        TermName.objects.filter(term__slug__in={slug for slug, _ in candidates}, language=language).values_list(
            "term__slug", "name"
        )
    )
    new = [
        TermName(
            term=terms[slug],
            language=language,
            name=name[: TermName._meta.get_field("name").max_length],
            origin=TermName.Origin.LINK_TEXT,
            confirmed=False,
        )
        for slug, name in sorted(candidates - existing)
    ]
    for name in new:
        name.set_index_fields()  # bulk_create does not call save()
    TermName.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def term_title_name_set(*, term: Term, language: str, title: str) -> None:
    """Make an article's title the preferred, confirmed name of its term in that language."""
    if not title:
        return
    name, _created = TermName.objects.get_or_create(
        term=term,
        language=language,
        name=title,
        defaults={"origin": TermName.Origin.TITLE, "confirmed": True, "status": TermName.Status.PREFERRED},
    )
    if name.origin == TermName.Origin.LINK_TEXT and not name.confirmed:
        name.origin, name.confirmed, name.status = TermName.Origin.TITLE, True, TermName.Status.PREFERRED
        name.save(update_fields=["origin", "confirmed", "status"])

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
    """Make an article's title the preferred, confirmed name of its term in that language.

    The term keeps its first title as an admitted name, so readers who knew it by that name still find it; a
    title that replaced the first one is the article's working title and is renamed in place when the title
    changes again, so successive edits of a title leave one former name, not one per save.
    """
    if not title:
        return
    names = TermName.objects.filter(term=term, language=language)
    current = names.filter(origin=TermName.Origin.TITLE, status=TermName.Status.PREFERRED).first()
    if current is not None and current.name == title:
        return
    existing = names.filter(name=title).first()
    renamed = current is not None
    if renamed and current != names.filter(origin=TermName.Origin.TITLE).order_by("pk").first():
        if existing is None:
            current.name = title
            current.save()
            return
        current.delete()  # the title went back to a name the term already has
    if existing is None:
        TermName.objects.create(
            term=term,
            language=language,
            name=title,
            origin=TermName.Origin.TITLE,
            confirmed=True,
            status=TermName.Status.PREFERRED,
        )
    elif renamed or (existing.origin == TermName.Origin.LINK_TEXT and not existing.confirmed):
        # A name an editor ranked stays as they ranked it while the title stays the same.
        if existing.origin == TermName.Origin.LINK_TEXT:
            existing.origin = TermName.Origin.TITLE
        existing.confirmed, existing.status = True, TermName.Status.PREFERRED
        existing.save()

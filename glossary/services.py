"""Writes to the term base.

Every writer of terms and names (the term admin, bulk actions, article writes harvesting link texts and titles)
goes through these functions. Those that stand alone open their own transaction and move the page cache's content
generation on inside it (core.generation.content_changed); the helpers article writes call run inside the article's
write, which has done so already.
"""

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db import transaction
from modeltranslation.utils import build_localized_fieldname

from core.generation import content_changed
from glossary.models import Term, TermName, TermRedirect
from markup.headwords import clean_headword
from markup.render import LinkRef


def term_save(*, term: Term, definitions: dict[str, str], slug: str | None = None) -> Term:
    """Create `term` or write its changed definitions (language -> text) and slug, under a lock."""
    with transaction.atomic():
        content_changed(topics=[f"term:{term.pk}" if term.pk is not None else f"term-slug:{slug or term.slug}"])
        if term.pk is not None:
            term = Term.objects.select_for_update().get(pk=term.pk)
        for language, text in definitions.items():
            setattr(term, build_localized_fieldname("definition", language), text)
        if slug is not None:
            term.slug = slug
        term.save()
    return term


def terms_delete(*, term_ids: Iterable[int]) -> None:
    term_ids = list(term_ids)
    with transaction.atomic():
        content_changed(topics=[f"term:{pk}" for pk in term_ids])
        Term.objects.filter(pk__in=term_ids).delete()


def term_name_save(*, name: TermName) -> TermName:
    """Create or change one name of a term (its sort key, index letter and folded form are computed on save)."""
    with transaction.atomic():
        content_changed(topics=[f"term:{name.term_id}"])
        name.save()
    return name


def term_names_delete(*, names: Iterable[TermName]) -> None:
    names = list(names)
    with transaction.atomic():
        content_changed(topics=[f"term:{term_id}" for term_id in {name.term_id for name in names}])
        TermName.objects.filter(pk__in=[name.pk for name in names]).delete()


def term_names_confirm(*, names) -> int:
    """Mark the given names (a queryset) confirmed; return how many."""
    with transaction.atomic():
        content_changed(topics=[f"term:{term_id}" for term_id in set(names.values_list("term_id", flat=True))])
        return names.update(confirmed=True)


def term_name_rename(*, name: TermName, new: str) -> TermName:
    """Give an unconfirmed name its right spelling and confirm it; if the term already has that name, keep that one."""
    with transaction.atomic():
        content_changed(topics=[f"term:{name.term_id}"])
        existing = TermName.objects.filter(term_id=name.term_id, language=name.language, name=new).first()
        if existing is not None:
            name.delete()
            existing.confirmed = True
            existing.save()
            return existing
        name.name, name.confirmed, name.origin = new, True, TermName.Origin.EDITOR
        name.save()
        return name


def terms_ensure(*, slugs: Iterable[str]) -> dict[str, Term]:
    """Return the terms for `slugs` (a merged term's slug gives the term it was merged into), creating the others."""
    wanted = set(slugs)
    terms = {term.slug: term for term in Term.objects.filter(slug__in=wanted)}
    if wanted - terms.keys():
        redirects = TermRedirect.objects.filter(old_slug__in=wanted - terms.keys()).select_related("term")
        terms.update({redirect.old_slug: redirect.term for redirect in redirects})
    # bulk_create sets the new rows' ids on PostgreSQL and SQLite (RETURNING), so they need no second read.
    terms.update(
        {
            term.slug: term
            for term in Term.objects.bulk_create(Term(slug=slug) for slug in sorted(wanted - terms.keys()))
        }
    )
    return terms


def term_names_harvest(*, links: Mapping[str, Iterable[LinkRef]], terms: dict[str, Term]) -> int:
    """Record link texts, cleaned of articles and particles, as unconfirmed names of their terms; return how many
    names were new. `links` are the links of each language; one query reads the names they may repeat."""
    candidates = {
        language: {(link.target, clean_headword(link.text, language=language)) for link in found if link.text}
        for language, found in links.items()
    }
    slugs = {slug for pairs in candidates.values() for slug, _name in pairs}
    existing = set(
        TermName.objects.filter(term__slug__in=slugs, language__in=candidates).values_list(
            "language", "term__slug", "name"
        )
    )
    limit = TermName._meta.get_field("name").max_length
    new = [
        TermName(
            term=terms[slug],
            language=language,
            name=name[:limit],
            origin=TermName.Origin.LINK_TEXT,
            confirmed=False,
        )
        for language, pairs in candidates.items()
        for slug, name in sorted(pairs)
        if (language, slug, name) not in existing
    ]
    for name in new:
        name.set_index_fields()  # bulk_create does not call save()
    TermName.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def term_title_names_set(*, term: Term, titles: Mapping[str, str]) -> None:
    """Make an article's title in each language (language -> title) the preferred, confirmed name of its term there.

    The term keeps its first title as an admitted name, so readers who knew it by that name still find it; a
    title that replaced the first one is the article's working title and is renamed in place when the title
    changes again, so successive edits of a title leave one former name, not one per save. One query reads the
    term's names in those languages; new titles are written together.
    """
    titles = {language: title for language, title in titles.items() if title}
    if not titles:
        return
    names: dict[str, list[TermName]] = {language: [] for language in titles}
    for name in TermName.objects.filter(term=term, language__in=titles):  # in the model's order, as .first() reads
        names[name.language].append(name)
    new = [
        name
        for language, title in titles.items()
        if (name := _title_name_set(term, language, title, names[language])) is not None
    ]
    if not new:
        return
    for name in new:
        name.set_index_fields()  # bulk_create does not call save()
    TermName.objects.bulk_create(new)
    # One preferred name per term and language, as TermName.save keeps it for one name.
    TermName.objects.filter(
        term=term, language__in=[name.language for name in new], status=TermName.Status.PREFERRED
    ).exclude(pk__in=[name.pk for name in new]).update(status=TermName.Status.ADMITTED)


def _title_name_set(term: Term, language: str, title: str, names: list[TermName]) -> TermName | None:
    """Make `title` the preferred name among the term's `names` in `language`; return the name to create, if any."""
    titles = [name for name in names if name.origin == TermName.Origin.TITLE]
    current = next((name for name in titles if name.status == TermName.Status.PREFERRED), None)
    if current is not None and current.name == title:
        return None
    existing = next((name for name in names if name.name == title), None)
    renamed = current is not None
    if renamed and current.pk != min(name.pk for name in titles):
        if existing is None:
            current.name = title
            current.save()
            return None
        current.delete()  # the title went back to a name the term already has
    if existing is None:
        return TermName(
            term=term,
            language=language,
            name=title,
            origin=TermName.Origin.TITLE,
            confirmed=True,
            status=TermName.Status.PREFERRED,
        )
    if renamed or (existing.origin == TermName.Origin.LINK_TEXT and not existing.confirmed):
        # A name an editor ranked stays as they ranked it while the title stays the same.
        if existing.origin == TermName.Origin.LINK_TEXT:
            existing.origin = TermName.Origin.TITLE
        existing.confirmed, existing.status = True, TermName.Status.PREFERRED
        existing.save()
    return None


def terms_merge(*, survivor: Term, merged: Term, by: str = "") -> TermRedirect:
    """Merge `merged` into `survivor`: its names move (one of each), its slug and former slugs redirect, it goes.

    Runs inside the caller's transaction (articles.services.terms_merge moves the articles' side first).
    """
    if survivor.pk == merged.pk:
        raise ValueError("a term cannot be merged into itself")
    kept = set(TermName.objects.filter(term=survivor).values_list("language", "name"))
    preferred = set(
        TermName.objects.filter(term=survivor, status=TermName.Status.PREFERRED).values_list("language", flat=True)
    )
    for name in TermName.objects.filter(term=merged).order_by("pk"):
        if (name.language, name.name) in kept:
            continue
        if name.status == TermName.Status.PREFERRED and name.language in preferred:
            name.status = TermName.Status.ADMITTED  # the survivor's name stays the one readers see
        name.term = survivor
        name.save()
        kept.add((name.language, name.name))
    for language, _name in settings.LANGUAGES:
        column = build_localized_fieldname("definition", language)
        if not getattr(survivor, column) and getattr(merged, column):
            setattr(survivor, column, getattr(merged, column))
    survivor.save()
    TermRedirect.objects.filter(term=merged).update(term=survivor)
    redirect = TermRedirect.objects.create(old_slug=merged.slug, term=survivor, merged_by=by)
    merged.delete()
    return redirect

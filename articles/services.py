"""Writes to articles: rendering on save and importing source files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import reversion
from django.db import transaction

from articles.images import article_image_resolver, article_images_sync
from articles.models import SOURCE_FIELDS, Article, ArticleLink
from articles.sources import SOURCE_SUFFIX, SourceFile, SourceImage, read_article_files
from glossary.languages import language_codes
from glossary.models import Term
from glossary.selectors import term_link_resolver
from glossary.services import term_names_harvest, term_title_name_set, terms_ensure
from markup.document import Document, DocumentError, compose_document, parse_document, plain_text
from markup.findings import Finding
from markup.qa import Version, check_version
from markup.render import find_term_links, render_markdown

MARKUP_CODE_PREFIX = "markup."


def article_document(article: Article, language: str) -> Document:
    """Return a language version as the file it would be exported to (line numbers of findings refer to it)."""
    meta = {name: article.value(name, language) or "" for name in ("keywords", "title", "description")}
    original = article.value("imported_source", language) or ""
    text = compose_document(original=original, meta=meta, body=article.value("body", language) or "")
    return parse_document(text, name=f"{article.slug}/{language}{SOURCE_SUFFIX}")


def _version(article: Article, language: str) -> Version | None:
    if not article.has_language(language):
        return None
    document = article_document(article, language)
    return Version(
        language=language,
        title=document.title,
        description=document.description,
        keywords=document.keywords,
        body=document.body,
        body_line=document.body_line,
        meta_lines=document.meta_lines,
    )


def article_render(*, article: Article, languages: Iterable[str]) -> None:
    """Store HTML, plain text, contents and findings of the given language versions (not saved here)."""
    languages = list(languages)
    resolvers = {
        language: term_link_resolver(language=language, slugs=_link_targets(article, language))
        for language in languages
    }
    resolve_image = article_image_resolver(article)
    for language in languages:
        _render_language(article, language, resolve_link=resolvers[language], resolve_image=resolve_image)
    others = [code for code in language_codes() if code not in languages]
    if article.source_language in languages:
        # A changed source changes every cross-language finding, not the HTML of the other languages.
        for language in others:
            _store_findings(article, language, rendered_findings=_markup_findings(article, language))


def _link_targets(article: Article, language: str) -> set[str]:
    return {link.target for link in find_term_links(article.value("body", language) or "")}


def _render_language(article: Article, language: str, *, resolve_link, resolve_image) -> None:
    version = _version(article, language)
    if version is None:
        for name, empty in (("display_title", ""), ("display_description", ""), ("body_html", "")):
            article.set_value(name, language, empty)
        article.set_value("body_text", language, "")
        article.set_value("toc", language, [])
        article.set_value("findings", language, [])
        return
    display_title = plain_text(version.title)
    rendered = render_markdown(
        version.body,
        resolve_link=resolve_link,
        resolve_image=resolve_image,
        title=display_title,
        first_line=version.body_line,
    )
    article.set_value("display_title", language, display_title)
    article.set_value("display_description", language, plain_text(version.description))
    article.set_value("body_html", language, rendered.html)
    article.set_value("body_text", language, rendered.text)
    article.set_value("toc", language, [{"level": e.level, "id": e.id, "title": e.title} for e in rendered.toc])
    _store_findings(article, language, rendered_findings=rendered.findings)


def _markup_findings(article: Article, language: str) -> list[Finding]:
    """Return the stored findings the renderer made; they depend on this version alone."""
    return [f for f in article.language_findings(language) if f.code.startswith(MARKUP_CODE_PREFIX)]


def _qa_findings(article: Article, language: str) -> list[Finding]:
    version = _version(article, language)
    if version is None:
        return []
    source = None if language == article.source_language else _version(article, article.source_language)
    return [*article_document(article, language).findings, *check_version(version, source=source)]


def _store_findings(article: Article, language: str, *, rendered_findings: list[Finding]) -> None:
    unique = {}
    for finding in [*rendered_findings, *_qa_findings(article, language)]:
        unique.setdefault((finding.code, finding.line, finding.column), finding)
    ordered = sorted((replace(f, language=language) for f in unique.values()), key=lambda f: (f.line, f.column, f.code))
    article.set_value("findings", language, [finding.to_dict() for finding in ordered])


def article_links_sync(*, article: Article, language: str) -> None:
    """Record which terms this language version links to, creating terms and harvesting link texts as names."""
    links = find_term_links(article.value("body", language) or "")
    terms = terms_ensure(slugs={link.target for link in links})
    term_names_harvest(language=language, links=links, terms=terms)
    ArticleLink.objects.filter(article=article, language=language).exclude(term__slug__in=terms).delete()
    ArticleLink.objects.bulk_create(
        [ArticleLink(article=article, term=term, language=language) for term in terms.values()],
        ignore_conflicts=True,
    )


def article_languages_refresh(*, article: Article, languages: Iterable[str]) -> None:
    """After the source fields of `languages` changed: update terms and links, render, and save."""
    languages = list(languages)
    if article.pk is None:
        article.save()
    for language in languages:
        article_links_sync(article=article, language=language)
        title = plain_text(article.value("title", language) or "")
        term_title_name_set(term=article.term, language=language, title=title)
    article_render(article=article, languages=languages)
    article.save()


def articles_linking_refresh(*, terms: Iterable[Term], language: str, exclude: Iterable[int] = ()) -> int:
    """Re-render the articles whose `language` version links to `terms` (their link marks may have changed)."""
    articles = (
        Article.objects.filter(links__term__in=list(terms), links__language=language)
        .exclude(pk__in=list(exclude))
        .distinct()
    )
    count = 0
    for article in articles:
        article_render(article=article, languages=[language])
        article.save()
        count += 1
    return count


# Editing --------------------------------------------------------------------------------------------------


class ArticleConflict(Exception):
    """Someone saved the article after the editor opened it."""

    def __init__(self, current: Article):
        self.current = current
        super().__init__(f"{current.slug} was saved by someone else (now version {current.version})")


def article_save(
    *,
    article: Article,
    expected_version: int,
    up_to_date: Iterable[str] = (),
    drafts: Iterable[str] | None = None,
    force_languages: Iterable[str] = (),
    previous: Article | None = None,
) -> list[str]:
    """Save an editor's change to `article` (new values already set on it); return the languages re-rendered.

    Refuses with ArticleConflict when the stored version is no longer the one the editor started from. `previous`
    is the article as it was before a revert wrote an old revision over it (`force_languages` are the languages
    reverted): changes, outdated marks and availability are then measured against it.
    """
    stored = Article.objects.select_for_update().get(pk=article.pk)
    if stored.version != expected_version:
        raise ArticleConflict(stored)
    base = stored if previous is None else previous
    force_languages = set(force_languages)
    changed = [
        language
        for language in language_codes()
        if language in force_languages
        or any(article.value(name, language) != base.value(name, language) for name in SOURCE_FIELDS)
    ]
    source = article.source_language
    reverted_source_revision = article.source_revision
    # The number only grows (a revert to old text is a new source revision too), so each number names one text.
    source_changed = any(article.value(name, source) != base.value(name, source) for name in ("title", "body"))
    article.source_revision = base.source_revision + 1 if source_changed else base.source_revision
    synced = dict(base.synced_revisions)
    if previous is not None:
        synced.update(_reverted_sync(article, languages=force_languages, reverted_revision=reverted_source_revision))
    for language in changed:
        if not base.has_text(language) and language != source:
            synced[language] = base.source_revision  # a new translation starts from the source it was made from
    for language in up_to_date:
        synced[language] = article.source_revision
    article.synced_revisions = synced
    if drafts is not None:
        article.draft_languages = sorted(set(drafts))
    availability = [
        language for language in language_codes() if article.has_language(language) != base.has_language(language)
    ]
    article.version = stored.version + 1
    article_languages_refresh(article=article, languages=changed)
    for language in availability:
        articles_linking_refresh(terms=[article.term], language=language, exclude=[article.pk])
    return changed


def _reverted_sync(article: Article, *, languages: set[str], reverted_revision: int) -> dict[str, int]:
    """Return the source revision each reverted translation is up to date with, from the revision's own marks."""
    source = article.source_language
    synced = {}
    for language in languages - {source}:
        was = article.synced_revisions.get(language, reverted_revision)
        # Up to date in that revision, and the source came back with it: up to date with the restored source.
        synced[language] = article.source_revision if source in languages and was >= reverted_revision else was
    return synced


# Import ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """A field an editor changed since the last import while the file changed it too; the editor's text was kept."""

    slug: str
    language: str
    field: str
    file: str


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    kept_edits: list[Conflict] = field(default_factory=list)
    invalid: list[DocumentError] = field(default_factory=list)  # files skipped because of these problems
    ignored: list[DocumentError] = field(default_factory=list)  # languages not served, files beside the folders
    images_changed: list[str] = field(default_factory=list)  # slugs of articles whose img/ folder changed

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.images_changed)


class ArticleImportError(Exception):
    """Bad input: every problem found, each naming its file (and line); nothing was written."""

    def __init__(self, errors: list[DocumentError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


def import_articles(*, path: Path, skip_invalid: bool = False) -> ImportReport:
    """Load every article folder below `path`, never over an editor's change.

    All or nothing unless `skip_invalid`, which imports every valid file and lists the others in the report.
    """
    folder = read_article_files(path)
    if folder.errors and not (skip_invalid and folder.files):
        raise ArticleImportError(folder.errors)
    report = ImportReport(invalid=folder.errors, ignored=folder.ignored)
    images: dict[str, list[SourceImage]] = {}
    for image in folder.images:
        images.setdefault(image.slug, []).append(image)
    with transaction.atomic():
        by_slug: dict[str, list[SourceFile]] = {}
        for source in folder.files:
            by_slug.setdefault(source.slug, []).append(source)
        terms = terms_ensure(slugs=by_slug)
        newly_available: dict[str, list[Term]] = {}
        rendered_pks = set()
        for slug, sources in by_slug.items():
            article, _created = Article.objects.get_or_create(slug=slug, defaults={"term": terms[slug]})
            present = folder.image_paths.get(slug, set())
            images_changed = article_images_sync(article=article, images=images.get(slug, []), present=present)
            if images_changed:
                report.images_changed.append(slug)
            changed = []
            for source in sources:
                was_available = article.has_language(source.language)
                label = f"{slug}/{source.language}"
                outcome = _apply_source(article, source, report)
                if outcome == "unchanged":
                    report.unchanged.append(label)
                    continue
                (report.created if outcome == "created" else report.updated).append(label)
                changed.append(source.language)
                if not was_available and article.has_language(source.language):
                    newly_available.setdefault(source.language, []).append(article.term)
            if changed:
                _import_revisions(article, changed)
                with reversion.create_revision():
                    reversion.set_comment(f"Imported {', '.join(changed)} from files")
                    article_languages_refresh(article=article, languages=changed)
                rendered_pks.add(article.pk)
            unrendered = [code for code in language_codes() if article.has_text(code) and code not in changed]
            if images_changed and unrendered:
                # An image added or removed changes what its versions show, though their text did not change.
                article_render(article=article, languages=unrendered)
                article.save()
                rendered_pks.add(article.pk)
        for language, available_terms in newly_available.items():
            articles_linking_refresh(terms=available_terms, language=language, exclude=rendered_pks)
    return report


def _import_revisions(article: Article, changed: list[str]) -> None:
    """A new source marks the translations outdated, unless their files came in the same import."""
    if article.source_language in changed and article.pk and Article.objects.filter(pk=article.pk).exists():
        stored = Article.objects.get(pk=article.pk)
        if any(
            article.value(n, article.source_language) != stored.value(n, article.source_language)
            for n in ("title", "body")
        ):
            article.source_revision = stored.source_revision + 1
    article.synced_revisions = {
        **article.synced_revisions,
        **{language: article.source_revision for language in changed if language != article.source_language},
    }


def _apply_source(article: Article, source: SourceFile, report: ImportReport) -> str:
    """Merge one file into its language columns; return 'created', 'updated' or 'unchanged'."""
    language, document = source.language, source.document
    previous = article.value("imported_source", language) or ""
    if not previous and not article.has_language(language):
        for name in ("title", "description", "keywords"):
            article.set_value(name, language, document.value(name))
        article.set_value("body", language, document.body)
        article.set_value("imported_source", language, document.text)
        return "created"
    base = parse_document(previous, name="previous import") if previous else None
    changed = False
    for name in ("title", "description", "keywords", "body"):
        current = article.value(name, language) or ""
        incoming = document.body if name == "body" else document.value(name)
        if current == incoming:
            continue
        imported = None if base is None else (base.body if name == "body" else base.value(name))
        if imported is None or current == imported:
            article.set_value(name, language, incoming)
            changed = True
        else:
            conflict = Conflict(article.slug, language, name, document_name(source))
            (report.conflicts if incoming != imported else report.kept_edits).append(conflict)
    if previous != document.text:
        article.set_value("imported_source", language, document.text)
        changed = True
    return "updated" if changed else "unchanged"


def document_name(source: SourceFile) -> str:
    return f"{source.slug}/{source.language}{SOURCE_SUFFIX}"

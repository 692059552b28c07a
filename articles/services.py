"""Writes to articles: the one write service every writer calls, rendering on write, and importing files."""

from __future__ import annotations

import copy
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache, reduce
from operator import or_
from pathlib import Path

import reversion
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from articles.images import article_image_resolver, article_images_sync
from articles.import_ahead import FilesReadAhead, read_ahead_worth_it
from articles.models import SOURCE_FIELDS, Article, ArticleLink, ArticleVersion
from articles.pages import article_pages_render
from articles.reviews import article_reviews_refresh
from articles.search_index import (
    article_search_texts_set,
    search_index_merge,
    search_statistics_refresh,
    search_words_shrink,
)
from articles.selectors import term_links, term_links_by_language
from articles.sources import SOURCE_SUFFIX, SourceFile, SourceImage, article_folders
from core.generation import content_changed
from core.languages import language_codes
from glossary.models import Term
from glossary.services import term_names_harvest, term_title_names_set, terms_ensure, terms_merge
from markup.ahead import note_link_resolutions
from markup.document import Document, DocumentError, compose_document, parse_document, plain_text
from markup.findings import Finding
from markup.merge import BlockConflict, merge_blocks, resolve
from markup.qa import Version, check_version, document_version
from markup.render import find_term_links, render_markdown
from markup.usage import usage_sentences

MARKUP_CODE_PREFIX = "markup."
# What the write service writes of an ArticleVersion row (all but its key and article).
VERSION_COLUMNS = [f.name for f in ArticleVersion._meta.concrete_fields if f.name not in ("id", "article")]


def article_document(article: Article, language: str) -> Document:
    """Return a language version as the file it would be exported to (line numbers of findings refer to it)."""
    fields = [article.value(name, language) or "" for name in ("imported_source", "keywords", "title", "description")]
    return _file_document(f"{article.slug}/{language}{SOURCE_SUFFIX}", *fields, article.value("body", language) or "")


# A save reads each version's file several times (render, QA, the source beside each translation): the last few are
# kept, by everything they are made of.
@lru_cache(maxsize=16)
def _file_document(name: str, original: str, keywords: str, title: str, description: str, body: str) -> Document:
    meta = {"keywords": keywords, "title": title, "description": description}
    try:
        imported = parse_document(original, name=name) if original else None
    except DocumentError:
        imported = None
    if imported is not None and imported.body == body and all(imported.value(k) == v for k, v in meta.items()):
        return imported  # the file as imported, which compose_document gives back as it is
    return parse_document(compose_document(original=original, meta=meta, body=body), name=name)


def _version(article: Article, language: str) -> Version | None:
    if not article.has_language(language):
        return None
    return document_version(article_document(article, language), language=language)


def article_render(*, article: Article, languages: Iterable[str]) -> None:
    """Store HTML, plain text, contents and findings of the given language versions (not saved here)."""
    languages = list(languages)
    if not languages:
        return
    source = article.source_language
    targets = {code: _link_targets(article, code) for code in language_codes()}
    # QA compares each version with the source, and a new source with every version: each resolver also reads the
    # targets QA compares, so the merged terms' slugs (for QA) come with the link targets, in the same query.
    compared = {code: targets[code] | targets[source] for code in languages}
    if source in languages:
        compared[source] = set().union(*targets.values())
    resolvers, merged = term_links_by_language(slugs=compared)
    # An import reading ahead renders the next articles' bodies with these where they link to the same targets.
    note_link_resolutions({code: {slug: resolvers[code](slug) for slug in compared[code]} for code in languages})
    resolve_image = article_image_resolver(article)
    for language in languages:
        _render_language(
            article, language, resolve_link=resolvers[language], resolve_image=resolve_image, merged=merged
        )
    if source in languages:
        # A changed source changes every cross-language finding, not the HTML of the other languages.
        for language in language_codes():
            if language not in languages:
                findings = _markup_findings(article, language)
                _store_findings(article, language, rendered_findings=findings, merged=merged)


def _link_targets(article: Article, language: str) -> set[str]:
    return {link.target for link in find_term_links(article.value("body", language) or "")}


def _render_language(article: Article, language: str, *, resolve_link, resolve_image, merged) -> None:
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
    _store_findings(article, language, rendered_findings=rendered.findings, merged=merged)


def _markup_findings(article: Article, language: str) -> list[Finding]:
    """Return the stored findings the renderer made; they depend on this version alone."""
    return [f for f in article.language_findings(language) if f.code.startswith(MARKUP_CODE_PREFIX)]


def _qa_findings(article: Article, language: str, merged: dict[str, str]) -> list[Finding]:
    version = _version(article, language)
    if version is None:
        return []
    source = None if language == article.source_language else _version(article, article.source_language)
    return [
        *article_document(article, language).findings,
        *check_version(version, source=source, merged_slugs=merged),
    ]


def _store_findings(
    article: Article, language: str, *, rendered_findings: list[Finding], merged: dict[str, str]
) -> None:
    unique = {}
    for finding in [*rendered_findings, *_qa_findings(article, language, merged)]:
        unique.setdefault((finding.code, finding.line, finding.column), finding)
    ordered = sorted((replace(f, language=language) for f in unique.values()), key=lambda f: (f.line, f.column, f.code))
    article.set_value("findings", language, [finding.to_dict() for finding in ordered])


def language_version_check(*, article: Article, language: str, fields: dict[str, str]) -> tuple[str, list[Finding]]:
    """Return the file text of a language version with `fields` (an editor's unsaved form) and its findings.

    Nothing is written: the same render and checks as a save run on a copy of the article.
    """
    draft = copy.copy(article)
    for name, value in fields.items():
        draft.set_value(name, language, value)
    slugs = _link_targets(draft, language) | _link_targets(draft, draft.source_language)
    resolve_link, merged = term_links(language=language, slugs=slugs)
    _render_language(
        draft, language, resolve_link=resolve_link, resolve_image=article_image_resolver(article), merged=merged
    )
    return article_document(draft, language).text, draft.language_findings(language)


def article_links_sync(*, article: Article, languages: Iterable[str], created: bool = False) -> None:
    """Record which terms these language versions link to, creating terms and harvesting link texts as names.

    The same few queries for any number of languages: the terms of all their links are read (or created) at once;
    an article `created` by this write has no links yet to delete.
    """
    links = {language: find_term_links(article.value("body", language) or "") for language in languages}
    if not links:
        return
    terms = terms_ensure(slugs={link.target for found in links.values() for link in found})
    term_names_harvest(links=links, terms=terms)
    linked = {language: {link.target: terms[link.target] for link in found} for language, found in links.items()}
    stale = reduce(
        or_,
        (Q(language=language) & ~Q(term__in=list(found.values())) for language, found in linked.items()),
    )
    if not created:
        ArticleLink.objects.filter(stale, article=article).delete()
    ArticleLink.objects.bulk_create(
        [
            ArticleLink(article=article, term=term, language=language)
            for language, found in linked.items()
            for term in found.values()
        ],
        ignore_conflicts=True,
    )
    for language, found in linked.items():
        _usages_store(article, language, found)


def _usages_store(article: Article, language: str, terms: dict[str, Term]) -> None:
    """Store the sentence around each term link of this version (term pages show them: the term in use).

    On the version's row (saved with it), not in a table of their own: a save writes no more rows for them.
    """
    body = (article.value("body", language) or "") if article.has_text(language) else ""
    row = article.version_row(language)
    row.usages = [
        {"term": terms[usage.target].pk, "sentence": usage.sentence, "start": usage.start, "end": usage.end}
        for usage in usage_sentences(body)
        if usage.target in terms
    ]


def _languages_refresh(*, article: Article, languages: list[str], titled: Iterable[str], created: bool) -> None:
    """After the source fields of `languages` changed: update terms, links and names, and render (not saved here).

    The term's name follows the title of the `titled` languages, those whose title was written.
    """
    article_links_sync(article=article, languages=languages, created=created)
    titles = {
        language: plain_text(article.value("title", language) or "") for language in languages if language in titled
    }
    term_title_names_set(term=article.term, titles=titles)
    article_render(article=article, languages=languages)


def _articles_linking_refresh(*, term: Term, languages: list[str], exclude: int) -> None:
    """Render again the version in each of `languages` of the articles linking to `term` (the link's mark changed).

    Only their ArticleVersion rows are written, never the article's own row, so an editor's text is never touched.
    One query finds them, in every language at once (usually none).
    """
    linking: dict[str, list[int]] = {}
    rows = ArticleLink.objects.filter(term=term, language__in=languages).exclude(article=exclude)
    for language, article_id in rows.values_list("language", "article_id"):
        linking.setdefault(language, []).append(article_id)
    for language in languages:
        if language not in linking:
            continue
        articles = (
            Article.objects.select_for_update().filter(pk__in=linking[language]).select_related("term").order_by("pk")
        )
        for article in articles:
            article_render(article=article, languages=[language])
            article_pages_render(article, languages=[language])
            article_search_texts_set(article, languages=[language])
            _version_rows_save(article)


def _version_rows_save(article: Article) -> None:
    """Save the article's ArticleVersion rows that changed (their flags are in the article's revision already).

    The search index follows the rows within the same statements (search_index.py).
    """
    new, changed = [], []
    for row in article.version_rows().values():
        if row.pk is None and not (row.draft or row.published or row.synced_source_revision or row.findings):
            continue  # a language never written nor flagged needs no row
        if row.changed():
            row.article, row.updated = article, timezone.now()
            (new if row.pk is None else changed).append(row)
    # One query each, however many languages changed (a source edit changes the findings of every translation).
    if new:
        _version_rows_insert(new)
    if changed:
        _version_rows_update(changed)
    for row in [*new, *changed]:
        row.mark_saved()


# What an insert of ArticleVersion rows writes: every column but the key, which the database numbers.
_INSERTED_FIELDS = [f for f in ArticleVersion._meta.concrete_fields if not f.primary_key]


def _version_rows_insert(rows: list[ArticleVersion]) -> None:
    """Insert new ArticleVersion rows in one statement, each value a parameter of its own, and set their ids.

    Not bulk_create: on PostgreSQL it sends each column of several rows as one array (`SELECT * FROM UNNEST(...)`),
    and psycopg escapes the quotes in an array's texts in Python, one regular-expression substitution each: the five
    stored pages of an article are mostly HTML attributes, and their insert cost the importing process 9 ms of CPU
    against 2.5 ms with plain parameters, which the driver quotes in C. The values are prepared as a save prepares
    them (`pre_save` sets `updated`); the ids come back in the order of the rows, as bulk_create relies on too.
    """
    quote = connection.ops.quote_name
    placeholders = "(" + ", ".join(["%s"] * len(_INSERTED_FIELDS)) + ")"
    sql = (
        f"INSERT INTO {quote(ArticleVersion._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in _INSERTED_FIELDS)}) VALUES {', '.join([placeholders] * len(rows))} "
        f"RETURNING {quote(ArticleVersion._meta.pk.column)}"
    )
    params = [f.get_db_prep_save(f.pre_save(row, add=True), connection) for row in rows for f in _INSERTED_FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = cursor.fetchall()
    for row, (pk,) in zip(rows, ids, strict=True):
        row.pk = pk
        row._state.adding, row._state.db = False, connection.alias


# What an update of ArticleVersion rows may write, in the order of the columns.
_UPDATED_FIELDS = [f for f in _INSERTED_FIELDS if f.name in VERSION_COLUMNS]


def _version_rows_update(rows: list[ArticleVersion]) -> None:
    """Write the changed columns of saved ArticleVersion rows, all rows in one UPDATE; a column no row changed is not
    sent, and a row keeps what it did not change (`ELSE column`), so its long texts are neither sent nor compressed
    again.

    Not bulk_update: it sets every column of every row, each value an expression Django composes and resolves
    (15 ms of the importing process's CPU for five rows, 5 for one, where this takes well under one).
    """
    quote = connection.ops.quote_name
    key = quote(ArticleVersion._meta.pk.column)
    values: dict[str, dict[int, object]] = {}  # attribute name -> row id -> value prepared for the database
    for row in rows:
        changed = row.changed_attributes()
        for f in _UPDATED_FIELDS:
            if changed is None or f.attname in changed or f.name == "updated":
                values.setdefault(f.attname, {})[row.pk] = f.get_db_prep_save(getattr(row, f.attname), connection)
    assignments, params = [], []
    for f in _UPDATED_FIELDS:
        if f.attname not in values:
            continue
        column = quote(f.column)
        cases = " ".join(["WHEN %s THEN %s"] * len(values[f.attname]))
        assignments.append(f"{column} = CASE {key} {cases} ELSE {column} END")
        params += [param for pk, value in values[f.attname].items() for param in (pk, value)]
    ids = [row.pk for row in rows]
    sql = (
        f"UPDATE {quote(ArticleVersion._meta.db_table)} SET {', '.join(assignments)} "
        f"WHERE {key} IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *ids])


# Writing: the one write service ---------------------------------------------------------------------------

# (field, language) -> text; the fields every language shares (slug, source language) have language SHARED.
SHARED = ""
SHARED_FIELDS = ("slug", "source_language")
Key = tuple[str, str]


@dataclass(frozen=True)
class FieldConflict:
    """A field someone else changed since the writer read it, to another text than the writer's."""

    field: str
    language: str
    base: str | None  # what the writer started from; None when unknown
    theirs: str  # what is stored now, and stays
    mine: str  # what the writer wanted
    # A body merged block by block: the blocks both changed, and the merged text (mine in those blocks).
    blocks: tuple[BlockConflict, ...] = ()
    merged: str = ""


@dataclass
class WriteResult:
    article: Article
    saved: bool
    conflicts: list[FieldConflict] = field(default_factory=list)
    applied: list[Key] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    # Bodies refused because the sanitiser would remove part of them: (field, language) -> the first such finding.
    refused: dict[Key, Finding] = field(default_factory=dict)
    missing: bool = False  # the article was deleted before this write: nothing was written


# What the sanitiser removes from a body; an editor's save with any of them is refused, the text kept in the form.
REMOVED_HTML_CODES = ("markup.unsafe-html", "markup.unsafe-link")


class _Refused(Exception):
    def __init__(self, refused: dict[Key, Finding]):
        self.refused = refused
        super().__init__("refused")


def _stored(article: Article, key: Key) -> str:
    name, language = key
    value = getattr(article, name) if language == SHARED else article.value(name, language)
    return value or ""


# Bodies are merged block by block (markup.merge); other fields are one unit each.
BLOCK_MERGED_FIELDS = ("body",)


def _merge(
    article: Article, changes: dict[Key, str], *, base: dict[Key, str] | None, version_seen: bool, keep_theirs: bool
) -> tuple[dict[Key, str], list[FieldConflict]]:
    """Decide field by field what to write: the writer's text, a merge, nothing, or a conflict.

    A field is applied when the writer read the stored version, when nobody changed it since the writer read it
    (`base` is what the writer read), or when the writer gives no base for it (a file never imported before). A
    field the writer did not change is left as stored. A body both changed is merged block by block with the base:
    blocks only one side changed are taken from that side, and only blocks both changed differently conflict. With
    `keep_theirs` (the import), those blocks keep the stored text and the rest of the merge is written. Any other
    field both changed differently is a conflict.
    """
    apply: dict[Key, str] = {}
    conflicts = []
    for key, mine in changes.items():
        mine = mine or ""
        theirs = _stored(article, key)
        if mine == theirs:
            continue
        loaded = None if base is None or key not in base else (base[key] or "")
        if loaded == mine:
            continue  # untouched by this writer: whatever is stored stays
        if version_seen or (base is not None and (loaded is None or loaded == theirs)):
            apply[key] = mine
        elif key[0] in BLOCK_MERGED_FIELDS and loaded is not None:
            merged = merge_blocks(base=loaded, mine=mine, theirs=theirs)
            if merged.clean:
                apply[key] = merged.text
                continue
            conflicts.append(
                FieldConflict(*key, loaded, theirs, mine, blocks=tuple(merged.conflicts), merged=merged.text)
            )
            if keep_theirs:
                kept = resolve(merged, choices={conflict.id: "theirs" for conflict in merged.conflicts})
                if kept != theirs:
                    apply[key] = kept
        else:
            conflicts.append(FieldConflict(*key, loaded, theirs, mine))
    return apply, conflicts


def article_write(
    *,
    article_id: int | None,
    changes: dict[Key, str],
    seen_version: int | None,
    source: str,
    base: dict[Key, str] | None = None,
    by=None,
    comment: str = "",
    drafts: dict[str, bool] | None = None,
    up_to_date: Iterable[str] = (),
    written_are_up_to_date: bool = False,
    keep_theirs: bool = False,
    rerender: Iterable[str] = (),
    refuse_removed_html: bool = False,
) -> WriteResult:
    """Write one article: lock, check the version the writer saw, merge or report, render once, write, invalidate.

    Every writer calls this: the admin form, a revert, an applied fix, the import, bulk actions and commands
    (`source` names which, for the history). `changes` maps (field, language) to the writer's text and `base` to the
    text the writer started from. On a conflict nothing is written and the conflicts come back, unless
    `keep_theirs` (the import): then the stored text of conflicting fields stays and the rest is written. `drafts`
    sets the draft flag of some languages; `up_to_date` marks translations up to date with the source, and
    `written_are_up_to_date` does so for every translation this write changes (files imported together). With
    `refuse_removed_html` (an editor's save), a changed body the sanitiser would cut is refused: nothing is written
    and the finding comes back, from the same render that would have been stored.
    """
    try:
        # reversion's block joins this transaction rather than opening a savepoint of its own.
        with transaction.atomic(), reversion.create_revision(atomic=False):
            # First: every writer locks the generation row before any other (no deadlocks).
            created = article_id is None
            topic = f"article-slug:{changes[('slug', SHARED)]}" if created else f"article:{article_id}"
            content_changed(topics=[topic])
            if created:
                article = _article_create(changes)
            else:
                article = Article.objects.select_for_update().select_related("term").filter(pk=article_id).first()
                if article is None:
                    transaction.set_rollback(True)
                    return WriteResult(Article(pk=article_id), saved=False, missing=True)
            version_seen = created or seen_version == article.version
            apply, conflicts = _merge(article, changes, base=base, version_seen=version_seen, keep_theirs=keep_theirs)
            if conflicts and not keep_theirs:
                transaction.set_rollback(True)
                return WriteResult(article, saved=False, conflicts=conflicts)
            was_published = set(article.published_languages)
            was_source_revision = article.source_revision
            had_text = {code: article.has_text(code) for code in language_codes()}
            changed = _apply(article, apply)
            if ("title", article.source_language) in apply or ("body", article.source_language) in apply:
                # The number only grows (a revert to old text is a new source revision too): each names one text.
                article.source_revision += 0 if created else 1
            synced = dict(article.synced_revisions)
            for language in changed:
                if language != article.source_language and not had_text[language]:
                    synced[language] = was_source_revision  # a new translation starts from the source it came from
                if written_are_up_to_date and language != article.source_language:
                    synced[language] = article.source_revision
            synced.update({language: article.source_revision for language in up_to_date})
            drafts_changed = _drafts_set(article, drafts or {})
            flags_changed = drafts_changed or synced != article.synced_revisions
            for language, revision in synced.items():
                article.version_row(language).synced_source_revision = revision
            _publication_set(article)
            availability = sorted(was_published ^ set(article.published_languages))
            to_render = [code for code in language_codes() if code in {*changed, *availability, *rerender}]
            if not (apply or flags_changed or to_render or created):
                transaction.set_rollback(True)
                return WriteResult(article, saved=False)
            article.version += 0 if created else 1
            titled = language_codes() if created else {language for name, language in apply if name == "title"}
            _languages_refresh(article=article, languages=to_render, titled=titled, created=created)
            if refuse_removed_html:
                _refuse_removed_html(article, [language for name, language in apply if name == "body"])
            dated = article.updated.date() if article.updated else None
            article.save()
            article_reviews_refresh(article=article, languages=[language for name, language in apply if name == "body"])
            # A page shows the article's languages, slug and date: when none changed, only the edited pages differ.
            shared_changed = any(language == SHARED for _name, language in apply)
            # A new source revision or a changed "up to date" flag changes the other languages' notices.
            source_changed = article.source_revision != was_source_revision
            only_edited = (
                not availability
                and not shared_changed
                and not source_changed
                and not flags_changed
                and dated == article.updated.date()
            )
            article_pages_render(article, languages=to_render if only_edited else None)
            article_search_texts_set(article, languages=to_render)
            _version_rows_save(article)
            if availability:
                _articles_linking_refresh(term=article.term, languages=availability, exclude=article.pk)
            if by is not None:
                reversion.set_user(by)
            if comment:
                reversion.set_comment(comment)
    except _Refused as refusal:  # raised inside the transaction, so everything the write did was rolled back
        article = Article.objects.get(pk=article_id) if article_id else Article()
        return WriteResult(article, saved=False, refused=refusal.refused)
    return WriteResult(article, saved=True, conflicts=conflicts, applied=list(apply), rendered=to_render)


def _apply(article: Article, apply: dict[Key, str]) -> list[str]:
    """Set the applied texts on `article`; return the languages whose text changed (all when a shared one did)."""
    had_text = {code: article.has_text(code) for code in language_codes()}
    for (name, language), text in apply.items():
        if language == SHARED:
            setattr(article, name, text)
        else:
            article.set_value(name, language, text or "")
    if any(language == SHARED for _name, language in apply):
        return [code for code in language_codes() if article.has_text(code) or had_text[code]]
    return [code for code in language_codes() if any(language == code for _name, language in apply)]


def _drafts_set(article: Article, drafts: dict[str, bool]) -> bool:
    """Set the draft flag of the given languages; say whether anything changed."""
    changed = False
    for language, on in drafts.items():
        if bool(on) != (language in article.draft_languages):
            article.version_row(language).draft = bool(on)
            changed = True
    return changed


def _publication_set(article: Article) -> None:
    """Mark published the languages readers can read: written and not a draft."""
    for code in language_codes():
        published = article.has_language(code)
        if published or code in article.version_rows():
            article.version_row(code).published = published


def _refuse_removed_html(article: Article, languages: list[str]) -> None:
    refused = {}
    for language in languages:
        removed = [f for f in article.language_findings(language) if f.code in REMOVED_HTML_CODES]
        if removed:
            # The field holds the body alone: count lines from its start, not from the top of the file.
            offset = article_document(article, language).body_line - 1
            refused[("body", language)] = replace(removed[0], line=removed[0].line - offset)
    if refused:
        raise _Refused(refused)


def articles_delete(*, article_ids: Iterable[int]) -> int:
    """Delete articles, their links and language versions (out of the search index too); return how many."""
    article_ids = list(article_ids)
    with transaction.atomic():
        content_changed(topics=[f"article:{pk}" for pk in article_ids])
        deleted, _by_model = Article.objects.filter(pk__in=article_ids).delete()
    return deleted


def _article_create(changes: dict[Key, str]) -> Article:
    slug = changes[("slug", SHARED)]
    source_language = changes.get(("source_language", SHARED)) or settings.LANGUAGE_CODE
    article = Article(slug=slug, term=terms_ensure(slugs=[slug])[slug], source_language=source_language)
    # Inserted without save()'s signals: django-reversion would serialise the empty article for the revision, which
    # the write's own save() at its end serialises again, whole (the one the revision keeps).
    Article.objects.bulk_create([article])
    article.set_version_rows([])  # none yet: no query for them
    return article


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


def import_articles(*, path: Path, skip_invalid: bool = False, read_ahead: bool | None = None) -> ImportReport:
    """Load every article folder below `path`, never over an editor's change.

    Input is all or nothing: one invalid file and nothing is written, unless `skip_invalid`, which imports every
    valid file and lists the others in the report. Each article is then written through `article_write` like any
    edit, in a transaction of its own: locked, merged field by field against the file last imported (a field an
    editor changed since then keeps the editor's text and is reported), version bumped. So an editor saving during
    a long import waits for one article, not for the whole import.

    The folder is read twice, one article folder at a time: first to check every file, then to write each article
    as it is read again, so memory holds one article (and the next), not the whole folder. A file that turned bad in
    between (an edit during the import) is reported as not imported, like any invalid file; the others are written.
    With `read_ahead` (by default when the folder has enough articles and the machine a second core), a second
    process parses and checks the next articles' files while one is written (articles.import_ahead): the same rows
    are stored, sooner where a core is idle. It starts as soon as the checking pass has counted enough articles, so
    its start-up overlaps the rest of that pass.
    """
    errors, valid_files, articles = [], 0, 0
    report = ImportReport()
    with FilesReadAhead(enabled=bool(read_ahead)) as ahead:
        for part in article_folders(path):
            errors.extend(part.errors)
            valid_files += len(part.files)
            articles += bool(part.files)
            if read_ahead is None and not ahead.started and read_ahead_worth_it(articles):
                ahead.start()  # during the checking pass, so that it is ready for the first article
        if errors and not (skip_invalid and valid_files):
            raise ArticleImportError(errors)
        # The same few statements for every article: bound on the server, PostgreSQL parses and plans them once.
        with _old_objects_left_out_of_collections(articles=articles), connection.values_bound_on_server():
            for part in ahead.parts(article_folders(path)):
                report.invalid.extend(part.errors)
                report.ignored.extend(part.ignored)
                if not part.files:
                    continue
                slug = part.files[0].slug
                with transaction.atomic():
                    present = part.image_paths.get(slug, set())
                    _import_article(slug, part.files, report, images=part.images, present=present)
    if report.changed:
        # The merges the import's transactions left half done in SQLite's search indexes, as much as it wrote.
        written = len(report.created) + len(report.updated) + len(report.images_changed)
        search_index_merge(versions=written)
        search_words_shrink()  # PostgreSQL: the words the import took out of texts, where no text holds them
        search_statistics_refresh(versions=written)  # PostgreSQL: the planner's view of what the import wrote
    return report


# From this many articles on, an import leaves what the process held before out of Python's full collections.
FREEZE_MIN_ARTICLES = 10


@contextmanager
def _old_objects_left_out_of_collections(*, articles: int) -> Iterator[None]:
    """Leave what the process held before (Django, its models and templates) out of Python's full collections while
    an import of many `articles` runs: each walked all of it, 50 ms, 1-1.6 ms an imported article; all of it
    outlives the import. One full collection first (50 ms), so that no garbage (the checking pass's) is kept."""
    if articles < FREEZE_MIN_ARTICLES:
        yield
        return
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _import_article(
    slug: str, sources: list[SourceFile], report: ImportReport, *, images: list[SourceImage], present: set[str]
) -> None:
    stored = Article.objects.filter(slug=slug).first()
    # Images first, so this write renders with them: an image added or removed changes what every version shows.
    images_changed = stored is not None and article_images_sync(article=stored, images=images, present=present)
    changes: dict[Key, str] = {} if stored else {("slug", SHARED): slug}
    base: dict[Key, str] = {}
    new_languages = set()
    for source in sources:
        language, document = source.language, source.document
        previous = (stored.value("imported_source", language) or "") if stored else ""
        if not previous and not (stored and stored.has_text(language)):
            new_languages.add(language)
        changes.update({(name, language): text for name, text in _file_fields(document).items()})
        if previous:
            base.update(
                {
                    (name, language): text
                    for name, text in _file_fields(parse_document(previous, name="previous import")).items()
                }
            )
    # The revision joins the transaction import_articles opened for this article rather than opening a savepoint.
    with reversion.create_revision(atomic=False):
        result = article_write(
            article_id=stored.pk if stored else None,
            changes=changes,
            base=base,
            seen_version=None,
            source="import",
            keep_theirs=True,
            written_are_up_to_date=True,
            rerender=[code for code in language_codes() if stored.has_text(code)] if images_changed else (),
        )
        written = [source.language for source in sources if source.language in result.rendered]
        if written:
            reversion.set_comment(f"Imported {', '.join(written)} from files")
    if stored is None and images and article_images_sync(article=result.article, images=images, present=present):
        # A new article has an id only now; its first render could not see its images, this one does.
        images_changed = True
        article_write(
            article_id=result.article.pk,
            changes={},
            seen_version=None,
            source="import",
            rerender=[code for code in language_codes() if result.article.has_text(code)],
        )
    if images_changed:
        report.images_changed.append(slug)
    file_names = {source.language: document_name(source) for source in sources}
    for conflict in result.conflicts:
        report.conflicts.append(Conflict(slug, conflict.language, conflict.field, file_names[conflict.language]))
    for (name, language), text in changes.items():
        if (
            name in SOURCE_FIELDS
            and base.get((name, language)) == text
            and _stored(result.article, (name, language)) != text
        ):
            report.kept_edits.append(Conflict(slug, language, name, file_names[language]))
    applied = {language for _name, language in result.applied}
    for source in sources:
        label = f"{slug}/{source.language}"
        if source.language not in applied:
            report.unchanged.append(label)
        else:
            (report.created if source.language in new_languages else report.updated).append(label)


def _file_fields(document: Document) -> dict[str, str]:
    """The fields one file sets: what an editor sees (title, description, keywords, body) and the file itself."""
    fields = {name: document.value(name) for name in ("title", "description", "keywords")}
    return {**fields, "body": document.body, "imported_source": document.text}


def document_name(source: SourceFile) -> str:
    return f"{source.slug}/{source.language}{SOURCE_SUFFIX}"


# Merging terms: one concept, one term --------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeResult:
    done: bool
    message: str
    rerendered: list[int] = field(default_factory=list)  # articles whose pages link to the survivor now


def terms_merge_with_articles(*, survivor_id: int, merged_id: int, by=None) -> MergeResult:
    """Merge one term into another: its article and links move, its slug redirects, linking pages render again.

    Articles linking to the merged slug keep their text; the write service renders them again, and their links
    resolve through the redirect to the surviving term.
    """
    with transaction.atomic():
        content_changed(topics=[f"term:{survivor_id}", f"term:{merged_id}"])
        terms = Term.objects.select_for_update().in_bulk([survivor_id, merged_id])
        survivor, merged = terms.get(survivor_id), terms.get(merged_id)
        if survivor is None or merged is None or survivor_id == merged_id:
            return MergeResult(False, gettext("Choose two different terms."))
        articles = {article.term_id: article for article in Article.objects.filter(term__in=[survivor, merged])}
        if len(articles) == 2:
            return MergeResult(False, gettext("Both terms have an article; merge or delete one of the articles first."))
        moved = articles.get(merged.pk)
        if moved is not None:
            Article.objects.filter(pk=moved.pk).update(term=survivor)
        linking = set(ArticleLink.objects.filter(term=merged).values_list("article_id", "language"))
        if moved is not None:
            # The survivor now has an article: the marks of links to it change too.
            linking |= set(ArticleLink.objects.filter(term=survivor).values_list("article_id", "language"))
        already = set(ArticleLink.objects.filter(term=survivor).values_list("article_id", "language"))
        for article_id, language in linking - already:
            ArticleLink.objects.filter(article_id=article_id, language=language, term=merged).update(term=survivor)
        terms_merge(survivor=survivor, merged=merged, by=getattr(by, "username", ""))
        by_article: dict[int, list[str]] = {}
        for article_id, language in sorted(linking):
            by_article.setdefault(article_id, []).append(language)
        comment = gettext("Links to %(old)s now lead to %(new)s (terms merged)") % {
            "old": merged.slug,
            "new": survivor.slug,
        }
        for article_id, languages in by_article.items():
            article_write(
                article_id=article_id,
                changes={},
                seen_version=None,
                source="merge",
                by=by,
                comment=comment,
                rerender=languages,
            )
    return MergeResult(True, comment, sorted(by_article))

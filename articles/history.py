"""Revisions of articles (django-reversion) and readable diffs between them."""

from __future__ import annotations

import json

from django.utils.safestring import SafeString, mark_safe
from modeltranslation.utils import build_localized_fieldname
from reversion.models import Version

from articles.models import SOURCE_FIELDS, Article
from articles.revision_format import FLAGS_KEY
from core.languages import language_codes
from markup.diff import diff_blocks

DIFF_ROW_CLASSES = {"insert": "diff-added", "delete": "diff-removed", "change": "diff-changed"}


def article_versions(article: Article):
    """Return the article's stored revisions, newest first."""
    return Version.objects.get_for_object(article).select_related("revision", "revision__user")


def version_values(version: Version) -> dict:
    """Return the model fields a revision stored, every language column included."""
    return json.loads(version.serialized_data)[0]["fields"]


def text_diff(before: str, after: str) -> SafeString:
    """Render the changed blocks of two texts as HTML, each diffed word by word (by character in Chinese and Korean).

    Unchanged blocks are left out, so a long body shows only what changed; `<del>` and `<ins>` mark the changes.
    """
    rows = []
    for row in diff_blocks(before=before or "", after=after or ""):
        if row.op != "equal":
            rows.append(f'<span class="{DIFF_ROW_CLASSES[row.op]}">{row.html()}</span>')
    # Safe: row.html() escapes every character of both texts and adds only <ins> and <del>; the spans are ours. No
    # newlines between the spans: each is a block of its own (workbench.css), and a newline in <pre> would show.
    return mark_safe("".join(rows))


def article_source_at(article: Article, *, revision: int) -> dict | None:
    """Return the fields of the newest stored revision whose source revision number was `revision`."""
    for version in article_versions(article):
        values = version_values(version)
        if values.get("source_revision") == revision:
            return values
    return None


def revision_flags(version: Version) -> dict[str, dict]:
    """Per language, the flags the revision of `version` (an article's) stored: draft and synced_source_revision."""
    values = version_values(version)
    if "draft_languages" in values:  # recorded before the flags moved to ArticleVersion rows
        synced = values.get("synced_revisions") or {}
        return {
            code: {"draft": code in values["draft_languages"], "synced_source_revision": synced.get(code)}
            for code in language_codes()
        }
    return values.get(FLAGS_KEY) or {}


def article_from_revision(article: Article, version: Version) -> None:
    """Put a revision's editable values (every language's fields, slug, source language, drafts) on `article`.

    Not saved: what a revert writes goes through the write service like any other save.
    """
    values = version_values(version)
    for code in language_codes():
        for name in SOURCE_FIELDS:
            column = build_localized_fieldname(name, code)
            if column in values:
                setattr(article, column, values[column])
    for name in ("slug", "source_language"):
        if name in values:
            setattr(article, name, values[name])
    flags = revision_flags(version)
    for code in language_codes():
        draft = bool(flags.get(code, {}).get("draft"))
        if draft or code in article.version_rows():
            article.version_row(code).draft = draft

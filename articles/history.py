"""Revisions of articles (django-reversion) and readable diffs between them."""

from __future__ import annotations

import difflib
import json

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from modeltranslation.utils import build_localized_fieldname
from reversion.models import Version

from articles.models import SOURCE_FIELDS, Article
from core.languages import language_codes


def article_versions(article: Article):
    """Return the article's stored revisions, newest first."""
    return Version.objects.get_for_object(article).select_related("revision", "revision__user")


def version_values(version: Version) -> dict:
    """Return the model fields a revision stored, every language column included."""
    return json.loads(version.serialized_data)[0]["fields"]


def text_diff(before: str, after: str) -> SafeString:
    """Render a line diff as HTML lines marked as removed or added."""
    rows = []
    for line in difflib.unified_diff((before or "").splitlines(), (after or "").splitlines(), lineterm="", n=1):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "added", "-": "removed", "@": "context-marker"}.get(line[:1], "context")
        rows.append(f'<span class="diff-{kind}">{escape(line)}</span>')
    # Safe: every line was escaped above; only our own span tags are added. No newlines between the spans: each is
    # a block of its own (workbench.css), and a newline inside <pre> would show as an empty line.
    return mark_safe("".join(rows))


def article_source_at(article: Article, *, revision: int) -> dict | None:
    """Return the fields of the newest stored revision whose source revision number was `revision`."""
    for version in article_versions(article):
        values = version_values(version)
        if values.get("source_revision") == revision:
            return values
    return None


def article_from_revision(article: Article, values: dict) -> None:
    """Put a revision's editable values (every language's fields, slug, source language, drafts) on `article`.

    Not saved: what a revert writes goes through the write service like any other save.
    """
    for code in language_codes():
        for name in SOURCE_FIELDS:
            column = build_localized_fieldname(name, code)
            if column in values:
                setattr(article, column, values[column])
    for name in ("slug", "source_language", "draft_languages"):
        if name in values:
            setattr(article, name, values[name])

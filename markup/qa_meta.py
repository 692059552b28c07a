"""Checks of a version's metadata: title, description and keywords, alone and against the source language."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator, Mapping

from markup.findings import Finding, Fix, Severity
from markup.findings import gettext_noop as _
from markup.qa_page import main_script

# Search results show about 920 pixels of a description: some 160 Latin characters, or 80 CJK characters, which are
# twice as wide; so the limit is in display columns, a wide character counting two.
DESCRIPTION_MAX_WIDTH = 160
META_FIELDS = ("title", "description", "keywords")

_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,31});")
_TAG = re.compile(r"<[^<>\n]{0,1000}>")
_MARKDOWN_LINK = re.compile(r"\[([^\[\]\n]{0,500})\]\([^()\s]{0,500}\)")
_LETTER = re.compile(r"[^\W\d_]")


def check_metadata(
    *,
    language: str,
    meta: Mapping[str, str],
    lines: Mapping[str, int],
    script: str,
    source: Mapping[str, str] | None,
    source_language: str = "",
) -> Iterator[Finding]:
    """Yield the findings of a version's metadata; `script` is the main script of its body."""
    for name in META_FIELDS:
        yield from _markup(name, meta.get(name, ""), lines.get(name, 1))
    description = _visible(meta.get("description", ""))
    line = lines.get("description", 1)
    if not description:
        yield Finding(
            "meta.description-missing",
            Severity.WARNING,
            line,
            1,
            _("No description: search engines and link previews will show arbitrary text"),
        )
    elif (width := display_width(description)) > DESCRIPTION_MAX_WIDTH:
        yield Finding(
            "meta.description-long",
            Severity.INFO,
            line,
            1,
            _("The description is %(width)d columns wide; search results cut it after about %(limit)d"),
            {"width": width, "limit": DESCRIPTION_MAX_WIDTH},
        )
    if source is not None:
        yield from _untranslated(meta, lines, script, source, source_language)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _visible(value: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", value)).split())


def _markup(name: str, value: str, line: int) -> Iterator[Finding]:
    # The value starts after "name: " on its line; a quoted value shifts it: then the fix is refused, not misapplied.
    column = len(name) + 3
    for match in _ENTITY.finditer(value):
        decoded = html.unescape(match.group(0))
        if decoded == match.group(0):
            continue
        yield Finding(
            "meta.entity",
            Severity.WARNING,
            line,
            column + match.start(),
            _("HTML entity %(entity)s in the %(field)s: write the character %(char)s itself"),
            {"entity": match.group(0), "field": name, "char": decoded},
            Fix(line, column + match.start(), match.group(0), decoded),
        )
    for pattern, keep in ((_TAG, False), (_MARKDOWN_LINK, True)):
        for match in pattern.finditer(value):
            yield Finding(
                "meta.markup",
                Severity.WARNING,
                line,
                column + match.start(),
                _("Markup %(markup)s in the %(field)s: metadata is plain text"),
                {"markup": match.group(0), "field": name},
                Fix(line, column + match.start(), match.group(0), match.group(1) if keep else ""),
            )


def _untranslated(
    meta: Mapping[str, str], lines: Mapping[str, int], script: str, source: Mapping[str, str], source_language: str
) -> Iterator[Finding]:
    keywords = meta.get("keywords", "").strip()
    if keywords and keywords == source.get("keywords", "").strip() and _LETTER.search(keywords):
        # English keywords on a Korean page are wrong; on a French page they may be loanwords kept on purpose.
        foreign = main_script(keywords) != script
        yield Finding(
            "meta.keywords-untranslated",
            Severity.WARNING if foreign else Severity.INFO,
            lines.get("keywords", 1),
            1,
            _("The keywords are the same as in %(source)s: translate them or confirm they stay"),
            {"source": source_language},
        )
    title = _visible(meta.get("title", ""))
    if title and title == _visible(source.get("title", "")) and main_script(title) != script:
        yield Finding(
            "meta.title-untranslated",
            Severity.WARNING,
            lines.get("title", 1),
            1,
            _("The title is the same as in %(source)s and not in the script of the text: translate it"),
            {"source": source_language},
        )
    description = _visible(meta.get("description", ""))
    if _LETTER.search(description) and description == _visible(source.get("description", "")):
        yield Finding(
            "meta.description-untranslated",
            Severity.WARNING,
            lines.get("description", 1),
            1,
            _("The description is the same as in %(source)s: translate it"),
            {"source": source_language},
        )

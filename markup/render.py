"""Markdown body → safe HTML, table of contents, term links and findings. No Django here."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree import ElementTree

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from markup.findings import Finding, Severity
from markup.findings import gettext_noop as _
from markup.repair import STRAY_LINK_PUNCTUATION, repair_markdown
from markup.sanitize import HEADING_ID_PREFIX, sanitize_html

_TERM_LINK = re.compile(r"\[([^\[\]\n]*)\]\(/([a-z0-9]+(?:-[a-z0-9]+)*)/?\)")
_TERM_HREF = re.compile(r"^/([a-z0-9]+(?:-[a-z0-9]+)*)/?$")
_H1 = re.compile(r"^ {0,3}#(?!#)\s*(.*?)\s*#*\s*$")
_TAGS = re.compile(r"<[^>]*>")
_EMPHASIS = re.compile(r"[*_`~]")
_BLOCK_SEPARATOR = re.compile(r"\n[ \t]*\n")
# Python-Markdown's inline patterns take quadratic time on unmatched brackets and angle brackets; no real
# paragraph has this many, so a block with more is shown as plain text instead of taking minutes.
MAX_SPECIAL_CHARACTERS_PER_BLOCK = 1000
_SPECIAL = re.compile(r"[\[\]<>()`*_&!\\]")
_PLAIN_BLOCK = "glossaryplainblock{}x"


@dataclass(frozen=True)
class TermLink:
    """What the caller says about an internal link target."""

    href: str
    missing: bool
    title: str = ""


@dataclass(frozen=True)
class LinkRef:
    """An internal link found in a body."""

    target: str
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class TocEntry:
    level: int
    id: str
    title: str


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[TocEntry]
    links: list[LinkRef]
    findings: list[Finding]
    text: str


def find_term_links(body: str, *, first_line: int = 1) -> list[LinkRef]:
    """Return every `[text](/slug)` link, with its text as a reader would see it."""
    links = []
    for index, line in enumerate(body.split("\n")):
        for match in _TERM_LINK.finditer(line):
            text = _EMPHASIS.sub("", match.group(1)).strip().rstrip(STRAY_LINK_PUNCTUATION).strip()
            links.append(LinkRef(match.group(2), text, first_line + index, match.start() + 1))
    return links


def render_markdown(
    body: str, *, resolve_link: Callable[[str], TermLink | None], title: str = "", first_line: int = 1
) -> Rendered:
    """Render a body tolerantly: repair what exports get wrong, resolve term links, sanitise, collect findings."""
    repaired, findings = repair_markdown(body, first_line=first_line)
    repaired = _headings_below_title(repaired, title=title, first_line=first_line, findings=findings)
    repaired, plain_blocks = _set_aside_pathological_blocks(
        repaired, body=body, first_line=first_line, findings=findings
    )
    links = find_term_links(body, first_line=first_line)
    link_lines = {}
    for link in links:
        link_lines.setdefault(link.target, link)
    unresolved: list[str] = []
    converter = markdown.Markdown(
        extensions=[
            "tables",
            "sane_lists",
            "toc",
            _TermLinkExtension(resolve_link=resolve_link, unresolved=unresolved),
        ],
        extension_configs={"toc": {"slugify": slugify_unicode, "toc_depth": "2-6"}},
        output_format="html",
    )
    try:
        raw = converter.convert(repaired)
        toc = _toc(converter.toc_tokens)
    except (RecursionError, ValueError):
        raw = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in body.split("\n\n") if paragraph.strip())
        toc = []
        findings.append(
            Finding("markup.unrenderable", Severity.ERROR, first_line, 1, _("The text is too deeply nested to render"))
        )
    for slug in unresolved:
        link = link_lines.get(slug)
        findings.append(
            Finding(
                "markup.unresolved-link",
                Severity.WARNING,
                link.line if link else first_line,
                link.column if link else 1,
                _("Link to %(target)s leads to no glossary term; it is shown as text"),
                {"target": f"/{slug}"},
            )
        )
    for index, block in enumerate(plain_blocks):
        raw = raw.replace(f"<p>{_PLAIN_BLOCK.format(index)}</p>", f"<p>{html.escape(block)}</p>", 1)
    clean = sanitize_html(raw)
    return Rendered(
        html=clean,
        toc=toc,
        links=links,
        findings=sorted(findings, key=lambda f: (f.line, f.column, f.code)),
        text=" ".join(html.unescape(_TAGS.sub(" ", clean)).split()),
    )


def _headings_below_title(text: str, *, title: str, first_line: int, findings: list[Finding]) -> str:
    """Drop the leading H1 that repeats the title (the page prints it); demote any other H1 to H2."""
    lines = text.split("\n")
    seen_content = False
    for index, line in enumerate(lines):
        match = _H1.match(line)
        if match and not seen_content and " ".join(match.group(1).split()) == " ".join(title.split()):
            lines[index] = ""
        elif match and match.group(1):
            lines[index] = "#" + line.lstrip()
            findings.append(
                Finding(
                    "markup.extra-h1",
                    Severity.INFO,
                    first_line + index,
                    1,
                    _("Only the title is a level-1 heading; this heading is shown as level 2"),
                )
            )
        if line.strip():
            seen_content = True
    return "\n".join(lines)


def _set_aside_pathological_blocks(
    text: str, *, body: str, first_line: int, findings: list[Finding]
) -> tuple[str, list[str]]:
    """Replace blocks too complex for Python-Markdown by markers; return the text and the blocks set aside."""
    blocks = _BLOCK_SEPARATOR.split(text)
    plain: list[str] = []
    for index, block in enumerate(blocks):
        count = len(_SPECIAL.findall(block))
        if count <= MAX_SPECIAL_CHARACTERS_PER_BLOCK:
            continue
        blocks[index] = _PLAIN_BLOCK.format(len(plain))
        plain.append(block)
        offset = body.find(block[:200])
        findings.append(
            Finding(
                "markup.too-complex",
                Severity.WARNING,
                first_line + (body.count("\n", 0, offset) if offset >= 0 else 0),
                1,
                _("This block has %(count)d brackets and marks; it is shown as plain text"),
                {"count": count},
            )
        )
    return ("\n\n".join(blocks), plain) if plain else (text, plain)


def _toc(tokens: list[dict]) -> list[TocEntry]:
    entries = []
    for token in tokens:
        if token["level"] in (2, 3):
            entries.append(TocEntry(token["level"], _prefixed(token["id"]), html.unescape(token["name"])))
        entries.extend(_toc(token["children"]))
    return entries


def _prefixed(identifier: str) -> str:
    return identifier if identifier.startswith(HEADING_ID_PREFIX) else HEADING_ID_PREFIX + identifier


class _TermLinks(Treeprocessor):
    def __init__(self, md, *, resolve_link, unresolved):
        super().__init__(md)
        self.resolve_link = resolve_link
        self.unresolved = unresolved

    def run(self, root: ElementTree.Element) -> None:
        for element in root.iter("a"):
            match = _TERM_HREF.match(element.get("href", ""))
            if not match:
                continue
            link = self.resolve_link(match.group(1))
            if link is None:
                self.unresolved.append(match.group(1))
                element.tag = "span"
                element.attrib.clear()
                continue
            element.set("href", link.href)
            element.set("class", "term-link term-link--missing" if link.missing else "term-link")
            if link.missing and link.title:
                element.set("title", link.title)


class _TermLinkExtension(Extension):
    def __init__(self, *, resolve_link, unresolved):
        super().__init__()
        self.resolve_link = resolve_link
        self.unresolved = unresolved

    def extendMarkdown(self, md):
        md.treeprocessors.register(
            _TermLinks(md, resolve_link=self.resolve_link, unresolved=self.unresolved), "term_links", 5
        )

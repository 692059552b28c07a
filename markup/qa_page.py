"""One language version's body as translation QA reads it: blocks with their file lines, and masked prose.

Checks that look for patterns run once over `Page.prose`, the body with code, HTML tags, link targets and URLs
masked character for character, so an offset in the prose is an offset in the body and a finding's line and column
come from one bisect. Checks that compare passages use `Page.blocks`.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from markup.findings import Finding, Fix, Severity

MASK = "\0"  # stands for masked characters in the prose; real NUL bytes are blanked first

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}([#＃]{1,6})(?![#＃])([ \t]*)(.*)$")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)[#＃]+[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?(.*)$")
_ITEM = re.compile(r"^ {0,3}(?:[-*+–—•]|\d{1,9}[.)])[ \t]+(.*)$")
_HTML_BLOCK = re.compile(r"^ {0,3}<(table|div|h[1-6]|ul|ol|p|blockquote|pre|dl|section|figure|details)(?=[\s>/])", re.I)
# Tag patterns never cross another "<" and are bounded, so a line of ten thousand "<" stays linear.
_TAG = re.compile(r"<[^<>\n]{0,1000}>")
_CODE_SPAN = re.compile(r"`[^`\n]{1,500}`")
_URL = re.compile(r"\b(?:https?|ftp|mailto):[^\s<>()\[\]]{1,2000}")
# [text](target "title"): text without brackets, target without spaces; the title is optional.
_LINK = re.compile(r"\[([^\[\]\n]{0,1000})\]\([ \t]*<?([^()\s<>]{0,2000})>?(?:[ \t]+\"[^\"\n]{0,500}\")?[ \t]*\)")
_INTERNAL_TARGET = re.compile(r"^/[a-z0-9-]*/?$")
_PLACEHOLDER_LINE = re.compile(r"^(?-i:T{3,}|X{3,}|Y{3,})$|^(?:TODO|TBD|FIXME|PLACEHOLDER)$", re.IGNORECASE)

SCRIPTS = {
    "Hangul": re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]"),
    "Han": re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]"),
    "Kana": re.compile(r"[\u3040-\u30ff]"),
    "Latin": re.compile(r"[A-Za-z\u00c0-\u024f]"),
    "Cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "Greek": re.compile(r"[\u0370-\u03ff]"),
    "Arabic": re.compile(r"[\u0600-\u06ff]"),
    "Hebrew": re.compile(r"[\u0590-\u05ff]"),
    "Thai": re.compile(r"[\u0e00-\u0e7f]"),
    "Devanagari": re.compile(r"[\u0900-\u097f]"),
}
SCRIPT_SAMPLE = 20_000  # characters enough to tell the main script of a text


@dataclass(frozen=True)
class Link:
    """A Markdown link: where it starts in the body, its text and target."""

    start: int
    end: int
    text: str
    target: str

    @property
    def internal(self) -> bool:
        return bool(_INTERNAL_TARGET.match(self.target)) and self.target != "/"


@dataclass
class Block:
    """A block of the body: heading, paragraph, item, quote, table, html or placeholder."""

    kind: str
    text: str
    line: int
    level: int = 0
    section: int = 0
    lines: list[tuple[int, str]] = field(default_factory=list)
    start: int = 0  # offset of its first line in the body
    end: int = 0  # offset just after its last line
    links: list[Link] = field(default_factory=list)

    @cached_property
    def plain(self) -> str:
        """Return the text a reader sees: link text without targets, no tags or entities."""
        return plain_markdown(self.text)


def plain_markdown(text: str) -> str:
    text = _LINK.sub(lambda match: match.group(1), text)
    text = _TAG.sub("", text)
    return " ".join(html.unescape(text).replace("**", "").replace("__", "").split())


def main_script(text: str) -> str:
    """Return the script most letters of `text` are written in ("Latin" for a text without letters)."""
    sample = text[:SCRIPT_SAMPLE]
    counts = {name: len(pattern.findall(sample)) for name, pattern in SCRIPTS.items()}
    if counts["Kana"]:
        counts["Kana"] += counts.pop("Han")  # Japanese writes with kanji and kana together
    best = max(counts, key=counts.get)
    return best if counts[best] else "Latin"


def script_share(text: str, script: str) -> float:
    """Return the share of the letters of `text` that are written in `script`."""
    letters = sum(len(pattern.findall(text)) for pattern in SCRIPTS.values())
    return len(SCRIPTS[script].findall(text)) / letters if letters else 0.0


@dataclass
class Page:
    """A body analysed once: blocks, links, masked prose and the line each offset falls on."""

    body: str
    first_line: int
    blocks: list[Block]
    links: list[Link]
    prose: str
    line_starts: list[int]
    script: str
    memo: dict = field(default_factory=dict)  # what checks derive from blocks, kept while the page is cached

    def where(self, offset: int) -> tuple[int, int]:
        """Return the file line and column (1-based) of a body offset."""
        index = bisect_right(self.line_starts, offset) - 1
        return self.first_line + index, offset - self.line_starts[index] + 1

    def line_span(self, offset: int) -> tuple[int, int]:
        """Return the body offsets where the line holding `offset` starts and ends."""
        index = bisect_right(self.line_starts, offset) - 1
        end = self.line_starts[index + 1] - 1 if index + 1 < len(self.line_starts) else len(self.body)
        return self.line_starts[index], end

    def finding(
        self,
        offset: int,
        code: str,
        severity: Severity,
        message: str,
        params: dict | None = None,
        *,
        old: str | None = None,
        new: str | None = None,
    ) -> Finding:
        """Return a finding at a body offset; with `old` and `new`, a fix replacing `old` from there."""
        line, column = self.where(offset)
        fix = Fix(line, column, old, new) if old is not None and new is not None and "\n" not in old else None
        return Finding(code, severity, line, column, message, params or {}, fix)

    @cached_property
    def words(self) -> set[str]:
        """Return every word of the prose, as written."""
        return set(re.findall(r"[^\W\d_]+", self.prose))

    @cached_property
    def link_starts(self) -> list[int]:
        return [link.start for link in self.links]

    def in_link_text(self, offset: int) -> bool:
        """Tell whether a body offset falls inside the brackets of a link."""
        index = bisect_right(self.link_starts, offset) - 1
        return index >= 0 and offset < self.links[index].start + len(self.links[index].text) + 2

    @cached_property
    def sections(self) -> list[list[Block]]:
        """Return the blocks section by section; a heading of level 1 or 2 opens a section."""
        sections: list[list[Block]] = []
        for block in self.blocks:
            while len(sections) <= block.section:
                sections.append([])
            sections[block.section].append(block)
        return sections

    @cached_property
    def plain_length(self) -> int:
        return sum(len(block.plain) for block in self.blocks if block.kind in PROSE_KINDS)


PROSE_KINDS = ("paragraph", "item", "quote")


@lru_cache(maxsize=32)
def analyse(body: str, first_line: int = 1) -> Page:
    """Return the analysed page of a body; a source checked against several translations is analysed once."""
    lines = body.split("\n")
    line_starts = [0] * len(lines)
    offset = 0
    for index, line in enumerate(lines):
        line_starts[index] = offset
        offset += len(line) + 1
    blocks, fenced = _parse(lines, line_starts, first_line)
    prose_lines = [" " * len(line) if index in fenced else line for index, line in enumerate(lines)]
    prose = "\n".join(prose_lines).replace("\0", " ")
    prose = _CODE_SPAN.sub(_blank, prose)
    prose = _TAG.sub(_mask, prose)
    links = []

    def mask_target(match: re.Match) -> str:
        links.append(Link(match.start(), match.end(), match.group(1), match.group(2)))
        return match.group(0)[: match.end(1) - match.start() + 1] + MASK * (match.end() - match.end(1) - 1)

    prose = _LINK.sub(mask_target, prose)
    prose = _URL.sub(_mask, prose)
    _attach_links(blocks, links)
    return Page(body, first_line, blocks, links, prose, line_starts, main_script(prose))


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def _mask(match: re.Match) -> str:
    return MASK * len(match.group(0))


def _attach_links(blocks: list[Block], links: list[Link]) -> None:
    starts = [block.start for block in blocks]
    for link in links:
        index = bisect_right(starts, link.start) - 1
        if index >= 0 and link.start < blocks[index].end:
            blocks[index].links.append(link)


def parse_blocks(body: str, *, first_line: int = 1) -> list[Block]:
    """Split a body into blocks with their file lines, as a reader would see them (quotes joined, markers tolerated)."""
    return analyse(body, first_line).blocks


def _parse(lines: list[str], line_starts: list[int], first_line: int) -> tuple[list[Block], set[int]]:
    blocks: list[Block] = []
    fenced: set[int] = set()
    current: Block | None = None
    section = 0
    fence = None
    html_tag, depth = "", 0

    parts: dict[int, list[str]] = {}  # texts of a block's lines, joined once at the end

    def extend(block: Block, index: int, raw: str, text: str) -> None:
        parts[id(block)].append(text)
        block.lines.append((first_line + index, raw))
        block.end = line_starts[index] + len(raw) + 1

    def start(kind: str, index: int, raw: str, text: str, level: int = 0) -> Block:
        block = Block(kind, "", first_line + index, level, section, [(first_line + index, raw)])
        block.start, block.end = line_starts[index], line_starts[index] + len(raw) + 1
        parts[id(block)] = [text] if text else []
        blocks.append(block)
        return block

    for index, raw in enumerate(lines):
        fence_match = _FENCE.match(raw)
        if fence is not None or fence_match:
            fenced.add(index)
            if fence is None:
                fence = fence_match.group(1)[0]
            elif fence_match and fence_match.group(1)[0] == fence:
                fence = None
            current = None
            continue
        if not raw.strip():
            if current is not None and current.kind in ("paragraph", "item", "html"):
                current = None
            continue
        if current is not None and current.kind == "html":
            extend(current, index, raw, raw)
            depth += _depth_change(html_tag, raw)
            if depth <= 0:
                current = None
            continue
        quote = _QUOTE.match(raw)
        if quote:
            content = quote.group(1)
            if current is None or current.kind != "quote":
                previous = blocks[-1] if blocks else None
                if previous is not None and previous.kind == "quote" and current is None:
                    current = previous  # a quote split by blank lines is one quote to the reader
                else:
                    current = start("quote", index, raw, "")
                    current.lines.clear()
            if content.strip():
                heading = _HEADING.match(content)
                extend(current, index, raw, heading.group(3).strip() if heading else content.strip())
            continue
        heading = _HEADING.match(raw)
        if heading and heading.group(3).strip() and (heading.group(2) or not heading.group(3)[:1].isdigit()):
            level = len(heading.group(1))
            if level <= 2:
                section += 1
            start("heading", index, raw, _CLOSING_HASHES.sub("", heading.group(3)).strip(), level)
            current = None
            continue
        item = _ITEM.match(raw)
        if item:
            current = start("item", index, raw, item.group(1).strip())
            continue
        html_match = _HTML_BLOCK.match(raw)
        if html_match:
            current = start("html", index, raw, raw)
            html_tag = html_match.group(1).lower()
            depth = _depth_change(html_tag, raw)
            if depth <= 0:
                current = None
            continue
        if current is not None and current.kind in ("paragraph", "item"):
            extend(current, index, raw, raw.strip())
            continue
        current = start("paragraph", index, raw, raw.strip())
    for block in blocks:
        block.text = ("\n" if block.kind in ("quote", "html") else " ").join(parts[id(block)])
        _close_html(block)
    return [block for block in blocks if block.lines], fenced


def _depth_change(tag: str, line: str) -> int:
    """Return how many more `tag` elements the line opens than it closes."""
    opening, closing = _tag_patterns(tag)
    return len(opening.findall(line)) - len(closing.findall(line))


@lru_cache(maxsize=16)
def _tag_patterns(tag: str) -> tuple[re.Pattern, re.Pattern]:
    return re.compile(rf"<{tag}(?=[\s>/])", re.IGNORECASE), re.compile(rf"</{tag}\s*>", re.IGNORECASE)


def _close_html(block: Block) -> None:
    if block.kind != "html":
        return
    visible = _TAG.sub("", block.text).strip()
    if "<table" in block.text.lower():
        block.kind = "table"
    elif visible and _PLACEHOLDER_LINE.match(visible):
        block.kind = "placeholder"

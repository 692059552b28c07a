"""One CommonMark/GFM parse of a body: the token stream, and the readable passages with their file positions.

Rendering, term links, the table of contents, plain text and QA all read what `parse_markdown` returns, so they
agree on what a reader sees. No Django here.

Block kinds (closed set, `BLOCK_KINDS`), one `Block` per readable passage, in document order:
  heading            an ATX or setext heading (`level` 1-6 as written)
  paragraph          a paragraph at top level or inside an aside (`::: Label` container)
  item               a paragraph inside a list item
  quote              a paragraph inside a block quote
  definition-term    the term line of a definition list
  definition         a paragraph inside a definition (`: ...`)
  footnote           a paragraph inside a footnote definition (`[^1]: ...`)
  table-row          one row of a GFM table; `text` is its cells joined by a tab, `cells` holds them one by one
  code               a fenced or indented code block; `text` is the code as written
  html               a raw HTML block; `text` is its visible text
  aside-label        the label of a `::: Label` container
Containers (`CONTAINER_KINDS`), innermost first in `container`, outermost first in `containers`:
  "" (top level), list, quote, table, aside, footnote, definition-list.
The innermost structure decides the kind: a list inside a quote gives `item` blocks whose `containers` is
("quote", "list").

Positions are in the FILE: `first_line` is the file line of the body's first line, columns are 1-based characters.
Every block token's `map` is converted to file lines: `[first file line, file line after the last]`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from markup import tolerance
from markup.findings import Finding, Severity
from markup.findings import gettext_noop as _
from markup.sanitize import HEADING_ID_PREFIX

BLOCK_KINDS = frozenset(
    {
        "heading",
        "paragraph",
        "item",
        "quote",
        "definition-term",
        "definition",
        "footnote",
        "table-row",
        "code",
        "html",
        "aside-label",
    }
)
CONTAINER_KINDS = frozenset({"", "list", "quote", "table", "aside", "footnote", "definition-list"})
ASIDE = "aside"  # container name: tokens are container_aside_open/close, their `info` is the label as written
# Lines nested deeper than this are kept as one plain paragraph (see _depth_guard), so recursion stays bounded.
MAX_NESTING = 20  # as CommonMark's preset: inline work per "[" grows with it
_GUARD_MARGIN = 4  # a paragraph inside a list item needs a few levels below the limit

_CONTAINER_OF = {
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "blockquote_open": "quote",
    "table_open": "table",
    f"container_{ASIDE}_open": "aside",
    "footnote_open": "footnote",
    "dl_open": "definition-list",
}
_PARAGRAPH_KIND = {
    "list_item_open": "item",
    "blockquote_open": "quote",
    "dd_open": "definition",
    "footnote_open": "footnote",
    f"container_{ASIDE}_open": "paragraph",
}
_TAGS = re.compile(r"<[^<>]*>")
_SLUG_DROP = re.compile(r"[^\w\s-]")
_SLUG_SPACE = re.compile(r"[-\s]+")


@dataclass(frozen=True)
class Link:
    """A link as the reader sees it: where it points (`target`, resolved for reference-style links) and its text."""

    target: str
    text: str
    title: str
    line: int
    column: int  # the "[" (or "<" of an autolink) in the file line
    reference: str = ""  # the reference label for `[text][label]`, `[label][]` and `[label]` links


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    title: str
    line: int
    column: int  # the "!" of "![alt](src)" in the file line


@dataclass(frozen=True)
class CodeSpan:
    text: str
    line: int
    column: int  # the first backtick in the file line


@dataclass(frozen=True)
class Block:
    """One readable passage, as a reader sees it."""

    kind: str
    text: str
    line: int
    end_line: int
    level: int = 0  # headings only
    path: tuple[str, ...] = ()  # the texts of the headings above it, outermost first
    container: str = ""  # the innermost enclosing list/quote/table/aside/footnote/definition-list
    containers: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    images: tuple[Image, ...] = ()
    code: tuple[CodeSpan, ...] = ()
    cells: tuple[str, ...] = ()  # table rows only


class BlockLinks:
    """The links of the blocks of a parse, for what holds them (Parsed, ParsedBlocks)."""

    blocks: list[Block]

    @property
    def links(self) -> list[Link]:
        return [link for block in self.blocks for link in block.links]


@dataclass
class Parsed(BlockLinks):
    """The result of one parse: tokens (maps in file lines), env (references, footnotes) and readable blocks."""

    tokens: list[Token]
    env: dict[str, Any]
    blocks: list[Block]
    first_line: int
    lines: list[str]  # the body's lines as parsed
    findings: list[Finding] = field(default_factory=list)  # what the parse had to tolerate, with file positions

    @property
    def images(self) -> list[Image]:
        return [image for block in self.blocks for image in block.images]


@dataclass(frozen=True)
class ParsedBlocks(BlockLinks):
    """What readers of a parse's blocks use of it (term links, usage sentences, passages): its blocks and findings,
    without the tokens a render reads, a quarter of its size. What the import's second process sends of a parse."""

    blocks: list[Block]
    findings: list[Finding]


def heading_slug(text: str) -> str:
    """Return the id of a heading: lower case, unicode letters kept, runs of spaces and dashes as one dash."""
    return HEADING_ID_PREFIX + _SLUG_SPACE.sub("-", _SLUG_DROP.sub("", text).strip().lower())


def _heading_ids(state: StateCore) -> None:
    """Give every heading a unique id (a counter per slug keeps this linear for many equal headings)."""
    used: set[str] = set()
    counters: dict[str, int] = {}
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or index + 1 >= len(tokens):
            continue
        base = heading_slug(inline_text(tokens[index + 1].children or []))
        slug = base
        while slug in used:
            counters[base] = counters.get(base, 0) + 1
            slug = f"{base}_{counters[base]}"
        used.add(slug)
        token.attrSet("id", slug)


def _depth_guard(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Near the nesting limit, keep the remaining lines as one paragraph (the block parser would skip them)."""
    if state.level < MAX_NESTING - _GUARD_MARGIN:
        return False
    if not silent:
        state.push("paragraph_open", "p", 1).map = [start_line, end_line]
        inline = state.push("inline", "", 0)
        inline.content = state.getLines(start_line, end_line, state.blkIndent, False).strip()
        inline.map = [start_line, end_line]
        inline.children = []
        state.push("paragraph_close", "p", -1)
        state.line = end_line
        tolerance.add_finding(
            state.env,
            Finding(
                "markup.too-deep",
                Severity.WARNING,
                tolerance.first_line_of(state.env) + start_line,
                1,
                _("Lists and quotes nest too deeply here: the rest of this part is shown as one paragraph"),
            ),
        )
    return True


def _any_label(params: str, *args: Any) -> bool:
    return True


def _any_address(url: str) -> bool:
    return True


_POSITIONED = frozenset({"link_open", "image", "code_inline", "html_inline"})


class _PositionedState(StateInline):
    """Inline state that notes where in the inline source each link, image, code span and tag was made."""

    def push(self, ttype: str, tag: str, nesting: Literal[-1, 0, 1]) -> Token:
        token = super().push(ttype, tag, nesting)
        if ttype in _POSITIONED:
            # Every rule pushes these with `pos` at the mark, except a link: its label is parsed first, from "[" + 1.
            token.meta["pos"] = self.pos
        return token


def _parse_inline(src: str, md: MarkdownIt, env: dict[str, Any], tokens: list[Token]) -> list[Token]:
    """Do what ParserInline.parse does, with the positioned state."""
    state = _PositionedState(src, md, env, tokens)
    md.inline.tokenize(state)
    for rule in md.inline.ruler2.getRules(""):
        rule(state)
    return state.tokens


def _offset(token: Token) -> int | None:
    """Return where the token's mark ("[", "![", "`", "<") starts in its inline source."""
    position = token.meta.get("pos")
    if position is None or token.type != "link_open" or token.markup == "autolink":
        return position
    return position - 1


def _hopeless_mark(state: StateInline, silent: bool) -> bool:
    """Take a run of "[", "![" or "<" that nothing later can close as text, before the rules that scan ahead.

    markdown-it's link, image, footnote, autolink and HTML rules look ahead from every such mark: linear overall,
    but at a cost per mark that made 50,000 unmatched ones take seconds. A "[" with no "]" after it can open no
    link, nor one with no ")" after it when the text defines no references or footnotes; a "<" with no ">" after
    it opens no tag.
    """
    start = state.pos
    source = state.src
    mark = source[start]
    if mark == "!" and source.startswith("![", start):
        mark = "["
    elif mark not in "[<":
        return False
    ends = getattr(state, "mark_ends", None)
    if ends is None:
        ends = state.mark_ends = {"]": source.rfind("]"), ")": source.rfind(")"), ">": source.rfind(">")}
    if mark == "<":
        hopeless = ends[">"] < start
    else:
        referenced = bool(state.env.get("references")) or bool(state.env.get("footnotes", {}).get("refs"))
        hopeless = ends["]"] < start or (ends[")"] < start and not referenced)
    if not hopeless:
        return False
    end = start
    while end < state.posMax and (source[end] == mark or (mark == "[" and source.startswith("![", end))):
        end += 2 if source[end] == "!" else 1
    if not silent:
        state.pending += source[start:end]
    state.pos = end
    return True


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(deflist_plugin).use(container_plugin, name=ASIDE, validate=_any_label)
    md.inline.parse = _parse_inline
    md.inline.ruler.before("link", "hopeless_mark", _hopeless_mark)
    # A javascript: or data: link is still a link to its writer: parsed as one, its text shows and the sanitiser
    # drops the address (markup.unsafe-link reports it), where CommonMark's check would show the Markdown as text.
    md.validateLink = _any_address
    interrupts = {"alt": ["paragraph", "reference", "blockquote", "list"]}
    md.block.ruler.before("table", "depth_guard", _depth_guard, interrupts)
    md.block.ruler.before(
        "heading", "loose_heading", tolerance.loose_heading, {"alt": ["paragraph", "reference", "blockquote"]}
    )
    html_block = md.block.ruler.__rules__[md.block.ruler.__find__("html_block")].fn
    md.block.ruler.at(
        "html_block", tolerance.tolerant_html_block(html_block), {"alt": ["paragraph", "reference", "blockquote"]}
    )
    for name, rule in (
        ("join_split_quotes", tolerance.join_split_quotes),
        ("close_html_blocks", tolerance.close_html_blocks),
        ("undo_double_escapes", tolerance.undo_double_escapes),
        ("hide_placeholders", tolerance.hide_placeholders),
        ("report_standalone_placeholders", tolerance.report_standalone_placeholders),
        ("report_risky_lines", tolerance.report_risky_lines),
        ("heading_ids", _heading_ids),
    ):
        md.core.ruler.push(name, rule)
    return md


MARKDOWN = _build_parser()


def parse_markdown(body: str, *, first_line: int = 1) -> Parsed:
    """Parse a body once; never raises, time and memory linear in its length.

    The last few results are kept, so rendering, term links and QA of one version share one parse: treat the
    result as read-only. A body read at another first line (the link sync reads a body alone, rendering reads it
    where it starts in its file) is the kept parse moved there, not parsed again.
    """
    return _parse(body, first_line)


def parse_blocks(body: str, *, first_line: int = 1) -> Parsed | ParsedBlocks:
    """The blocks (with their links) and findings of a body's parse: made ahead by another process when they were
    (markup.ahead, at line one), else parse_markdown's."""
    ahead = _blocks_ahead.get(body) if first_line == 1 else None
    return ahead if ahead is not None else parse_markdown(body, first_line=first_line)


def parse_cache_clear() -> None:
    """Forget the kept parses (for measurements: the next parse of any body is done afresh)."""
    _parse.cache_clear()
    _parse_at_line_one.cache_clear()


# Room for every version of an article and the whole files the link sync reads: a save of 5 languages parses each
# text once (4 parsed 3 of every 2 texts twice, as the languages evicted each other); a bounded cache, so an
# import's memory stays flat.
@lru_cache(maxsize=16)
def _parse(body: str, first_line: int) -> Parsed:
    parsed = _parse_at_line_one(body)
    return parsed if first_line == 1 else _moved(parsed, first_line - 1)


@lru_cache(maxsize=16)
def _parse_at_line_one(body: str) -> Parsed:
    ahead = _parsed_ahead.get(body)
    return ahead if ahead is not None else _parse_fresh(body, 1)


# Parses made ahead by another process for the next save (markup.ahead), by body; replaced for each article, so
# what is kept stays bounded.
_parsed_ahead: dict[str, Parsed] = {}


def parses_made_ahead(parses: Mapping[str, Parsed]) -> None:
    """Use these parses (made at line one, as parse_markdown would) for their bodies, instead of the ones before."""
    global _parsed_ahead
    _parsed_ahead = dict(parses)


# The blocks and findings of parses made ahead (markup.ahead), by body, for parse_blocks; replaced for each article.
_blocks_ahead: dict[str, ParsedBlocks] = {}


def blocks_made_ahead(blocks: Mapping[str, ParsedBlocks]) -> None:
    """Use these blocks and findings (of parses at line one) for their bodies, instead of the ones before."""
    global _blocks_ahead
    _blocks_ahead = dict(blocks)


def _parse_fresh(body: str, first_line: int) -> Parsed:
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    findings: list[Finding] = []
    readable = tolerance.swap_list_markers(lines, first_line=first_line, findings=findings)
    env: dict[str, Any] = {"first_line": first_line, "findings": findings}
    tokens = MARKDOWN.parse("\n".join(readable), env)
    _to_file_lines(tokens, first_line)
    for reference in env.get("references", {}).values():
        if reference.get("map"):
            reference["map"] = [reference["map"][0] + first_line, reference["map"][1] + first_line]
    collector = _Blocks(lines, first_line)
    blocks = collector.collect(tokens, env)
    findings.extend(collector.findings)
    findings.extend(tolerance.link_text_findings([link for block in blocks for link in block.links], lines, first_line))
    findings.sort(key=lambda f: (f.line, f.column, f.code))
    return Parsed(tokens=tokens, env=env, blocks=blocks, first_line=first_line, lines=lines, findings=findings)


def _moved(parsed: Parsed, offset: int) -> Parsed:
    """Return the parse of the same body starting `offset` lines further down its file.

    Only positions depend on where a body starts: block tokens' maps, blocks and what they hold, references and
    findings (with their fixes) move; inline tokens carry no lines and are shared.
    """
    tokens = [_moved_token(token, offset) if token.map else token for token in parsed.tokens]
    findings = [_moved_finding(finding, offset) for finding in parsed.findings]
    env = {**parsed.env, "first_line": parsed.first_line + offset, "findings": findings}
    if "references" in parsed.env:
        env["references"] = {
            label: {**reference, "map": [reference["map"][0] + offset, reference["map"][1] + offset]}
            if reference.get("map")
            else reference
            for label, reference in parsed.env["references"].items()
        }
    blocks = [
        _copy(
            block,
            line=block.line + offset,
            end_line=block.end_line + offset,
            links=tuple(_copy(link, line=link.line + offset) for link in block.links) if block.links else (),
            images=tuple(_copy(image, line=image.line + offset) for image in block.images) if block.images else (),
            code=tuple(_copy(span, line=span.line + offset) for span in block.code) if block.code else (),
        )
        for block in parsed.blocks
    ]
    return Parsed(
        tokens=tokens,
        env=env,
        blocks=blocks,
        first_line=parsed.first_line + offset,
        lines=parsed.lines,
        findings=findings,
    )


def _moved_token(token: Token, offset: int) -> Token:
    # Made field by field: copy.copy of a slotted dataclass takes several times as long.
    return Token(
        type=token.type,
        tag=token.tag,
        nesting=token.nesting,
        attrs=token.attrs,
        map=[token.map[0] + offset, token.map[1] + offset],
        level=token.level,
        children=token.children,
        content=token.content,
        markup=token.markup,
        info=token.info,
        meta=token.meta,
        block=token.block,
        hidden=token.hidden,
    )


def _moved_finding(finding: Finding, offset: int) -> Finding:
    fix = finding.fix and _copy(finding.fix, line=finding.fix.line + offset)
    return _copy(finding, line=finding.line + offset, fix=fix)


def _copy(item: Any, **changes: Any) -> Any:
    """Return dataclasses.replace(item, **changes) for a frozen dataclass without __post_init__, made 5× sooner.

    replace runs __init__, which sets each field through object.__setattr__; a move copies hundreds of them.
    """
    copied = object.__new__(type(item))
    copied.__dict__.update(item.__dict__, **changes)
    return copied


def _to_file_lines(tokens: list[Token], first_line: int) -> None:
    for token in tokens:
        if token.map:
            token.map = [token.map[0] + first_line, token.map[1] + first_line]


def inline_text(children: list[Token]) -> str:
    """Return the text a reader sees in inline tokens: no markup, images and raw tags left out."""
    parts = []
    for token in children:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type == "softbreak":
            parts.append(" ")
        elif token.type == "hardbreak":
            parts.append("\n")
    return "".join(parts)


def html_text(source: str) -> str:
    """Return the visible text of raw HTML."""
    return " ".join(html.unescape(_TAGS.sub(" ", source)).split())


class _Blocks:
    """Walks the token stream once and builds the readable blocks with file positions."""

    def __init__(self, lines: list[str], first_line: int):
        self.lines = lines
        self.first_line = first_line
        self.blocks: list[dict[str, Any]] = []  # Block fields; the path is known once they are in file order
        self.cursor: dict[int, int] = {}  # per file line: where the next table cell is searched from
        self.findings: list[Finding] = []

    def collect(self, tokens: list[Token], env: dict[str, Any]) -> list[Block]:
        stack: list[Token] = []
        row: list[tuple[str, Token]] = []
        row_open: Token | None = None
        for token in tokens:
            if token.meta.get("hidden") and token.nesting == 0:
                continue
            if token.nesting == 1:
                stack.append(token)
                if token.type == "tr_open":
                    row, row_open = [], token
                elif token.type == f"container_{ASIDE}_open" and token.info.strip():
                    self._add("aside-label", token.info.strip(), token, stack[:-1], single_line=True)
            elif token.nesting == -1:
                if stack:
                    stack.pop()
                if token.type == "tr_close" and row_open is not None:
                    self._add_row(row, row_open, stack)
                    row_open = None
            elif token.type == "inline":
                self._inline(token, stack, row)
            elif token.type in ("fence", "code_block"):
                self._add("code", token.content, token, stack)
            elif token.type == "html_block":
                self._add("html", html_text(token.content), token, stack)
        return _with_paths(sorted(self.blocks, key=lambda fields: fields["line"]))

    def _inline(self, token: Token, stack: list[Token], row: list[tuple[str, Token]]) -> None:
        parent = stack[-1].type if stack else ""
        if parent in ("th_open", "td_open"):
            row.append((inline_text(token.children or []), token))
            return
        if parent == "heading_open":
            level = int(stack[-1].tag[1])
            text = inline_text(token.children or []).strip()
            self._add("heading", text, token, stack[:-1], level=level, inline=token)
            return
        if parent == "dt_open":
            kind = "definition-term"
        else:
            kind = next((_PARAGRAPH_KIND[open_.type] for open_ in reversed(stack) if open_.type in _PARAGRAPH_KIND), "")
            kind = kind or "paragraph"
        self._add(kind, inline_text(token.children or []), token, stack, inline=token)

    def _add_row(self, row: list[tuple[str, Token]], row_open: Token, stack: list[Token]) -> None:
        links, images, code = [], [], []
        for _text, token in row:
            found = self._inline_facts(token)
            links += found[0]
            images += found[1]
            code += found[2]
        cells = tuple(text.strip() for text, _token in row)
        line = row_open.map[0] if row_open.map else self.first_line
        self.blocks.append(
            {
                "kind": "table-row",
                "text": "\t".join(cells),
                "line": line,
                "end_line": line,
                "container": "table",
                "containers": self._containers(stack),
                "links": tuple(links),
                "images": tuple(images),
                "code": tuple(code),
                "cells": cells,
            }
        )

    def _add(
        self,
        kind: str,
        text: str,
        token: Token,
        stack: list[Token],
        *,
        level: int = 0,
        inline: Token | None = None,
        single_line: bool = False,
    ) -> None:
        line, end_line = self._span(token, stack)
        end_line = line if single_line else end_line
        links, images, code = self._inline_facts(inline) if inline is not None else ([], [], [])
        containers = self._containers(stack)
        self.blocks.append(
            {
                "kind": kind,
                "text": text,
                "line": line,
                "end_line": end_line,
                "level": level,
                "container": containers[-1] if containers else "",
                "containers": containers,
                "links": tuple(links),
                "images": tuple(images),
                "code": tuple(code),
            }
        )

    def _span(self, token: Token, stack: list[Token]) -> tuple[int, int]:
        source = token if token.map else next((open_ for open_ in reversed(stack) if open_.map), None)
        if source is None:
            return self.first_line, self.first_line
        return source.map[0], max(source.map[0], source.map[1] - 1)

    @staticmethod
    def _containers(stack: list[Token]) -> tuple[str, ...]:
        return tuple(_CONTAINER_OF[token.type] for token in stack if token.type in _CONTAINER_OF)

    # Inline positions ----------------------------------------------------------------------------------------

    def _line_starts(self, token: Token) -> list[tuple[int, int]]:
        """Return, per line of the inline source, its file line and the 0-based column where it starts."""
        if not token.map:
            return [(self.first_line, 0)]
        starts = []
        table_cell = token.map[1] - token.map[0] == 1 and "\n" not in token.content
        for offset, content in enumerate(token.content.split("\n")):
            number = token.map[0] + offset
            index = number - self.first_line
            source = self.lines[index] if 0 <= index < len(self.lines) else ""
            starts.append((number, self._column_of(content, source, number, table_cell)))
        return starts

    def _column_of(self, content: str, source: str, number: int, search_from_cursor: bool) -> int:
        if search_from_cursor:
            # Several cells (or a heading's text) share one line: search after what was already found.
            found = source.find(content, self.cursor.get(number, 0)) if content else -1
            if found >= 0:
                self.cursor[number] = found + len(content)
                return found
            found = source.find(content)
            return max(found, 0)
        stripped, wanted = source.rstrip(), content.rstrip()
        if wanted and stripped.endswith(wanted):
            return len(stripped) - len(wanted)
        found = source.find(content) if content else -1
        return max(found, 0)

    def _inline_facts(self, token: Token) -> tuple[list[Link], list[Image], list[CodeSpan]]:
        children = token.children or []
        if not children:
            return [], [], []
        starts = self._line_starts(token)
        line_offsets = [0]
        for content_line in token.content.split("\n")[:-1]:
            line_offsets.append(line_offsets[-1] + len(content_line) + 1)

        def position(offset: int | None) -> tuple[int, int]:
            if offset is None:
                return starts[0][0], starts[0][1] + 1
            low, high = 0, len(line_offsets) - 1
            while low < high:  # the last line starting at or before offset
                middle = (low + high + 1) // 2
                if line_offsets[middle] <= offset:
                    low = middle
                else:
                    high = middle - 1
            number, column = starts[min(low, len(starts) - 1)]
            return number, column + offset - line_offsets[low] + 1

        links, images, code = [], [], []
        index = 0
        while index < len(children):
            child = children[index]
            if child.type == "link_open" and child.meta.get("hidden"):
                close = _matching_close(children, index)
                line, column = position(_offset(child))
                self._placeholder_link(inline_text(children[index + 1 : close]).strip(), line, column)
                index = close
            elif child.type == "link_open":
                close = _matching_close(children, index)
                line, column = position(_offset(child))
                if not child.attrGet("href") and child.markup != "autolink":
                    self.findings.append(
                        Finding("markup.empty-link", Severity.WARNING, line, column, _("Link with an empty address"))
                    )
                links.append(
                    Link(
                        target=str(child.attrGet("href") or ""),
                        text=inline_text(children[index + 1 : close]).strip(),
                        title=str(child.attrGet("title") or ""),
                        line=line,
                        column=column,
                        reference=_reference_label(token.content, _offset(child), child.markup),
                    )
                )
            elif child.type == "image":
                line, column = position(_offset(child))
                images.append(
                    Image(
                        src=str(child.attrGet("src") or ""),
                        alt=child.content,
                        title=str(child.attrGet("title") or ""),
                        line=line,
                        column=column,
                    )
                )
            elif child.type == "code_inline":
                line, column = position(_offset(child))
                code.append(CodeSpan(child.content, line, column))
            index += 1
        return links, images, code

    def _placeholder_link(self, text: str, line: int, column: int) -> None:
        self.findings.append(
            Finding(
                "markup.placeholder",
                Severity.ERROR,
                line,
                column,
                _("Placeholder %(text)s stands where content should be; it is not shown to readers"),
                {"text": text},
            )
        )
        self.findings.append(
            Finding("markup.empty-link", Severity.WARNING, line, column, _("Link with an empty address"))
        )


def _with_paths(blocks: list[dict[str, Any]]) -> list[Block]:
    """Make the blocks, each with the texts of the headings above it (footnotes come last in the tokens only)."""
    headings: list[tuple[int, str]] = []
    path: tuple[str, ...] = ()
    result = []
    for fields in blocks:
        result.append(Block(**fields, path=path))
        if fields["kind"] == "heading":
            while headings and headings[-1][0] >= fields["level"]:
                headings.pop()
            headings.append((fields["level"], fields["text"]))
            path = tuple(text for _level, text in headings)
    return result


def _matching_close(children: list[Token], start: int) -> int:
    depth = 0
    for index in range(start, len(children)):
        depth += children[index].nesting if children[index].type in ("link_open", "link_close") else 0
        if depth == 0:
            return index
    return len(children)


_INLINE_DESTINATION = re.compile(r"\]\s*\(")


def _reference_label(content: str, offset: int | None, markup: str) -> str:
    """Return the label of a reference-style link starting at `offset`, or "" for inline links and autolinks."""
    if offset is None or markup == "autolink" or offset >= len(content) or content[offset] != "[":
        return ""
    depth, index = 0, offset
    while index < len(content):  # the link's text ends at the matching "]"
        char = content[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                break
        index += 1
    text = content[offset + 1 : index]
    rest = content[index + 1 : index + 2]
    if rest == "(":
        return ""
    if rest == "[":
        end = content.find("]", index + 1)
        label = content[index + 2 : end] if end > 0 else ""
        return label or text
    return text

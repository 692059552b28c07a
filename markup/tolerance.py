"""Tolerance rules for the one parse: what exports get wrong is read as the author meant, and each case reported.

Every rule keeps line numbers: nothing is inserted or deleted before parsing. A rule either reads a line the way
the author meant (a block rule for `##Heading` and `＃＃ Heading`, the same-length swap of an en-dash list marker),
cuts an HTML block where its element closes, joins quotes split by blank lines in the token stream, or only
reports. `markup.parse` installs them; findings go to `env["findings"]` with file lines and columns.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from markup.findings import Finding, Fix, Severity
from markup.findings import gettext_noop as _

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LOOSE_HEADING = re.compile(r"^( {0,3})(#{1,6}|＃{1,6})(?![#＃])([ \t]*)(?=\S)")
_DASH_ITEM = re.compile(r"^( {0,3})([–—•●▪・])(?=[ \t]+\S)")
_LONE_QUOTE = re.compile(r"^ {0,3}>\s*$")
BLOCK_TAGS = ("table", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "p", "blockquote", "pre", "dl")
BLOCK_TAGS += ("section", "figure", "details")
_BLOCK_TAG = re.compile(rf"^ {{0,3}}<({'|'.join(BLOCK_TAGS)})(?=[\s>/])", re.IGNORECASE)
_OPEN_TAG = {tag: re.compile(rf"<{tag}(?=[\s>/])", re.IGNORECASE) for tag in BLOCK_TAGS}
_CLOSE_TAG = {tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in BLOCK_TAGS}
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")
_LIST_ITEM = re.compile(r"^ {0,3}([-*+]|\d{1,9}[.)])\s")
# Placeholder tokens left by translation tools where content should be; bracketed and braced text is content.
PLACEHOLDER = re.compile(r"^(?:(?-i:T{3,}|X{3,}|Y{3,})|TODO|TBD|FIXME|PLACEHOLDER|lorem ipsum\b.*)$", re.IGNORECASE)
# A paragraph that is only a placeholder token or a format string is reported (and shown); `{{x}}` and `[[x]]`
# are template and wiki syntax a writer may mean, so they are never called placeholders.
_STANDALONE_PLACEHOLDER = re.compile(
    r"^(?:(?-i:T{3,}|X{3,}|Y{3,})|TODO|TBD|FIXME|PLACEHOLDER|lorem ipsum\b.*|%s|%\(\w+\)s)$", re.IGNORECASE
)
_TAG = re.compile(r"<[^<>\n]{0,1000}>")
_EMPTY_HREF = re.compile(r"""<a\b[^<>\n]{0,1000}?\bhref\s*=\s*(?:""|'')""", re.IGNORECASE)
_INLINE_STYLE = re.compile(r"""\sstyle\s*=\s*(?:"[^"\n]*"|'[^'\n]*'|[^\s>]+)""", re.IGNORECASE)
_EVENT_HANDLER = re.compile(r"""<[^<>]{0,1000}?\son[a-z]+\s*=|<\s*(script|iframe|object|embed)\b""", re.IGNORECASE)
_UNSAFE_LINK = re.compile(r"\]\(\s*<?\s*((?:java|vb)script|data|file):", re.IGNORECASE)
DOUBLE_ENTITY = re.compile(r"&amp;(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,31});")
_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,31});")
STRAY_LINK_PUNCTUATION = ".,;:!?。，、；：！？"
_INTERNAL_LINK = re.compile(r"\[([^\[\]\n]*)\]\((/[a-z0-9-]*/?)\)")


def add_finding(env: dict[str, Any], finding: Finding) -> None:
    env.setdefault("findings", []).append(finding)


def first_line_of(env: dict[str, Any]) -> int:
    return env.get("first_line", 1)


# Before parsing: same-length swaps only, so every column stays where it was -------------------------------------


def code_fence_lines(lines: list[str]) -> set[int]:
    """Return the indexes of lines inside fenced code (a rough pass, used only before the real parse)."""
    inside: set[int] = set()
    fence = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0]
            inside.add(index)
        elif fence is not None:
            inside.add(index)
            if match and match.group(1)[0] == fence:
                fence = None
    return inside


def swap_list_markers(lines: list[str], *, first_line: int, findings: list[Finding]) -> list[str]:
    """Read a line marked with an en dash, em dash or bullet as a list item (`-` has the same length)."""
    fenced = None
    result = lines
    for index, line in enumerate(lines):
        match = _DASH_ITEM.match(line)
        if not match:
            continue
        fenced = code_fence_lines(lines) if fenced is None else fenced
        if index in fenced:
            continue
        indent, marker = match.groups()
        column = len(indent) + 1
        findings.append(
            Finding(
                "markup.list-marker",
                Severity.WARNING,
                first_line + index,
                column,
                _("List item marked with %(marker)s instead of -: it would show as a paragraph"),
                {"marker": marker},
                Fix(first_line + index, column, marker, "-"),
            )
        )
        if result is lines:
            result = list(lines)
        result[index] = f"{indent}-{line[match.end() :]}"
    return result


# Block rules ------------------------------------------------------------------------------------------------------


def loose_heading(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Read `##Heading` and `＃＃ Heading` as the headings they were meant to be (`#1 choice` stays text)."""
    if state.is_code_block(start_line):
        return False
    begin, end = state.bMarks[start_line], state.eMarks[start_line]
    line = state.src[begin:end]
    match = _LOOSE_HEADING.match(line)
    if not match:
        return False
    indent, hashes, space = match.groups()
    fullwidth = "＃" in hashes
    rest = line[match.end() :]
    if not fullwidth and (space or rest[:1].isdigit()):
        return False  # a heading CommonMark reads itself, or "#1 choice"
    if silent:
        return True
    number = first_line_of(state.env) + start_line
    column = len(indent) + 1
    wanted = "#" * len(hashes) + " "
    if fullwidth:
        finding = Finding(
            "markup.heading-fullwidth-hash",
            Severity.WARNING,
            number,
            column,
            _("Heading marked with full-width %(marker)s instead of #: it would show as text"),
            {"marker": hashes},
            Fix(number, column, hashes + space, wanted),
        )
    else:
        finding = Finding(
            "markup.heading-no-space",
            Severity.WARNING,
            number,
            column,
            _("No space after %(marker)s: not every Markdown reader sees a heading here"),
            {"marker": hashes},
            Fix(number, column, hashes, wanted),
        )
    add_finding(state.env, finding)
    text = rest.rstrip()
    closing = re.search(r"[ \t]+[#＃]+$", text)
    if closing:
        text = text[: closing.start()]
    state.line = start_line + 1
    tag = f"h{len(hashes)}"
    opening = state.push("heading_open", tag, 1)
    opening.markup = "#" * len(hashes)
    opening.map = [start_line, state.line]
    inline = state.push("inline", "", 0)
    inline.content = text.strip()
    inline.map = [start_line, state.line]
    inline.children = []
    state.push("heading_close", tag, -1).markup = opening.markup
    return True


def tolerant_html_block(rule: Callable[[StateBlock, int, int, bool], bool]) -> Callable:
    """Wrap the HTML block rule: end a block element's HTML where it closes, so a glued heading is Markdown again."""

    def html_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        if not rule(state, start_line, end_line, silent):
            return False
        if silent:
            return True
        token = state.tokens[-1]
        first = state.src[state.bMarks[start_line] : state.eMarks[start_line]]
        match = _BLOCK_TAG.match(first)
        if token.type != "html_block" or not match:
            return True
        tag = match.group(1).lower()
        number = first_line_of(state.env) + start_line
        if state.level == 0 and start_line > 0 and not state.isEmpty(start_line - 1):
            add_finding(
                state.env,
                Finding(
                    "markup.html-block-glued",
                    Severity.WARNING,
                    number,
                    1,
                    _("HTML block <%(tag)s> starts right after text: add a blank line before it"),
                    {"tag": tag},
                ),
            )
        lines = token.content.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        depth = 0
        for index, line in enumerate(lines):
            depth += len(_OPEN_TAG[tag].findall(line)) - len(_CLOSE_TAG[tag].findall(line))
            if depth <= 0:
                if index + 1 < len(lines):
                    token.content = "\n".join(lines[: index + 1]) + "\n"
                    state.line = start_line + index + 1
                    token.map = [start_line, state.line]
                    add_finding(
                        state.env,
                        Finding(
                            "markup.html-block-glued",
                            Severity.WARNING,
                            number + index + 1,
                            1,
                            _("Text starts right after the HTML block </%(tag)s>: add a blank line after it"),
                            {"tag": tag},
                        ),
                    )
                break
        token.meta["block_tag"] = tag
        token.meta["open"] = max(depth, 0)
        return True

    return html_block


# Core rules: on the whole token stream, after the inline parse -------------------------------------------------


def close_html_blocks(state: StateCore) -> None:
    """Report block elements no later HTML closes, and have them closed where their block ends."""
    pending: list[Token] = []
    for token in state.tokens:
        if token.type != "html_block":
            continue
        for opened in list(pending):
            tag = opened.meta["block_tag"]
            closes = len(_CLOSE_TAG[tag].findall(token.content)) - len(_OPEN_TAG[tag].findall(token.content))
            if closes > 0:
                opened.meta["open"] = max(opened.meta["open"] - closes, 0)
                if not opened.meta["open"]:
                    pending.remove(opened)
        if token.meta.get("open"):
            pending.append(token)
    for token in pending:
        tag = token.meta["block_tag"]
        token.meta["close"] = f"</{tag}>" * token.meta["open"]
        add_finding(
            state.env,
            Finding(
                "markup.html-unclosed",
                Severity.WARNING,
                first_line_of(state.env) + token.map[0],
                1,
                _("HTML block <%(tag)s> is never closed"),
                {"tag": tag},
            ),
        )


def join_split_quotes(state: StateCore) -> None:
    """Read quotes separated only by blank lines as one quote; drop quotes that hold nothing; report both."""
    tokens = state.tokens
    lines = state.src.split("\n")
    first = first_line_of(state.env)
    keep = [True] * len(tokens)
    index = 0
    while index < len(tokens):
        if tokens[index].type != "blockquote_open" or tokens[index].level != 0:
            index += 1
            continue
        parts = []  # (open index, close index)
        cursor = index
        while cursor < len(tokens) and tokens[cursor].type == "blockquote_open" and tokens[cursor].level == 0:
            close = _close_of(tokens, cursor)
            parts.append((cursor, close))
            cursor = close + 1
        kept = [part for part in parts if part[1] > part[0] + 1]
        for open_index, close in parts:
            _report_lone_quote_lines(tokens[open_index], lines, first, state.env)
            if close == open_index + 1:
                keep[open_index] = keep[close] = False
        for position, (open_index, _close) in enumerate(kept):
            if position:
                line = _first_content_line(tokens[open_index], lines)
                add_finding(
                    state.env,
                    Finding(
                        "markup.quote-split",
                        Severity.WARNING,
                        first + line,
                        1,
                        _("A blank line splits this quote in two: use a line with only > between its paragraphs"),
                    ),
                )
                keep[open_index] = False
            if position < len(kept) - 1:
                keep[_close] = False
        if kept:
            tokens[kept[0][0]].map = [tokens[kept[0][0]].map[0], tokens[kept[-1][0]].map[1]]
            _report_glued_after_quote(tokens[kept[-1][0]], lines, first, state.env)
        index = cursor
    if not all(keep):
        state.tokens = [token for token, kept_token in zip(tokens, keep, strict=True) if kept_token]


def _close_of(tokens: list[Token], open_index: int) -> int:
    depth = 0
    for index in range(open_index, len(tokens)):
        if tokens[index].type == "blockquote_open":
            depth += 1
        elif tokens[index].type == "blockquote_close":
            depth -= 1
            if depth == 0:
                return index
    return len(tokens) - 1


def _first_content_line(opening: Token, lines: list[str]) -> int:
    start, end = opening.map
    for line in range(start, end):
        if not _LONE_QUOTE.match(lines[line]):
            return line
    return start


def _report_lone_quote_lines(opening: Token, lines: list[str], first: int, env: dict[str, Any]) -> None:
    start, end = opening.map
    while end > start and not lines[end - 1].strip():
        end -= 1
    edges = []
    top = start
    while top < end and _LONE_QUOTE.match(lines[top]):
        edges.append(top)
        top += 1
    bottom = end - 1
    while bottom >= top and _LONE_QUOTE.match(lines[bottom]):
        edges.append(bottom)
        bottom -= 1
    for line in sorted(edges):
        add_finding(
            env,
            Finding(
                "markup.quote-empty-line",
                Severity.WARNING,
                first + line,
                1,
                _("A line with only > at the edge of a quote draws an empty line in the quote box"),
                fix=Fix(first + line, 1, lines[line], ""),
            ),
        )


def _report_glued_after_quote(opening: Token, lines: list[str], first: int, env: dict[str, Any]) -> None:
    after = opening.map[1]
    if after >= len(lines) or not lines[after].strip():
        return
    text = lines[after]
    if _ATX_HEADING.match(text) or _LOOSE_HEADING.match(text) or _BLOCK_TAG.match(text) or _LIST_ITEM.match(text):
        add_finding(
            env,
            Finding(
                "markup.quote-glued",
                Severity.WARNING,
                first + after,
                1,
                _("This line follows a quote without a blank line and would be drawn inside it"),
            ),
        )


def undo_double_escapes(state: StateCore) -> None:
    """Show `&amp;lt;` as the `<` that was meant (an export escaped the entity twice)."""
    for token in state.tokens:
        if token.type != "inline" or "&amp;" not in token.content or not DOUBLE_ENTITY.search(token.content):
            continue
        for child in token.children or []:
            if child.type == "text" and "&" in child.content:
                child.content = _ENTITY.sub(lambda match: html.unescape(match.group(0)), child.content)


def hide_placeholders(state: StateCore) -> None:
    """Hide the one placeholder shape (an empty-address link whose text is a placeholder token) and report it."""
    tokens = state.tokens
    lines = state.src.split("\n")
    first = first_line_of(state.env)
    for index, token in enumerate(tokens):
        if token.type == "html_block" and token.map:
            visible = " ".join(html.unescape(_TAG.sub("", token.content)).split())
            if PLACEHOLDER.match(visible) and _EMPTY_HREF.search(token.content):
                token.meta["hidden"] = True
                _report_placeholder(state.env, visible, token.map, lines, first, hidden=True)
        elif token.type == "inline" and token.children:
            _hide_inline_placeholders(state, tokens, index, lines, first)


def _hide_inline_placeholders(state: StateCore, tokens: list[Token], index: int, lines: list[str], first: int):
    token = tokens[index]
    children = token.children or []
    has_empty_link = any(
        (c.type == "link_open" and not c.attrGet("href")) or (c.type == "html_inline" and _EMPTY_HREF.search(c.content))
        for c in children
    )
    if not has_empty_link:
        return
    whole = " ".join("".join(c.content for c in children if c.type in ("text", "code_inline")).split())
    if PLACEHOLDER.match(whole) and index > 0 and tokens[index - 1].nesting == 1 and token.map:
        # The whole paragraph or heading is the placeholder: hide the block.
        tokens[index - 1].meta["hidden"] = True
        token.meta["hidden"] = True
        close = next((j for j in range(index + 1, len(tokens)) if tokens[j].nesting == -1), None)
        if close is not None:
            tokens[close].meta["hidden"] = True
        _report_placeholder(state.env, whole, token.map, lines, first, hidden=True)
        return
    for position, child in enumerate(children):
        if child.type != "link_open" or child.attrGet("href"):
            continue
        close = next((j for j in range(position + 1, len(children)) if children[j].type == "link_close"), None)
        if close is None:
            continue
        text = "".join(c.content for c in children[position + 1 : close] if c.type in ("text", "code_inline"))
        if PLACEHOLDER.match(text.strip()):
            for hidden in children[position : close + 1]:
                hidden.meta["hidden"] = True


def _report_placeholder(env, text: str, span: list[int], lines: list[str], first: int, *, hidden: bool) -> None:
    start, end = span
    line = lines[start] if start < len(lines) else ""
    single = end - start == 1
    add_finding(
        env,
        Finding(
            "markup.placeholder",
            Severity.ERROR,
            first + start,
            1,
            _("Placeholder %(text)s stands where content should be; it is not shown to readers")
            if hidden
            else _("Placeholder %(text)s stands where content should be"),
            {"text": text},
            Fix(first + start, 1, line, "") if single else None,
        ),
    )


def report_standalone_placeholders(state: StateCore) -> None:
    """Report a paragraph or heading that is nothing but a placeholder token; it stays visible."""
    tokens = state.tokens
    lines = state.src.split("\n")
    first = first_line_of(state.env)
    for index, token in enumerate(tokens):
        if token.type != "inline" or token.meta.get("hidden") or not token.map or index == 0:
            continue
        if tokens[index - 1].type not in ("paragraph_open", "heading_open"):
            continue
        text = " ".join(token.content.split())
        if len(text) < 200 and _STANDALONE_PLACEHOLDER.match(text):
            _report_placeholder(state.env, text, token.map, lines, first, hidden=False)


def report_risky_lines(state: StateCore) -> None:
    """Report raw HTML and addresses the sanitiser removes, and twice-escaped entities, outside code."""
    lines = state.src.split("\n")
    first = first_line_of(state.env)
    code: set[int] = set()
    for token in state.tokens:
        if token.type in ("fence", "code_block") and token.map:
            code.update(range(token.map[0], token.map[1]))
    for index, line in enumerate(lines):
        if index in code or ("&" not in line and "<" not in line and "](" not in line):
            continue
        _report_line(state.env, line, first + index)


def _report_line(env: dict[str, Any], line: str, number: int) -> None:
    for match in DOUBLE_ENTITY.finditer(line):
        add_finding(
            env,
            Finding(
                "markup.double-escaped-entity",
                Severity.WARNING,
                number,
                match.start() + 1,
                _("Entity %(entity)s is escaped twice: readers would see it as code"),
                {"entity": match.group(0)},
                Fix(number, match.start() + 1, match.group(0), f"&{match.group(1)};"),
            ),
        )
    if "<" in line:
        for match in _EMPTY_HREF.finditer(line):
            add_finding(
                env,
                Finding(
                    "markup.empty-link", Severity.WARNING, number, match.start() + 1, _("Link with an empty address")
                ),
            )
        for match in _INLINE_STYLE.finditer(line):
            if _inside_tag(line, match.start()):
                add_finding(
                    env,
                    Finding(
                        "markup.inline-style",
                        Severity.INFO,
                        number,
                        match.start() + 2,
                        _("Inline style %(style)s is removed: the site's stylesheet decides the layout"),
                        {"style": match.group(0).strip()},
                    ),
                )
        for match in _EVENT_HANDLER.finditer(line):
            add_finding(
                env,
                Finding(
                    "markup.unsafe-html",
                    Severity.ERROR,
                    number,
                    match.start() + 1,
                    _("Script or event handler in the text is removed"),
                ),
            )
    for match in _UNSAFE_LINK.finditer(line):
        add_finding(
            env,
            Finding(
                "markup.unsafe-link",
                Severity.ERROR,
                number,
                match.start() + 3,
                _("Link with a %(scheme)s: address is removed"),
                {"scheme": match.group(1).lower()},
            ),
        )


def _inside_tag(line: str, position: int) -> bool:
    """Say whether `position` is inside an HTML tag (so prose mentioning style= is not reported)."""
    start = max(0, position - 1000)  # tags are short; a bounded look-back keeps a hostile line linear
    opening = line.rfind("<", start, position)
    return opening >= 0 and line.rfind(">", start, position) < opening


def link_text_findings(links, lines: list[str], first: int) -> list[Finding]:
    """Report internal links whose text has stray spaces (with stray punctuation) or no text at all."""
    findings = []
    for link in links:
        if not link.target.startswith("/") or link.target.startswith("//"):
            continue
        index = link.line - first
        line = lines[index] if 0 <= index < len(lines) else ""
        match = _INTERNAL_LINK.match(line, link.column - 1)
        if not match:
            continue
        written, target = match.groups()
        clean, moved = written.strip(), ""
        stray_mark = len(clean) > 1 and clean[-1] in STRAY_LINK_PUNCTUATION and clean[-2].isspace()
        if clean and clean == written and not stray_mark:
            continue  # "[Brand!](/brand)" is the writer's text
        while clean and clean[-1] in STRAY_LINK_PUNCTUATION and clean[:-1].endswith((" ", "\t")):
            moved = clean[-1] + moved
            clean = clean[:-1].rstrip()
        replacement = f"[{clean}]({target}){moved}" if clean else ""
        findings.append(
            Finding(
                "markup.link-text-spacing" if clean else "markup.empty-link-text",
                Severity.WARNING if clean else Severity.ERROR,
                link.line,
                link.column,
                _("Link text %(text)s has stray spaces or punctuation inside the brackets")
                if clean
                else _("Link to %(target)s has no text: readers cannot see or follow it"),
                {"text": f"[{written}]", "target": target},
                Fix(link.line, link.column, match.group(0), replacement),
            )
        )
    return findings

"""The tolerant pre-pass: rewrite what machine-translated exports get wrong, and report each repair."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markup.findings import Finding, Fix, Severity
from markup.findings import gettext_noop as _

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HASH_RUN = re.compile(r"^( {0,3})([#＃]{1,6})(?![#＃])(\s*)")
_QUOTE = re.compile(r"^ {0,3}>")
_LONE_QUOTE = re.compile(r"^ {0,3}>\s*$")
_DASH_ITEM = re.compile(r"^( {0,3})([–—•●▪・])(\s+)(?=\S)")
_BLOCK_TAG = re.compile(
    r"^ {0,3}<(table|div|h[1-6]|ul|ol|p|blockquote|pre|dl|section|figure|details)(?=[\s>/])", re.IGNORECASE
)
# Tag patterns never cross another "<" and are bounded, so a line of ten thousand "<" stays linear.
_TAG = re.compile(r"<[^<>\n]{0,1000}>")
_PLACEHOLDER = re.compile(
    r"^(?:(?-i:T{3,}|X{3,}|Y{3,})|TODO|TBD|FIXME|PLACEHOLDER|lorem ipsum\b.*"
    r"|\{\{.*\}\}|\[\[.*\]\]|%s|%\(\w+\)s|\{\d*\})$",
    re.IGNORECASE,
)
_INLINE_PLACEHOLDER = re.compile(r"\{\{[^{}\n]{0,80}\}\}|\[\[[^\[\]\n]{0,80}\]\]")
# A code span on one line: `{{path/to/file}}` inside one is the writer's notation, shown as written.
_CODE_SPAN = re.compile(r"(`+)[^`\n]+?\1(?!`)")
_EMPTY_HREF = re.compile(r"""<a\b[^<>\n]{0,1000}?\bhref\s*=\s*(?:""|'')""", re.IGNORECASE)
_INLINE_STYLE = re.compile(r"""\sstyle\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_EVENT_HANDLER = re.compile(r"""<[^<>]{0,1000}?\son[a-z]+\s*=|<\s*(script|iframe|object|embed)\b""", re.IGNORECASE)
_INTERNAL_LINK = re.compile(r"\[([^\[\]\n]*)\]\((/[a-z0-9-]*/?)\)")
_UNSAFE_LINK = re.compile(r"\]\(\s*<?\s*((?:java|vb)script|data|file):", re.IGNORECASE)
_DOUBLE_ENTITY = re.compile(r"&amp;(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,31});")
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")
_LIST_ITEM = re.compile(r"^ {0,3}([-*+]|\d{1,9}[.)])\s")
STRAY_LINK_PUNCTUATION = ".,;:!?。，、；：！？"


@dataclass
class _Line:
    text: str
    number: int  # 1-based line in the file


class _Repairs:
    """Collects findings while the passes rewrite the lines."""

    def __init__(self):
        self.findings: list[Finding] = []

    def add(self, code, severity, line, column, message, *, params=None, fix=None):
        self.findings.append(Finding(code, severity, line, column, message, params or {}, fix))


def repair_markdown(body: str, *, first_line: int = 1) -> tuple[str, list[Finding]]:
    """Return Markdown that Python-Markdown renders as the author meant, and a finding per repair."""
    repairs = _Repairs()
    lines = [_Line(text, first_line + index) for index, text in enumerate(body.split("\n"))]
    lines = _repair_lines(lines, repairs)
    lines = _separate_html_blocks(lines, repairs)
    lines = _repair_quotes(lines, repairs)
    findings = sorted(repairs.findings, key=lambda f: (f.line, f.column, f.code))
    return "\n".join(line.text for line in lines), findings


def _outside_fences(lines: list[_Line]):
    """Yield (index, line) for lines outside fenced code blocks."""
    fence = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line.text)
        if fence is None and match:
            fence = match.group(1)[0]
            continue
        if fence is not None:
            if match and match.group(1)[0] == fence:
                fence = None
            continue
        yield index, line


def _repair_lines(lines: list[_Line], repairs: _Repairs) -> list[_Line]:
    dropped = set()
    for index, line in _outside_fences(lines):
        if _is_placeholder_line(line, repairs):
            dropped.add(index)
            continue
        _repair_heading_marker(line, repairs)
        _repair_list_marker(line, repairs)
        _repair_link_text(line, repairs)
        _repair_inline(line, repairs)
    return [line for index, line in enumerate(lines) if index not in dropped]


def _is_placeholder_line(line: _Line, repairs: _Repairs) -> bool:
    visible = _TAG.sub("", line.text).strip()
    if not visible or not _PLACEHOLDER.match(visible):
        return False
    repairs.add(
        "markup.placeholder",
        Severity.ERROR,
        line.number,
        1,
        _("Placeholder %(text)s stands where content should be; it is not shown to readers"),
        params={"text": visible},
        fix=Fix(line.number, 1, line.text, ""),
    )
    if _EMPTY_HREF.search(line.text):
        repairs.add(
            "markup.empty-link",
            Severity.WARNING,
            line.number,
            _EMPTY_HREF.search(line.text).start() + 1,
            _("Link with an empty address"),
        )
    return True


def _repair_heading_marker(line: _Line, repairs: _Repairs) -> None:
    match = _HASH_RUN.match(line.text)
    if not match:
        return
    indent, hashes, space = match.groups()
    rest = line.text[match.end() :]
    if not rest.strip():
        return
    column = len(indent) + 1
    wanted = "#" * len(hashes) + " "
    if "＃" in hashes:
        repairs.add(
            "markup.heading-fullwidth-hash",
            Severity.WARNING,
            line.number,
            column,
            _("Heading marked with full-width %(marker)s instead of #: it would show as text"),
            params={"marker": hashes},
            fix=Fix(line.number, column, hashes + space, wanted),
        )
    elif not space:
        if rest[:1].isdigit():
            return  # "#1 choice" is text, not a heading
        repairs.add(
            "markup.heading-no-space",
            Severity.WARNING,
            line.number,
            column,
            _("No space after %(marker)s: not every Markdown reader sees a heading here"),
            params={"marker": hashes},
            fix=Fix(line.number, column, hashes, wanted),
        )
    else:
        return
    line.text = f"{indent}{wanted}{rest}"


def _repair_list_marker(line: _Line, repairs: _Repairs) -> None:
    match = _DASH_ITEM.match(line.text)
    if not match:
        return
    indent, marker, space = match.groups()
    column = len(indent) + 1
    repairs.add(
        "markup.list-marker",
        Severity.WARNING,
        line.number,
        column,
        _("List item marked with %(marker)s instead of -: it would show as a paragraph"),
        params={"marker": marker},
        fix=Fix(line.number, column, marker, "-"),
    )
    line.text = f"{indent}-{space}{line.text[match.end() :]}"


def _repair_link_text(line: _Line, repairs: _Repairs) -> None:
    def fix(match: re.Match) -> str:
        text, target = match.groups()
        clean = text.strip()
        moved = ""
        while clean and clean[-1] in STRAY_LINK_PUNCTUATION:
            moved = clean[-1] + moved
            clean = clean[:-1].rstrip()
        if clean == text:
            return match.group(0)
        replacement = f"[{clean}]({target}){moved}" if clean else moved
        repairs.add(
            "markup.link-text-spacing" if clean else "markup.empty-link-text",
            Severity.WARNING if clean else Severity.ERROR,
            line.number,
            match.start() + 1,
            _("Link text %(text)s has stray spaces or punctuation inside the brackets")
            if clean
            else _("Link to %(target)s has no text: readers cannot see or follow it"),
            params={"text": f"[{text}]", "target": target},
            fix=Fix(line.number, match.start() + 1, match.group(0), replacement),
        )
        return replacement

    line.text = _INTERNAL_LINK.sub(fix, line.text)


def _repair_inline(line: _Line, repairs: _Repairs) -> None:
    for match in _DOUBLE_ENTITY.finditer(line.text):
        repairs.add(
            "markup.double-escaped-entity",
            Severity.WARNING,
            line.number,
            match.start() + 1,
            _("Entity %(entity)s is escaped twice: readers would see it as code"),
            params={"entity": match.group(0)},
            fix=Fix(line.number, match.start() + 1, match.group(0), f"&{match.group(1)};"),
        )
    line.text = _DOUBLE_ENTITY.sub(r"&\1;", line.text)
    code = [match.span() for match in _CODE_SPAN.finditer(line.text)]
    placeholders = [
        match
        for match in _INLINE_PLACEHOLDER.finditer(line.text)
        if not any(start <= match.start() < end for start, end in code)
    ]
    for match in placeholders:
        repairs.add(
            "markup.placeholder",
            Severity.ERROR,
            line.number,
            match.start() + 1,
            _("Placeholder %(text)s stands where content should be; it is not shown to readers"),
            params={"text": match.group(0)},
        )
    for match in reversed(placeholders):
        line.text = line.text[: match.start()] + line.text[match.end() :]
    if not _TAG.search(line.text) and "](" not in line.text:
        return
    for match in _EMPTY_HREF.finditer(line.text):
        repairs.add(
            "markup.empty-link", Severity.WARNING, line.number, match.start() + 1, _("Link with an empty address")
        )
    for match in _INLINE_STYLE.finditer(line.text):
        repairs.add(
            "markup.inline-style",
            Severity.INFO,
            line.number,
            match.start() + 2,
            _("Inline style %(style)s is removed: the site's stylesheet decides the layout"),
            params={"style": match.group(0).strip()},
        )
    for match in _EVENT_HANDLER.finditer(line.text):
        repairs.add(
            "markup.unsafe-html",
            Severity.ERROR,
            line.number,
            match.start() + 1,
            _("Script or event handler in the text is removed"),
        )
    for match in _UNSAFE_LINK.finditer(line.text):
        repairs.add(
            "markup.unsafe-link",
            Severity.ERROR,
            line.number,
            match.start() + 3,
            _("Link with a %(scheme)s: address is removed"),
            params={"scheme": match.group(1).lower()},
        )


def _separate_html_blocks(lines: list[_Line], repairs: _Repairs) -> list[_Line]:
    """Give every raw HTML block blank lines around it, so Markdown neither swallows nor splits it."""
    result: list[_Line] = []
    index = 0
    fenced = {i for i, _line in _outside_fences(lines)}
    while index < len(lines):
        line = lines[index]
        match = _BLOCK_TAG.match(line.text) if index in fenced else None
        if not match:
            result.append(line)
            index += 1
            continue
        tag = match.group(1).lower()
        end = _block_end(lines, index, tag)
        if result and result[-1].text.strip():
            repairs.add(
                "markup.html-block-glued",
                Severity.WARNING,
                line.number,
                1,
                _("HTML block <%(tag)s> starts right after text: add a blank line before it"),
                params={"tag": tag},
            )
            result.append(_Line("", line.number))
        if end is None:
            end = _paragraph_end(lines, index)
            repairs.add(
                "markup.html-unclosed",
                Severity.WARNING,
                line.number,
                1,
                _("HTML block <%(tag)s> is never closed"),
                params={"tag": tag},
            )
            lines[end] = _Line(lines[end].text + f"</{tag}>", lines[end].number)
        result.extend(lines[index : end + 1])
        index = end + 1
        if index < len(lines) and lines[index].text.strip():
            repairs.add(
                "markup.html-block-glued",
                Severity.WARNING,
                lines[index].number,
                1,
                _("Text starts right after the HTML block </%(tag)s>: add a blank line after it"),
                params={"tag": tag},
            )
            result.append(_Line("", lines[index].number))
    return result


def _block_end(lines: list[_Line], start: int, tag: str) -> int | None:
    opening = re.compile(rf"<{tag}(?=[\s>/])", re.IGNORECASE)
    closing = re.compile(rf"</{tag}\s*>", re.IGNORECASE)
    depth = 0
    for index in range(start, len(lines)):
        depth += len(opening.findall(lines[index].text)) - len(closing.findall(lines[index].text))
        if depth <= 0:
            return index
    return None


def _paragraph_end(lines: list[_Line], start: int) -> int:
    index = start
    while index + 1 < len(lines) and lines[index + 1].text.strip():
        index += 1
    return index


def _repair_quotes(lines: list[_Line], repairs: _Repairs) -> list[_Line]:
    """Join a quote broken by blank lines into one, drop empty quote lines, and close the quote before a block."""
    result: list[_Line] = []
    index = 0
    outside = {i for i, _line in _outside_fences(lines)}
    while index < len(lines):
        if index not in outside or not _QUOTE.match(lines[index].text):
            result.append(lines[index])
            index += 1
            continue
        parts, index = _quote_parts(lines, index)
        kept = []
        for part in parts:
            while part and _LONE_QUOTE.match(part[-1].text):
                _empty_quote_line(part.pop(), repairs)
            while part and _LONE_QUOTE.match(part[0].text):
                _empty_quote_line(part.pop(0), repairs)
            if part:
                kept.append(part)
        for position, part in enumerate(kept):
            if position:
                repairs.add(
                    "markup.quote-split",
                    Severity.WARNING,
                    part[0].number,
                    1,
                    _("A blank line splits this quote in two: use a line with only > between its paragraphs"),
                    fix=None,
                )
                result.append(_Line(">", part[0].number))
            result.extend(part)
        if index < len(lines) and lines[index].text.strip() and kept and _starts_block(lines[index].text):
            repairs.add(
                "markup.quote-glued",
                Severity.WARNING,
                lines[index].number,
                1,
                _("This line follows a quote without a blank line and would be drawn inside it"),
            )
            result.append(_Line("", lines[index].number))
    return result


def _quote_parts(lines: list[_Line], index: int) -> tuple[list[list[_Line]], int]:
    """Collect quote lines from `index`, across blank lines that only separate more quote lines."""
    parts: list[list[_Line]] = []
    while index < len(lines) and _QUOTE.match(lines[index].text):
        part = []
        while index < len(lines) and _QUOTE.match(lines[index].text):
            part.append(lines[index])
            index += 1
        parts.append(part)
        after = index
        while after < len(lines) and not lines[after].text.strip():
            after += 1
        if after < len(lines) and _QUOTE.match(lines[after].text) and after > index:
            index = after
        else:
            break
    return parts, index


def _empty_quote_line(line: _Line, repairs: _Repairs) -> None:
    repairs.add(
        "markup.quote-empty-line",
        Severity.WARNING,
        line.number,
        1,
        _("A line with only > at the edge of a quote draws an empty line in the quote box"),
        fix=Fix(line.number, 1, line.text, ""),
    )


def _starts_block(text: str) -> bool:
    return bool(_ATX_HEADING.match(text) or _BLOCK_TAG.match(text) or _LIST_ITEM.match(text))

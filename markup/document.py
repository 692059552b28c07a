"""Source files: Markdown with optional YAML front matter, read and written back without loss.

The front matter is kept as text. Values are read from PyYAML's node tree (never constructed into Python objects),
which also gives every key's place in the file; writing a changed value back replaces only that key's lines, so
unknown keys, their order, quoting and comments stay as the writer left them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from markup.findings import Finding, Severity
from markup.findings import gettext_noop as _

FRONT_MATTER_FENCE = "---"
META_FIELDS = ("title", "description", "keywords")
BOM = "\ufeff"
_TAG = re.compile(r"<[^<>\n]{1,200}>")
_NULL_TAG = "tag:yaml.org,2002:null"
_HEADING = re.compile(r" {0,3}#[ \t]+(?P<title>.*?)(?:[ \t]+#+)?[ \t]*\r?$")
_FENCE = re.compile(r" {0,3}(?P<fence>`{3,}|~{3,})")


class DocumentError(ValueError):
    """A source file that cannot be read; says which file and, where known, which line."""

    def __init__(self, name: str, message: str, *, line: int | None = None, params: dict | None = None):
        self.name = name
        self.line = line
        self.message = message
        self.params = params or {}
        super().__init__(self.text())

    def text(self, translate=lambda message: message) -> str:
        where = f"{self.name}:{self.line}" if self.line else self.name
        detail = translate(self.message) % self.params if self.params else translate(self.message)
        return f"{where}: {detail}"


@dataclass(frozen=True)
class _Entry:
    """One top-level front-matter key: its value's text, and where key and value sit among the file's lines."""

    key: str
    first: int  # index of the key's line in the file (0-based)
    last: int  # index of the value's last line
    end_column: int  # where the value ends on its last line (what follows it there is a comment or nothing)
    value_line: int  # 1-based line and column of the value's first character
    value_column: int


@dataclass(frozen=True)
class Document:
    """A parsed source file.

    `text` is exactly what was read (a byte-order mark included); `meta` holds the front-matter values that are
    text, as written; `body` is what follows the front matter and `body_line` the file line it starts on.
    A file without `title:` takes its title from its first `# ` heading (`title_from_heading`).
    """

    text: str
    meta: dict[str, str]
    body: str
    body_line: int
    meta_lines: dict[str, int] = field(default_factory=dict)
    value_positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    heading_title: str = ""  # the first heading's text, when the front matter has no title
    findings: tuple[Finding, ...] = ()

    def value(self, name: str) -> str:
        """Return a metadata field as an editor sees it: the title falls back to the first heading."""
        return self.title if name == "title" else self.meta.get(name, "")

    @property
    def title(self) -> str:
        return self.heading_title or self.meta.get("title", "")

    @property
    def description(self) -> str:
        return self.meta.get("description", "")

    @property
    def keywords(self) -> str:
        return self.meta.get("keywords", "")


def decode_source(data: bytes, *, name: str) -> str:
    """Decode a file's bytes as UTF-8, naming the line of the first invalid byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DocumentError(
            name, _("not valid UTF-8 (byte 0x%(byte)02x)"), line=line, params={"byte": data[error.start]}
        ) from None
    if not text.removeprefix(BOM).strip():
        raise DocumentError(name, _("the file is empty"))
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DocumentError(name, _("the file contains a NUL byte: it is binary, not text"), line=line)
    return text


def _file_lines(text: str) -> list[str]:
    """Split at line feeds only, ends kept: the lines an editor counts (not str.splitlines' many separators)."""
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


@dataclass(frozen=True)
class _Layout:
    """Where the parts of a file are: its lines (the BOM not among them) and the front matter's fences."""

    bom: str
    lines: list[str]
    closing: int | None  # index of the closing fence; None when the file has no front matter

    @property
    def body(self) -> str:
        return "".join(self.lines if self.closing is None else self.lines[self.closing + 1 :])

    @property
    def body_line(self) -> int:
        return 1 if self.closing is None else self.closing + 2

    @property
    def front(self) -> str:
        return "" if self.closing is None else "".join(self.lines[1 : self.closing])


def _layout(text: str, *, name: str) -> _Layout:
    bom = BOM if text.startswith(BOM) else ""
    lines = _file_lines(text[len(bom) :])
    if not lines or lines[0].rstrip("\r\n") != FRONT_MATTER_FENCE:
        return _Layout(bom, lines, None)
    closing = next(
        (index for index, line in enumerate(lines[1:], start=1) if line.rstrip("\r\n") == FRONT_MATTER_FENCE),
        None,
    )
    if closing is None:
        raise DocumentError(name, _("the front matter is not closed by a line '---'"), line=1)
    return _Layout(bom, lines, closing)


# A save reads each language version's file several times (to render, to check it and the versions compared with
# it); the last few results are kept, as parse_markdown keeps its parses, so each file is read once.
@lru_cache(maxsize=16)
def parse_document(text: str, *, name: str) -> Document:
    """Split front matter (if any) from body and read the metadata every article needs (treat it as read-only)."""
    layout = _layout(text, name=name)
    meta, entries = _read_front_matter(layout.front, name=name) if layout.closing is not None else ({}, [])
    meta_lines = {entry.key: entry.first + 1 for entry in entries}
    positions = {entry.key: (entry.value_line, entry.value_column) for entry in entries}
    findings: tuple[Finding, ...] = ()
    title = ""
    if not meta.get("title", "").strip():
        heading = _first_heading(layout.body, first_line=layout.body_line)
        if heading is None:
            line = meta_lines.get("title", 2 if layout.closing is not None else 1)
            raise DocumentError(
                name, _("no title: the front matter has no title and the text no '# ' heading"), line=line
            )
        line, column, title = heading
        meta_lines["title"], positions["title"] = line, (line, column)
        findings = (
            Finding(
                "meta.title-from-heading",
                Severity.INFO,
                line,
                column,
                _("No title in the front matter: the first heading, %(title)s, is the title"),
                {"title": title},
            ),
        )
    return Document(
        text=text,
        meta=meta,
        body=layout.body,
        body_line=layout.body_line,
        meta_lines=meta_lines,
        value_positions=positions,
        heading_title=title,
        findings=findings,
    )


def _first_heading(body: str, *, first_line: int) -> tuple[int, int, str] | None:
    """Return line, column and text of the first `# ` heading outside code fences."""
    fence = None
    for number, line in enumerate(_file_lines(body), start=first_line):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening["fence"][0] == fence[0] and len(opening["fence"]) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening["fence"]
            continue
        match = _HEADING.match(line.rstrip("\n"))
        if match and match["title"].strip():
            return number, match.start("title") + 1, match["title"].strip()
    return None


class _Refused(Exception):
    def __init__(self, mark, message: str, params: dict | None = None):
        self.mark = mark
        self.message = message
        self.params = params or {}


# libyaml when PyYAML was built with it (it parses the front matter about ten times faster than pure Python).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_NESTING = 20


def _compose(source: str) -> yaml.Node | None:
    """Return the node tree, refusing anchors and aliases (no alias bombs), deep nesting and duplicate keys."""
    depth = 0
    for event in yaml.parse(source, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(
                event.start_mark, _("YAML anchors and aliases (& and *) are not allowed in the front matter")
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                raise _Refused(event.start_mark, _("the front matter nests values too deeply"))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    root = yaml.compose(source, Loader=_LOADER)
    pending = [root] if root is not None else []
    while pending:
        node = pending.pop()
        if isinstance(node, yaml.MappingNode):
            seen = {}
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    raise _Refused(key.start_mark, _("a front-matter key must be text"))
                if key.value in seen:
                    raise _Refused(
                        key.start_mark,
                        _("the key %(key)s appears twice in the front matter (first on line %(first)d)"),
                        {"key": key.value, "first": source.count("\n", 0, seen[key.value]) + 2},
                    )
                seen[key.value] = key.start_mark.index
                pending.append(value)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
    return root


def _read_front_matter(source: str, *, name: str) -> tuple[dict[str, str], list[_Entry]]:
    def place(index: int) -> tuple[int, int]:
        """File line and column (1-based) of a character of the front matter, which starts on line 2."""
        return source.count("\n", 0, index) + 2, index - (source.rfind("\n", 0, index) + 1) + 1

    try:
        root = _compose(source)
    except _Refused as refused:
        raise DocumentError(name, refused.message, line=place(refused.mark.index)[0], params=refused.params) from None
    except yaml.YAMLError as error:
        # An unclosed bracket or quote is reported where it was opened, which is where the fix goes.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        index = mark.index if mark else getattr(error, "position", None)
        problem = getattr(error, "problem", None) or getattr(error, "reason", None) or str(error)
        raise DocumentError(
            name,
            _("invalid YAML in the front matter: %(problem)s"),
            line=place(index)[0] if index is not None else None,
            params={"problem": problem},
        ) from None
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise DocumentError(
            name, _("the front matter must be lines of 'name: value'"), line=place(root.start_mark.index)[0]
        )
    meta, entries = {}, []
    for key_node, value_node in root.value:
        key = key_node.value
        text = _node_text(value_node, key=key)
        if text is None and key in META_FIELDS:
            raise DocumentError(
                name,
                _("the front-matter field %(field)s must be text"),
                line=place(value_node.start_mark.index)[0],
                params={"field": key},
            )
        if text is not None:
            meta[key] = text
        end = value_node.end_mark.index
        end_line, end_column = place(end)
        if end_column == 1 and end > key_node.start_mark.index and source[end - 1] == "\n":
            # A block scalar ends at the start of the line after it.
            end_line, end_column = place(end - 1)
        value_line, value_column = _value_start(source, value_node, place)
        entries.append(
            _Entry(
                key=key,
                first=place(key_node.start_mark.index)[0] - 1,
                last=end_line - 1,
                end_column=end_column - 1,
                value_line=value_line,
                value_column=value_column,
            )
        )
    return meta, entries


def _node_text(node, *, key: str) -> str | None:
    """Return a value as the writer wrote it (`yes` stays "yes"); keywords may be a list; None if not text."""
    if isinstance(node, yaml.ScalarNode):
        return "" if node.tag == _NULL_TAG else node.value
    scalars = isinstance(node, yaml.SequenceNode) and all(isinstance(item, yaml.ScalarNode) for item in node.value)
    if key == "keywords" and scalars:
        return ",".join(item.value for item in node.value)
    return None


def _value_start(source: str, node, place) -> tuple[int, int]:
    index = node.start_mark.index
    style = getattr(node, "style", None)
    if style in ('"', "'"):
        index += 1
    elif style in ("|", ">"):
        # The text starts on the line after the block indicator, after its indentation.
        newline = source.find("\n", index)
        if newline != -1:
            index = newline + 1
            while index < len(source) and source[index] == " ":
                index += 1
    return place(index)


def plain_text(value: str) -> str:
    """Return a metadata value as the reader should see it: entities decoded, tags dropped."""
    return " ".join(html.unescape(_TAG.sub("", html.unescape(value))).split())


def compose_document(*, original: str, meta: dict[str, str], body: str) -> str:
    """Write a source file back: the original where nothing changed, else only the changed keys' lines and body.

    A key the original has is rewritten in place when its value changed; a key it lacks is added before the closing
    fence, and only when its value is not empty. A title the original took from its heading is unchanged as long as
    the heading is.
    """
    try:
        parsed = parse_document(original, name="original") if original else None
    except DocumentError:
        parsed = None  # stored under older rules; write a new file from the values rather than fail
    if parsed is None:
        added = "".join(_meta_line(key, value, "\n") for key, value in meta.items() if value)
        return f"{FRONT_MATTER_FENCE}\n{added}{FRONT_MATTER_FENCE}\n{body}"
    if parsed.body == body and all(parsed.value(key) == value for key, value in meta.items()):
        return original
    layout = _layout(original, name="original")
    newline = "\r\n" if layout.lines and layout.lines[0].endswith("\r\n") else "\n"
    entries = _read_front_matter(layout.front, name="original")[1] if layout.closing is not None else []
    by_key = {entry.key: entry for entry in entries}
    lines = list(layout.lines if layout.closing is not None else [])
    changed = {key: value for key, value in meta.items() if parsed.value(key) != value}
    # From the last key up, so the line indexes of those above stay valid.
    for entry in sorted((by_key[key] for key in changed if key in by_key), key=lambda entry: -entry.first):
        replacement = _meta_line(entry.key, changed[entry.key], newline)
        trailing = lines[entry.last][entry.end_column :].rstrip("\r\n")
        if trailing.lstrip().startswith("#"):  # a comment after the value stays after it
            replacement = replacement.removesuffix(newline) + trailing + newline
        lines[entry.first : entry.last + 1] = [replacement]
    added = [_meta_line(key, value, newline) for key, value in changed.items() if key not in by_key and value]
    if layout.closing is None:
        head = [f"{FRONT_MATTER_FENCE}{newline}", *added, f"{FRONT_MATTER_FENCE}{newline}"] if added else []
    else:
        closing = layout.closing + len(lines) - len(layout.lines)
        head = [*lines[:closing], *added, lines[closing]]
    return layout.bom + "".join(head) + body


def _meta_line(key: str, value: str, newline: str) -> str:
    plain = f"{key}: {value}"
    try:
        if value and "\n" not in value and yaml.safe_load(plain) == {key: value}:
            return plain + newline
    except yaml.YAMLError:
        pass
    dumped = yaml.safe_dump({key: value}, allow_unicode=True, width=10**6, default_flow_style=False)
    return dumped.rstrip("\n").replace("\n", newline) + newline

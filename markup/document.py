"""Source files: Markdown with YAML front matter, read and written back without loss."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import yaml

from markup.findings import gettext_noop as _

FRONT_MATTER_FENCE = "---"
META_FIELDS = ("title", "description", "keywords")
_TAG = re.compile(r"<[^<>\n]{1,200}>")


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
class Document:
    """A parsed source file; `text` is exactly what was read, `body_line` the file line the body starts on."""

    text: str
    meta: dict[str, str]
    body: str
    body_line: int

    @property
    def meta_lines(self) -> dict[str, int]:
        """Return the file line of each top-level front-matter key."""
        lines = {}
        for number, line in enumerate(self.text.splitlines()[1 : self.body_line - 2], start=2):
            key = line.split(":", 1)[0]
            if ":" in line and key and not line[0].isspace() and key not in lines:
                lines[key] = number
        return lines

    @property
    def title(self) -> str:
        return self.meta.get("title", "")

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
    if not text.strip():
        raise DocumentError(name, _("the file is empty"))
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DocumentError(name, _("the file contains a NUL byte: it is binary, not text"), line=line)
    return text


def parse_document(text: str, *, name: str) -> Document:
    """Split front matter from body and check the metadata every article needs."""
    text_lf = text.removeprefix("\ufeff")
    lines = text_lf.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != FRONT_MATTER_FENCE:
        raise DocumentError(name, _("no front matter: the file must start with a line '---'"), line=1)
    closing = next(
        (index for index, line in enumerate(lines[1:], start=1) if line.rstrip("\r\n") == FRONT_MATTER_FENCE),
        None,
    )
    if closing is None:
        raise DocumentError(name, _("the front matter is not closed by a line '---'"), line=1)
    meta = _load_meta("".join(lines[1:closing]), name=name)
    if not meta.get("title", "").strip():
        raise DocumentError(name, _("the front matter has no title"), line=2)
    return Document(text=text, meta=meta, body="".join(lines[closing + 1 :]), body_line=closing + 2)


def _load_meta(source: str, *, name: str) -> dict[str, str]:
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as error:
        # An unclosed bracket or quote is reported where it was opened, which is where the fix goes.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise DocumentError(
            name,
            _("invalid YAML in the front matter: %(problem)s"),
            line=mark.line + 2 if mark else None,
            params={"problem": problem},
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DocumentError(name, _("the front matter must be a mapping of names to values"), line=2)
    meta = {}
    for key, value in data.items():
        if isinstance(value, list):
            value = ",".join(str(item) for item in value)
        elif value is None:
            value = ""
        elif isinstance(value, dict):
            line = _key_line(source, str(key))
            raise DocumentError(
                name, _("the front-matter field %(field)s must be text"), line=line, params={"field": key}
            )
        meta[str(key)] = str(value)
    return meta


def _key_line(source: str, key: str) -> int | None:
    for number, line in enumerate(source.splitlines(), start=2):
        if line.startswith(f"{key}:"):
            return number
    return None


def plain_text(value: str) -> str:
    """Return a metadata value as the reader should see it: entities decoded, tags dropped."""
    return " ".join(html.unescape(_TAG.sub("", html.unescape(value))).split())


def compose_document(*, original: str, meta: dict[str, str], body: str) -> str:
    """Write a source file back: the original's front-matter lines where a value is unchanged, new ones else."""
    if original:
        parsed = parse_document(original, name="original")
        if parsed.meta == meta and parsed.body == body:
            return original
        newline = "\r\n" if "\r\n" in original else "\n"
        lines = original.splitlines(keepends=True)
        closing = next(i for i, line in enumerate(lines[1:], start=1) if line.rstrip("\r\n") == FRONT_MATTER_FENCE)
        front = lines[1:closing]
    else:
        newline, front, parsed = "\n", [], None
    kept = []
    written = set()
    for line in front:
        key = line.split(":", 1)[0]
        if key in meta and not line.startswith((" ", "\t", "-")):
            written.add(key)
            if parsed is not None and parsed.meta.get(key) == meta[key]:
                kept.append(line)
            else:
                kept.append(_meta_line(key, meta[key], newline))
        elif key not in META_FIELDS:
            kept.append(line)
    kept.extend(_meta_line(key, value, newline) for key, value in meta.items() if key not in written)
    return f"{FRONT_MATTER_FENCE}{newline}{''.join(kept)}{FRONT_MATTER_FENCE}{newline}{body}"


def _meta_line(key: str, value: str, newline: str) -> str:
    plain = f"{key}: {value}"
    try:
        if value and yaml.safe_load(plain) == {key: value}:
            return plain + newline
    except yaml.YAMLError:
        pass
    dumped = yaml.safe_dump({key: value}, allow_unicode=True, width=10**6, default_flow_style=False)
    return dumped.rstrip("\n") + newline

"""Reading aids added to an article's stored body when its page is rendered: heading anchors, table cell labels.

Pure Python, no Django. The body is markup/'s sanitised HTML; everything in it is copied through byte for byte
(start tags, text, character references and comments as they were written) and only added to:
- every h2 and h3 with an id gets a link to itself after its text (`<a class="heading-anchor" href="#id">`), named
  for screen readers by `anchor_label(heading text)`;
- in a table whose first row is all header cells (a `thead`, or a first row of `th`), every later cell gets
  `data-label` with its column's header, which the stylesheet shows when a phone stacks the table's cells.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape, unescape
from html.parser import HTMLParser

ANCHORED_HEADINGS = ("h2", "h3")

# The HTML the sanitiser writes, piece by piece: a start tag (lower-case name, attributes in double quotes), an end
# tag, or text whose every "&" begins a whole character reference. In such HTML each piece is what HTMLParser
# reports, attribute values unescaped as it unescapes them, so one regular expression reads it, several times
# sooner; any other HTML (a comment, a bare "&", single quotes) is read by HTMLParser.
_PIECES = re.compile(
    r'<([a-z][a-z0-9]*)((?:\s+[a-z][a-z0-9-]*(?:="[^"]*")?)*)\s*>'
    r"|</([a-z][a-z0-9]*)>"
    r"|((?:[^<&]+|&[a-zA-Z][a-zA-Z0-9]*;|&#[0-9]+;|&#[xX][0-9a-fA-F]+;)+)"
)
_ATTRIBUTE = re.compile(r'([a-z][a-z0-9-]*)(?:="([^"]*)")?')  # a value-less attribute's value: "" (None to HTMLParser)
# What starts the parts reading aids are added to; outside them, every piece is copied as it is.
_OPENERS = (*ANCHORED_HEADINGS, "table")
# HTMLParser reads the content of these as text, whatever it holds.
_RAW_TEXT_ELEMENTS = ("script", "style")


def add_reading_aids(html: str, *, anchor_label: Callable[[str], str]) -> str:
    """Return `html` with heading anchors and table cell labels added, and otherwise unchanged."""
    parser = _ReadingAidsParser(anchor_label)
    if not _read_sanitised(parser, html):
        parser = _ReadingAidsParser(anchor_label)
        parser.feed(html)
        parser.close()
    return "".join(parser.out)


def _read_sanitised(parser: "_ReadingAidsParser", html: str) -> bool:
    """Give `parser` the pieces of sanitised HTML as HTMLParser would; False (and nothing read) for other HTML."""
    pieces, end = [], 0
    for piece in _PIECES.finditer(html):
        if piece.start() != end or piece.group(1) in _RAW_TEXT_ELEMENTS:
            return False
        pieces.append(piece)
        end = piece.end()
    if end != len(html):
        return False
    out = parser.out
    for piece in pieces:
        tag, attributes, end_tag, text = piece.groups()
        if not parser.headings and not parser.tables and tag not in _OPENERS:
            out.append(piece.group())  # outside headings and tables nothing is added, nor any text read
        elif tag is not None:
            attrs = [(name, value and unescape(value)) for name, value in _ATTRIBUTE.findall(attributes)]
            parser.start_tag(tag, attrs, piece.group())
        elif end_tag is not None:
            parser.handle_endtag(end_tag)
        else:
            parser.text(text)
    return True


@dataclass
class _Table:
    labels: list[str] | None = None  # the header row's texts, once it has been read
    in_head: bool = False
    row_cells: list[tuple[str, str]] = field(default_factory=list)  # (tag, text) of the row being read
    column: int = 0


@dataclass
class _Heading:
    tag: str
    id: str
    text: list[str] = field(default_factory=list)


class _ReadingAidsParser(HTMLParser):
    def __init__(self, anchor_label: Callable[[str], str]):
        super().__init__(convert_charrefs=False)
        self.anchor_label = anchor_label
        self.out: list[str] = []
        self.tables: list[_Table] = []
        self.headings: list[_Heading] = []
        self.cell_text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.start_tag(tag, attrs, self.get_starttag_text())

    def start_tag(self, tag: str, attrs: list[tuple[str, str | None]], text: str) -> None:
        attributes = dict(attrs)
        if tag in ANCHORED_HEADINGS and attributes.get("id"):
            self.headings.append(_Heading(tag, attributes["id"]))
        elif tag == "table":
            self.tables.append(_Table())
        elif self.tables and tag == "thead":
            self.tables[-1].in_head = True
        elif self.tables and tag == "tr":
            self.tables[-1].row_cells, self.tables[-1].column = [], 0
        elif self.tables and tag in ("td", "th"):
            text = self._cell_start(self.tables[-1], tag, text, attributes)
        self.out.append(text)

    def _cell_start(self, table: _Table, tag: str, text: str, attributes: dict) -> str:
        column = table.column
        table.column += _span(attributes.get("colspan"))
        if table.labels is None:
            self.cell_text = []
            table.row_cells.append((tag, ""))
            return text
        label = table.labels[column] if column < len(table.labels) else ""
        if not label or "data-label" in attributes:
            return text
        return f'{text[:-1].rstrip()} data-label="{escape(label)}">'

    def handle_endtag(self, tag):
        if self.headings and tag == self.headings[-1].tag:
            heading = self.headings.pop()
            title = " ".join("".join(heading.text).split())
            self.out.append(
                f'<a class="heading-anchor" href="#{escape(heading.id)}" '
                f'aria-label="{escape(self.anchor_label(title))}">#</a>'
            )
        elif self.tables:
            self._table_end(self.tables[-1], tag)
        self.out.append(f"</{tag}>")

    def _table_end(self, table: _Table, tag: str) -> None:
        if tag in ("td", "th") and self.cell_text is not None and table.row_cells:
            cell_tag, _text = table.row_cells[-1]
            table.row_cells[-1] = (cell_tag, " ".join(unescape("".join(self.cell_text)).split()))
            self.cell_text = None
        elif tag == "tr" and table.labels is None:
            if table.row_cells and (table.in_head or all(cell == "th" for cell, _text in table.row_cells)):
                table.labels = [text for _cell, text in table.row_cells]
            else:
                table.labels = []  # no header row: nothing to label
        elif tag == "thead":
            table.in_head = False
        elif tag == "table":
            self.tables.pop()

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_data(self, data):
        self.text(data)

    def text(self, raw: str) -> None:
        """Text as written, character references included."""
        self._text(raw)
        self.out.append(raw)

    def handle_entityref(self, name):
        self._text(f"&{name};")
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self._text(f"&#{name};")
        self.out.append(f"&#{name};")

    def _text(self, raw: str) -> None:
        for heading in self.headings:
            heading.text.append(unescape(raw))
        if self.cell_text is not None:
            self.cell_text.append(raw)

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")


def _span(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1

"""Translation QA: find what a careful bilingual reviewer would flag in one language version. No Django here.

Checks run on one version alone, and against its source-language version when one is given. Rules that belong to a
writing system are chosen by the script of the text (Hangul, Han), not by language code, so a new language gets the
generic checks without any change here; the few rules of one language's typography are in TYPOGRAPHY.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

from markup.findings import Finding, Fix, Severity
from markup.findings import gettext_noop as _
from markup.repair import repair_markdown

# Languages whose typography puts a (no-break) space before these marks: French and its regional variants.
TYPOGRAPHY = {"fr": {"space_before": ";:!?"}}
DESCRIPTION_MAX_WIDTH = 200  # display width (CJK counts 2); search engines cut long before this
UNTRANSLATED_MIN_LENGTH = 25
TRUNCATED_START_SOURCE_SHARE = 0.15
TERM_TYPO_MIN_LENGTH = 6
KOREAN_PARTICLES = ("으로", "에서", "에게", "을", "를", "은", "는", "의", "에", "로", "와", "과")
KOREAN_SENTENCE_ENDINGS = set("다요까죠오라네자니군나")
SCALES = {
    "thousand": 10**3,
    "million": 10**6,
    "millions": 10**6,
    "billion": 10**9,
    "milliard": 10**9,
    "milliards": 10**9,
    "milliarder": 10**9,
    "millioner": 10**6,
    "천": 10**3,
    "만": 10**4,
    "억": 10**8,
    "千": 10**3,
    "万": 10**4,
    "亿": 10**8,
}

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}([#＃]{1,6})\s*(.*?)\s*[#＃]*\s*$")
_QUOTE = re.compile(r"^ {0,3}>\s?(.*)$")
_ITEM = re.compile(r"^ {0,3}(?:[-*+–—•]|\d{1,9}[.)])\s+(.*)$")
_HTML_BLOCK = re.compile(r"^ {0,3}<(table|div|h[1-6]|ul|ol|p|blockquote|pre|dl|section|figure|details)(?=[\s>/])", re.I)
_TAG = re.compile(r"<[^<>\n]{0,1000}>")
_LINK = re.compile(r"\[([^\[\]\n]*)\]\(([^()\s]*)\)")
_TERM_TARGET = re.compile(r"^/([a-z0-9]+(?:-[a-z0-9]+)*)/?$")
_BROKEN_LINK = re.compile(r"\]\s+\(/|\[[^\[\]\n]{0,200}\]\((?![^()\n]{0,300}\))")
_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,31});")
_DOUBLED = re.compile(r"(?<![.,;:!?])([,;:][.,;:]|\.[,;:]|,,|(?<!\.)\.\.(?!\.)|[。，；][。，；])")
_SPACE_AFTER_OPEN = re.compile(r"([(（\[])[ \t]+(?=\S)")
_SPACE_BEFORE_CLOSE = re.compile(r"(?<=\S)[ \t]+([)）])")
_SPACE_AFTER_FULLWIDTH = re.compile(r"([。，；：！？、])[ \t]+(?=\S)")
_HALFWIDTH_IN_HAN = re.compile(r"(?<=[\u4e00-\u9fff])([,;:!?])(?=[\u4e00-\u9fff])")
_NUMBER = re.compile(r"(?<![#\w.,])(\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+|\d+(?:[.,]\d+)?)\s*([A-Za-z]+|[천만억千万亿])?")
# Brand-like names: CamelCase (StartEngine), capitals then lower case (MTurk), or a capitalised word in brackets.
_NAME = re.compile(r"\b([A-Z][a-z]+[A-Z][A-Za-z]*|[A-Z]{2,}[a-z]{2,}[A-Za-z]*)\b|\(([A-Z][a-z]{3,})\)")
_WORD = re.compile(r"\w+", re.UNICODE)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE = re.compile(r"[^.!?。！？]+[.!?。！？]")


@dataclass(frozen=True)
class Version:
    """One language version of an article, as read from its file."""

    language: str
    title: str
    description: str
    keywords: str
    body: str
    body_line: int = 1
    meta_lines: Mapping[str, int] = field(default_factory=dict)


@dataclass
class Block:
    """A block of the body: heading, paragraph, list item, quote, table, html or placeholder."""

    kind: str
    text: str
    line: int
    level: int = 0
    section: int = 0
    lines: list[tuple[int, str]] = field(default_factory=list)

    @cached_property
    def plain(self) -> str:
        return _plain(self.text)

    @property
    def links(self) -> list[tuple[str, str, int, int]]:
        """Return (target, text, line, column) of every link in the block."""
        found = []
        for number, line in self.lines:
            for match in _LINK.finditer(line):
                found.append((match.group(2), match.group(1), number, match.start() + 1))
        return found


def check_version(version: Version, *, source: Version | None = None) -> list[Finding]:
    """All findings for one language version; cross-language checks only when `source` is given."""
    findings: list[Finding] = []
    _, markup_findings = repair_markdown(version.body, first_line=version.body_line)
    findings.extend(markup_findings)
    blocks = parse_blocks(version.body, first_line=version.body_line)
    findings.extend(_check_metadata(version, source))
    findings.extend(_check_links(blocks))
    findings.extend(_check_punctuation(version, blocks))
    findings.extend(_check_korean(blocks))
    if source is not None and source.language != version.language:
        source_blocks = parse_blocks(source.body, first_line=source.body_line)
        findings.extend(_check_against_source(version, blocks, source, source_blocks))
    unique = {(f.code, f.line, f.column): replace(f, language=version.language) for f in findings}
    return sorted(unique.values(), key=lambda f: (f.line, f.column, f.code))


def apply_fix(text: str, fix: Fix) -> str:
    """Apply a mechanical fix to the file text it was found in; raise ValueError if it no longer applies."""
    lines = text.split("\n")
    index = fix.line - 1
    if not 0 <= index < len(lines):
        raise ValueError(f"line {fix.line} is not in the text")
    line = lines[index]
    start = fix.column - 1
    if line[start : start + len(fix.old)] != fix.old:
        raise ValueError(f"line {fix.line}, column {fix.column} no longer reads {fix.old!r}")
    if fix.new == "" and fix.old == line:
        del lines[index]
    else:
        lines[index] = line[:start] + fix.new + line[start + len(fix.old) :]
    return "\n".join(lines)


# Parsing -----------------------------------------------------------------------------------------------------


def parse_blocks(body: str, *, first_line: int = 1) -> list[Block]:
    """Split a body into blocks with their file lines, as a reader would see them (quotes joined, markers tolerated)."""
    blocks: list[Block] = []
    current: Block | None = None
    section = 0
    fence = None
    for index, raw in enumerate(body.split("\n")):
        number = first_line + index
        fence_match = _FENCE.match(raw)
        if fence is not None or fence_match:
            if fence is None:
                fence = fence_match.group(1)[0]
            elif fence_match and fence_match.group(1)[0] == fence:
                fence = None
            continue
        if not raw.strip():
            if current is not None and current.kind in ("paragraph", "item", "html"):
                current = _close_html(current)
                current = None
            continue
        if current is not None and current.kind == "html":
            current.text += "\n" + raw
            current.lines.append((number, raw))
            if _html_closed(current):
                current = _close_html(current)
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
                    current = Block("quote", "", number, section=section)
                    blocks.append(current)
            if content.strip():
                heading = _HEADING.match(content)
                current.text = (current.text + "\n" + (heading.group(2) if heading else content)).strip()
                current.lines.append((number, raw))
            continue
        heading = _HEADING.match(raw)
        if heading and heading.group(2) and not heading.group(2)[:1].isdigit():
            level = len(heading.group(1))
            if level <= 2:
                section += 1
            blocks.append(
                Block("heading", heading.group(2), number, level=level, section=section, lines=[(number, raw)])
            )
            current = None
            continue
        item = _ITEM.match(raw)
        if item:
            current = Block("item", item.group(1), number, section=section, lines=[(number, raw)])
            blocks.append(current)
            continue
        if _HTML_BLOCK.match(raw):
            current = Block("html", raw, number, section=section, lines=[(number, raw)])
            blocks.append(current)
            if _html_closed(current):
                current = _close_html(current)
                current = None
            continue
        if current is not None and current.kind in ("paragraph", "item"):
            current.text += " " + raw.strip()
            current.lines.append((number, raw))
            continue
        current = Block("paragraph", raw.strip(), number, section=section, lines=[(number, raw)])
        blocks.append(current)
    for block in blocks:
        _close_html(block)
    return blocks


def _html_closed(block: Block) -> bool:
    tag = _HTML_BLOCK.match(block.lines[0][1]).group(1).lower()
    opened = len(re.findall(rf"<{tag}(?=[\s>/])", block.text, re.IGNORECASE))
    return opened <= len(re.findall(rf"</{tag}\s*>", block.text, re.IGNORECASE))


def _close_html(block: Block) -> Block:
    if block.kind == "html":
        visible = _TAG.sub("", block.text).strip()
        if "<table" in block.text.lower():
            block.kind = "table"
        elif visible and re.fullmatch(r"(?-i:T{3,}|X{3,})|TODO|TBD|FIXME", visible, re.IGNORECASE):
            block.kind = "placeholder"
    return block


def _plain(text: str) -> str:
    text = _LINK.sub(lambda match: match.group(1), text)
    text = _TAG.sub("", text)
    return " ".join(html.unescape(text).replace("*", "").split())


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _finding(code, severity, line, column, message, params=None, fix=None) -> Finding:
    return Finding(code, severity, line, column, message, params or {}, fix)


# Metadata ----------------------------------------------------------------------------------------------------


def _check_metadata(version: Version, source: Version | None) -> Iterator[Finding]:
    meta_line = version.meta_lines
    for name in ("title", "description"):
        value = getattr(version, name)
        line = meta_line.get(name, 1)
        column = len(name) + 3
        for match in _ENTITY.finditer(value):
            decoded = html.unescape(match.group(0))
            yield _finding(
                "meta.entity",
                Severity.WARNING,
                line,
                column + match.start(),
                _("HTML entity %(entity)s in the %(field)s: write the character %(char)s itself"),
                {"entity": match.group(0), "field": name, "char": decoded},
                Fix(line, column + match.start(), match.group(0), decoded),
            )
        for match in _TAG.finditer(value):
            yield _finding(
                "meta.markup",
                Severity.WARNING,
                line,
                column + match.start(),
                _("Markup %(tag)s in the %(field)s: metadata is plain text"),
                {"tag": match.group(0), "field": name},
                Fix(line, column + match.start(), match.group(0), ""),
            )
    description = _plain(version.description)
    if not description:
        yield _finding(
            "meta.description-missing",
            Severity.WARNING,
            meta_line.get("description", 1),
            1,
            _("No description: search engines and link previews will show arbitrary text"),
        )
    elif _width(description) > DESCRIPTION_MAX_WIDTH:
        yield _finding(
            "meta.description-long",
            Severity.INFO,
            meta_line.get("description", 1),
            1,
            _("The description is %(width)d columns wide; search results cut it after about %(limit)d"),
            {"width": _width(description), "limit": DESCRIPTION_MAX_WIDTH},
        )
    translated = source is not None and source.language != version.language and version.keywords.strip()
    if translated and version.keywords.strip() == source.keywords.strip() and re.search(r"[^\W\d_]", version.keywords):
        yield _finding(
            "meta.keywords-untranslated",
            Severity.INFO,
            meta_line.get("keywords", 1),
            1,
            _("The keywords are the same as in %(source)s: translate them or confirm they stay"),
            {"source": source.language},
        )


# Links -------------------------------------------------------------------------------------------------------


def _check_links(blocks: list[Block]) -> Iterator[Finding]:
    for block in blocks:
        for target, text, line, column in block.links:
            if not target:
                yield _finding(
                    "link.empty-target",
                    Severity.ERROR,
                    line,
                    column,
                    _("Link %(text)s has no address"),
                    {"text": f"[{text}]"},
                )
            elif not text.strip():
                yield _finding(
                    "link.empty-text",
                    Severity.ERROR,
                    line,
                    column,
                    _("Link to %(target)s has no text"),
                    {"target": target},
                )
        for number, raw in block.lines:
            for match in _BROKEN_LINK.finditer(raw):
                yield _finding(
                    "link.broken-syntax",
                    Severity.ERROR,
                    number,
                    match.start() + 1,
                    _("Broken link syntax %(text)s: readers would see the brackets"),
                    {"text": match.group(0)[:40]},
                )


# Punctuation and spacing -------------------------------------------------------------------------------------


def _check_punctuation(version: Version, blocks: list[Block]) -> Iterator[Finding]:
    space_before = TYPOGRAPHY.get(version.language.split("-")[0], {}).get("space_before", "")
    for block in blocks:
        if block.kind in ("html", "table", "placeholder"):
            continue
        for number, raw in block.lines:
            text = _LINK.sub(lambda m: "[" + m.group(1) + "]" + "\0" * (len(m.group(0)) - len(m.group(1)) - 2), raw)
            yield from _doubled(number, raw, text)
            yield from _space_before_marks(number, raw, text, space_before)
            yield from _parenthesis_spacing(number, raw, text)
            if _HAN.search(text):
                yield from _han_spacing(number, raw, text)


def _doubled(number: int, raw: str, text: str) -> Iterator[Finding]:
    for match in _DOUBLED.finditer(text):
        marks = match.group(1)
        yield _finding(
            "punct.doubled",
            Severity.WARNING,
            number,
            match.start() + 1,
            _("Doubled punctuation %(marks)s"),
            {"marks": marks},
            Fix(number, match.start() + 1, marks, marks[0]),
        )


def _space_before_marks(number: int, raw: str, text: str, space_before: str) -> Iterator[Finding]:
    for match in re.finditer(r"(?<=\S)([ \t]+)([.,;:!?])(?=\s|$|\0)", text):
        mark = match.group(2)
        if mark in space_before or text[match.start() - 1] in "([":
            continue
        yield _finding(
            "punct.space-before",
            Severity.WARNING,
            number,
            match.start() + 1,
            _("Space before %(mark)s"),
            {"mark": mark},
            Fix(number, match.start() + 1, match.group(0), mark),
        )
    for mark in space_before:
        for match in re.finditer(rf"(?<=[^\s\0\]\u00a0\u202f])\{mark}(?=\s|$)", text):
            if text[: match.start()].rstrip().endswith(("http", "https", "mailto")):
                continue
            yield _finding(
                "punct.missing-space-before",
                Severity.INFO,
                number,
                match.start() + 1,
                _("French typography puts a no-break space before %(mark)s"),
                {"mark": mark},
                Fix(number, match.start() + 1, mark, "\u00a0" + mark),
            )


def _parenthesis_spacing(number: int, raw: str, text: str) -> Iterator[Finding]:
    for pattern, message in (
        (_SPACE_AFTER_OPEN, _("Space after the opening parenthesis")),
        (_SPACE_BEFORE_CLOSE, _("Space before the closing parenthesis")),
    ):
        for match in pattern.finditer(text):
            if "\0" in match.group(0):
                continue
            kept = match.group(1)
            yield _finding(
                "punct.space-in-parentheses",
                Severity.WARNING,
                number,
                match.start() + 1,
                message,
                fix=Fix(number, match.start() + 1, match.group(0), kept),
            )


def _han_spacing(number: int, raw: str, text: str) -> Iterator[Finding]:
    for match in _SPACE_AFTER_FULLWIDTH.finditer(text):
        yield _finding(
            "punct.space-after-fullwidth",
            Severity.WARNING,
            number,
            match.start() + 1,
            _("Space after the full-width %(mark)s: it already has its own space"),
            {"mark": match.group(1)},
            Fix(number, match.start() + 1, match.group(0), match.group(1)),
        )
    for match in _HALFWIDTH_IN_HAN.finditer(text):
        wide = unicodedata.normalize("NFKC", match.group(1))
        wide = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}[wide]
        yield _finding(
            "punct.halfwidth-in-cjk",
            Severity.WARNING,
            number,
            match.start() + 1,
            _("Half-width %(mark)s between Chinese characters: use %(wide)s"),
            {"mark": match.group(1), "wide": wide},
            Fix(number, match.start() + 1, match.group(1), wide),
        )


def _check_korean(blocks: list[Block]) -> Iterator[Finding]:
    particles = "|".join(KOREAN_PARTICLES)
    spaced = re.compile(rf"(?<=[\uac00-\ud7a3)\]])([ \t]+)({particles})(?=[\s.,]|$)")
    for block in blocks:
        if block.kind in ("html", "table", "placeholder") or not _HANGUL.search(block.text):
            continue
        for number, raw in block.lines:
            yield from _korean_link_particles(number, raw, particles)
            masked = _LINK.sub(lambda m: "\0" * len(m.group(0)), raw)
            for match in spaced.finditer(masked):
                if raw[match.start() : match.end()] != match.group(0):
                    continue
                yield _finding(
                    "punct.space-before-particle",
                    Severity.WARNING,
                    number,
                    match.start() + 1,
                    _("Space before the particle %(particle)s: Korean particles attach to the word"),
                    {"particle": match.group(2)},
                    Fix(number, match.start() + 1, match.group(0), match.group(2)),
                )
            for match in re.finditer(r"\0([ \t]+)(" + particles + r")(?=[\s.,]|$)", masked):
                start = match.start(1)
                yield _finding(
                    "punct.space-before-particle",
                    Severity.WARNING,
                    number,
                    start + 1,
                    _("Space before the particle %(particle)s: Korean particles attach to the word"),
                    {"particle": match.group(2)},
                    Fix(number, start + 1, match.group(1) + match.group(2), match.group(2)),
                )
        if block.kind in ("paragraph", "item"):
            yield from _korean_sentences(block)


def _korean_link_particles(number: int, raw: str, particles: str) -> Iterator[Finding]:
    for match in _LINK.finditer(raw):
        text, target = match.groups()
        words = text.split()
        if len(words) < 2:
            continue
        column = match.start() + 1
        if re.fullmatch(particles, words[0]):
            fixed = f"{words[0]} [{' '.join(words[1:])}]({target})"
            yield _finding(
                "link.particle-inside",
                Severity.WARNING,
                number,
                column,
                _("The link text %(text)s starts with the particle of the word before it"),
                {"text": f"[{text}]"},
                Fix(number, column, match.group(0), fixed) if column > 1 and raw[column - 2] == " " else None,
            )
        elif any(re.fullmatch(particles, word) for word in words[1:]):
            position = next(i for i, word in enumerate(words) if i and re.fullmatch(particles, word))
            fixed = f"[{' '.join(words[:position])}]({target}){words[position]}"
            rest = " ".join(words[position + 1 :])
            yield _finding(
                "link.particle-inside",
                Severity.WARNING,
                number,
                column,
                _("The link text %(text)s holds a particle and words that belong outside the link"),
                {"text": f"[{text}]"},
                Fix(number, column, match.group(0), fixed + (" " + rest if rest else "")),
            )


def _korean_sentences(block: Block) -> Iterator[Finding]:
    text = block.plain
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0).strip()
        if sentence[-1] in "?？" or not _HANGUL.search(sentence):
            continue
        syllables = _HANGUL.findall(sentence)
        if len(syllables) <= 2:
            continue  # "예." (yes) and other one-word answers
        if syllables[-1] not in KOREAN_SENTENCE_ENDINGS or not re.search(r"[\uac00-\ud7a3]\s*[.!。]$", sentence):
            yield _finding(
                "text.no-predicate",
                Severity.WARNING,
                block.line,
                1,
                _("The sentence %(sentence)s has no verb at its end: it looks cut off"),
                {"sentence": sentence[-40:]},
            )


# Against the source ------------------------------------------------------------------------------------------


def _check_against_source(
    version: Version, blocks: list[Block], source: Version, source_blocks: list[Block]
) -> Iterator[Finding]:
    yield from _compare_structure(version, blocks, source, source_blocks)
    for block, source_block in _aligned(blocks, source_blocks):
        yield from _compare_links(block, source_block, source.language)
        yield from _compare_start(block, source_block, source.language)
        yield from _compare_numbers(block, source_block, source.language)
        yield from _compare_names(block, source_block, source.language)
        translatable = block.kind in ("paragraph", "item", "quote") and len(block.plain) >= UNTRANSLATED_MIN_LENGTH
        if translatable and block.plain == source_block.plain:
            yield _finding(
                "text.untranslated",
                Severity.WARNING,
                block.line,
                1,
                _("This passage is identical to the %(source)s version: it looks untranslated"),
                {"source": source.language},
            )
    yield from _term_spelling(version, blocks)


def _sections(blocks: list[Block]) -> dict[int, list[Block]]:
    sections: dict[int, list[Block]] = {}
    for block in blocks:
        sections.setdefault(block.section, []).append(block)
    return sections


def _aligned(blocks: list[Block], source_blocks: list[Block]) -> Iterator[tuple[Block, Block]]:
    """Pair blocks of the same kind, in order, section by section."""
    sections, source_sections = _sections(blocks), _sections(source_blocks)
    for number, section in sections.items():
        source_section = source_sections.get(number, [])
        for kind in ("heading", "paragraph", "item", "quote"):
            ours = [block for block in section if block.kind == kind]
            theirs = [block for block in source_section if block.kind == kind]
            if len(ours) == len(theirs) or kind == "paragraph":
                yield from zip(ours, theirs, strict=False)


def _compare_structure(
    version: Version, blocks: list[Block], source: Version, source_blocks: list[Block]
) -> Iterator[Finding]:
    sections, source_sections = _sections(blocks), _sections(source_blocks)
    last_line = blocks[-1].line if blocks else version.body_line
    for number, source_section in source_sections.items():
        section = sections.get(number)
        if section is None:
            yield _finding(
                "structure.missing-section",
                Severity.ERROR,
                last_line,
                1,
                _("The section %(heading)s of the %(source)s version is missing"),
                {"heading": source_section[0].plain, "source": source.language},
            )
            continue
        where = section[0].line
        for kind, code, message in (
            (
                "table",
                "structure.table-missing",
                _("The %(source)s version has %(count)d table(s) here; this has %(ours)d"),
            ),
            (
                "item",
                "structure.list-differs",
                _("The %(source)s version has %(count)d list item(s) here; this has %(ours)d"),
            ),
            (
                "quote",
                "structure.quote-differs",
                _("The %(source)s version has %(count)d quote(s) here; this has %(ours)d"),
            ),
            (
                "heading",
                "structure.heading-differs",
                _("The %(source)s version has %(count)d heading(s) here; this has %(ours)d"),
            ),
        ):
            count = sum(block.kind == kind for block in source_section)
            ours = [block for block in section if block.kind == kind]
            if count != len(ours):
                placeholder = next((block for block in section if block.kind == "placeholder"), None)
                line = placeholder.line if kind == "table" and placeholder else (ours[0].line if ours else where)
                yield _finding(
                    code,
                    Severity.ERROR if kind == "table" else Severity.WARNING,
                    line,
                    1,
                    message,
                    {"source": source.language, "count": count, "ours": len(ours)},
                )
    for number, section in sections.items():
        if number not in source_sections:
            yield _finding(
                "structure.extra-section",
                Severity.WARNING,
                section[0].line,
                1,
                _("The section %(heading)s is not in the %(source)s version"),
                {"heading": section[0].plain, "source": source.language},
            )


def _compare_links(block: Block, source_block: Block, source_language: str) -> Iterator[Finding]:
    ours = [(target, line, column) for target, _text, line, column in block.links if _TERM_TARGET.match(target)]
    theirs = [target for target, _text, _line, _column in source_block.links if _TERM_TARGET.match(target)]
    missing = Counter(theirs) - Counter(target for target, _line, _column in ours)
    extra = Counter(target for target, _line, _column in ours) - Counter(theirs)
    for target, line, column in ours:
        if extra[target] > 0:
            extra[target] -= 1
            instead = next(iter(missing), None)
            yield _finding(
                "link.target-differs",
                Severity.WARNING,
                line,
                column,
                _("This passage links to %(target)s where the %(source)s version links to %(expected)s")
                if instead
                else _("This passage links to %(target)s; the %(source)s version has no such link here"),
                {"target": target, "source": source_language, "expected": instead or ""},
            )
            if instead:
                missing[instead] -= 1
                missing = +missing
    for target in missing.elements():
        yield _finding(
            "link.missing",
            Severity.WARNING,
            block.line,
            1,
            _("The %(source)s version links to %(target)s in this passage; this version does not"),
            {"source": source_language, "target": target},
        )


def _compare_start(block: Block, source_block: Block, source_language: str) -> Iterator[Finding]:
    if block.kind != "paragraph" or not block.links or not source_block.links:
        return
    text, source_text = block.text, source_block.text
    ours, theirs = text.find("["), source_text.find("[")
    if ours == 0 and theirs / max(len(source_text), 1) > TRUNCATED_START_SOURCE_SHARE:
        yield _finding(
            "text.truncated",
            Severity.ERROR,
            block.line,
            1,
            _(
                "This passage starts with a link where the %(source)s version has %(count)d characters first: "
                "its opening looks cut off"
            ),
            {"source": source_language, "count": theirs},
        )


def _numbers(text: str) -> Counter:
    values: Counter = Counter()
    for match in _NUMBER.finditer(text):
        digits, unit = match.groups()
        if re.fullmatch(r"\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+", digits):
            value = float(re.sub(r"\D", "", digits))
        else:
            value = float(digits.replace(",", "."))
        scale = SCALES.get((unit or "").lower(), 1)
        values[round(value * scale, 2)] += 1
    return values


def _compare_numbers(block: Block, source_block: Block, source_language: str) -> Iterator[Finding]:
    ours, theirs = _numbers(block.plain), _numbers(source_block.plain)
    for value in (theirs - ours).elements():
        yield _finding(
            "number.differs",
            Severity.WARNING,
            block.line,
            1,
            _("The %(source)s version has the number %(number)s here; this passage does not"),
            {"source": source_language, "number": f"{value:g}"},
        )


def _compare_names(block: Block, source_block: Block, source_language: str) -> Iterator[Finding]:
    for match in _NAME.finditer(source_block.plain):
        name = match.group(1) or match.group(2)
        if name in block.text:
            continue
        for number, raw in block.lines:
            found = re.search(re.escape(name), raw, re.IGNORECASE)
            if found:
                yield _finding(
                    "name.case-differs",
                    Severity.WARNING,
                    number,
                    found.start() + 1,
                    _("The name %(name)s is written %(ours)s here"),
                    {"name": name, "ours": found.group(0)},
                    Fix(number, found.start() + 1, found.group(0), name),
                )
                break
        else:
            yield _finding(
                "name.missing",
                Severity.WARNING,
                block.line,
                1,
                _("The name %(name)s of the %(source)s version is not in this passage: was it translated?"),
                {"name": name, "source": source_language},
            )


def _term_spelling(version: Version, blocks: list[Block]) -> Iterator[Finding]:
    term = _plain(version.title).casefold()
    # Only for words set off by spaces: in Korean a particle joins the term ("크라우드소싱을"), in Chinese words run on.
    if len(term) < TERM_TYPO_MIN_LENGTH or " " in term or not re.fullmatch(r"[^\W\d_]+", term, re.ASCII):
        return
    for block in blocks:
        for number, raw in block.lines:
            for match in _WORD.finditer(raw):
                word = match.group(0)
                if abs(len(word) - len(term)) > 1:
                    continue
                if word.casefold() != term and _one_edit_apart(word.casefold(), term):
                    yield _finding(
                        "text.term-misspelled",
                        Severity.WARNING,
                        number,
                        match.start() + 1,
                        _("%(word)s looks like a misspelling of the term %(term)s"),
                        {"word": word, "term": version.title},
                        Fix(number, match.start() + 1, word, _same_case(word, version.title)),
                    )


def _one_edit_apart(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _same_case(word: str, term: str) -> str:
    return term[:1].upper() + term[1:].lower() if word[:1].isupper() else term.lower()

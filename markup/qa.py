"""Translation QA: find what a careful bilingual reviewer would flag in one language version. No Django here.

Checks run on one version alone, and against its source-language version when one is given. Both are read through
the one Markdown parse (markup/parse.py), so QA sees the passages a reader sees: code, URLs, images and
`{{placeholders}}` are never prose. Passages are paired between languages by structure (block kind and heading
depth, with language-neutral content such as commands, numbers and link targets to choose between candidates), so a
missing or extra passage is one finding and every other check compares passages that say the same thing.

Rules that belong to a writing system are chosen by the script of the text (Hangul, Han), not by language code, so a
new language gets the generic checks without any change here; the few rules of one language's typography are in
TYPOGRAPHY.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from markup.document import Document
from markup.findings import Finding, Fix, Severity
from markup.findings import gettext_noop as _
from markup.parse import Block, Parsed, ParsedBlocks, parse_blocks

# Languages whose typography puts a (no-break) space before these marks: French and its regional variants.
TYPOGRAPHY = {"fr": {"space_before": ";:!?"}}
DESCRIPTION_MAX_WIDTH = 200  # display width (CJK counts 2); search engines cut long before this
TRUNCATED_START_SOURCE_SHARE = 0.15
SPELLED_OUT_MAX = 10
TERM_TYPO_MIN_LENGTH = 6
# A sentence counts as left in the source language when it has this many words, most of them in the source passage
# and in the same order (difflib ratio), or for a Hangul/Han version, when it has no Hangul/Han at all.
SOURCE_LANGUAGE_MIN_WORDS = 4
SOURCE_LANGUAGE_MIN_WORDS_OTHER_SCRIPT = 3
SOURCE_LANGUAGE_WORD_SHARE = 0.8
SOURCE_LANGUAGE_SIMILARITY = 0.8
# A Korean sentence ending without a verb is flagged only when it is long or has clauses: short noun phrases
# ("아카이브 유틸리티.") are the usual style of descriptions and captions.
KOREAN_CUT_OFF_MIN_SYLLABLES = 30
# Pairing passages compares every passage with every other; beyond this many pairs, only the kind decides.
ALIGNMENT_MAX_CELLS = 250_000
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
PROSE_KINDS = frozenset({"heading", "paragraph", "item", "quote", "definition-term", "definition", "footnote"})

_TAG = re.compile(r"<[^<>\n]{0,1000}>")
_LINK = re.compile(r"\[([^\[\]\n]*)\]\(([^()\s]*)\)")
_TERM_TARGET = re.compile(r"^/([a-z0-9]+(?:-[a-z0-9]+)*)/?(?:#[^\s]*)?$")
# Link syntax a reader would see as text: "[text] (/slug)" or "[text](/slug" never closed.
_BROKEN_LINK = re.compile(r"\]\s+\(/|\[[^\[\]\n]{0,200}\]\((?![^()\n]{0,300}\))")
_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,31});")
_DOUBLED = re.compile(r"(?<![.,;:!?])([,;:][.,;:]|\.[,;:]|,,|(?<!\.)\.\.(?!\.)|[。，；][。，；])")
_SPACE_AFTER_OPEN = re.compile(r"([(（\[])[ \t]+(?=\S)")
_SPACE_BEFORE_CLOSE = re.compile(r"(?<=\S)[ \t]+([)）])")
_SPACE_AFTER_FULLWIDTH = re.compile(r"([。，；：！？、])[ \t]+(?=[^\s\0])")
_HALFWIDTH_IN_HAN = re.compile(r"(?<=[\u4e00-\u9fff])([,;:!?])(?=[\u4e00-\u9fff])")
_NUMBER = re.compile(
    r"(?<![A-Za-z0-9_.,#/-])(\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+|\d+(?:[.,]\d+)?)(?![0-9])\s*([A-Za-z]+|[천만억千万亿])?"
)
# Brand-like names: CamelCase (StartEngine), capitals then lower case (MTurk), or a capitalised word in brackets;
# not units (MiB, GiB) nor plurals of abbreviations (OSes, CPUs), which translations rightly write their own way.
_NAME = re.compile(
    r"\b(?![KMGTPE]i[BbT]\b|[A-Z]{2,}(?:e?s)\b)([A-Z][a-z]+[A-Z][A-Za-z]*|[A-Z]{2,}[a-z]{2,}[A-Za-z]*)\b"
    r"|\(([A-Z][a-z]{3,})\)"
)
_WORD = re.compile(r"\w+", re.UNICODE)
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’-]*[A-Za-zÀ-ÖØ-öø-ÿ]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_OWN_SCRIPT = re.compile(r"[\uac00-\ud7a3\u4e00-\u9fff\u3040-\u30ff]")
# Sentences end at a full-width stop, or at . ! ? followed by a space or the end: never inside "file.png", "3.5",
# "asciinema.org" or "e.g.," where no space follows.
_SENTENCE_END = re.compile(r"[。！？]+|[.!?]+(?=\s|$)")
# What is never prose, masked (same length, so columns stay right) before punctuation and sentence rules:
# code spans, autolinks and bare URLs, link and image destinations, {{placeholders}}, HTML tags, file and host names.
# Each alternative comes with what a text holds whenever the alternative can match in it (`_masked_in`).
_MASKED_PARTS = (
    (r"(`+)[^`\n]*?\1(?!`)", "`"),
    (r"<(?:https?|ftp|mailto):[^<>\s]*>", "<"),
    (r"\b(?:https?|ftp)://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]", "://"),
    (r"\bwww\.[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]", "www."),
    (r"!\[[^\[\]\n]*\]\([^()\n]*\)", "]("),
    (r"\]\([^()\s]*(?:\s+\"[^\"\n]*\")?\)", "]("),
    (r"\{\{[^{}\n]{0,200}\}\}", "{{"),
    (r"<[^<>\n]{0,1000}>", "<"),
    # A name ends in a dot and 1-6 letters or digits after a word character (`_DOTTED`).
    (r"\b[\w-]+(?:\.[\w-]+)*\.[A-Za-z0-9]{1,6}\b(?=[^\w]|$)(?<![.!?])", None),
)
_DOTTED = re.compile(r"[\w-]\.[A-Za-z0-9]")


def _masked_in(text: str) -> re.Pattern:
    """Return the alternatives of _MASKED_PARTS that can match in `text`: the matches of all, found much sooner.

    Python's regex engine tries every alternative at every character; the ones starting with a word boundary
    (URLs, file names) make that slow. Without them the engine jumps between the characters the others start with.
    """
    kept = tuple(_DOTTED.search(text) is not None if needle is None else needle in text for _, needle in _MASKED_PARTS)
    return _masked_pattern(kept)


@cache  # at most 2**9 variants, a few in practice
def _masked_pattern(kept: tuple[bool, ...]) -> re.Pattern:
    # The code span's alternative is first whenever it is kept, so its back-reference stays group 1.
    patterns = [pattern for (pattern, _needle), keep in zip(_MASKED_PARTS, kept, strict=True) if keep]
    return re.compile("|".join(patterns) or "(?!)")


_PLACEHOLDER_TEXT = re.compile(r"(?-i:T{3,}|X{3,})|TODO|TBD|FIXME", re.IGNORECASE)


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


class cached_property:
    """functools.cached_property without its lock, which Python 3.11 takes on each first read (3.12 dropped it):
    passages are read by one thread, and QA's first reads of them were 3% of an import's second process."""

    def __init__(self, function):
        self.function = function
        self.__doc__ = function.__doc__

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value


@dataclass
class Passage:
    """A block of the parse as QA reads it: its file lines as written, and the same lines with non-prose masked."""

    block: Block
    kind: str  # the block's kind, or "table" (a raw HTML table) or "placeholder" (TTT, TODO where text should be)
    lines: list[tuple[int, str]]

    @property
    def line(self) -> int:
        return self.block.line

    @property
    def depth(self) -> int:
        return self.block.level if self.kind == "heading" else len(self.block.path)

    @cached_property
    def masked(self) -> list[tuple[int, str]]:
        return [(number, _mask(raw)) for number, raw in self.lines]

    def masked_line(self, number: int) -> str:
        return self._masked_by_line.get(number, "")

    @cached_property
    def _masked_by_line(self) -> dict[int, str]:
        return dict(self.masked)

    def raw_line(self, number: int) -> str:
        """The file line `number` as written, "" when the passage does not cover it."""
        return self._raw_by_line.get(number, "")

    @cached_property
    def _raw_by_line(self) -> dict[int, str]:
        return dict(self.lines)

    @cached_property
    def slot(self) -> tuple[str, int]:
        """What a passage can pair with: the same kind (any table with any table) and, for a heading, level."""
        kind = {"table-row": "table", "html": "table"}.get(self.kind, self.kind)
        return kind, self.depth if self.kind == "heading" else 0

    @cached_property
    def plain(self) -> str:
        """The text a reader sees, code spans included."""
        return " ".join(html.unescape(self.block.text).replace("*", "").split())

    @cached_property
    def prose(self) -> str:
        """The reader's text without code spans, URLs, file names and placeholders: what is written in a language."""
        text = self.block.text
        for span in self.block.code:
            text = text.replace(span.text, " ", 1)
        return " ".join(_masked_in(text).sub(" ", text).split())

    @cached_property
    def anchors(self) -> frozenset[str]:
        """Language-neutral content: commands, link targets, numbers, URLs, names; what pairs it with its source."""
        found = {f"code:{_neutral_code(span.text)}" for span in self.block.code}
        if self.kind == "code":
            found.add(f"code:{_neutral_code(self.block.text)}")
        found.update(f"link:{link.target}" for link in self.block.links)
        found.update(f"image:{image.src}" for image in self.block.images)
        found.update(f"number:{value:g}" for value in self.numbers)
        found.update(f"name:{name}" for name in self.names)
        return frozenset(found)

    # What the checks against the source read of a passage, once however many translations it is compared with.

    @cached_property
    def numbers(self) -> Counter:
        """The numbers of the prose, with their scale words applied; read-only."""
        return _numbers(self.prose)

    @cached_property
    def names(self) -> tuple[str, ...]:
        """The brand-like names of the prose, in order."""
        return tuple(match.group(1) or match.group(2) for match in _NAME.finditer(self.prose))

    @cached_property
    def sentences(self) -> list[str]:
        return _sentences(self.prose)

    @cached_property
    def sentence_words(self) -> list[list[str]]:
        """The Latin words of each sentence, case-folded."""
        return [_words(sentence) for sentence in self.sentences]

    @cached_property
    def word_counts(self) -> Counter:
        return Counter(word for sentence in self.sentence_words for word in sentence)


def document_version(document: Document, *, language: str) -> Version:
    """The language version QA checks of a file."""
    return Version(
        language=language,
        title=document.title,
        description=document.description,
        keywords=document.keywords,
        body=document.body,
        body_line=document.body_line,
        meta_lines=document.meta_lines,
    )


def check_version(
    version: Version, *, source: Version | None = None, merged_slugs: Mapping[str, str] | None = None
) -> list[Finding]:
    """All findings for one language version; cross-language checks only when `source` is given.

    `merged_slugs` maps the slugs of merged terms to the term they were merged into: links to either are one term.
    The findings of a check made ahead with the same inputs (markup.ahead) are returned as they are.
    """
    if _checked_ahead:
        found = _checked_ahead.get(check_inputs(version, source=source, merged_slugs=merged_slugs))
        if found is not None:
            return list(found)
    passages, parse_findings = _read(version.body, version.body_line)
    findings: list[Finding] = list(parse_findings)  # what the parse tolerated, as rendering reports it
    source_passages = None
    if source is not None and source.language != version.language:
        source_passages = list(_read(source.body, source.body_line)[0])
    findings.extend(_check_metadata(version, source))
    findings.extend(_check_links(passages))
    findings.extend(_check_punctuation(version, passages, source_passages or []))
    findings.extend(_check_korean(passages))
    if source_passages is not None:
        findings.extend(_check_against_source(version, passages, source, source_passages, merged_slugs or {}))
    unique = {(f.code, f.line, f.column): replace(f, language=version.language) for f in findings}
    return sorted(unique.values(), key=lambda f: (f.line, f.column, f.code))


def check_inputs(version: Version, *, source: Version | None, merged_slugs: Mapping[str, str] | None) -> tuple:
    """Everything check_version's findings depend on, as a key."""

    def fields(checked: Version | None) -> tuple | None:
        if checked is None:
            return None
        texts = (checked.language, checked.title, checked.description, checked.keywords, checked.body)
        return (*texts, checked.body_line, tuple(sorted(checked.meta_lines.items())))

    return fields(version), fields(source), tuple(sorted((merged_slugs or {}).items()))


# Checks made ahead by another process for the next save (markup.ahead), by their inputs; replaced for each article.
_checked_ahead: dict[tuple, list[Finding]] = {}


def checks_made_ahead(checks: Mapping[tuple, list[Finding]]) -> None:
    """Use these findings (by check_inputs) for checks with the same inputs, instead of the ones before."""
    global _checked_ahead
    _checked_ahead = dict(checks)


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


# Passages ----------------------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _read(body: str, first_line: int) -> tuple[tuple[Passage, ...], tuple[Finding, ...]]:
    # A source is checked against once per translation: its parse is read once.
    parsed = parse_blocks(body, first_line=first_line)
    return tuple(_passages(parsed, body.split("\n"), first_line)), tuple(parsed.findings)


def version_passages(body: str, *, first_line: int = 1) -> list[Passage]:
    """The passages of a body, in file order, each with its file lines as written."""
    return list(_read(body, first_line)[0])


def _passages(parsed: Parsed | ParsedBlocks, raw: list[str], first_line: int) -> list[Passage]:
    passages = []
    for block in parsed.blocks:
        lines = [
            (number, raw[number - first_line])
            for number in range(block.line, block.end_line + 1)
            if 0 <= number - first_line < len(raw)
        ]
        kind = block.kind
        if kind == "html" and "<table" in "\n".join(text for _number, text in lines).lower():
            kind = "table"
        passages.append(Passage(block, kind, lines))
    # The parse hides a placeholder (TTT where a table was) from readers; QA keeps its place to say what it replaced.
    covered = {number for passage in passages for number, _text in passage.lines}
    for finding in parsed.findings:
        if finding.code == "markup.placeholder" and finding.line not in covered:
            text = str(finding.params.get("text", ""))
            block = Block("html", text, finding.line, finding.line)
            passages.append(Passage(block, "placeholder", [(finding.line, raw[finding.line - first_line])]))
            covered.add(finding.line)
    return sorted(passages, key=lambda passage: passage.line)


def align_passages(source: list[Passage], translation: list[Passage]) -> list[tuple[Passage | None, Passage | None]]:
    """Pair the passages of a translation with its source's by structure; unpaired ones come with None."""
    pairs: list[tuple[Passage | None, Passage | None]] = []
    if len(source) * len(translation) <= ALIGNMENT_MAX_CELLS:
        return _align(source, translation)
    matcher = difflib.SequenceMatcher(None, [p.slot for p in source], [p.slot for p in translation], False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(source[i1:i2], translation[j1:j2], strict=True))
        else:
            pairs.extend((passage, None) for passage in source[i1:i2])
            pairs.extend((None, passage) for passage in translation[j1:j2])
    return pairs


def _shared(source: Passage, translation: Passage) -> float:
    """The share of language-neutral content two passages have in common (Jaccard)."""
    ours, theirs = source.anchors, translation.anchors
    common = len(ours & theirs)
    union = len(ours) + len(theirs) - common
    return common / union if union else 0.0


def _align(source: list[Passage], translation: list[Passage]) -> list[tuple[Passage | None, Passage | None]]:
    """Needleman-Wunsch with free gaps: the pairing of most similar passages that keeps both orders.

    Two passages pair only when their kind (and a heading's level) agree; among those, the ones sharing commands,
    link targets, numbers and names, and whose next passages share them too (a caption and its command), win.
    """
    rows, columns = len(source), len(translation)
    shared: list[list[float | None]] = [[None] * columns for _ in source]
    same_slot: dict[tuple[str, int], list[int]] = {}
    for j, passage in enumerate(translation):
        same_slot.setdefault(passage.slot, []).append(j)
    for i, passage in enumerate(source):
        for j in same_slot.get(passage.slot, ()):
            shared[i][j] = _shared(passage, translation[j])

    # The similarity of each pair that may pair (None: another kind), computed once for the table and the way back.
    similar: list[list[float | None]] = [[None] * columns for _ in source]
    for i, row in enumerate(shared):
        path = len(source[i].block.path)
        for j in same_slot.get(source[i].slot, ()):
            score = 1.0 + 2.0 * row[j]
            if path and path == len(translation[j].block.path):
                score += 0.5
            if i + 1 < rows and j + 1 < columns:
                score += 0.5 * (shared[i + 1][j + 1] or 0.0)  # a caption goes with the command after it
            similar[i][j] = score

    score = [[0.0] * (columns + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        here, below, pairing = score[i], score[i + 1], similar[i]
        for j in range(columns - 1, -1, -1):
            best = max(below[j], here[j + 1])
            if pairing[j] is not None:
                best = max(best, pairing[j] + below[j + 1])
            here[j] = best
    pairs: list[tuple[Passage | None, Passage | None]] = []
    i = j = 0
    while i < rows and j < columns:
        if similar[i][j] is not None and score[i][j] == similar[i][j] + score[i + 1][j + 1]:
            pairs.append((source[i], translation[j]))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            pairs.append((source[i], None))
            i += 1
        else:
            pairs.append((None, translation[j]))
            j += 1
    pairs.extend((passage, None) for passage in source[i:])
    pairs.extend((None, passage) for passage in translation[j:])
    return pairs


_PLACEHOLDER = re.compile(r"\{\{[^{}]*\}\}")


def _neutral_code(code: str) -> str:
    """A command with its placeholders' words left out: `tar cf {{chemin/vers/cible.tar}}` → `tar cf {{}}`."""
    return " ".join(_PLACEHOLDER.sub("{{}}", code).split())


def _mask(raw: str) -> str:
    return _masked_in(raw).sub(lambda match: "\0" * len(match.group(0)), raw)


def _plain(text: str) -> str:
    text = _LINK.sub(lambda match: match.group(1), text)
    text = _TAG.sub("", text)
    return " ".join(html.unescape(text).replace("*", "").split())


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _sentences(text: str) -> list[str]:
    """Split prose into sentences; the last one may lack its end mark."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    if text[start:].strip():
        sentences.append(text[start:].strip())
    return [sentence for sentence in sentences if sentence]


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
    translated = source is not None and source.language != version.language
    if not description and not (translated and not _plain(source.description)):
        # A translation of a source without a description is not told so again: the source's check says it once.
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
    keywords = translated and version.keywords.strip()
    if keywords and version.keywords.strip() == source.keywords.strip() and re.search(r"[^\W\d_]", version.keywords):
        yield _finding(
            "meta.keywords-untranslated",
            Severity.INFO,
            meta_line.get("keywords", 1),
            1,
            _("The keywords are the same as in %(source)s: translate them or confirm they stay"),
            {"source": source.language},
        )


# Links -------------------------------------------------------------------------------------------------------


def _check_links(passages: list[Passage]) -> Iterator[Finding]:
    for passage in passages:
        for link in passage.block.links:
            raw = passage.raw_line(link.line)
            if not link.target and not _PLACEHOLDER_TEXT.fullmatch(link.text):
                yield _finding(
                    "link.empty-target",
                    Severity.ERROR,
                    link.line,
                    link.column,
                    _("Link %(text)s has no address"),
                    {"text": f"[{link.text}]"},
                )
            elif not link.text and not raw[link.column - 1 :].startswith("[!["):
                yield _finding(
                    "link.empty-text",
                    Severity.ERROR,
                    link.line,
                    link.column,
                    _("Link to %(target)s has no text"),
                    {"target": link.target},
                )
        if passage.kind not in PROSE_KINDS and passage.kind != "table-row":
            continue
        if not _BROKEN_LINK.search(passage.prose):
            continue  # what the reader sees has no link syntax left: every link parsed
        for number, raw in passage.lines:
            code_free = re.sub(r"(`+)[^`\n]*?\1(?!`)", lambda m: "\0" * len(m.group(0)), raw)
            for match in _BROKEN_LINK.finditer(code_free):
                yield _finding(
                    "link.broken-syntax",
                    Severity.ERROR,
                    number,
                    match.start() + 1,
                    _("Broken link syntax %(text)s: readers would see the brackets"),
                    {"text": match.group(0)[:40]},
                )


# Punctuation and spacing -------------------------------------------------------------------------------------


def _check_punctuation(version: Version, passages: list[Passage], source: list[Passage]) -> Iterator[Finding]:
    space_before = TYPOGRAPHY.get(version.language.split("-")[0], {}).get("space_before", "")
    names = _marked_names(source)
    for passage in passages:
        if passage.kind not in PROSE_KINDS:
            continue
        marked = names | {link.text for link in passage.block.links if link.text[-1:] in ("!", "?")}
        for number, raw in passage.lines:
            text = passage.masked_line(number)
            if "\0" in text:
                text = _link_syntax_masked(text)
            if marked:
                text = _mask_names(text, marked)
            # Each rule only where a line has what it looks for: most lines have none of it.
            if _PUNCTUATION_PAIR.search(text):
                yield from _doubled(number, raw, text)
            if _SPACED_MARK.search(text) or any(mark in text for mark in space_before):
                yield from _space_before_marks(number, raw, text, space_before)
            yield from _parenthesis_spacing(number, raw, text)
            if _HAN.search(text):
                yield from _han_spacing(number, raw, text)


_LINK_BRACKET = re.compile(r"(?<!\\)\[(?=[^\[\]\n]*\]\0)|\](?=\0)")
_MARKED_NAME = re.compile(r"\b[A-Z][\w'’.-]*[!?](?=[\s,;:.)]|$)")
_SPACE_BEFORE_MARK = re.compile(r"(?<=\S)([ \t]+)([.,;:!?])(?=\s|$)")
_SPACED_MARK = re.compile(r"[ \t][.,;:!?]")  # in every _SPACE_BEFORE_MARK
_PUNCTUATION_PAIR = re.compile(r"[,;:.。，；][,;:.。，；]")  # in every _DOUBLED


def _link_syntax_masked(text: str) -> str:
    """Hide the brackets of links (their text stays): `[x](/y)` reads as ` x ` to punctuation rules."""
    return _LINK_BRACKET.sub("\0", text)


def _marked_names(source: list[Passage]) -> set[str]:
    """Names that end in ! or ? (Yahoo!, Guess?) in the source: the mark belongs to the name, not to the sentence."""
    names = set()
    for passage in source:
        for match in _MARKED_NAME.finditer(passage.block.text):
            word = match.group(0)
            rest = passage.block.text[match.end() :].lstrip()
            if rest and not rest[:1].isupper():  # "Yahoo! and Bing" — a sentence would end there
                names.add(word)
    return names


def _mask_names(text: str, names: set[str]) -> str:
    for name in names:
        if name and name[-1] in "!?" and name in text:
            text = re.sub(re.escape(name) + r"(?!\w)", lambda m: m.group(0)[:-1] + "\0", text)
    return text


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
    for match in _SPACE_BEFORE_MARK.finditer(text):
        mark = match.group(2)
        if mark in space_before or text[match.start() - 1] in "(\0":
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
        for match in _unspaced(mark).finditer(text):
            yield _finding(
                "punct.missing-space-before",
                Severity.INFO,
                number,
                match.start() + 1,
                _("French typography puts a no-break space before %(mark)s"),
                {"mark": mark},
                Fix(number, match.start() + 1, mark, "\u00a0" + mark),
            )


@cache  # one a mark of TYPOGRAPHY
def _unspaced(mark: str) -> re.Pattern:
    return re.compile(rf"(?<=[^\s\0\]\u00a0\u202f])\{mark}(?=\s|$)")


def _parenthesis_spacing(number: int, raw: str, text: str) -> Iterator[Finding]:
    for pattern, message, mark in (
        (_SPACE_AFTER_OPEN, _("Space after the opening parenthesis"), "(（["),
        (_SPACE_BEFORE_CLOSE, _("Space before the closing parenthesis"), ")）"),
    ):
        if not any(character in text for character in mark):
            continue  # the pattern starts or ends with one of these
        for match in pattern.finditer(text):
            if "\0" in match.group(0) or (match.group(1) == "[" and pattern is _SPACE_AFTER_OPEN):
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


# Korean ------------------------------------------------------------------------------------------------------


def _check_korean(passages: list[Passage]) -> Iterator[Finding]:
    particles = "|".join(KOREAN_PARTICLES)
    spaced = re.compile(rf"(?<=[\uac00-\ud7a3)\]])([ \t]+)({particles})(?=[\s.,]|$)")
    for passage in passages:
        if passage.kind not in PROSE_KINDS or not _HANGUL.search(passage.prose):
            continue
        for number, raw in passage.lines:
            yield from _korean_link_particles(number, raw, particles)
            masked = _LINK.sub(lambda m: "\0" * len(m.group(0)), passage.masked_line(number))
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
            for match in re.finditer(r"(?<=\0)([ \t]+)(" + particles + r")(?=[\s.,]|$)", masked):
                if not _LINK.search(raw[: match.start()]):
                    continue  # after code or a URL, a spaced particle is usual ("`ls` 는" reads better spaced)
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
        if passage.kind in ("paragraph", "item"):
            yield from _korean_sentences(passage)


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


def _korean_sentences(passage: Passage) -> Iterator[Finding]:
    for sentence in passage.sentences:
        if sentence[-1] not in ".!。" or not _HANGUL.search(sentence):
            continue  # a question, a caption ending in ":", or no sentence end at all
        syllables = _HANGUL.findall(sentence)
        if len(syllables) < KOREAN_CUT_OFF_MIN_SYLLABLES and "," not in sentence:
            continue
        if syllables[-1] not in KOREAN_SENTENCE_ENDINGS or not re.search(r"[\uac00-\ud7a3]\s*[.!。]$", sentence):
            yield _finding(
                "text.no-predicate",
                Severity.WARNING,
                passage.line,
                1,
                _("The sentence %(sentence)s has no verb at its end: it looks cut off"),
                {"sentence": sentence[-40:]},
            )


# Against the source ------------------------------------------------------------------------------------------


def _check_against_source(
    version: Version,
    passages: list[Passage],
    source: Version,
    source_passages: list[Passage],
    merged_slugs: Mapping[str, str],
) -> Iterator[Finding]:
    pairs = align_passages(source_passages, passages)
    yield from _compare_structure(version, pairs, source)
    own_script = bool(_OWN_SCRIPT.search(" ".join(p.prose for p in passages)))
    title = " ".join(version.title.split())
    for source_passage, passage in pairs:
        if source_passage is None or passage is None or passage.kind not in PROSE_KINDS | {"table-row"}:
            continue
        if passage.kind == "heading" and passage.plain == title:
            continue  # the title heading: the term's name, checked with the metadata
        yield from _compare_links(passage, source_passage, source.language, merged_slugs)
        yield from _compare_start(passage, source_passage, source.language)
        yield from _compare_numbers(passage, source_passage, source.language)
        yield from _compare_names(passage, source_passage, source.language)
        yield from _left_in_source_language(passage, source_passage, source.language, own_script=own_script)
    yield from _term_spelling(version, passages, source_passages)


def _compare_structure(
    version: Version, pairs: list[tuple[Passage | None, Passage | None]], source: Version
) -> Iterator[Finding]:
    """One finding per run of source passages with no counterpart, and per run of passages the source lacks."""
    index = 0
    last_line = version.body_line
    while index < len(pairs):
        source_passage, passage = pairs[index]
        if source_passage is not None and passage is not None:
            last_line = passage.line
            index += 1
            continue
        end = index
        while end < len(pairs) and (pairs[end][0] is None or pairs[end][1] is None):
            end += 1
        missing = [s for s, t in pairs[index:end] if t is None and s is not None]
        extra = [t for s, t in pairs[index:end] if s is None and t is not None]
        yield from _structure_run(missing, extra, last_line, source.language)
        if extra:
            last_line = extra[-1].line
        index = end


def _structure_run(missing: list[Passage], extra: list[Passage], last_line: int, source: str) -> Iterator[Finding]:
    placeholder = next((p for p in extra if p.kind == "placeholder"), None)
    tables = [p for p in missing if p.kind in ("table", "table-row")]
    if tables and (placeholder or not [p for p in extra if p.kind in ("table", "table-row")]):
        yield _finding(
            "structure.table-missing",
            Severity.ERROR if placeholder else Severity.WARNING,
            placeholder.line if placeholder else last_line,
            1,
            _("The %(source)s version has a table here (line %(line)d); this version does not"),
            {"source": source, "line": tables[0].line},
        )
        missing = [p for p in missing if p.kind not in ("table", "table-row", "html")]
        extra = [p for p in extra if p.kind != "placeholder"]
    missing = [p for p in missing if p.kind not in ("html",)]
    if missing:
        yield _finding(
            "structure.missing",
            Severity.WARNING,
            extra[0].line if extra else last_line,
            1,
            _("%(count)d passage(s) of the %(source)s version (line %(line)d: %(start)s) are missing after this one"),
            {"count": len(missing), "source": source, "line": missing[0].line, "start": missing[0].plain[:60]},
        )
    if extra and [p for p in extra if p.kind != "html"]:
        yield _finding(
            "structure.extra",
            Severity.INFO,
            extra[0].line,
            1,
            _("%(count)d passage(s) from here have no counterpart in the %(source)s version"),
            {"count": len(extra), "source": source},
        )


def _retarget_fix(passage: Passage, line: int, column: int, target: str, expected: str) -> Fix | None:
    """Point an inline link written at `line`/`column` to `expected`; None for a reference-style link."""
    text = passage.raw_line(line)
    start = text.find(f"]({target}", column - 1)
    after = start + 2 + len(target)
    if start < 0 or (after < len(text) and text[after] not in ") #"):
        return None
    return Fix(line, start + 3, target, expected)


def _same_term(target: str, merged_slugs: Mapping[str, str]) -> str:
    """Return the target with a merged term's slug replaced by the slug of the term it was merged into."""
    match = _TERM_TARGET.match(target)
    slug = match.group(1) if match else ""
    return f"/{merged_slugs[slug]}" if slug in merged_slugs else target


def _compare_links(
    passage: Passage, source_passage: Passage, source_language: str, merged_slugs: Mapping[str, str]
) -> Iterator[Finding]:
    if not passage.block.links and not source_passage.block.links:
        return
    ours = [
        (_same_term(link.target, merged_slugs), link.line, link.column)
        for link in passage.block.links
        if _TERM_TARGET.match(link.target)
    ]
    theirs = [
        _same_term(link.target, merged_slugs) for link in source_passage.block.links if _TERM_TARGET.match(link.target)
    ]
    missing = Counter(theirs) - Counter(target for target, _line, _column in ours)
    extra = Counter(target for target, _line, _column in ours) - Counter(theirs)
    # The passages pair cleanly when they link to as many terms: then a differing target has one counterpart.
    pairs_cleanly = len(ours) == len(theirs)
    for target, line, column in ours:
        if extra[target] > 0:
            extra[target] -= 1
            instead = next(iter(missing), None)
            fix = _retarget_fix(passage, line, column, target, instead) if instead and pairs_cleanly else None
            yield _finding(
                "link.target-differs",
                Severity.ERROR if fix else Severity.WARNING,
                line,
                column,
                _("This passage links to %(target)s where the %(source)s version links to %(expected)s")
                if instead
                else _("This passage links to %(target)s; the %(source)s version has no such link here"),
                {"target": target, "source": source_language, "expected": instead or ""},
                fix,
            )
            if instead:
                missing[instead] -= 1
                missing = +missing
    for target in missing.elements():
        yield _finding(
            "link.missing",
            Severity.WARNING,
            passage.line,
            1,
            _("The %(source)s version links to %(target)s in this passage; this version does not"),
            {"source": source_language, "target": target},
        )


def _compare_start(passage: Passage, source_passage: Passage, source_language: str) -> Iterator[Finding]:
    if passage.kind != "paragraph" or not passage.block.links or not source_passage.block.links:
        return
    first_raw = passage.lines[0][1].lstrip() if passage.lines else ""
    source_text = source_passage.block.text
    theirs = source_text.find(source_passage.block.links[0].text) if source_passage.block.links[0].text else 0
    if first_raw.startswith("[") and theirs / max(len(source_text), 1) > TRUNCATED_START_SOURCE_SHARE:
        yield _finding(
            "text.truncated",
            Severity.WARNING,  # a translation may put the link first on purpose: likely, not certain
            passage.line,
            1,
            _(
                "This passage starts with a link where the %(source)s version has %(count)d characters first: "
                "its opening looks cut off"
            ),
            {"source": source_language, "count": theirs},
        )


_DIGIT = re.compile(r"\d")
_GROUPED_DIGITS = re.compile(r"\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+")
_NOT_DIGIT = re.compile(r"\D")


def _numbers(text: str) -> Counter:
    values: Counter = Counter()
    if _DIGIT.search(text) is None:
        return values  # _NUMBER looks behind at every character: slow where no number can be
    for match in _NUMBER.finditer(text):
        digits, unit = match.groups()
        if _GROUPED_DIGITS.fullmatch(digits):
            value = float(_NOT_DIGIT.sub("", digits))
        else:
            value = float(digits.replace(",", "."))
        scale = SCALES.get((unit or "").lower(), 1)
        values[round(value * scale, 2)] += 1
    return values


def _compare_numbers(passage: Passage, source_passage: Passage, source_language: str) -> Iterator[Finding]:
    ours, theirs = passage.numbers, source_passage.numbers
    replaced = bool(ours - theirs)
    for value in (theirs - ours).elements():
        if value == int(value) and 0 <= value <= SPELLED_OUT_MAX and not replaced:
            continue  # "2 copies" is "두 복사본", "两份": small numbers are spelled out, unless another took its place
        yield _finding(
            "number.differs",
            Severity.WARNING,
            passage.line,
            1,
            _("The %(source)s version has the number %(number)s here; this passage does not"),
            {"source": source_language, "number": f"{value:g}"},
        )


def _compare_names(passage: Passage, source_passage: Passage, source_language: str) -> Iterator[Finding]:
    for name in source_passage.names:
        if name in passage.block.text or any(name in raw for _number, raw in passage.lines):
            continue
        for number, raw in passage.lines:
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
                passage.line,
                1,
                _("The name %(name)s of the %(source)s version is not in this passage: was it translated?"),
                {"name": name, "source": source_language},
            )


def _words(text: str) -> list[str]:
    return [word.casefold() for word in _LATIN_WORD.findall(text)]


def _left_in_source_language(
    passage: Passage, source_passage: Passage, source_language: str, *, own_script: bool
) -> Iterator[Finding]:
    """Sentences copied from the source passage: its words, in its order (names, code and URLs do not count)."""
    least = SOURCE_LANGUAGE_MIN_WORDS_OTHER_SCRIPT if own_script else SOURCE_LANGUAGE_MIN_WORDS
    candidates = [
        sentence
        for sentence in passage.sentences
        if not (own_script and _OWN_SCRIPT.search(sentence)) and len(_LATIN_WORD.findall(sentence)) >= least
    ]
    if not candidates or _OWN_SCRIPT.search(source_passage.prose):
        return
    source_sentences = source_passage.sentence_words
    source_words = source_passage.word_counts
    names = {name.casefold() for name in source_passage.names}
    copied = []
    for sentence in candidates:
        words = [word for word in _words(sentence) if word not in names]
        if len(words) < least or sum((Counter(words) & source_words).values()) < SOURCE_LANGUAGE_WORD_SHARE * len(
            words
        ):
            continue
        for theirs in source_sentences:
            matcher = difflib.SequenceMatcher(None, words, theirs, False)
            if matcher.quick_ratio() >= SOURCE_LANGUAGE_SIMILARITY and matcher.ratio() >= SOURCE_LANGUAGE_SIMILARITY:
                copied.append(sentence)
                break
    if copied:
        yield _finding(
            "text.source-language",
            Severity.WARNING,
            passage.line,
            1,
            _("%(count)d sentence(s) of this passage are still in the language of the %(source)s version: %(start)s"),
            {"count": len(copied), "source": source_language, "start": copied[0][:60]},
        )


def _term_spelling(version: Version, passages: list[Passage], source_passages: list[Passage]) -> Iterator[Finding]:
    term = _plain(version.title).casefold()
    # Only for words set off by spaces: in Korean a particle joins the term ("크라우드소싱을"), in Chinese words run on.
    if len(term) < TERM_TYPO_MIN_LENGTH or " " in term or not re.fullmatch(r"[^\W\d_]+", term, re.ASCII):
        return
    source_words = {word.casefold() for p in source_passages for word in _WORD.findall(p.block.text)}
    # Words in Latin letters only: "Firefox를" is the name Firefox and a Korean particle, not a misspelling of it.
    near_length = re.compile(rf"(?<![A-Za-z0-9_])[A-Za-z]{{{len(term) - 1},{len(term) + 1}}}(?![A-Za-z0-9_])")
    for passage in passages:
        if passage.kind not in PROSE_KINDS:
            continue
        for number, _raw in passage.lines:
            for match in near_length.finditer(passage.masked_line(number)):
                word = match.group(0)
                if word.casefold() in source_words:
                    continue  # a word the source uses too is a name or a word of its own, not a misspelling
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

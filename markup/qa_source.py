"""Checks of a translation against its source: structure, links, length, numbers and names, passage by passage.

Sections (opened by headings of level 1 or 2) are aligned first, then the blocks within each pair of sections, both
by dynamic programming on how alike two parts are (kind, links, numbers, names, length), so one missing passage is
reported as missing instead of shifting every comparison after it.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import TypeVar

from markup.findings import Finding, Severity
from markup.findings import gettext_noop as _
from markup.qa_page import PROSE_KINDS, Block, Page, plain_markdown, script_share

# Characters a script needs for what English says in one: measured on the seed articles (ko 0.48, zh 0.26).
SCRIPT_DENSITY = {"Hangul": 0.5, "Han": 0.28, "Kana": 0.45}
LENGTH_MIN_SOURCE = 80  # shorter passages vary too much in length to judge
LENGTH_RATIO_PAIRS = 5  # aligned passages needed to trust this article's own ratio over SCRIPT_DENSITY
TOO_SHORT = 0.5  # share of the expected length under which a passage looks cut
TOO_LONG = 2.0
TRUNCATED_START_SHARE = 0.15  # of the source passage before its first link
UNTRANSLATED_MIN_LENGTH = 25
FOREIGN_SCRIPT_SHARE = 0.8
ALIGN_MAX_CELLS = 250_000  # beyond this, parts are paired in order: alignment would cost more than it tells
SCALES = {
    "thousand": 10**3,
    "million": 10**6,
    "millions": 10**6,
    "millioner": 10**6,
    "mill": 10**6,
    "billion": 10**9,
    "billions": 10**9,
    "bn": 10**9,
    "milliard": 10**9,
    "milliards": 10**9,
    "milliarder": 10**9,
    "mrd": 10**9,
    "천": 10**3,
    "만": 10**4,
    "억": 10**8,
    "千": 10**3,
    "万": 10**4,
    "萬": 10**4,
    "亿": 10**8,
    "億": 10**8,
}
SENTENCE_END = ".!?。！？…"
CLOSED_END = SENTENCE_END + ":;»”\"')）]"

_NUMBER = re.compile(
    r"(?<![#\w.,])(\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+|\d+(?:[.,]\d+)?)(?![\d])[ \u00a0]?([A-Za-z]+|[천만억千万萬亿億])?"
)
_THOUSANDS = re.compile(r"\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+")
# Names are Latin-script words: CamelCase (StartEngine), capitals then lower case (MTurk), lower then upper (eBay).
_CAMEL_NAME = re.compile(
    r"(?<![A-Za-z0-9'’])(?:[A-Z][a-z]+[A-Z][A-Za-z0-9]*|[A-Z]{2,}[a-z][A-Za-z0-9]*|[a-z]+[A-Z][A-Za-z0-9]*)(?![A-Za-z0-9])"
)
_BRACKETED_NAME = re.compile(r"\(([A-Z][a-z]{3,})\)")
_CAPITALISED_RUN = re.compile(r"(?<![A-Za-z0-9'’])[A-Z][A-Za-z0-9]*(?:[ \t]+[A-Z][A-Za-z0-9]*){1,5}(?![A-Za-z0-9'’])")
_LEADING_MARKER = re.compile(r"^[ \t]*(?:[-*+–—•]|\d{1,9}[.)])[ \t]")

Part = TypeVar("Part")


def check_against_source(page: Page, source: Page, *, source_language: str) -> Iterator[Finding]:
    """Yield what differs between a translation and its source; `source_language` names the source in messages."""
    comparison = _Comparison(page, source, source_language)
    yield from comparison.run()


class _Comparison:
    def __init__(self, page: Page, source: Page, source_language: str):
        self.page = page
        self.source = source
        self.source_language = source_language
        self.params = {"source": source_language}
        self.ratio = self._default_ratio()

    def _default_ratio(self) -> float:
        if self.page.plain_length and self.source.plain_length:
            return self.page.plain_length / self.source.plain_length
        return SCRIPT_DENSITY.get(self.page.script, 1.0) / SCRIPT_DENSITY.get(self.source.script, 1.0)

    def run(self) -> Iterator[Finding]:
        ours = [section for section in self.page.sections if section]
        theirs = [section for section in self.source.sections if section]
        section_pairs = align(ours, theirs, self._section_score)
        block_pairs: list[tuple[list[Block], list[Block], list[tuple[int | None, int | None]]]] = []
        for index, source_index in section_pairs:
            if index is not None and source_index is not None:
                section, source_section = ours[index], theirs[source_index]
                block_pairs.append((section, source_section, align(section, source_section, self._block_score)))
        self.ratio = self._measured_ratio(block_pairs)
        yield from self._sections(ours, theirs, section_pairs)
        for section, source_section, pairs in block_pairs:
            yield from self._section(section, source_section, pairs)

    # Alignment scores --------------------------------------------------------------------------------------

    def _section_score(self, section: list[Block], source_section: list[Block]) -> float:
        score = 1.0
        heading, source_heading = _heading(section), _heading(source_section)
        if heading is not None and source_heading is not None:
            score += 0.5 if heading.level == source_heading.level else 0.0
        elif heading is not None or source_heading is not None:
            score -= 0.5
        score += _overlap(_targets(section), _targets(source_section))
        score += _overlap(self._numbers_of(section, self.page), self._numbers_of(source_section, self.source))
        score += self._closeness(_length(section), _length(source_section))
        return score

    def _block_score(self, block: Block, source_block: Block) -> float:
        if block.kind != source_block.kind and {block.kind, source_block.kind} != {"paragraph", "item"}:
            return 0.0
        score = 1.5 if block.kind == source_block.kind else 1.0
        score += _overlap(_targets([block]), _targets([source_block]))
        score += _overlap(self._numbers_of([block], self.page), self._numbers_of([source_block], self.source))
        score += self._closeness(len(block.plain), len(source_block.plain))
        return score

    def _closeness(self, length: int, source_length: int) -> float:
        if not length or not source_length:
            return 0.5 if length == source_length else 0.0
        return 1.0 - min(1.0, abs(math.log(length / source_length / self.ratio)))

    def _numbers_of(self, blocks: list[Block], page: Page) -> Counter:
        total: Counter = Counter()
        for block in blocks:
            total.update(value for value, _start, _end in numbers(page, block))
        return total

    def _measured_ratio(self, block_pairs) -> float:
        ratios = [
            len(section[index].plain) / len(source_section[source_index].plain)
            for section, source_section, pairs in block_pairs
            for index, source_index in pairs
            if index is not None
            and source_index is not None
            and section[index].kind in PROSE_KINDS
            and len(source_section[source_index].plain) >= LENGTH_MIN_SOURCE // 2
        ]
        if len(ratios) >= LENGTH_RATIO_PAIRS:
            return statistics.median(ratios)
        return SCRIPT_DENSITY.get(self.page.script, 1.0) / SCRIPT_DENSITY.get(self.source.script, 1.0)

    # Sections ----------------------------------------------------------------------------------------------

    def _sections(self, ours, theirs, pairs) -> Iterator[Finding]:
        for position, (index, source_index) in enumerate(pairs):
            if index is None:
                source_heading = _heading(theirs[source_index])
                following = next((ours[i][0] for i, _s in pairs[position:] if i is not None), None)
                yield self._at(
                    following.start if following else len(self.page.body.rstrip("\n")),
                    "structure.section-missing",
                    Severity.ERROR,
                    _("The section %(heading)s of the %(source)s version is missing here"),
                    heading=source_heading.plain if source_heading else theirs[source_index][0].plain[:60],
                )
            elif source_index is None:
                heading = _heading(ours[index])
                yield self._at(
                    ours[index][0].start,
                    "structure.section-extra",
                    Severity.WARNING,
                    _("The section %(heading)s is not in the %(source)s version"),
                    heading=heading.plain if heading else ours[index][0].plain[:60],
                )

    def _section(self, section: list[Block], source_section: list[Block], pairs) -> Iterator[Finding]:
        yield from self._unpaired(section, source_section, pairs)
        for index, source_index in pairs:
            if index is not None and source_index is not None:
                yield from self._pair(section[index], source_section[source_index])

    def _unpaired(self, section: list[Block], source_section: list[Block], pairs) -> Iterator[Finding]:
        placeholders = [section[i] for i, j in pairs if j is None and section[i].kind == "placeholder"]
        missing_items = extra_items = 0
        for position, (index, source_index) in enumerate(pairs):
            if index is None:
                block = source_section[source_index]
                following = next((section[i] for i, _j in pairs[position:] if i is not None), section[-1])
                missing_items += block.kind == "item"
                yield from self._missing(block, following.start, placeholders)
            elif source_index is None:
                block = section[index]
                extra_items += block.kind == "item"
                code, message = _EXTRA.get(block.kind, (None, None))
                if code:
                    yield self._at(block.start, code, Severity.WARNING, message)
        if missing_items or extra_items:
            first = next((block for block in section if block.kind == "item"), section[-1])
            yield self._at(
                first.start,
                "structure.list-differs",
                Severity.WARNING,
                _("The list here has %(missing)d item(s) fewer and %(extra)d more than in the %(source)s version"),
                missing=missing_items,
                extra=extra_items,
            )

    def _missing(self, block: Block, where: int, placeholders: list[Block]) -> Iterator[Finding]:
        if block.kind == "table":
            yield self._at(
                placeholders.pop(0).start if placeholders else where,
                "structure.table-missing",
                Severity.ERROR,
                _("The %(source)s version has a table here; this version has none"),
            )
        elif block.kind == "paragraph":
            yield self._at(
                where,
                "structure.passage-missing",
                Severity.ERROR,
                _("A passage of the %(source)s version is missing here: %(start)s…"),
                start=block.plain[:60],
            )
        elif block.kind == "quote":
            yield self._at(
                where,
                "structure.quote-missing",
                Severity.WARNING,
                _("The %(source)s version has a quote here; this version has none: %(start)s…"),
                start=block.plain[:60],
            )
        elif block.kind == "heading":
            yield self._at(
                where,
                "structure.heading-missing",
                Severity.WARNING,
                _("The heading %(heading)s of the %(source)s version is missing here"),
                heading=block.plain,
            )

    # Pairs -------------------------------------------------------------------------------------------------

    def _pair(self, block: Block, source_block: Block) -> Iterator[Finding]:
        if block.kind == "heading" and block.level != source_block.level:
            yield self._at(
                block.start,
                "structure.heading-level",
                Severity.WARNING,
                _("This heading is of level %(level)d; in the %(source)s version it is of level %(expected)d"),
                level=block.level,
                expected=source_block.level,
            )
        if {block.kind, source_block.kind} == {"paragraph", "item"}:
            yield self._at(
                block.start,
                "structure.list-differs",
                Severity.WARNING,
                _("This is a %(kind)s where the %(source)s version has a %(expected)s"),
                kind=_KIND_NAMES[block.kind],
                expected=_KIND_NAMES[source_block.kind],
            )
        yield from self._links(block, source_block)
        if block.kind in PROSE_KINDS:
            yield from self._completeness(block, source_block)
        yield from self._untranslated(block, source_block)
        yield from self._numbers(block, source_block)
        if block.kind in PROSE_KINDS:
            yield from self._names(block, source_block)

    def _links(self, block: Block, source_block: Block) -> Iterator[Finding]:
        ours = [link for link in block.links if link.internal]
        theirs = Counter(link.target for link in source_block.links if link.internal)
        extra = Counter(link.target for link in ours) - theirs
        missing = theirs - Counter(link.target for link in ours)
        for link in ours:
            if extra[link.target] <= 0:
                continue
            extra[link.target] -= 1
            instead = next(iter(missing), None)
            if instead is None:
                yield self._at(
                    link.start,
                    "link.extra",
                    Severity.WARNING,
                    _("This passage links to %(target)s; the %(source)s version has no such link here"),
                    target=link.target,
                )
                continue
            missing[instead] -= 1
            missing = +missing
            yield self._at(
                link.start,
                "link.target-differs",
                Severity.WARNING,
                _(
                    "This passage links to %(target)s where the %(source)s version links to %(expected)s: "
                    "one of the two is wrong"
                ),
                target=link.target,
                expected=instead,
            )
        for target in missing.elements():
            yield self._at(
                block.start,
                "link.missing",
                Severity.WARNING,
                _("The %(source)s version links to %(target)s in this passage; this version does not"),
                target=target,
            )

    def _completeness(self, block: Block, source_block: Block) -> Iterator[Finding]:
        plain, source_plain = block.plain, source_block.plain
        if not plain or not source_plain:
            return
        first_link = source_block.text.find("[")
        before = len(plain_markdown(source_block.text[:first_link])) if first_link > 0 else 0
        if block.text.startswith("[") and block.links and before >= TRUNCATED_START_SHARE * len(source_plain):
            yield self._at(
                block.start,
                "text.truncated",
                Severity.ERROR,
                _(
                    "This passage starts with a link where the %(source)s version has %(count)d characters first: "
                    "its opening looks cut off"
                ),
                count=before,
            )
        elif _starts_lower(plain) and source_plain[:1].isupper():
            yield self._at(
                block.start,
                "text.truncated",
                Severity.ERROR,
                _("This passage starts in lower case where the %(source)s version starts a sentence"),
            )
        if block.kind != "item" and source_plain[-1] in SENTENCE_END and plain[-1] not in CLOSED_END:
            yield self._at(
                block.start,
                "text.truncated",
                Severity.ERROR,
                _("This passage does not end a sentence where the %(source)s version does: its end looks cut off"),
            )
        if len(source_plain) < LENGTH_MIN_SOURCE:
            return
        share = len(plain) / len(source_plain) / self.ratio
        if share < TOO_SHORT:
            yield self._at(
                block.start,
                "text.too-short",
                Severity.WARNING,
                _("This passage is %(percent)d%% of the length expected from the %(source)s version: is some missing?"),
                percent=round(share * 100),
            )
        elif share > TOO_LONG:
            yield self._at(
                block.start,
                "text.too-long",
                Severity.INFO,
                _("This passage is %(percent)d%% of the length expected from the %(source)s version: is some added?"),
                percent=round(share * 100),
            )

    def _untranslated(self, block: Block, source_block: Block) -> Iterator[Finding]:
        plain = block.plain
        if len(plain) < UNTRANSLATED_MIN_LENGTH or not re.search(r"[^\W\d_]", plain):
            return
        foreign = (
            self.page.script != self.source.script
            and script_share(plain, self.source.script) >= FOREIGN_SCRIPT_SHARE
            and block.kind != "heading"
        )
        if plain == source_block.plain or foreign:
            yield self._at(
                block.start,
                "text.untranslated",
                Severity.WARNING,
                _("This passage reads as in the %(source)s version: it looks untranslated"),
            )

    def _numbers(self, block: Block, source_block: Block) -> Iterator[Finding]:
        ours = numbers(self.page, block)
        theirs = Counter(value for value, _start, _end in numbers(self.source, source_block))
        missing = theirs - Counter(value for value, _start, _end in ours)
        extra_left = Counter(value for value, _start, _end in ours) - theirs
        for value, start, end in ours:
            if extra_left[value] <= 0:
                continue
            extra_left[value] -= 1
            written = self.page.body[start:end].strip()
            expected = next(iter(missing), None)
            if expected is None:
                yield self._at(
                    start,
                    "number.extra",
                    Severity.WARNING,
                    _("%(number)s is not in the %(source)s version of this passage"),
                    number=written,
                )
                continue
            missing[expected] -= 1
            missing = +missing
            yield self._at(
                start,
                "number.differs",
                Severity.WARNING,
                _("%(number)s here is %(expected)s in the %(source)s version"),
                number=written,
                expected=_format_value(expected),
            )
        for value in missing.elements():
            yield self._at(
                block.start,
                "number.missing",
                Severity.WARNING,
                _("The %(source)s version has the number %(number)s in this passage; this version does not"),
                number=_format_value(value),
            )

    def _names(self, block: Block, source_block: Block) -> Iterator[Finding]:
        counts = names(self.source, source_block)
        text = self.page.prose[block.start : block.end]
        deficits = {}
        for name, count in counts.items():
            found = len(_name_pattern(name).findall(text))
            if found < count:
                deficits[name] = count - found
        for name, deficit in deficits.items():
            longer = sum(value for other, value in deficits.items() if other != name and name in other)
            if longer >= deficit:
                continue  # "Mechanical Turk Worker" missing explains one "Mechanical Turk" missing
            exact = set(_name_pattern(name).findall(text))
            variant = next(
                (m for m in _name_pattern(name, re.IGNORECASE).finditer(text) if m.group(0) not in exact), None
            )
            if variant is not None:
                yield self.page.finding(
                    block.start + variant.start(),
                    "number.name-case",
                    Severity.WARNING,
                    _("The name %(name)s is written %(ours)s here"),
                    {"name": name, "ours": variant.group(0)},
                    old=variant.group(0),
                    new=name,
                )
            else:
                yield self._at(
                    block.start,
                    "number.name-missing",
                    Severity.WARNING,
                    _("The name %(name)s is in the %(source)s version of this passage, not here: was it translated?"),
                    name=name,
                )

    def _at(self, offset: int, code: str, severity: Severity, message: str, **params) -> Finding:
        return self.page.finding(offset, code, severity, message, {**self.params, **params})


_KIND_NAMES = {"paragraph": _("paragraph"), "item": _("list item")}
_EXTRA = {
    "paragraph": ("structure.passage-extra", _("This passage is not in the %(source)s version")),
    "quote": ("structure.quote-extra", _("This quote is not in the %(source)s version")),
    "heading": ("structure.heading-extra", _("This heading is not in the %(source)s version")),
    "table": ("structure.table-extra", _("This table is not in the %(source)s version")),
}


def align(
    ours: Sequence[Part], theirs: Sequence[Part], score: Callable[[Part, Part], float]
) -> list[tuple[int | None, int | None]]:
    """Pair parts in order so the sum of their scores is highest; a part left unpaired gets None as its partner."""
    n, m = len(ours), len(theirs)
    if n * m > ALIGN_MAX_CELLS:
        return [(i if i < n else None, i if i < m else None) for i in range(max(n, m))]
    scores = [[score(a, b) for b in theirs] for a in ours]
    table = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n):
        row, next_row, pair_scores = table[i], table[i + 1], scores[i]
        for j in range(m):
            best = max(row[j + 1], next_row[j])
            if pair_scores[j] > 0:
                best = max(best, row[j] + pair_scores[j])
            next_row[j + 1] = best
    pairs = []
    i, j = n, m
    while i and j:
        if scores[i - 1][j - 1] > 0 and table[i][j] == table[i - 1][j - 1] + scores[i - 1][j - 1]:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif table[i][j] == table[i - 1][j]:
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((None, j - 1))
            j -= 1
    pairs.extend((index, None) for index in range(i - 1, -1, -1))
    pairs.extend((None, index) for index in range(j - 1, -1, -1))
    return pairs[::-1]


def _heading(section: list[Block]) -> Block | None:
    return section[0] if section and section[0].kind == "heading" and section[0].level <= 2 else None


def _targets(blocks: list[Block]) -> Counter:
    return Counter(link.target for block in blocks for link in block.links if link.internal)


def _length(blocks: list[Block]) -> int:
    return sum(len(block.plain) for block in blocks if block.kind in PROSE_KINDS)


def _overlap(ours: Counter, theirs: Counter) -> float:
    if not ours and not theirs:
        return 0.0
    return sum((ours & theirs).values()) / sum((ours | theirs).values())


def _starts_lower(plain: str) -> bool:
    word = plain.split()[0]
    return word[:1].islower() and word[1:] == word[1:].lower() and word[:1].isalpha()


def numbers(page: Page, block: Block) -> list[tuple[float, int, int]]:
    """Return the value, start and end in the body of every number of a block, scales applied (100만 = 1,000,000)."""
    memo = page.memo.get(("numbers", block.start))
    if memo is not None:
        return memo
    found = []
    prose = page.prose
    for match in _NUMBER.finditer(prose, block.start, block.end):
        digits, unit = match.groups()
        if prose[match.end(1) : match.end(1) + 1] in ".)" and _LEADING_MARKER.match(
            prose[prose.rfind("\n", 0, match.start()) + 1 : match.end(1) + 2]
        ):
            continue  # the marker of a numbered list item
        value = float(re.sub(r"\D", "", digits) if _THOUSANDS.fullmatch(digits) else digits.replace(",", "."))
        found.append((round(value * SCALES.get((unit or "").lower(), 1), 2), match.start(), match.end(1)))
    page.memo[("numbers", block.start)] = found
    return found


def _format_value(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:g}"


def names(page: Page, block: Block) -> Counter:
    """Return the proper names of a block with their counts: StartEngine, (Patreon), Mechanical Turk."""
    memo = page.memo.get(("names", block.start))
    if memo is not None:
        return memo
    candidates: set[str] = set()
    for line in block.text.split("\n"):
        plain = plain_markdown(line)
        candidates.update(match.group(0) for match in _CAMEL_NAME.finditer(plain))
        candidates.update(match.group(1) for match in _BRACKETED_NAME.finditer(plain))
        for match in _CAPITALISED_RUN.finditer(plain):
            words = match.group(0).split()
            before = plain[: match.start()].rstrip()
            if not before or before[-1] in '.!?:;"“«':
                words = words[1:]  # the first word may be capitalised only because it starts a sentence
            if len(words) >= 2:
                candidates.add(" ".join(words))
    found = Counter({name: len(_name_pattern(name).findall(block.plain)) for name in candidates})
    page.memo[("names", block.start)] = found
    return found


@lru_cache(maxsize=1024)
def _name_pattern(name: str, flags: int = 0) -> re.Pattern:
    # Only Latin letters bound a name: "Kickstarter가" and "Netflix是" hold the name.
    return re.compile(rf"(?<![A-Za-z]){re.escape(name)}(?![a-z])", flags)

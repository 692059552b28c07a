"""Three-way merge of Markdown bodies block by block, so two editors of different paragraphs both keep their work.

No Django here. A block is a range of source lines found by the shared parse (`markup.parse`): a paragraph, a
list item's paragraph, a table row, a heading, a fenced or indented code block, an HTML block, a quote's
paragraph, a definition term, a thematic break or an aside's label line. A source line no block covers (a table's
delimiter row, an aside's closing `:::`, a reference definition, an empty list item) is a block of its own. The
blank lines after a block are its separator and travel with it.

`merge_blocks` compares both edited bodies with the body both editors started from (the base):
- a block changed on one side only is taken from that side; changed identically on both, it is taken once;
- blocks inserted on either side are kept where they were inserted (mine first when both inserted at one place,
  an identical insertion once); a block deleted on one side and untouched on the other is deleted;
- a block moved on one side (same text, new place) and edited on the other is kept, edited, at its new place;
- a block both sides changed differently, or one deleted and the other edited, is a conflict: the merged text
  holds MINE there, and `resolve` makes the final body from a choice per conflict.
Nothing one side wrote is dropped without being in the merged text or in a conflict.

Line endings: the result uses the first line ending of mine (else theirs, else base), so a CRLF body posted by a
browser stays CRLF; a final newline is kept or left out as the sides agree (mine decides when they do not).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from markup.findings import gettext_noop as _
from markup.parse import parse_markdown
from markup.sequence import matching_pairs

# Tokens whose line map is one block; a `::: Label` aside contributes its label line only.
_LEAVES = {
    "paragraph_open": "paragraph",
    "heading_open": "heading",
    "fence": "code",
    "code_block": "code",
    "html_block": "html",
    "hr": "rule",
    "tr_open": "table-row",
    "dt_open": "definition-term",
}
_ASIDE_OPEN = "container_aside_open"
# Adjacent blocks of these kinds need no blank line between them (a blank line would end the table or list).
_TIGHT_KINDS = frozenset({"table-row", "item"})
# Changed stretches are paired by likeness up to this many block pairs to compare; beyond, by place and kind.
_PAIRING_LIMIT = 2_500
_PAIRING_LIKENESS = 0.4
_SAME_KIND = 0.01  # pairing two unlike blocks of one kind scores a little, so a rewritten block counts as edited

Status = Literal["same", "edit", "delete", "move"]


@dataclass(frozen=True)
class SourceBlock:
    """One block of a body: its source lines (line endings removed) and the blank lines that follow it."""

    kind: str  # paragraph, item, heading, code, html, rule, table-row, definition-term, aside-label, line, blank
    lines: tuple[str, ...]
    separator: tuple[str, ...]  # the blank lines after it ("" or spaces each)
    line: int  # 1-based line of the body where it starts
    last: bool = False  # the body's last block: its separator is the end of the body

    @property
    def text(self) -> str:
        """Return the block's lines joined by "\\n", without its separator."""
        return "\n".join(self.lines)


@dataclass(frozen=True)
class BlockConflict:
    """A block both editors changed differently; "" stands for a side that deleted it."""

    id: str  # stable for the same base, mine and theirs texts of this block
    base: str
    mine: str
    theirs: str
    line: int  # 1-based line of the merged text where the region starts (mine's text fills it)
    line_count: int  # 0 when mine deleted the block


@dataclass(frozen=True)
class Edited:
    """An editor's own text for a conflict (use it when that text could read "mine" or "theirs")."""

    text: str


@dataclass(frozen=True)
class MergeResult:
    """The merged body (each conflict filled with mine) and the conflicts, in text order."""

    text: str
    conflicts: list[BlockConflict]
    _pieces: tuple[_Piece, ...] = field(default=(), repr=False)
    _eol: str = field(default="\n", repr=False)
    _final_newline: bool = field(default=False, repr=False)

    @property
    def clean(self) -> bool:
        return not self.conflicts


class UnknownConflictError(ValueError):
    """A choice names a conflict this merge does not have (the bodies changed since the choice was offered)."""

    message = _("The texts changed since this conflict was shown (%(conflict)s); merge again. Nothing was changed.")

    def __init__(self, conflict_id: str):
        self.conflict_id = conflict_id
        super().__init__(self.text())

    def text(self, translate=lambda message: message) -> str:
        """Return the message, translated by `translate` first."""
        return translate(self.message) % {"conflict": self.conflict_id}


@dataclass(frozen=True)
class _Part:
    """What fills a place of the merged text: lines, the blank lines after them, and where they came from."""

    lines: tuple[str, ...]
    separator: tuple[str, ...]
    last: bool
    kind: str


@dataclass(frozen=True)
class _Piece:
    part: _Part | None  # None for a conflict
    conflict: int = -1  # index into the conflicts
    mine: _Part | None = None
    theirs: _Part | None = None


@dataclass
class _Body:
    blocks: list[SourceBlock]
    final_newline: bool


@dataclass
class _Side:
    """How one side changed the base: per base block a status and the side's block, and what it inserted where."""

    status: list[Status]
    partner: list[int]  # the side's block for same/edit/move, -1 for delete
    inserts: dict[int, list[int]]  # gap (before base block g; len(base) for the end) -> the side's blocks
    moved_from: dict[int, int]  # the side's block -> the base block it moved


def split_blocks(body: str) -> list[SourceBlock]:
    """Split a body into blocks by the shared parse; joining lines and separators gives the body back (as LF)."""
    return _read(body).blocks


def merge_blocks(*, base: str, mine: str, theirs: str) -> MergeResult:
    """Merge mine and theirs, both edited from base, block by block; conflicts come back, never dropped."""
    eol = _first_eol(mine) or _first_eol(theirs) or _first_eol(base) or "\n"
    base_lf, mine_lf, theirs_lf = _lf(base), _lf(mine), _lf(theirs)
    if mine_lf == theirs_lf or theirs_lf == base_lf:
        return MergeResult(text=mine, conflicts=[])
    if mine_lf == base_lf:
        return MergeResult(text=theirs_lf.replace("\n", eol), conflicts=[])
    base_body, mine_body, theirs_body = _read(base), _read(mine), _read(theirs)
    final_newline = (
        mine_body.final_newline if mine_body.final_newline != base_body.final_newline else theirs_body.final_newline
    )
    pieces, conflicts = _merge(base_body.blocks, mine_body.blocks, theirs_body.blocks)
    return _result(tuple(pieces), conflicts, eol=eol, final_newline=final_newline, choices={})


def resolve(result: MergeResult, *, choices: Mapping[str, str | Edited]) -> str:
    """Return the final body: per conflict id "mine", "theirs" or the edited text; unlisted conflicts keep mine."""
    known = {conflict.id: index for index, conflict in enumerate(result.conflicts)}
    pieces = {piece.conflict: piece for piece in result._pieces if piece.conflict >= 0}
    chosen: dict[int, _Part | None] = {}
    for conflict_id, choice in choices.items():
        if conflict_id not in known:
            raise UnknownConflictError(conflict_id)
        chosen[known[conflict_id]] = _chosen_part(pieces[known[conflict_id]], choice)
    if not result.conflicts:
        return result.text
    return _result(
        result._pieces, result.conflicts, eol=result._eol, final_newline=result._final_newline, choices=chosen
    ).text


# Reading a body ------------------------------------------------------------------------------------------------


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _first_eol(text: str) -> str:
    newline, carriage = text.find("\n"), text.find("\r")
    if carriage < 0:
        return "\n" if newline >= 0 else ""
    if 0 <= newline < carriage:
        return "\n"
    return "\r\n" if text.startswith("\n", carriage + 1) else "\r"


def _blank(line: str) -> bool:
    return not line.strip(" \t")


def _read(body: str) -> _Body:
    text = _lf(body)
    final_newline = text.endswith("\n")
    lines = text.split("\n") if text else []
    if final_newline:
        lines.pop()
    ranges = _block_ranges(text, len(lines))
    blocks: list[SourceBlock] = []
    index, next_range = 0, 0
    while index < len(lines):
        while next_range < len(ranges) and ranges[next_range][1] <= index:
            next_range += 1
        if next_range < len(ranges) and ranges[next_range][0] <= index:
            _start, end, kind = ranges[next_range]
            start, index = index, end
            next_range += 1
        elif _blank(lines[index]):  # blank lines before the first block
            start, kind = index, "blank"
        else:
            start, kind, index = index, "line", index + 1
        content = tuple(lines[start:index])
        separator_start = index
        while index < len(lines) and _blank(lines[index]):
            if next_range < len(ranges) and ranges[next_range][0] <= index:
                break
            index += 1
        blocks.append(SourceBlock(kind, content, tuple(lines[separator_start:index]), line=start + 1))
    if blocks:
        last = blocks[-1]
        blocks[-1] = SourceBlock(last.kind, last.lines, last.separator, last.line, last=True)
    return _Body(blocks=blocks, final_newline=final_newline)


def _block_ranges(text: str, line_count: int) -> list[tuple[int, int, str]]:
    """Return the blocks' line ranges (0-based, end excluded), sorted, overlapping ones joined."""
    found = []
    previous_type = ""
    for token in parse_markdown(text).tokens:
        if token.map and (token.type in _LEAVES or token.type == _ASIDE_OPEN):
            start = token.map[0] - 1
            if token.type == _ASIDE_OPEN:
                kind, end = "aside-label", start + 1
            else:
                kind, end = _LEAVES[token.type], max(token.map[1], token.map[0] + 1) - 1
                if kind == "paragraph" and previous_type == "list_item_open":
                    kind = "item"
            found.append((max(start, 0), min(end, line_count), kind))
        previous_type = token.type
    found.sort()
    joined: list[tuple[int, int, str]] = []
    for start, end, kind in found:
        if start >= end:
            continue
        if joined and start < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]), joined[-1][2])
        else:
            joined.append((start, end, kind))
    return joined


# Comparing each side with the base ------------------------------------------------------------------------------


def align_blocks(before: list[SourceBlock], after: list[SourceBlock]) -> list[tuple[int | None, int | None]]:
    """Align two bodies' blocks in order: (i, j) for a kept or changed block, None on the side that lacks one.

    Equal blocks are matched first (patience matching); between them, blocks are paired by place when both sides
    have as many, else by likeness; an unpaired block is a deletion (i, None) or an insertion (None, j).
    """
    before_keys = [block.text for block in before]
    after_keys = [block.text for block in after]
    aligned: list[tuple[int | None, int | None]] = []
    previous = (-1, -1)
    for i, j in [*matching_pairs(before_keys, after_keys), (len(before), len(after))]:
        aligned.extend(_pair_stretch(before, after, previous[0] + 1, i, previous[1] + 1, j))
        if i < len(before):
            aligned.append((i, j))
        previous = (i, j)
    return aligned


def _compare(base: list[SourceBlock], side: list[SourceBlock]) -> _Side:
    status: list[Status] = ["delete"] * len(base)
    partner = [-1] * len(base)
    inserts: dict[int, list[int]] = {}
    gap = 0
    for base_index, side_index in align_blocks(base, side):
        if base_index is None:
            inserts.setdefault(gap, []).append(side_index)
            continue
        gap = base_index + 1
        if side_index is not None:
            same = base[base_index].text == side[side_index].text
            status[base_index], partner[base_index] = ("same" if same else "edit"), side_index
    base_keys = [block.text for block in base]
    side_keys = [block.text for block in side]
    return _Side(
        status=status,
        partner=partner,
        inserts=inserts,
        moved_from=_moves(base_keys, side_keys, status, inserts, partner),
    )


def _pair_stretch(
    base: list[SourceBlock], side: list[SourceBlock], base_low: int, base_high: int, side_low: int, side_high: int
) -> list[tuple[int | None, int | None]]:
    """Pair the blocks of a stretch that differs: (b, s) paired, (b, None) deleted, (None, s) inserted.

    Two blocks pair when they are alike (character pairs in common) or, failing that, of the same kind: a rewritten
    paragraph is still that paragraph, but a paragraph deleted where a list item was added is not the item.
    """
    base_count, side_count = base_high - base_low, side_high - side_low
    if base_count * side_count > _PAIRING_LIMIT or not base_count or not side_count:
        if base_count == side_count:
            return [
                pair
                for k in range(base_count)
                for pair in (
                    [(base_low + k, side_low + k)]
                    if base[base_low + k].kind == side[side_low + k].kind
                    else [(base_low + k, None), (None, side_low + k)]
                )
            ]
        deletions: list[tuple[int | None, int | None]] = [(b, None) for b in range(base_low, base_high)]
        return deletions + [(None, s) for s in range(side_low, side_high)]
    # Alignment maximising the likeness of paired blocks (dynamic programming over the small stretch).
    base_pairs = [_character_pairs(block.text) for block in base[base_low:base_high]]
    side_pairs = [_character_pairs(block.text) for block in side[side_low:side_high]]
    score = [[0.0] * (side_count + 1) for _ in range(base_count + 1)]
    move = [[""] * (side_count + 1) for _ in range(base_count + 1)]
    for b in range(base_count + 1):
        for s in range(side_count + 1):
            options = []
            if b:
                options.append((score[b - 1][s], "delete"))
            if s:
                options.append((score[b][s - 1], "insert"))
            if b and s:
                likeness = _likeness(base_pairs[b - 1], side_pairs[s - 1])
                if likeness >= _PAIRING_LIKENESS:
                    options.append((score[b - 1][s - 1] + likeness, "pair"))
                elif base[base_low + b - 1].kind == side[side_low + s - 1].kind:
                    options.append((score[b - 1][s - 1] + _SAME_KIND, "pair"))
            if options:
                score[b][s], move[b][s] = max(options)
    ops: list[tuple[int | None, int | None]] = []
    b, s = base_count, side_count
    while b or s:
        step = move[b][s]
        if step == "pair":
            ops.append((base_low + b - 1, side_low + s - 1))
            b, s = b - 1, s - 1
        elif step == "delete":
            ops.append((base_low + b - 1, None))
            b -= 1
        else:
            ops.append((None, side_low + s - 1))
            s -= 1
    ops.reverse()
    return ops


def _character_pairs(text: str) -> set[str]:
    return {text[index : index + 2] for index in range(len(text) - 1)} or {text}


def _likeness(first: set[str], second: set[str]) -> float:
    """Return the share of character pairs two texts have in common (Jaccard): any script, linear time."""
    return len(first & second) / len(first | second)


def _moves(
    base_keys: list[str], side_keys: list[str], status: list[Status], inserts: dict[int, list[int]], partner: list[int]
) -> dict[int, int]:
    """Find blocks deleted in one place and inserted unchanged in another: each text once deleted, once inserted."""
    deleted: dict[str, list[int]] = {}
    for index, state in enumerate(status):
        if state == "delete" and base_keys[index].strip():
            deleted.setdefault(base_keys[index], []).append(index)
    inserted: dict[str, list[int]] = {}
    for side_indexes in inserts.values():
        for side_index in side_indexes:
            inserted.setdefault(side_keys[side_index], []).append(side_index)
    moved_from = {}
    for key, base_indexes in deleted.items():
        targets = inserted.get(key, [])
        if len(base_indexes) == 1 and len(targets) == 1:
            status[base_indexes[0]], partner[base_indexes[0]] = "move", targets[0]
            moved_from[targets[0]] = base_indexes[0]
    return moved_from


# Merging --------------------------------------------------------------------------------------------------------


def _part(block: SourceBlock) -> _Part:
    return _Part(block.lines, block.separator, block.last, block.kind)


def _merge(
    base: list[SourceBlock], mine: list[SourceBlock], theirs: list[SourceBlock]
) -> tuple[list[_Piece], list[BlockConflict]]:
    mine_side, theirs_side = _compare(base, mine), _compare(base, theirs)
    pieces: list[_Piece] = []
    conflicts: list[BlockConflict] = []

    def version(side: _Side, blocks: list[SourceBlock], index: int) -> SourceBlock | None:
        """Return a side's version of a base block (None when deleted), wherever it now is."""
        return blocks[side.partner[index]] if side.status[index] != "delete" else None

    def moved_part(mover: _Side, mover_blocks, other: _Side, other_blocks, side_index: int, mine_moved: bool):
        """Return what goes where a side moved a block to: the other side's version of it, at the new place."""
        index = mover.moved_from[side_index]
        if other.status[index] == "move" and not mine_moved:
            return None  # both moved it: mine's place wins, the text is the same
        other_version = version(other, other_blocks, index)
        if other_version is None:
            return None  # the other side deleted it; the move did not change its text
        placed = mover_blocks[side_index]
        return _Part(other_version.lines, placed.separator, placed.last, placed.kind)

    def insertions(gap: int) -> None:
        mine_parts = [
            moved_part(mine_side, mine, theirs_side, theirs, s, True) if s in mine_side.moved_from else _part(mine[s])
            for s in mine_side.inserts.get(gap, [])
        ]
        theirs_parts = [
            moved_part(theirs_side, theirs, mine_side, mine, s, False)
            if s in theirs_side.moved_from
            else _part(theirs[s])
            for s in theirs_side.inserts.get(gap, [])
        ]
        mine_texts = {part.lines for part in mine_parts if part is not None}
        for part in mine_parts:
            if part is not None:
                pieces.append(_Piece(part))
        for part in theirs_parts:
            if part is not None and part.lines not in mine_texts:
                pieces.append(_Piece(part))

    for index, block in enumerate(base):
        insertions(index)
        mine_state, theirs_state = mine_side.status[index], theirs_side.status[index]
        if "move" in (mine_state, theirs_state):
            continue  # placed where it was moved to
        mine_block = version(mine_side, mine, index)
        theirs_block = version(theirs_side, theirs, index)
        if mine_block is None and (theirs_block is None or theirs_state == "same"):
            continue
        if theirs_block is None and mine_state == "same":
            continue
        if mine_block is not None and theirs_block is not None:
            if theirs_state == "same" or mine_block.lines == theirs_block.lines:
                pieces.append(_Piece(_kept(block, mine_block, theirs_block, lines=mine_block.lines)))
                continue
            if mine_state == "same":
                pieces.append(_Piece(_kept(block, mine_block, theirs_block, lines=theirs_block.lines)))
                continue
        pieces.append(
            _Piece(
                None,
                conflict=len(conflicts),
                mine=_part(mine_block) if mine_block else None,
                theirs=_part(theirs_block) if theirs_block else None,
            )
        )
        conflicts.append(
            BlockConflict(
                id="",
                base=block.text,
                mine=mine_block.text if mine_block else "",
                theirs=theirs_block.text if theirs_block else "",
                line=0,
                line_count=0,
            )
        )
    insertions(len(base))
    return pieces, _with_ids(conflicts)


def _kept(base: SourceBlock, mine: SourceBlock, theirs: SourceBlock, *, lines: tuple[str, ...]) -> _Part:
    """Return a kept block's lines with the blank lines after it merged too (mine's change, else theirs')."""
    if mine.separator != base.separator or mine.last != base.last:
        source = mine
    elif theirs.separator != base.separator or theirs.last != base.last:
        source = theirs
    else:
        source = base
    return _Part(lines, source.separator, source.last, base.kind)


def _with_ids(conflicts: list[BlockConflict]) -> list[BlockConflict]:
    seen: dict[str, int] = {}
    result = []
    for conflict in conflicts:
        digest = hashlib.sha1(
            "\0".join((conflict.base, conflict.mine, conflict.theirs)).encode("utf-8"), usedforsecurity=False
        ).hexdigest()[:10]
        seen[digest] = seen.get(digest, 0) + 1
        conflict_id = f"c{digest}" if seen[digest] == 1 else f"c{digest}-{seen[digest]}"
        result.append(BlockConflict(conflict_id, conflict.base, conflict.mine, conflict.theirs, 0, 0))
    return result


def _chosen_part(piece: _Piece, choice: str | Edited) -> _Part | None:
    if choice == "mine":
        return piece.mine
    if choice == "theirs":
        return piece.theirs
    text = _lf(choice.text if isinstance(choice, Edited) else choice).strip("\n")
    if not text.strip():
        return None
    model = piece.mine or piece.theirs
    assert model is not None  # a conflict has at least one side's text
    return _Part(tuple(text.split("\n")), model.separator, model.last, model.kind)


def _result(
    pieces: tuple[_Piece, ...],
    conflicts: list[BlockConflict],
    *,
    eol: str,
    final_newline: bool,
    choices: Mapping[int, _Part | None],
) -> MergeResult:
    """Write the pieces out, each conflict with its choice (mine by default), noting where each conflict landed."""
    parts = [piece.part if piece.conflict < 0 else choices.get(piece.conflict, piece.mine) for piece in pieces]
    following = [None] * len(parts)
    upcoming = None
    for index in range(len(parts) - 1, -1, -1):
        following[index] = upcoming
        if parts[index] is not None:
            upcoming = parts[index]
    lines: list[str] = []
    placed = []
    for index, (piece, part) in enumerate(zip(pieces, parts, strict=True)):
        start = len(lines) + 1
        if part is not None:
            lines.extend(part.lines)
            lines.extend(_separator(part, following[index]))
        if piece.conflict >= 0:
            count = len(part.lines) if part is not None else 0
            conflict = conflicts[piece.conflict]
            placed.append(BlockConflict(conflict.id, conflict.base, conflict.mine, conflict.theirs, start, count))
    text = "\n".join(lines) + ("\n" if final_newline and lines else "")
    placed_conflicts = [
        BlockConflict(c.id, *(_eol(value, eol) for value in (c.base, c.mine, c.theirs)), c.line, c.line_count)
        for c in placed
    ]
    return MergeResult(
        text=_eol(text, eol),
        conflicts=placed_conflicts,
        _pieces=pieces,
        _eol=eol,
        _final_newline=final_newline,
    )


def _separator(part: _Part, following: _Part | None) -> tuple[str, ...]:
    """Return the blank lines after a part, given what now follows it."""
    if following is None:
        return part.separator if part.last else ()
    if part.last and not part.separator:
        # It ended its body and now has a neighbour: a blank line keeps the two apart, except inside a table/list.
        tight = part.kind == following.kind and part.kind in _TIGHT_KINDS
        return () if tight else ("",)
    return part.separator


def _eol(text: str, eol: str) -> str:
    return text if eol == "\n" else text.replace("\n", eol)

"""Readable diffs for history, compare and the source-changes panel: words, or characters in Chinese and Korean.

No Django here. Text is cut into words for scripts that separate words with spaces, and into single characters
for Han, Hangul and Kana, decided by each character's script (not by a language code), so a new language needs no
change and a Korean sentence with an English term in it is diffed at both levels. `diff_blocks` first aligns two
bodies block by block (the blocks of `markup.merge`), so an unchanged paragraph is one "equal" row and only the
changed ones are diffed word by word.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal

from markup.merge import align_blocks, split_blocks
from markup.sequence import matching_pairs

# Scripts written without spaces between words, or whose words are too long to show a change in: one character each.
_HAN = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
)
_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uffa0-\uffdc"
_KANA = "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f\U0001b000-\U0001b16f"
_BY_CHARACTER = _HAN + _HANGUL + _KANA
# Combining marks belong to the letter before them (a decomposed "é" is one word character).
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_TOKEN = re.compile(rf"[{_BY_CHARACTER}]|(?:[^\W_{_BY_CHARACTER}]|[{_MARKS}])+|\s+|.", re.DOTALL)

DiffOpKind = Literal["equal", "insert", "delete"]
DiffRowKind = Literal["equal", "insert", "delete", "change"]


@dataclass(frozen=True)
class DiffOp:
    op: DiffOpKind
    text: str


@dataclass(frozen=True)
class DiffRow:
    """One block of a body diff: unchanged, inserted, deleted or changed (then `ops` holds the word diff)."""

    op: DiffRowKind
    before: str  # "" for an inserted block
    after: str  # "" for a deleted block
    ops: tuple[DiffOp, ...]

    def html(self) -> str:
        """Return the row as escaped HTML with <ins> and <del> around the changes."""
        return ops_html(self.ops)


def tokens(text: str) -> list[str]:
    """Cut text into words, runs of spaces, single punctuation marks and single Han, Hangul or Kana characters."""
    return _TOKEN.findall(text)


def word_diff(before: str, after: str) -> list[DiffOp]:
    """Return the operations that turn `before` into `after`, word by word (character by character in CJK)."""
    old, new = tokens(before), tokens(after)
    changes: list[tuple[str, str, str]] = []  # ("equal", text, "") or ("change", deleted, inserted)
    previous = (0, 0)
    for i, j in [*matching_pairs(old, new), (len(old), len(new))]:
        deleted, inserted = "".join(old[previous[0] : i]), "".join(new[previous[1] : j])
        if deleted or inserted:
            _add_change(changes, deleted, inserted)
        if i < len(old):
            _add_equal(changes, old[i])
        previous = (i + 1, j + 1)
    ops = []
    for kind, first, second in changes:
        if kind == "equal":
            ops.append(DiffOp("equal", first))
            continue
        if first:
            ops.append(DiffOp("delete", first))
        if second:
            ops.append(DiffOp("insert", second))
    return ops


def _add_equal(changes: list[tuple[str, str, str]], text: str) -> None:
    if changes and changes[-1][0] == "equal":
        changes[-1] = ("equal", changes[-1][1] + text, "")
    else:
        changes.append(("equal", text, ""))


def _add_change(changes: list[tuple[str, str, str]], deleted: str, inserted: str) -> None:
    """Add a change; one made of two separated only by spaces reads better as one ("a b" → "c d", not a→c b→d)."""
    if len(changes) >= 2 and changes[-1][0] == "equal" and not changes[-1][1].strip() and changes[-2][0] == "change":
        space = changes.pop()[1]
        _kind, earlier_deleted, earlier_inserted = changes.pop()
        deleted, inserted = earlier_deleted + space + deleted, earlier_inserted + space + inserted
    elif changes and changes[-1][0] == "change":
        _kind, earlier_deleted, earlier_inserted = changes.pop()
        deleted, inserted = earlier_deleted + deleted, earlier_inserted + inserted
    changes.append(("change", deleted, inserted))


def ops_html(ops: list[DiffOp] | tuple[DiffOp, ...]) -> str:
    """Return the operations as HTML: text escaped, insertions in <ins>, deletions in <del>."""
    parts = []
    for op in ops:
        text = html.escape(op.text, quote=True)
        if op.op == "insert":
            parts.append(f"<ins>{text}</ins>")
        elif op.op == "delete":
            parts.append(f"<del>{text}</del>")
        else:
            parts.append(text)
    return "".join(parts)


def diff_html(before: str, after: str) -> str:
    """Return the word diff of two texts as HTML; every character of the texts is escaped, so it is safe to show."""
    return ops_html(word_diff(before, after))


def diff_blocks(*, before: str, after: str) -> list[DiffRow]:
    """Diff two Markdown bodies block by block: one row per block, changed blocks diffed word by word."""
    old, new = split_blocks(before), split_blocks(after)
    rows = []
    for i, j in align_blocks(old, new):
        old_text = old[i].text if i is not None else ""
        new_text = new[j].text if j is not None else ""
        if i is None:
            rows.append(DiffRow("insert", "", new_text, (DiffOp("insert", new_text),)))
        elif j is None:
            rows.append(DiffRow("delete", old_text, "", (DiffOp("delete", old_text),)))
        elif old_text == new_text:
            rows.append(DiffRow("equal", old_text, new_text, (DiffOp("equal", old_text),)))
        else:
            rows.append(DiffRow("change", old_text, new_text, tuple(word_diff(old_text, new_text))))
    return [row for row in rows if row.before or row.after]

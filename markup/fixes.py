"""Stable ids for mechanical fixes, so a fix shown on a page is the fix applied, on the text the editor has now.

No Django here. An id is `code:line:column:hash`, the hash being that of the passage the fix applies to (the
block holding its line, by the blocks of `markup.merge`, with its neighbours when no block covers the line; one
front-matter line). `apply_fix_by_id` recomputes the
ids on the text it is given (typically the text in the editor's form, with the findings of that text) and refuses,
with a `StaleFixError` that says what changed, when that passage is no longer what it was. A passage that only
moved (lines added above it) keeps its fix: the code, column and passage still identify it.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from functools import lru_cache

from markup.document import FRONT_MATTER_FENCE
from markup.findings import Finding
from markup.findings import gettext_noop as _
from markup.merge import split_blocks
from markup.qa import apply_fix

_HASH_LENGTH = 10
_QUOTED_LENGTH = 80  # how much of a changed line an error message quotes


class StaleFixError(ValueError):
    """A fix that cannot be applied to this text; the message says what changed. Nothing was changed."""

    def __init__(self, message: str, params: dict[str, object]):
        self.message = message
        self.params = params
        super().__init__(self.text())

    def text(self, translate=lambda message: message) -> str:
        """Return the message with its parameters, translated by `translate` first."""
        return translate(self.message) % self.params


def fix_id(finding: Finding, *, text: str) -> str:
    """Return the id of a finding's fix in `text` (the file text the finding was made from)."""
    if finding.fix is None:
        raise ValueError(f"{finding.code} at line {finding.line} has no fix")
    return _id(finding, text)


def apply_fix_by_id(*, text: str, findings: list[Finding], fix_id: str) -> str:
    """Apply the fix `fix_id` names to `text`, given the findings of `text`; raise StaleFixError if it changed."""
    parts = fix_id.rsplit(":", 3)
    if len(parts) != 4 or not parts[1].isdigit() or not parts[2].isdigit():
        raise StaleFixError(_("This is not a fix id: %(fix_id)s. Nothing was changed."), {"fix_id": fix_id})
    code, line, column, digest = parts[0], int(parts[1]), int(parts[2]), parts[3]
    candidates = [f for f in findings if f.code == code and f.fix is not None]
    exact = [f for f in candidates if _id(f, text) == fix_id]
    moved = [
        f
        for f in candidates
        if f.fix is not None and f.fix.column == column and _passage_hash(text, f.fix.line) == digest
    ]
    chosen = exact or sorted(moved, key=lambda f: abs(f.fix.line - line) if f.fix else 0)
    if not chosen:
        if _passage_hash(text, line) != digest:
            raise StaleFixError(
                _("Line %(line)s changed since this fix was shown; it now reads “%(now)s”. Nothing was changed."),
                {"line": line, "now": _line_text(text, line)},
            )
        raise StaleFixError(
            _("The problem %(code)s is no longer found at line %(line)s, column %(column)s. Nothing was changed."),
            {"code": code, "line": line, "column": column},
        )
    fix = chosen[0].fix
    assert fix is not None  # only findings with a fix are candidates
    eol = "\r\n" if "\r\n" in text else "\n"
    try:
        fixed = apply_fix(text.replace("\r\n", "\n"), fix)
    except ValueError:
        raise StaleFixError(
            _("Line %(line)s, column %(column)s no longer reads “%(old)s”. Nothing was changed."),
            {"line": fix.line, "column": fix.column, "old": fix.old},
        ) from None
    return fixed.replace("\n", eol) if eol != "\n" else fixed


def _id(finding: Finding, text: str) -> str:
    assert finding.fix is not None  # callers pass findings with a fix
    return f"{finding.code}:{finding.fix.line}:{finding.fix.column}:{_passage_hash(text, finding.fix.line)}"


def _passage_hash(text: str, line: int) -> str:
    starts, passages = _passages(text)
    index = bisect_right(starts, line) - 1
    passage = passages[index] if index >= 0 and line < starts[-1] else ""
    return hashlib.sha1(passage.encode("utf-8"), usedforsecurity=False).hexdigest()[:_HASH_LENGTH]


@lru_cache(maxsize=4)
def _passages(text: str) -> tuple[list[int], list[str]]:
    """Return the first file line of each passage (and one past the last line) and each passage's text."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    starts: list[int] = []
    passages: list[str] = []
    body_start = 0  # index of the body's first line
    if lines and lines[0].removeprefix("\ufeff") == FRONT_MATTER_FENCE:
        closing = next((i for i in range(1, len(lines)) if lines[i] == FRONT_MATTER_FENCE), None)
        if closing is not None:
            for index in range(closing + 1):  # each front-matter line is a passage of its own
                starts.append(index + 1)
                passages.append(lines[index])
            body_start = closing + 1
    blocks = split_blocks("\n".join(lines[body_start:]))
    # A line no block covers (a lone ">", a delimiter row) is hashed with the blocks it touches: its neighbours
    # give it its meaning.
    runs: list[list[int]] = [[]]
    for index, block in enumerate(blocks):
        runs[-1].append(index)
        if block.separator:
            runs.append([])
    for run in runs:
        run_text = "\n".join(line for index in run for line in (*blocks[index].lines, *blocks[index].separator))
        for index in run:
            block = blocks[index]
            starts.append(body_start + block.line)
            passages.append(run_text if block.kind == "line" else "\n".join((*block.lines, *block.separator)))
    starts.append(len(lines) + 1)
    return starts, passages


def _line_text(text: str, line: int) -> str:
    lines = text.replace("\r\n", "\n").split("\n")
    found = lines[line - 1] if 0 < line <= len(lines) else ""
    return found if len(found) <= _QUOTED_LENGTH else found[: _QUOTED_LENGTH - 1] + "…"

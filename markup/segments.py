"""Edit a body block by block: replace the lines of some passages and keep every other byte as it was.

No Django here. Passages are those of `markup.qa.version_passages` (the blocks QA aligns with the source), numbered
in file order; a block's new text takes its lines' place, written with the line ends the body uses.
"""

from __future__ import annotations

from collections.abc import Mapping

from markup.qa import Passage, version_passages


def passage_source(passage: Passage) -> str:
    """Return a passage's lines as written, joined by "\\n" (without carriage returns)."""
    return "\n".join(text.removesuffix("\r") for _number, text in passage.lines)


def replace_passages(body: str, edits: Mapping[int, str]) -> str:
    """Return `body` with passage `index` (of version_passages(body)) replaced by `edits[index]`; nothing else moves."""
    passages = version_passages(body)
    lines = body.split("\n")
    for index in sorted(edits, reverse=True):
        passage = passages[index]
        numbers = [number for number, _text in passage.lines]
        first, last = min(numbers), max(numbers)
        crlf = lines[last - 1].endswith("\r")
        new = edits[index].replace("\r\n", "\n").replace("\r", "\n").split("\n")
        lines[first - 1 : last] = [line + "\r" for line in new] if crlf else new
    return "\n".join(lines)

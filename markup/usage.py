"""Usage sentences: the sentence around each term link, as a reader reads it, for the term's page. No Django."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markup.parse import parse_blocks
from markup.render import TERM_HREF

# A sentence ends after . ! ? (then a space) or after a full-width 。！？ (no space follows in Chinese).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])\s*")
MAX_SENTENCE = 400  # characters; a longer "sentence" (a list item, a table row) is cut around the link


@dataclass(frozen=True)
class Usage:
    target: str  # the slug linked to
    sentence: str  # plain text
    start: int  # where the link text is in `sentence`
    end: int


def usage_sentences(body: str) -> list[Usage]:
    """Return, for each term link of the body in order, the sentence it stands in and where its text is."""
    usages = []
    for block in parse_blocks(body).blocks:
        if block.kind == "heading":
            continue
        searched_from = 0
        for link in block.links:
            match = TERM_HREF.match(link.target)
            text = " ".join(link.text.split())
            if not match or not text:
                continue
            at = block.text.find(text, searched_from)
            if at < 0:
                continue
            searched_from = at + len(text)
            usages.append(_sentence_around(block.text, at, at + len(text), match.group(1)))
    return usages


def _sentence_around(text: str, start: int, end: int, target: str) -> Usage:
    begin, finish = 0, len(text)
    for boundary in _SENTENCE_END.finditer(text):
        if boundary.end() <= start:
            begin = boundary.end()
        elif boundary.start() >= end:
            finish = boundary.start()
            break
    if finish - begin > MAX_SENTENCE:
        side = max(0, (MAX_SENTENCE - (end - start)) // 2)
        begin, finish = max(begin, start - side), min(finish, end + side)
    sentence = text[begin:finish]
    stripped = len(sentence) - len(sentence.lstrip())
    return Usage(target, sentence.strip(), start - begin - stripped, end - begin - stripped)

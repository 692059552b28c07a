"""An article's files parsed, checked and rendered ahead of its save, in another process: the same results, sooner.
No Django.

The import writes one article while a second process reads the next one's files (`read_ahead`): it parses each body
and runs QA as the write service will when the files are written as they are, and renders each body whose term
links all lead to targets an earlier save of the import resolved (`note_link_resolutions`), as they resolved then.
The import then puts those results in use (`use_read_ahead`) for the save of that article: `parse_markdown`,
`parse_blocks`, `check_version` and `render_markdown` return them for the very inputs they were made from (for a
render: each link still resolving as it did), and work as always for any other input (a body an editor changed, a
term merged or published since), so what is stored is the same with or without the second process. Of a body it
rendered, it sends the parse's blocks and findings alone (the save's link sync, usage sentences and review marks read
them): whole parses were half of what it sent, and unpickling them cost the importing process 2-6 ms an article.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from markup.document import Document, plain_text
from markup.findings import Finding
from markup.parse import Parsed, ParsedBlocks, blocks_made_ahead, parse_markdown, parses_made_ahead
from markup.qa import check_inputs, check_version, checks_made_ahead, document_version
from markup.render import RenderedAhead, TermLink, render_ahead, renders_made_ahead

# Link resolutions the second process keeps (language -> target -> link): past this many it starts afresh, so its
# memory stays bounded however many terms an import links to.
KNOWN_LINKS_LIMIT = 20_000

Resolutions = dict[str, dict[str, TermLink | None]]


@dataclass
class ReadAhead:
    parses: dict[str, Parsed] = field(default_factory=dict)  # body not rendered ahead -> its parse at line one
    blocks: dict[str, ParsedBlocks] = field(default_factory=dict)  # body -> its parse's blocks and findings
    checks: dict[tuple, list[Finding]] = field(default_factory=dict)  # check_inputs -> findings
    renders: dict[str, RenderedAhead] = field(default_factory=dict)  # body -> its render, with what it was made from


# In the second process: the link resolutions the import's saves noted so far, sent along with each article.
_known_links: Resolutions = {}


def read_ahead(
    documents: list[tuple[str, Document]], *, source_language: str, resolved: Resolutions | None = None
) -> ReadAhead:
    """Parse, check and render the files of one article ((language, document) pairs) as its save will, no term
    merged; `resolved` adds to the link resolutions known (language -> target -> link).

    A translation is checked against the file of `source_language`; without that file, the save compares it with
    the stored source, which this process cannot read, so it is left to the save. A body is rendered when each of
    its links leads to a known target and it shows no image (images resolve from the database).
    """
    _know(resolved or {})
    versions = {language: document_version(document, language=language) for language, document in documents}
    source = versions.get(source_language)
    parses = {version.body: parse_markdown(version.body) for version in versions.values()}
    read = ReadAhead(blocks={body: ParsedBlocks(parsed.blocks, parsed.findings) for body, parsed in parses.items()})
    for language, version in versions.items():
        compared = None if language == source_language else source
        if compared is None and language != source_language:
            continue
        findings = check_version(version, source=compared, merged_slugs={})
        read.checks[check_inputs(version, source=compared, merged_slugs={})] = findings
    for language, version in versions.items():
        links = _known_links.get(language)
        made = links and render_ahead(
            version.body, links=links, title=plain_text(version.title), first_line=version.body_line
        )
        if made:
            read.renders[version.body] = made
    # The save renders the others, from their parse.
    read.parses = {body: parsed for body, parsed in parses.items() if body not in read.renders}
    return read


def _know(resolved: Resolutions) -> None:
    if sum(map(len, _known_links.values())) + sum(map(len, resolved.values())) > KNOWN_LINKS_LIMIT:
        _known_links.clear()
    for language, links in resolved.items():
        _known_links.setdefault(language, {}).update(links)


def use_read_ahead(read: ReadAhead | None) -> None:
    """Put what was read ahead of one article in use, in place of the previous article's (None: nothing)."""
    parses_made_ahead(read.parses if read else {})
    blocks_made_ahead(read.blocks if read else {})
    checks_made_ahead(read.checks if read else {})
    renders_made_ahead(read.renders if read else {})


# In the importing process: link resolutions its saves made, to be sent to the second process (None: no import
# reads ahead, nothing is noted).
_noted: Resolutions | None = None


def noting_link_resolutions(on: bool) -> None:
    """Start (or stop) noting the link resolutions saves make, for the second process."""
    global _noted
    _noted = {} if on else None


def note_link_resolutions(resolved: Mapping[str, Mapping[str, TermLink | None]]) -> None:
    """Note how a save's links resolved (language -> target -> link), when an import reads ahead."""
    if _noted is None:
        return
    for language, links in resolved.items():
        _noted.setdefault(language, {}).update(links)


def noted_link_resolutions() -> Resolutions:
    """The resolutions noted since the last call, to send along with the next article."""
    global _noted
    taken, _noted = _noted or {}, {} if _noted is not None else None
    return taken

"""An article's files parsed and checked ahead of its save, in another process: the same results, sooner. No Django.

The import writes one article while a second process reads the next one's files (`read_ahead`): it parses each body
and runs QA as the write service will when the files are written as they are. The import then puts those results in
use (`use_read_ahead`) for the save of that article: `parse_markdown` and `check_version` return them for the very
inputs they were made from, and work as always for any other input (a body an editor changed, a term merged since),
so what is stored is the same with or without the second process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markup.document import Document
from markup.findings import Finding
from markup.parse import Parsed, parse_markdown, parses_made_ahead
from markup.qa import check_inputs, check_version, checks_made_ahead, document_version


@dataclass
class ReadAhead:
    parses: dict[str, Parsed] = field(default_factory=dict)  # body -> its parse at line one
    checks: dict[tuple, list[Finding]] = field(default_factory=dict)  # check_inputs -> findings


def read_ahead(documents: list[tuple[str, Document]], *, source_language: str) -> ReadAhead:
    """Parse and check the files of one article ((language, document) pairs) as its save will, no term merged.

    A translation is checked against the file of `source_language`; without that file, the save compares it with
    the stored source, which this process cannot read, so it is left to the save.
    """
    versions = {language: document_version(document, language=language) for language, document in documents}
    source = versions.get(source_language)
    read = ReadAhead(parses={version.body: parse_markdown(version.body) for version in versions.values()})
    for language, version in versions.items():
        compared = None if language == source_language else source
        if compared is None and language != source_language:
            continue
        findings = check_version(version, source=compared, merged_slugs={})
        read.checks[check_inputs(version, source=compared, merged_slugs={})] = findings
    return read


def use_read_ahead(read: ReadAhead | None) -> None:
    """Put what was read ahead of one article in use, in place of the previous article's (None: nothing)."""
    parses_made_ahead(read.parses if read else {})
    checks_made_ahead(read.checks if read else {})

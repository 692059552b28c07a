"""Translation QA: find what a careful bilingual reviewer would flag in one language version. No Django here.

`check_version` is the one entry point. It gathers the findings of the renderer's pre-pass (`markup.`), the checks
of the version on its own (`markup.qa_text`, `markup.qa_meta`) and, given the source-language version, the checks
against it (`markup.qa_source`). Codes are stable and start with their family: link., placeholder., structure.,
meta., text., punct., number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from markup.document import parse_document
from markup.findings import Finding, Fix
from markup.qa_meta import check_metadata
from markup.qa_page import Block, analyse, parse_blocks
from markup.qa_source import check_against_source
from markup.qa_text import check_text

__all__ = ["Block", "Version", "apply_fix", "check_version", "parse_blocks"]


@dataclass(frozen=True)
class Version:
    """One language version of an article, as read from its file."""

    language: str  # e.g. "ko", "zh-hans"
    title: str
    description: str
    keywords: str
    body: str  # Markdown body, exactly as in the file after front matter
    body_line: int = 1  # file line on which the body starts
    meta_lines: Mapping[str, int] = field(default_factory=dict)  # file line of each front-matter field

    @classmethod
    def from_text(cls, text: str, *, language: str, name: str = "") -> Version:
        """Read a version from the text of its file, front-matter lines included."""
        document = parse_document(text, name=name or f"{language}.md")
        return cls(
            language=language,
            title=document.title,
            description=document.description,
            keywords=document.keywords,
            body=document.body,
            body_line=document.body_line,
            meta_lines=document.meta_lines,
        )

    @property
    def meta(self) -> dict[str, str]:
        return {"title": self.title, "description": self.description, "keywords": self.keywords}


def check_version(version: Version, *, source: Version | None = None) -> list[Finding]:
    """All findings for one language version; cross-language checks only when `source` (another language) is given."""
    from markup.repair import repair_markdown  # the renderer's pre-pass reports markup defects; QA adds the rest

    findings = list(repair_markdown(version.body, first_line=version.body_line)[1])
    page = analyse(version.body, version.body_line)
    findings.extend(check_text(page, language=version.language, title=version.title))
    compared = source is not None and source.language != version.language
    findings.extend(
        check_metadata(
            language=version.language,
            meta=version.meta,
            lines=version.meta_lines,
            script=page.script,
            source=source.meta if compared else None,
            source_language=source.language if compared else "",
        )
    )
    if compared:
        source_page = analyse(source.body, source.body_line)
        findings.extend(check_against_source(page, source_page, source_language=source.language))
    unique = {}
    for finding in findings:
        unique.setdefault((finding.code, finding.line, finding.column), replace(finding, language=version.language))
    return sorted(unique.values(), key=lambda f: (f.line, f.column, f.code))


def apply_fix(text: str, fix: Fix) -> str:
    """Apply a mechanical fix to the file text (front matter + body); raise ValueError if `old` is not at its place."""
    lines = text.split("\n")
    index = fix.line - 1
    if not 0 <= index < len(lines):
        raise ValueError(f"line {fix.line} is not in the text")
    line = lines[index]
    start = fix.column - 1
    if start < 0 or line[start : start + len(fix.old)] != fix.old:
        raise ValueError(f"line {fix.line}, column {fix.column} no longer reads {fix.old!r}")
    if fix.new == "" and fix.old == line.rstrip("\r") and fix.old:
        del lines[index]  # a line that held only the defect goes, not just its text
    else:
        lines[index] = line[:start] + fix.new + line[start + len(fix.old) :]
    return "\n".join(lines)

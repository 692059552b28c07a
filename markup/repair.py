"""The former repair pass, kept for its callers: the repairs are now rules of the one parse (markup.tolerance)."""

from __future__ import annotations

from markup.findings import Finding
from markup.parse import parse_markdown


def repair_markdown(body: str, *, first_line: int = 1) -> tuple[str, list[Finding]]:
    """Return the body unchanged and the findings of its parse (the parse reads it as the author meant)."""
    return body, list(parse_markdown(body, first_line=first_line).findings)

"""Findings: defects found in a language version, stored beside its rendered HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


def gettext_noop(message: str) -> str:
    """Mark a message for translation without translating it (Django's makemessages extracts it)."""
    return message


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Fix:
    """A mechanical fix: replace `old` with `new` at `line`/`column` of the source text."""

    line: int
    column: int
    old: str
    new: str


@dataclass(frozen=True)
class Finding:
    """One defect: where it is (1-based line and column in the file), how bad, and what to do."""

    code: str
    severity: Severity
    line: int
    column: int
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    fix: Fix | None = None
    language: str = ""  # the language version it was found in; set by the checks that know it

    def text(self, translate=lambda message: message) -> str:
        """Return the message with its parameters, translated by `translate` first."""
        return translate(self.message) % self.params if self.params else translate(self.message)

    def to_dict(self) -> dict[str, Any]:
        # What dataclasses.asdict gives (with the severity as text), without its deep copy of every value, its fix's
        # too: a save stores thousands of findings.
        fix = self.fix
        return {
            "code": self.code,
            "severity": str(self.severity),
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "params": dict(self.params),
            "fix": {"line": fix.line, "column": fix.column, "old": fix.old, "new": fix.new} if fix else None,
            "language": self.language,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        fix = data.get("fix")
        return cls(
            code=data["code"],
            severity=Severity(data["severity"]),
            line=data["line"],
            column=data["column"],
            message=data["message"],
            params=data.get("params") or {},
            fix=Fix(**fix) if fix else None,
            language=data.get("language", ""),
        )

"""The linter's values: findings, diagnostics, rules and the rule registry.

`Diagnostic` is a frozen dataclass; the internal records are named tuples, which are
cheaper to define (this module is on the start-up path of `cwa-query lint`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NamedTuple

if TYPE_CHECKING:
    from ._context import Context

__all__ = ["Diagnostic", "Example", "Finding", "Rule", "RuleInfo", "Severity", "Splice", "register", "registered_rules"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding of the linter.

    * `code`: stable identifier (`CWQ101`); `name`: kebab-case rule name (`syntax-error`);
    * `message`: what is wrong, in words; `severity`: `"error"` or `"warning"`;
    * `line`, `column`, `end_line`, `end_column`: 1-based; the end is exclusive (the
      position just after the last character, as SARIF counts);
    * `fix`: the whole corrected condition text, or `None` when no safe fix is known.

    >>> from cwa_query import lint
    >>> d = lint("Status == 'Online'")[0]
    >>> d.code, d.name, d.severity, (d.line, d.column, d.end_line, d.end_column), d.fix
    ('CWQ101', 'syntax-error', 'error', (1, 9, 1, 10), "Status = 'Online'")
    """

    code: str
    name: str
    message: str
    severity: Severity
    line: int
    column: int
    end_line: int
    end_column: int
    fix: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The diagnostic as a JSON-ready mapping (the keys of the `json` output format)."""
        return {
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "severity": self.severity,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "fix": self.fix,
        }


class Splice(NamedTuple):
    """A fix as an edit: the text with `[start, end)` replaced by `replacement`. The linter
    builds the whole corrected text only for the fixes it checks, so a long condition with
    many findings costs no copy of itself per finding."""

    start: int
    end: int
    replacement: str

    def apply(self, text: str) -> str:
        """The corrected text."""
        return text[: self.start] + self.replacement + text[self.end :]


class Finding(NamedTuple):
    """What a rule reports: a source range (0-based offsets, end exclusive), a message and
    a candidate fix (the whole corrected text, or a `Splice` of it). The linter keeps the
    fix only if it parses and lints cleaner."""

    start: int
    end: int
    message: str
    fix: str | Splice | None = None


class Example(NamedTuple):
    """A condition a rule fires on, in a dialect (and endpoint, and filter parameter), and the fix it offers."""

    condition: str
    fix: str | None
    dialect: str = "seed"
    endpoint: str | None = None
    parameter: str | None = None


class Rule:
    """A lint rule: a small class with a stable `code`, a kebab-case `name`, a `severity`,
    a one-line `summary`, an `example` and a `check` that yields findings.

    Subclasses are registered with [`register`][cwa_query.linter.register]; the class
    docstring is the rule's documentation.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    example: ClassVar[Example]

    def check(self, ctx: Context) -> Iterator[Finding]:  # pragma: no cover - abstract
        """Yield the findings of this rule in the condition `ctx` describes."""
        raise NotImplementedError


class RuleInfo(NamedTuple):
    """A rule's documentation: what `list_rules()` returns, for docs and `--list-rules`."""

    code: str
    name: str
    severity: Severity
    summary: str
    description: str
    example: Example


_RULES: list[Rule] = []
_CODE_RE = re.compile(r"CWQ\d{3}")
_NAME_RE = re.compile(r"[a-z]+(?:-[a-z]+)*")


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add a rule to the registry (codes and names must be unique)."""
    if not _CODE_RE.fullmatch(cls.code) or not _NAME_RE.fullmatch(cls.name):
        raise ValueError(f"bad rule code or name: {cls.code!r} {cls.name!r}")
    for rule in _RULES:
        if rule.code == cls.code or rule.name == cls.name:
            raise ValueError(f"rule {cls.code} {cls.name} clashes with {rule.code} {rule.name}")
    _RULES.append(cls())
    _RULES.sort(key=lambda rule: rule.code)
    return cls


def registered_rules() -> tuple[Rule, ...]:
    """The rules registered so far, by code (importing `cwa_query.linter.rules` registers all;
    [`cwa_query.linter.registered`][cwa_query.linter.registered] does)."""
    return tuple(_RULES)

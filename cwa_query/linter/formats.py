"""Output formats for diagnostics: `text`, `json`, `github` and `sarif`.

Each formatter takes the linted conditions and their diagnostics, as a sequence of
`(condition, diagnostics)` pairs (the index is the `input` number), and returns the text
to print. Formats know nothing about rules beyond what a diagnostic carries.

>>> from cwa_query import lint
>>> text = "Status == 'Online'"
>>> print(format_github([(text, lint(text))]))
::error line=1,col=9,endLine=1,endColumn=10,title=CWQ101 syntax-error::unexpected '='; expected a value ...
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from ._model import Diagnostic

__all__ = ["FORMATS", "Linted", "format_github", "format_json", "format_sarif", "format_text"]

Linted = Sequence[tuple[str, Sequence[Diagnostic]]]


def format_text(linted: Linted) -> str:
    """Human-readable: `#input:line:column: CODE [name] message`, the line with carets under
    the range, and the fix. Ends with a count; empty when there is nothing to report."""
    out: list[str] = []
    errors = warnings = 0
    for index, (condition, diagnostics) in enumerate(linted):
        lines = condition.split("\n")
        for d in diagnostics:
            errors += d.severity == "error"
            warnings += d.severity == "warning"
            out.append(f"#{index}:{d.line}:{d.column}: {d.code} [{d.name}] {d.severity}: {d.message}")
            source = lines[d.line - 1] if d.line <= len(lines) else ""
            width = max(1, (d.end_column if d.end_line == d.line else len(source) + 1) - d.column)
            out.append("  " + source.replace("\t", " "))
            out.append("  " + " " * (d.column - 1) + "^" * width)
            if d.fix is not None:
                out.append(f"  fix: {d.fix}")
    if errors or warnings:
        out.append(f"{_count(errors, 'error')}, {_count(warnings, 'warning')} in {_count(len(linted), 'condition')}")
    return "\n".join(out)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def format_json(linted: Linted) -> str:
    """One JSON array of objects with keys `input` (0-based index of the condition),
    `code`, `name`, `message`, `severity`, `line`, `column`, `end_line`, `end_column`, `fix`."""
    rows = [{"input": index, **d.to_dict()} for index, (_, diagnostics) in enumerate(linted) for d in diagnostics]
    return json.dumps(rows, indent=2, ensure_ascii=False)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(linted: Linted) -> str:
    """GitHub Actions workflow commands: `::error line=..,col=..,endLine=..,endColumn=..,
    title=CODE name::message` (`::warning` for warnings), escaped as GitHub requires. With
    several conditions the message starts with `#input:`."""
    several = len(linted) > 1
    out: list[str] = []
    for index, (_, diagnostics) in enumerate(linted):
        for d in diagnostics:
            properties = {
                "line": str(d.line),
                "col": str(d.column),
                "endLine": str(d.end_line),
                "endColumn": str(d.end_column),
                "title": f"{d.code} {d.name}",
            }
            joined = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
            message = (f"#{index}: " if several else "") + d.message
            if d.fix is not None:
                message += f"\nfix: {d.fix}"
            out.append(f"::{d.severity} {joined}::{_escape_data(message)}")
    return "\n".join(out)


_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def format_sarif(linted: Linted) -> str:
    """SARIF 2.1.0: one run whose driver lists every rule; each condition is an artifact
    (its text in `contents`), each diagnostic a result with `ruleId`, `level`, `message`
    and a region, and its fix as a replacement of the whole condition."""
    from .. import __version__
    from ._model import list_rules

    infos = list_rules()
    index_of = {info.code: i for i, info in enumerate(infos)}
    rules = [
        {
            "id": info.code,
            "name": info.name,
            "shortDescription": {"text": info.summary},
            "fullDescription": {"text": info.description},
            "defaultConfiguration": {"level": info.severity},
        }
        for info in infos
    ]
    artifacts = [
        {"location": {"uri": f"condition-{index}"}, "contents": {"text": condition}}
        for index, (condition, _) in enumerate(linted)
    ]
    results: list[dict[str, Any]] = []
    for index, (condition, diagnostics) in enumerate(linted):
        for d in diagnostics:
            location = {"uri": f"condition-{index}", "index": index}
            result: dict[str, Any] = {
                "ruleId": d.code,
                "ruleIndex": index_of[d.code],
                "level": d.severity,
                "message": {"text": d.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": location,
                            "region": {
                                "startLine": d.line,
                                "startColumn": d.column,
                                "endLine": d.end_line,
                                "endColumn": d.end_column,
                            },
                        }
                    }
                ],
            }
            if d.fix is not None:
                result["fixes"] = [
                    {
                        "description": {"text": f"replace the condition with: {d.fix}"},
                        "artifactChanges": [
                            {
                                "artifactLocation": location,
                                "replacements": [
                                    {
                                        "deletedRegion": {"charOffset": 0, "charLength": len(condition)},
                                        "insertedContent": {"text": d.fix},
                                    }
                                ],
                            }
                        ],
                    }
                ]
            results.append(result)
    log = {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cwa-query",
                        "version": __version__,
                        "informationUri": "https://cwa-query.readthedocs.io/",
                        "rules": rules,
                    }
                },
                "artifacts": artifacts,
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)


FORMATS: dict[str, Callable[[Linted], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
}
"""Formatter by name."""

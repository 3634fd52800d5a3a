"""Output formats for diagnostics: `text`, `json`, `github` and `sarif`.

Each formatter takes the linted conditions and their diagnostics, as a sequence of
`(condition, diagnostics)` pairs (the index is the `input` number), and returns the text
to print. With `origins` (one [`Origin`][cwa_query.linter.formats.Origin] a condition),
positions are given in the files the conditions were read from. Formats know nothing
about rules beyond what a diagnostic carries.

>>> from cwa_query import lint
>>> text = "Status == 'Online'"
>>> print(format_github([(text, lint(text))]))
::error line=1,col=9,endLine=1,endColumn=10,title=CWQ101 syntax-error::unexpected '='; expected a value ...
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ._catalog import list_rules
from ._model import Diagnostic

__all__ = ["FORMATS", "Linted", "Origin", "format_github", "format_json", "format_sarif", "format_text"]

Linted = Sequence[tuple[str, Sequence[Diagnostic]]]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a linted condition was read from: a file, the 1-based line it starts on,
    and its 0-based character offset in the file."""

    path: str
    line: int
    offset: int = 0


Origins = Sequence[Origin] | None


def _where(index: int, d: Diagnostic, origins: Origins) -> tuple[str | None, int, int]:
    """(file or None, line, end line) of a diagnostic, in the file when there is one."""
    if origins is None:
        return None, d.line, d.end_line
    origin = origins[index]
    return origin.path, origin.line + d.line - 1, origin.line + d.end_line - 1


def format_text(linted: Linted, origins: Origins = None) -> str:
    """Human-readable: `#input:line:column: CODE [name] message` (`file:line:column: ...`
    with origins), the line with carets under the range, and the fix. Ends with a count;
    empty when there is nothing to report."""
    out: list[str] = []
    errors = warnings = 0
    for index, (condition, diagnostics) in enumerate(linted):
        lines = condition.split("\n")
        for d in diagnostics:
            errors += d.severity == "error"
            warnings += d.severity == "warning"
            path, line, _ = _where(index, d, origins)
            place = f"{path}:{line}" if path is not None else f"#{index}:{line}"
            out.append(f"{place}:{d.column}: {d.code} [{d.name}] {d.severity}: {d.message}")
            source = lines[d.line - 1] if d.line <= len(lines) else ""
            width = max(1, (d.end_column if d.end_line == d.line else len(source) + 1) - d.column)
            shown, column, width = _excerpt(source, d.column, width)
            out.append("  " + shown.replace("\t", " "))
            out.append("  " + " " * (column - 1) + "^" * width)
            if d.fix is not None:
                out.append(f"  fix: {d.fix}")
    if errors or warnings:
        counted = sum(1 for condition, diagnostics in linted if condition or diagnostics)  # not skipped lines
        out.append(f"{_count(errors, 'error')}, {_count(warnings, 'warning')} in {_count(counted, 'condition')}")
    return "\n".join(out)


EXCERPT = 120
"""The longest source line `format_text` shows whole; a longer one is cut to about this many
characters around the finding (so the output grows with the findings, not findings x line)."""


def _excerpt(source: str, column: int, width: int) -> tuple[str, int, int]:
    """`source` cut to about `EXCERPT` characters around `column` (marked `...` where cut),
    with the 1-based column and caret width of the finding in what is shown."""
    if len(source) <= EXCERPT:
        return source, column, width
    start = max(0, column - 1 - EXCERPT // 2)
    end = min(len(source), start + EXCERPT)
    start = max(0, end - EXCERPT)
    prefix = "..." if start else ""
    suffix = "..." if end < len(source) else ""
    width = max(1, min(width, end - (column - 1)))
    return prefix + source[start:end] + suffix, column - start + len(prefix), width


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def format_json(linted: Linted, origins: Origins = None) -> str:
    """One JSON array of objects with keys `input` (0-based index of the condition),
    `code`, `name`, `message`, `severity`, `line`, `column`, `end_line`, `end_column`, `fix`;
    with origins also `file`, and the lines are the file's."""
    rows = []
    for index, (_, diagnostics) in enumerate(linted):
        for d in diagnostics:
            row: dict[str, Any] = {"input": index, **d.to_dict()}
            path, row["line"], row["end_line"] = _where(index, d, origins)
            if path is not None:
                row = {"file": path, **row}
            rows.append(row)
    return json.dumps(rows, indent=2, ensure_ascii=False)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(linted: Linted, origins: Origins = None) -> str:
    """GitHub Actions workflow commands: `::error line=..,col=..,endLine=..,endColumn=..,
    title=CODE name::message` (`::warning` for warnings), escaped as GitHub requires. With
    origins they carry `file=`; else, with several conditions, the message starts with
    `#input:`."""
    several = len(linted) > 1 and origins is None
    out: list[str] = []
    for index, (_, diagnostics) in enumerate(linted):
        for d in diagnostics:
            path, line, end_line = _where(index, d, origins)
            properties = {"file": path} if path is not None else {}
            properties |= {
                "line": str(line),
                "col": str(d.column),
                "endLine": str(end_line),
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


def format_sarif(linted: Linted, origins: Origins = None) -> str:
    """SARIF 2.1.0: one run whose driver lists every rule; each condition is an artifact
    (its text in `contents`), or with origins each file is, each diagnostic a result with
    `ruleId`, `level`, `message` and a region, and its fix as a replacement of the whole
    condition."""
    from .. import __version__

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
    artifacts: list[dict[str, Any]] = []
    artifact_of: dict[str, int] = {}
    for index, (condition, _) in enumerate(linted):
        if origins is None:
            artifacts.append({"location": {"uri": f"condition-{index}"}, "contents": {"text": condition}})
        elif origins[index].path not in artifact_of:
            artifact_of[origins[index].path] = len(artifacts)
            artifacts.append({"location": {"uri": origins[index].path}})
    results: list[dict[str, Any]] = []
    for index, (condition, diagnostics) in enumerate(linted):
        offset = origins[index].offset if origins is not None else 0
        for d in diagnostics:
            path, line, end_line = _where(index, d, origins)
            if path is None:
                location: dict[str, Any] = {"uri": f"condition-{index}", "index": index}
            else:
                location = {"uri": path, "index": artifact_of[path]}
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
                                "startLine": line,
                                "startColumn": d.column,
                                "endLine": end_line,
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
                                        "deletedRegion": {"charOffset": offset, "charLength": len(condition)},
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


FORMATS: dict[str, Callable[[Linted, Origins], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
}
"""Formatter by name."""

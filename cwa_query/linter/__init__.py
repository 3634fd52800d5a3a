"""The linter: findings about a condition, with where, what and how to fix it.

>>> from cwa_query import lint
>>> for d in lint("ComputerNme = 'x' and Client.Nmae = 'Acme'", endpoint="Computers"):
...     print(d.code, d.name, d.line, d.column, d.fix)
CWQ102 unknown-field 1 1 ComputerName = 'x' and Client.Nmae = 'Acme'
CWQ102 unknown-field 1 23 ComputerNme = 'x' and Client.Name = 'Acme'
>>> [d.fix for d in lint("computernme like '%DC%'", dialect="automate", endpoint="Computers")]
["ComputerName like '%DC%'"]

[`fix`][cwa_query.linter.fix] applies every fix at once, lints again and repeats until
nothing changes:

>>> from cwa_query import fix
>>> result = fix("Nmae = 'SRV01' and Status = 'Onlien'", dialect="seed", endpoint="Computers")
>>> result.text, result.complete, [d.code for d in result.applied]
("Name = 'SRV01' and Status = 'Online'", True, ['CWQ102', 'CWQ104'])

Rules are small classes registered in one place (`cwa_query.linter.rules`); each has a
stable code, a kebab-case name, a severity, a summary and an example
([`list_rules`][cwa_query.linter.list_rules] lists them for the docs). Output formats
(text, json, github, sarif) live in [`cwa_query.linter.formats`][cwa_query.linter.formats],
apart from the rules.

Every fix is checked before it is offered: the fixed text must parse and lint cleaner
(fewer findings of the rule, no more errors). Checking costs a lint of the fixed text, so
one condition gets at most `MAX_CHECKED_FIXES` distinct fixes; findings past that carry
`fix=None`.
"""

from __future__ import annotations

import bisect
import os
import warnings
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from .._defaults import DEFAULT_DIALECT
from .._query_budget import IIS_MAX_QUERY_STRING
from ..dialects import Dialect, DialectLike, get_dialect
from ..errors import ConditionSyntaxError, TranslationWarning
from ..schema import Schema, load_schema
from ._catalog import list_rules, registered
from ._context import Context
from ._model import Diagnostic, Example, Finding, Rule, RuleInfo, Severity, Splice, register

__all__ = [
    "DEFAULT_URL_BUDGET",
    "MAX_CHECKED_FIXES",
    "Diagnostic",
    "Example",
    "MAX_FIX_ROUNDS",
    "Finding",
    "FixResult",
    "Rule",
    "RuleInfo",
    "Severity",
    "Splice",
    "fix",
    "lint",
    "list_rules",
    "register",
]

DEFAULT_URL_BUDGET = IIS_MAX_QUERY_STRING
"""The default budget of `url-too-long`: bytes of the query string a list request sends with
the condition (paging, `condition=` and the percent-encoded condition), the quantity the
client's budget (`Client(max_query_string=...)`) measures: 2,048, IIS's default
`maxQueryString` (in front of the Automate API; it answers 404.15 past it).
"""

MAX_CHECKED_FIXES = 32
"""How many distinct fixes one `lint` call checks (and so offers) at most."""

MAX_FIX_ROUNDS = 16
"""How many rounds of lint-and-apply `fix` runs at most before it returns what it has."""

SchemaArg = Schema | Mapping[str, Any] | str | os.PathLike[str] | None


def lint(
    text: str,
    *,
    dialect: DialectLike = DEFAULT_DIALECT,
    endpoint: str | None = None,
    schema: SchemaArg = None,
    url_budget: int = DEFAULT_URL_BUDGET,
    select: Collection[str] | None = None,
    ignore: Collection[str] = (),
    parameter: str | None = None,
) -> list[Diagnostic]:
    """Lint one condition; the findings sorted by position.

    * `dialect`: the target dialect, a name (`"automate"`, the real server's and the default;
      `"seed"`, the seed document's; `"odata"`, `"manage"`) or a dialect object;
    * `endpoint`: the endpoint the condition filters (`"Computers"`); `None` accepts a field
      of any endpoint of the schema;
    * `schema`: a [`Schema`][cwa_query.Schema], a mapping or a JSON file path (default:
      the dialect's built-in catalogue);
    * `url_budget`: the longest query string (paging, the parameter and the percent-encoded
      condition, in bytes) `url-too-long` accepts;
    * `select` / `ignore`: rule codes or names to run only / to skip;
    * `parameter`: which of the dialect's filter parameters the text is for, when it has
      several (`manage`: `"conditions"`, `"childConditions"`, `"customFieldConditions"`);
      `parameter-shape` checks what each takes.

    Raises [`SchemaError`][cwa_query.SchemaError] for a bad schema or an unknown endpoint,
    [`UnknownDialectError`][cwa_query.UnknownDialectError] for an unknown dialect and
    `ValueError` for an unknown rule.
    """

    dialect = get_dialect(dialect)
    if parameter is not None and parameter not in dialect.parameters:
        choices = ", ".join(map(repr, dialect.parameters)) or "none"
        raise ValueError(f"{dialect.name} has no filter parameter {parameter!r}; its parameters: {choices}")
    loaded = load_schema(schema, dialect=dialect)
    canonical = loaded.endpoint(endpoint) if endpoint is not None else None
    rules = _chosen_rules(select, ignore)
    found, _ = _run(text, dialect, loaded, canonical, url_budget, rules, parameter)
    before_errors = sum(1 for rule, _ in found if rule.severity == "error")
    diagnostics: list[Diagnostic] = []
    lines = _Lines(text)
    # each distinct fix checked once, its corrected text built only then (at most
    # MAX_CHECKED_FIXES of them: the cost stays linear in the text and its findings)
    checked: dict[str | Splice, tuple[str, list[tuple[Rule, Finding]]] | None] = {}
    for rule, finding in found:
        fix: str | None = None
        key = finding.fix
        if key is not None and not _changes_nothing(text, key):
            if key not in checked:
                if len(checked) >= MAX_CHECKED_FIXES:
                    checked[key] = None
                else:
                    fixed = key.apply(text) if isinstance(key, Splice) else key
                    after, error = _run(fixed, dialect, loaded, canonical, url_budget, rules, parameter)
                    checked[key] = None if error is not None else (fixed, after)  # a fix that does not parse: none
            outcome = checked[key]
            if outcome is not None and _cleaner(rule, found, outcome[1], before_errors):
                fix = outcome[0]
        diagnostics.append(_diagnostic(lines, rule, finding, fix))
    diagnostics.sort(key=lambda d: (d.line, d.column, d.code))
    return diagnostics


@dataclass(frozen=True, slots=True)
class FixResult:
    """What [`fix`][cwa_query.linter.fix] made of a condition.

    * `text`: the condition after every fix that applied (the input itself when none did);
    * `applied`: the findings whose fix was applied, each as it was reported on the text of
      its round (its line and column point into that text, not always into the input);
    * `remaining`: the findings of `text`, the ones no fix could remove;
    * `complete`: `True` when no error-level finding remains (warnings may).
    """

    text: str
    applied: tuple[Diagnostic, ...]
    remaining: tuple[Diagnostic, ...]

    @property
    def complete(self) -> bool:
        """`True` when no error-level finding remains in `text`."""
        return not any(d.severity == "error" for d in self.remaining)

    @property
    def changed(self) -> bool:
        """`True` when at least one fix was applied."""
        return bool(self.applied)


def fix(
    condition: str,
    *,
    dialect: DialectLike = DEFAULT_DIALECT,
    endpoint: str | None = None,
    schema: SchemaArg = None,
    url_budget: int = DEFAULT_URL_BUDGET,
    select: Collection[str] | None = None,
    ignore: Collection[str] = (),
    parameter: str | None = None,
) -> FixResult:
    """Apply every available fix of [`lint`][cwa_query.linter.lint] to `condition`, lint the
    result again and repeat until nothing changes (at most `MAX_FIX_ROUNDS` rounds).

    The arguments are `lint`'s. In one round the fixes that touch separate parts of the text
    are applied together; if together they lint worse than before (more errors, or not fewer
    findings), only the first is applied. Every fix was checked by `lint` (it parses and
    lints cleaner), so each round makes progress; a text seen before ends the loop.

    >>> r = fix("Status == 'Online' && Name like 'SRV%'", dialect="seed")
    >>> r.text, r.complete
    ("Status = 'Online' and Name startswith 'SRV'", True)
    >>> r = fix("Nmae = 'x'", dialect="automate", endpoint="Computers")
    >>> r.text == "Nmae = 'x'", r.complete, [d.code for d in r.remaining]
    (True, False, ['CWQ102'])
    """

    dialect = get_dialect(dialect)
    loaded = load_schema(schema, dialect=dialect)

    def run(text: str) -> list[Diagnostic]:
        return lint(
            text,
            dialect=dialect,
            endpoint=endpoint,
            schema=loaded,
            url_budget=url_budget,
            select=select,
            ignore=ignore,
            parameter=parameter,
        )

    text = condition
    found = run(text)
    applied: list[Diagnostic] = []
    seen = {text}
    for _ in range(MAX_FIX_ROUNDS):
        edits = _edits(text, found)
        if not edits:
            break
        first_text = edits[0][1].apply(text)
        together = text
        for _, splice in reversed(edits):  # they do not overlap and are in text order
            together = splice.apply(together)
        next_text, next_found, used = first_text, None, edits[:1]
        if len(edits) > 1 and together not in seen:
            candidate = run(together)
            if _better(candidate, found):
                next_text, next_found, used = together, candidate, edits
        if next_text in seen:
            break
        seen.add(next_text)
        fixed_now = {splice for _, splice in used}
        applied.extend(d for d in found if d.fix is not None and _splice_of(text, d.fix) in fixed_now)
        text = next_text
        found = next_found if next_found is not None else run(text)
    return FixResult(text, tuple(applied), tuple(found))


def _splice_of(text: str, fixed: str) -> Splice:
    """The smallest edit that turns `text` into `fixed` (common prefix and suffix kept)."""
    limit = min(len(text), len(fixed))
    start = 0
    while start < limit and text[start] == fixed[start]:
        start += 1
    end = 0
    while end < limit - start and text[len(text) - 1 - end] == fixed[len(fixed) - 1 - end]:
        end += 1
    return Splice(start, len(text) - end, fixed[start : len(fixed) - end])


def _edits(text: str, found: list[Diagnostic]) -> list[tuple[Diagnostic, Splice]]:
    """The distinct edits of the findings' fixes that do not overlap, in text order."""
    edits: list[tuple[Diagnostic, Splice]] = []
    for diagnostic in found:
        if diagnostic.fix is not None and diagnostic.fix != text:
            edits.append((diagnostic, _splice_of(text, diagnostic.fix)))
    edits.sort(key=lambda edit: (edit[1].start, edit[1].end))
    chosen: list[tuple[Diagnostic, Splice]] = []
    for diagnostic, splice in edits:
        if chosen:
            last = chosen[-1][1]
            if splice == last:
                continue
            touching = splice.start == last.end and (last.start == last.end or splice.start == splice.end)
            if splice.start < last.end or touching:
                continue
        chosen.append((diagnostic, splice))
    return chosen


def _better(after: list[Diagnostic], before: list[Diagnostic]) -> bool:
    """Fewer findings and no more errors."""
    errors_after = sum(1 for d in after if d.severity == "error")
    errors_before = sum(1 for d in before if d.severity == "error")
    return errors_after <= errors_before and len(after) < len(before)


def _changes_nothing(text: str, fix: str | Splice) -> bool:
    if isinstance(fix, Splice):
        return text[fix.start : fix.end] == fix.replacement
    return fix == text


def _chosen_rules(select: Collection[str] | None, ignore: Collection[str]) -> tuple[Rule, ...]:
    rules = registered()
    known = {rule.code for rule in rules} | {rule.name for rule in rules}
    for key in [*(select or ()), *ignore]:
        if key not in known:
            raise ValueError(f"unknown rule {key!r}; rules: {', '.join(r.code + ' ' + r.name for r in rules)}")
    if select is not None:
        rules = tuple(rule for rule in rules if rule.code in select or rule.name in select)
    return tuple(rule for rule in rules if rule.code not in ignore and rule.name not in ignore)


def _run(
    text: str,
    dialect: Dialect,
    schema: Schema,
    endpoint: str | None,
    url_budget: int,
    rules: tuple[Rule, ...],
    parameter: str | None = None,
) -> tuple[list[tuple[Rule, Finding]], ConditionSyntaxError | None]:
    tree = error = None
    with warnings.catch_warnings():
        # Reading and the rules' fixes may translate (an OData filter to the shared tree);
        # the findings say what matters, not translation warnings.
        warnings.simplefilter("ignore", TranslationWarning)
        try:
            tree = dialect.read(text)
        except ConditionSyntaxError as exc:
            error = exc
        ctx = Context(text, dialect, schema, endpoint, url_budget, tree, error, parameter)
        return [(rule, finding) for rule in rules for finding in rule.check(ctx)], error


def _cleaner(
    rule: Rule, before: list[tuple[Rule, Finding]], after: list[tuple[Rule, Finding]], before_errors: int
) -> bool:
    count_before = sum(1 for r, _ in before if r is rule)
    count_after = sum(1 for r, _ in after if r is rule)
    if count_after >= count_before:
        return False
    if rule.code == "CWQ101":  # the other rules could not run on the broken text
        return True
    return sum(1 for r, _ in after if r.severity == "error") <= before_errors


def _diagnostic(lines: _Lines, rule: Rule, finding: Finding, fix: str | None) -> Diagnostic:
    line, column = lines.position(finding.start)
    end_line, end_column = lines.position(max(finding.end, finding.start + 1))
    return Diagnostic(rule.code, rule.name, finding.message, rule.severity, line, column, end_line, end_column, fix)


class _Lines:
    """Line and column of offsets in one text: the line starts found once, then a binary
    search per offset (not a count from the start of the text per finding)."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self.starts = [0]
        newline = text.find("\n")
        while newline >= 0:
            self.starts.append(newline + 1)
            newline = text.find("\n", newline + 1)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a 0-based offset (past the end: on the last line)."""
        index = len(self.starts) - 1 if offset > self.length else bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

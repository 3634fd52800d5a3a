"""One guide per dialect, written from the dialect object, for an agent to read before writing.

Nothing here is typed by hand per dialect: the operators are the dialect's `features`, the
quoting and literals are what `quote` and `literal` write, "what the real server rejects" is
every construct the dialect has that the real server's dialect lacks (and, for the real
server itself, what it lacks), and the ten examples are the same ten builder conditions
rendered by the dialect (or its refusal, in its words).
"""

from __future__ import annotations

import datetime as _dt
import decimal
import sys
import warnings
from collections.abc import Callable

from .._defaults import DEFAULT_DIALECT
from ..dialects import Dialect, Feature, get_dialect
from ..errors import CwaQueryError
from ..language import ast
from ._tools import catalogue

__all__ = ["URI_PREFIX", "dialect_guide", "guide_uri"]

URI_PREFIX = "cwa-query://dialects/"

_ENDPOINT = "Computers"

_REAL_SERVER_NOTES = {
    Feature.QUOTED_DATES: "a quoted date compared with a date-time field gets HTTP 500 (write it unquoted)",
    Feature.PREFIX_NOT: "HTTP 400: negate the operator instead (`not like`, `not in`, `not contains`, `!=`)",
    Feature.STARTSWITH: "HTTP 400: write `like 'x%'`",
    Feature.ENDSWITH: "HTTP 400: write `like '%x'`",
}


def guide_uri(dialect: Dialect) -> str:
    """The resource URI of a dialect's guide."""
    return URI_PREFIX + dialect.name


def _examples() -> list[tuple[str, Callable[[], object]]]:
    from ..language.builder import F

    return [
        ("computers that are online", lambda: F.Status == "Online"),
        ("names starting with SRV", lambda: F.ComputerName.startswith("SRV")),
        ("one client's computers", lambda: F.Client.Id == 5),
        (
            "online domain controllers",
            lambda: (F.Status == "Online") & F.ComputerName.contains("DC"),
        ),
        ("seen since a date", lambda: F.RemoteAgentLastContact >= _dt.date(2024, 2, 14)),
        ("servers by operating system", lambda: F.OperatingSystemName.like("%Server%")),
        ("not test machines", lambda: ~F.ComputerName.startswith("TEST")),
        ("computers of three clients", lambda: F.Client.Id.in_(1, 2, 3)),
        ("virtual or low on memory", lambda: (F.IsVirtualMachine == True) | (F.FreeMemory < 512)),  # noqa: E712
        ("a name holding a quote", lambda: F.ComputerName == "O'Brien-PC"),
    ]


def _operators() -> list[tuple[str, Callable[[], object]]]:
    from ..language.builder import F

    return [
        ("equal", lambda: F.FreeMemory == 1),
        ("not equal", lambda: F.FreeMemory != 1),
        ("greater", lambda: F.FreeMemory > 1),
        ("less", lambda: F.FreeMemory < 1),
        ("at least", lambda: F.FreeMemory >= 1),
        ("at most", lambda: F.FreeMemory <= 1),
        ("one of", lambda: F.FreeMemory.in_(1, 2)),
        ("and / or", lambda: (F.FreeMemory == 1) & ((F.CpuUsage == 2) | (F.CpuUsage == 3))),
    ]


def _render(dialect: Dialect, build: Callable[[], object], real: Dialect) -> str:
    """The condition `build()` makes, written by `dialect`, and whether the real server reads it."""
    from ..language._render import render

    schema = catalogue(dialect)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            text = render(build(), dialect, schema=schema, endpoint=_ENDPOINT)  # type: ignore[arg-type]
        except CwaQueryError as exc:
            return f"cannot be written: {exc}"
    shown = f"`{text}`"
    if caught:
        shown += f" (warning: {caught[0].message})"
    if dialect is not real:
        try:
            real.parse(text)
        except CwaQueryError as exc:
            shown += f"; the real server refuses this as written ({str(exc).splitlines()[0]})"
    return shown


def _literal(dialect: Dialect, literal: ast.Literal) -> str:
    try:
        return f"`{dialect.literal(literal)}`"
    except (CwaQueryError, ValueError, NotImplementedError) as exc:
        return f"none ({exc})"


def dialect_guide(name: str) -> str:
    """The guide to one dialect, as Markdown."""
    dialect = get_dialect(name)
    real = get_dialect(DEFAULT_DIALECT)
    title = dialect.title or dialect.name
    lines = [f"# The `{dialect.name}` dialect ({title})", ""]
    module_doc = (sys.modules[type(dialect).__module__].__doc__ or "").strip()
    for paragraph in module_doc.split("\n\n")[:2]:
        if ">>>" not in paragraph and not paragraph.endswith(":"):
            lines += [paragraph, ""]
    lines += ["## Operators and constructs", "", "How it writes each comparison and connective:", ""]
    lines += [f"- {what}: {_render(dialect, build, real)}" for what, build in _operators()]
    lines += ["", "Constructs it has (yes) and lacks (no):", ""]
    for feature in Feature:
        mark = "yes" if dialect.supports(feature) else "no"
        lines.append(f"- {feature.value}: {mark}")
    if dialect.parameters:
        lines += ["", "Filter parameters: " + ", ".join(f"`{p}`" for p in dialect.parameters)]
    lines += ["", "## Quoting and literals", ""]
    for value in ("Online", "O'Brien", 'say "hi"'):
        try:
            quoted = f"`{dialect.quote(value)}`"
        except (CwaQueryError, ValueError) as exc:
            quoted = f"refused ({exc})"
        lines.append(f"- the text {value!r}: {quoted}")
    lines += [
        f"- an integer: {_literal(dialect, ast.Integer(5))}",
        f"- a decimal: {_literal(dialect, ast.Decimal(decimal.Decimal('0.5')))}",
        f"- a boolean: {_literal(dialect, ast.Boolean(True))}",
        f"- a date: {_literal(dialect, ast.DateTime(_dt.date(2024, 2, 14)))}",
        f"- a date-time: {_literal(dialect, ast.DateTime(_dt.datetime(2024, 2, 14, 10, 0, tzinfo=_dt.UTC)))}",
        f"- null: {_literal(dialect, ast.Null())}",
        f"- a field path: `{dialect.spell_field('Client.Id')}`",
        "",
        "## What the real Automate server rejects",
        "",
    ]
    if dialect.name == real.name:
        missing = [feature for feature in Feature if not dialect.supports(feature)]
        lines.append("This is the real server's dialect. It has none of these:")
    else:
        missing = [feature for feature in Feature if dialect.supports(feature) and not real.supports(feature)]
        lines.append(f"Sent to the real Automate server as written, these constructs of {dialect.name} are refused:")
    lines += [
        f"- {feature.value}" + (f": {_REAL_SERVER_NOTES[feature]}" if feature in _REAL_SERVER_NOTES else "")
        for feature in missing
    ] or ["- nothing beyond the field names, which are the endpoint's"]
    if dialect.spell_field("Client.Id") != real.spell_field("Client.Id"):
        lines.append(f"- paths written `{dialect.spell_field('Client.Id')}`: the server writes `Client.Id`")
    lines += [
        "- `==`, `&&`, `||` are syntax errors (HTTP 400); an unknown field is HTTP 400 (`Invalid field`)",
        "",
        "Check a condition with the `lint` tool (dialect `automate`), which says what is wrong and gives the fix.",
        "",
        f"## Ten examples ({_ENDPOINT})",
        "",
    ]
    lines += [f"{i}. {what}: {_render(dialect, build, real)}" for i, (what, build) in enumerate(_examples(), 1)]
    return "\n".join(lines) + "\n"

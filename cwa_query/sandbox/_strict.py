"""What the real Automate server refuses in a condition, and how it answers.

From the project's facts about the real server (a copy of the reference's
automate-api-facts.md findings, read when this was written):

* syntax the server does not have (a prefix `not (...)`, `startswith`, `endswith`; `==` is a
  syntax error for every profile) gets **400** with an ASP.NET error body;
* a quoted date compared with a date-time field (`LastHeartbeat >= '2024-02-14'`) gets
  **500** with ASP.NET's generic body, `{"Message": "An error has occurred."}`;
* a value that cannot be one of the field's type (`IsMaster = 'abc'`) gets 400.

Which constructs a dialect lacks is asked of the dialect object's feature list (through
`unsupported_constructs`, the one place the sandbox asks); the type rules are the linter's
(`cwa_query.lint` with `quoted-date` and `type-mismatch` against the same catalogue the
sandbox serves), so a condition lints clean exactly when the sandbox accepts it. (A `null`,
which the automate dialect lacks, is refused the same way.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from ..dialects import get_dialect
from ..language import ast
from ..linter import lint
from ..schema import Schema
from ._http import HttpError

__all__ = ["SERVER_ERROR_MESSAGE", "refuse_automate", "unsupported_constructs"]

#: The body text of ASP.NET's generic 500.
SERVER_ERROR_MESSAGE: Final = "An error has occurred."
_TYPE_RULES: Final = ("quoted-date", "type-mismatch")


def unsupported_constructs(
    dialect: str, tree: ast.Node, text: str | None = None
) -> Iterator[tuple[ast.Node | ast.Literal, str]]:
    """The nodes of `tree` that `dialect` lacks, with how the construct is named: what the
    dialect object's feature list ([`Dialect.unsupported`][cwa_query.dialects.Dialect.unsupported])
    says, and nothing else.

    >>> from cwa_query import parse
    >>> [name for _, name in unsupported_constructs("automate", parse("not (a = 1) or b startswith 'x'"))]
    ['prefix `not (...)`', '`startswith`']
    """
    for feature, node in get_dialect(dialect).unsupported(tree, text):
        yield node, feature.value


def refuse_automate(schema: Schema, endpoint: str, text: str, tree: ast.Node) -> None:
    """Raise the real server's answer to a condition it refuses; return for one it runs."""
    for node, name in unsupported_constructs("automate", tree, text):
        span = node.span
        where = f" at column {span.column}" if span is not None else ""
        raise HttpError(
            400,
            f"Invalid filter syntax in condition parameter: there is no {name}{where}",
            {"field": "condition", "construct": name},
        )
    for diagnostic in lint(text, dialect="automate", endpoint=endpoint, schema=schema, select=_TYPE_RULES):
        if diagnostic.severity != "error":
            continue
        if diagnostic.name == "quoted-date":
            raise HttpError(500, SERVER_ERROR_MESSAGE, {"field": "condition", "reason": diagnostic.message})
        raise HttpError(
            400,
            f"Invalid value in condition parameter at column {diagnostic.column}: {diagnostic.message}",
            {"field": "condition"},
        )

"""`cwa-query parse`: print the tree of a condition, as text or JSON.

The JSON shape is stable:

* `{"type": "compare", "field": "Status", "op": "=", "value": LITERAL}` (`op` is the
  canonical spelling: `=`, `!=`, `<`, `contains`, `not like`, ...);
* `{"type": "in", "field": "ClientID", "negated": false, "values": [LITERAL, ...]}`;
* `{"type": "and", "items": [NODE, ...]}`, `{"type": "or", "items": [...]}`;
* `{"type": "not", "operand": NODE}`;
* literals: `{"type": "string", "value": "Online"}`, `{"type": "integer", "value": 5}`,
  `{"type": "decimal", "value": "0.1"}` (a string: exact), `{"type": "boolean", "value": true}`,
  `{"type": "datetime", "value": "2024-02-14T10:00:00Z"}` (ISO-8601).

>>> from cwa_query import parse
>>> tree_to_json(parse("Status = 'Online' and not (ClientID in (1, 2))"))  # doctest: +NORMALIZE_WHITESPACE
{'type': 'and', 'items': [{'type': 'compare', 'field': 'Status', 'op': '=',
 'value': {'type': 'string', 'value': 'Online'}}, {'type': 'not', 'operand': {'type': 'in',
 'field': 'ClientID', 'negated': False, 'values': [{'type': 'integer', 'value': 1},
 {'type': 'integer', 'value': 2}]}}]}
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..language import ast
from ._args import EXIT_FAILED, EXIT_OK, check_utf8, dialect_choices, read_stdin

__all__ = ["literal_to_json", "register", "run", "tree_text", "tree_to_json"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `parse` subcommand."""
    parser = subparsers.add_parser(
        "parse",
        help="print the tree of a condition",
        description="Print the tree of a condition ('-': read it from standard input). Exit status 1 if it "
        "does not parse or is not UTF-8.",
    )
    parser.add_argument("condition", metavar="CONDITION", help="a condition, or '-' for standard input")
    parser.add_argument("--json", action="store_true", help="print the tree as JSON (shape: see the docs)")
    parser.add_argument(
        "--dialect",
        choices=dialect_choices(),
        help="read the condition in this dialect (default: the union of seed and automate)",
    )
    parser.set_defaults(run=run, command_name="parse")


def literal_to_json(literal: ast.Literal) -> dict[str, Any]:
    """A literal in the JSON shape."""
    from ..language.literals import format_datetime

    if isinstance(literal, ast.String):
        return {"type": "string", "value": literal.value}
    if isinstance(literal, ast.Boolean):
        return {"type": "boolean", "value": literal.value}
    if isinstance(literal, ast.Integer):
        return {"type": "integer", "value": literal.value}
    if isinstance(literal, ast.Decimal):
        return {"type": "decimal", "value": format(literal.value, "f")}
    if isinstance(literal, ast.Null):
        return {"type": "null", "value": None}
    return {"type": "datetime", "value": format_datetime(literal.value)}


def tree_to_json(node: ast.Node) -> dict[str, Any]:
    """The tree in the JSON shape described in this module's docstring."""
    if isinstance(node, ast.Compare):
        return {"type": "compare", "field": node.field.name, "op": node.op.value, "value": literal_to_json(node.value)}
    if isinstance(node, ast.InList):
        return {
            "type": "in",
            "field": node.field.name,
            "negated": node.negated,
            "values": [literal_to_json(value) for value in node.values],
        }
    if isinstance(node, ast.Not):
        return {"type": "not", "operand": tree_to_json(node.operand)}
    if isinstance(node, ast.Expression):
        from ..language._odata_render import render_odata

        meaning = node.meaning
        return {
            "type": "expression",
            "odata": render_odata(node.expr),
            "meaning": {"text": meaning.text, "null": meaning.null, "lists": meaning.lists, "typing": meaning.typing},
        }
    return {"type": "and" if isinstance(node, ast.And) else "or", "items": [tree_to_json(item) for item in node.items]}


def tree_text(node: ast.Node) -> str:
    """The tree as indented text, one node a line.

    >>> from cwa_query import parse
    >>> print(tree_text(parse("Status = 'Online' or not (Name like '%DC%')")))
    or
      compare Status = 'Online' (string)
      not
        compare Name like '%DC%' (string)
    """
    from ..dialects.condition import CANONICAL

    lines: list[str] = []
    stack: list[tuple[ast.Node, int]] = [(node, 0)]
    while stack:
        current, level = stack.pop()
        indent = "  " * level
        if isinstance(current, ast.Compare):
            value = current.value
            kind = literal_to_json(value)["type"]
            shown = CANONICAL.describe(value)
            lines.append(f"{indent}compare {current.field.name} {current.op.value} {shown} ({kind})")
        elif isinstance(current, ast.InList):
            values = ", ".join(CANONICAL.describe(value) for value in current.values)
            keyword = "not in" if current.negated else "in"
            lines.append(f"{indent}in {current.field.name} {keyword} ({values})")
        elif isinstance(current, ast.Not):
            lines.append(f"{indent}not")
            stack.append((current.operand, level + 1))
        elif isinstance(current, ast.Expression):
            lines.append(f"{indent}expression {CANONICAL.describe(current)} (text {current.meaning.text})")
        else:
            lines.append(indent + ("and" if isinstance(current, ast.And) else "or"))
            stack.extend((item, level + 1) for item in reversed(current.items))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Print the tree; 1 if the condition does not parse."""
    from ..errors import ConditionError
    from ..language._parser import parse

    text = read_stdin().rstrip("\r\n") if args.condition == "-" else args.condition
    try:
        tree = parse(check_utf8(text), dialect=args.dialect)
    except ConditionError as exc:
        print(f"cwa-query parse: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(json.dumps(tree_to_json(tree), indent=2, ensure_ascii=False) if args.json else tree_text(tree))
    return EXIT_OK

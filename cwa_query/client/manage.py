"""ConnectWise Manage's filtering parameters from Python: `conditions`, `childConditions`,
`customFieldConditions` and `orderBy`.

Conditions are built with [`F`][cwa_query.F] like any other and rendered in the `manage`
dialect; this module adds what Manage has beyond them, and one call that assembles the
query parameters for a Manage client:

>>> from cwa_query import F
>>> from cwa_query.client.manage import asc, custom_field, desc, params
>>> params(
...     conditions=(F.status.name == "Open") & (F.board.id == 5),
...     custom_field_conditions=custom_field("Acronym", "ACME"),
...     order_by=[asc(F.priority.id), desc(F.dateEntered)],
... )  # doctest: +NORMALIZE_WHITESPACE
{'conditions': 'status/name = "Open" and board/id = 5',
 'customFieldConditions': 'caption = "Acronym" and value = "ACME"',
 'orderBy': 'priority/id asc, dateEntered desc'}

The text is not URL-encoded here: hand the mapping to an HTTP client as its query
parameters and it encodes it (`+`, `&`, `#` and the `%` of a like pattern included).

This module was `cwa_query.manage`, which stays as an alias of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..dialects import get_dialect
from ..dialects.manage import OrderKey, field_from_manage, parse_order_by, render_order_by
from ..errors import ConditionSyntaxError
from ..language import ast
from ..language._evaluate import compile_predicate
from ..language.builder import Condition, FieldRef, literal
from ..linter import Diagnostic
from ..schema import Schema, load_schema

__all__ = ["asc", "custom_field", "custom_field_predicate", "desc", "lint_order_by", "order_by", "params"]

_CUSTOM_OPS = {op.value: op for op in ast.Op if op not in (ast.Op.STARTSWITH, ast.Op.ENDSWITH, ast.Op.NOT_CONTAINS)}


def custom_field(caption: str, value: Any, op: str = "=") -> Condition:
    """A `customFieldConditions` filter: `caption = "<caption>" and value <op> <value>`.

    `op` is one of `=`, `!=`, `<`, `<=`, `>`, `>=`, `contains`, `like`, `not like`;
    `value` goes through [`literal`][cwa_query.literal] like every built value (numbers
    unquoted).

    >>> from cwa_query import render
    >>> render(custom_field("Seats", 5, ">="), "manage")
    'caption = "Seats" and value >= 5'
    """
    if not isinstance(caption, str):
        raise TypeError(f"custom_field() takes the caption as str, not {type(caption).__name__}")
    chosen = _CUSTOM_OPS.get(op.lower()) if isinstance(op, str) else None
    if chosen is None:
        raise ValueError(f"custom_field(op={op!r}): choose one of {', '.join(_CUSTOM_OPS)}")
    node = ast.And(
        (
            ast.Compare(ast.Field("caption"), ast.Op.EQ, ast.String(caption)),
            ast.Compare(ast.Field("value"), chosen, literal(value)),
        )
    )
    return Condition(node)


def custom_field_predicate(cond: Conditionish) -> Callable[[Mapping[str, Any]], bool]:
    """A `customFieldConditions` filter as a function of a record, for filtering fetched records
    locally: true when some element of the record's `customFields` list matches the whole
    condition (its `caption` and its `value` on the same element: how the server pairs them is
    not documented, this is the reading the condition's shape suggests).

    >>> matches = custom_field_predicate(custom_field("Seats", 5, ">="))
    >>> matches({"id": 1, "customFields": [{"caption": "Seats", "value": 12}, {"caption": "Tier", "value": 2}]})
    True
    >>> matches({"id": 2, "customFields": [{"caption": "Tier", "value": 12}]}), matches({"id": 3})
    (False, False)
    """
    element = compile_predicate(_manage_node(cond))

    def matches(record: Mapping[str, Any]) -> bool:
        fields = next((v for k, v in record.items() if isinstance(k, str) and k.lower() == "customfields"), None)
        if not isinstance(fields, (list, tuple)):
            return False
        return any(isinstance(item, Mapping) and element(item) for item in fields)

    return matches


def _field_name(field: FieldRef | str) -> str:
    if isinstance(field, FieldRef):
        return field.field_path
    if isinstance(field, str):
        return field_from_manage(field)
    raise TypeError(f"an order key takes a field (F.name or a path), not {type(field).__name__}")


def asc(field: FieldRef | str) -> OrderKey:
    """An ascending order key: `asc(F.priority.id)` or `asc("priority/id")`."""
    return OrderKey(_field_name(field), False)


def desc(field: FieldRef | str) -> OrderKey:
    """A descending order key: `desc(F.dateEntered)`."""
    return OrderKey(_field_name(field), True)


def order_by(*keys: OrderKey) -> str:
    """The `orderBy` text of `keys`.

    >>> from cwa_query import F
    >>> order_by(asc(F.priority.id), desc(F.dateEntered))
    'priority/id asc, dateEntered desc'
    """
    if not keys:
        raise ValueError("order_by() needs at least one key")
    for key in keys:
        if not isinstance(key, OrderKey):
            raise TypeError(f"order_by() takes asc(...) / desc(...) keys, not {type(key).__name__}")
    return render_order_by(keys)


Conditionish = Condition | ast.Node | str


def _manage_node(value: Conditionish) -> ast.Node:
    """A condition as a tree: Manage text parsed, a built condition's tree, a tree as is."""
    if isinstance(value, str):
        return get_dialect("manage").parse(value)
    return value.node if isinstance(value, Condition) else value


def params(
    *,
    conditions: Conditionish | None = None,
    child_conditions: Conditionish | None = None,
    custom_field_conditions: Conditionish | None = None,
    order_by: Iterable[OrderKey] | str | None = None,
) -> dict[str, str]:
    """The filtering query parameters of a Manage list request, each rendered and checked.

    Conditions may be built ([`Condition`][cwa_query.Condition]), trees, or Manage text
    (parsed, so a mistake is a [`ConditionSyntaxError`][cwa_query.ConditionSyntaxError]
    here rather than a 400 from the server). `order_by` is keys (`asc(...)`, `desc(...)`)
    or `orderBy` text. Parameters left `None` are left out.
    """
    out: dict[str, str] = {}
    for key, value in (
        ("conditions", conditions),
        ("childConditions", child_conditions),
        ("customFieldConditions", custom_field_conditions),
    ):
        if value is not None:
            out[key] = get_dialect("manage").render(_manage_node(value))
    if order_by is not None:
        keys = parse_order_by(order_by) if isinstance(order_by, str) else tuple(order_by)
        out["orderBy"] = render_order_by(keys)
    return out


def lint_order_by(text: str, *, schema: Schema | str | None = None, endpoint: str | None = None) -> list[Diagnostic]:
    """Lint `orderBy` text: its syntax (`syntax-error`), and with a schema (a
    [`Schema`][cwa_query.Schema] or a JSON file path) its fields (`unknown-field`, with the
    closest known field as the fix).

    >>> [(d.code, d.column, d.fix) for d in lint_order_by("priority/id ascending")]
    [('CWQ101', 13, None)]
    """
    try:
        keys = parse_order_by(text)
    except ConditionSyntaxError as exc:
        message = exc.description + (f"; expected {exc.expected_text}" if exc.expected else "")
        message += f" (hint: {exc.hint})" if exc.hint else ""
        line, column = exc.line, exc.column
        end = exc.end_pos
        return [Diagnostic("CWQ101", "syntax-error", message, "error", line, column, line, column + end - exc.pos)]
    if schema is None:
        return []
    loaded = load_schema(schema, dialect="manage")
    canonical = loaded.endpoint(endpoint) if endpoint is not None else None
    found: list[Diagnostic] = []
    for key, match in zip(keys, _ORDER_FIELD_SPANS.finditer(text), strict=True):
        if loaded.lookup(key.field, canonical) is not None:
            continue
        start, stop = match.span(1)
        spelled = key.render().rsplit(" ", 1)[0]
        suggestion = loaded.suggest(key.field, canonical)
        message = f"unknown field {spelled!r}"
        fix = None
        if suggestion is not None:
            better = OrderKey(suggestion, key.descending).render().rsplit(" ", 1)[0]
            message += f"; did you mean {better!r}?"
            fix = text[:start] + better + text[stop:]
        found.append(Diagnostic("CWQ102", "unknown-field", message, "error", 1, start + 1, 1, stop + 1, fix))
    return found


_ORDER_FIELD_SPANS = re.compile(r"(?:^|,)\s*([A-Za-z_][A-Za-z0-9_/]*)")

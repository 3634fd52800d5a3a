"""What the tools do, apart from the protocol: plain functions from arguments to JSON-ready results.

Each function returns `(structured, text)`: the structured result the tool's output schema
describes and a short readable text for the model. Bad input raises
[`ToolInputError`][cwa_query.mcp_server.ToolInputError] with the toolkit's own words (the
linter's message, the translation's refusal, the catalogue's "did you mean"); the server
turns it into a tool error. Nothing here imports the MCP SDK, so these functions are
tested directly as well as through the server.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import decimal
import enum
import json
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from .._defaults import DEFAULT_DIALECT
from ..dialects import Dialect, dialect_names, get_dialect
from ..errors import CwaQueryError
from ..schema import Schema, builtin_schema

__all__ = [
    "MAX_CONDITION_CHARS",
    "MAX_FILTER_NODES",
    "ToolInputError",
    "build_condition",
    "explain_condition",
    "list_fields",
    "lint_condition",
    "tree_json",
    "translate_condition",
]


MAX_CONDITION_CHARS = 20_000
"""The longest condition a tool reads (the server's URL limit is about 2,000 encoded characters)."""

MAX_FILTER_NODES = 1_000
"""The most nodes (groups and comparisons) a `build` filter may hold."""

_MAX_FIELDS_LISTED = 200

_T = TypeVar("_T")


class ToolInputError(ValueError):
    """Input a tool cannot act on; the message says why in words a model can act on."""


def _dialect(name: str) -> Dialect:
    try:
        return get_dialect(name)
    except CwaQueryError as exc:
        raise ToolInputError(f"{exc} (dialects: {', '.join(dialect_names())})") from exc


def _condition(text: str) -> str:
    if len(text) > MAX_CONDITION_CHARS:
        raise ToolInputError(
            f"the condition is {len(text):,} characters; the tools read at most {MAX_CONDITION_CHARS:,}"
        )
    return text


def catalogue(dialect: Dialect) -> Schema:
    """The field catalogue for `dialect`: its own, else the real server's (OData and Manage
    conditions sent to Automate name Automate's fields)."""
    return builtin_schema(dialect if dialect.schema_file is not None else DEFAULT_DIALECT)


def _endpoint(schema: Schema, endpoint: str | None) -> str | None:
    if endpoint is None:
        return None
    try:
        return schema.endpoint(endpoint)
    except CwaQueryError as exc:
        raise ToolInputError(str(exc)) from exc


def _refusing(call: Callable[[], _T]) -> _T:
    """`call()`, with the toolkit's typed errors (and `ValueError`s of bad values) as refusals."""
    try:
        return call()
    except ToolInputError:
        raise
    except (CwaQueryError, ValueError, TypeError) as exc:
        raise ToolInputError(str(exc)) from exc
    except RecursionError as exc:  # pragma: no cover - the parser's limits come first
        raise ToolInputError("the condition nests too deeply") from exc


# --------------------------------------------------------------------------- lint


def lint_condition(condition: str, dialect: str, endpoint: str | None = None) -> tuple[dict[str, Any], str]:
    """`{findings, fixed}` for one condition (see the `lint` tool)."""
    from ..linter import fix, lint

    text = _condition(condition)
    target = _dialect(dialect)
    schema = catalogue(target)
    canonical = _endpoint(schema, endpoint)
    findings = _refusing(lambda: lint(text, dialect=target, endpoint=canonical, schema=schema))
    result = _refusing(lambda: fix(text, dialect=target, endpoint=canonical, schema=schema))
    fixed = result.text if result.complete else None
    structured = {
        "findings": [
            {
                "code": d.code,
                "name": d.name,
                "severity": d.severity,
                "message": d.message,
                "position": {
                    "line": d.line,
                    "column": d.column,
                    "end_line": d.end_line,
                    "end_column": d.end_column,
                },
                "fix": d.fix,
            }
            for d in findings
        ],
        "fixed": fixed,
    }
    if not findings:
        words = f"No findings: {target.title or target.name} accepts this condition as it is."
    else:
        lines = [
            f"{d.code} {d.name} ({d.severity}) at column {d.column}: {d.message}"
            + (f"\n  fix: {d.fix}" if d.fix else "")
            for d in findings
        ]
        if fixed is None:
            lines.append("Not every error has a fix: rewrite the condition (the messages say what is wrong).")
        elif fixed != text:
            lines.append(f"Fixed (every fix applied, re-linted): {fixed}")
        words = "\n".join(lines)
    return structured, words


# --------------------------------------------------------------------------- translate


def translate_condition(
    condition: str, source: str, target: str, endpoint: str | None = None
) -> tuple[dict[str, Any], str]:
    """`{text, warnings}`: the condition rewritten for `target` with the same meaning."""
    from ..dialects import translate

    text = _condition(condition)
    src, dst = _dialect(source), _dialect(target)
    schemas = [builtin_schema(d) for d in (src, dst) if d.schema_file is not None]
    if endpoint is not None and schemas:
        endpoint = _endpoint(schemas[-1], endpoint)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tree = _refusing(lambda: translate(text, src, dst, schema=schemas, endpoint=endpoint))
        output = _refusing(lambda: dst.render(tree, schema=schemas, endpoint=endpoint))
    said = list(dict.fromkeys(str(w.message) for w in caught))
    words = output + "".join(f"\nwarning: {message}" for message in said)
    return {"text": output, "warnings": said}, words


# --------------------------------------------------------------------------- explain


def _parts(node: Any) -> tuple[str, ...] | None:
    """The names of a node's fields, read generically: a dataclass's compared fields, else the
    class's `__match_args__` (its public positional fields), else its slots but a span; `None`
    for a value that is no node."""
    if node is None or isinstance(node, (type, enum.Enum, str, int, float, decimal.Decimal, _dt.date)):
        return None
    if dataclasses.is_dataclass(node):
        return tuple(field.name for field in dataclasses.fields(node) if field.compare)
    match_args = getattr(type(node), "__match_args__", None)
    if isinstance(match_args, tuple):
        return match_args
    slots = getattr(type(node), "__slots__", None)
    if slots:
        return tuple(name for name in ([slots] if isinstance(slots, str) else slots) if name != "span")
    return None


def tree_json(node: Any) -> Any:
    """A tree as JSON, read generically from the node classes' fields (`_parts`): each node an
    object with its class name as `type`; source spans left out; enums as their value, dates
    in ISO-8601, exact decimals as text.

    >>> from cwa_query import parse
    >>> tree_json(parse("Client.Id = 5"))  # doctest: +NORMALIZE_WHITESPACE
    {'type': 'Compare', 'field': {'type': 'Field', 'name': 'Client.Id'}, 'op': '=',
     'value': {'type': 'Integer', 'value': 5}}
    """
    if isinstance(node, enum.Enum):
        return tree_json(node.value)
    if isinstance(node, (list, tuple)):
        return [tree_json(item) for item in node]
    if isinstance(node, (_dt.date, _dt.datetime)):
        return node.isoformat()
    if isinstance(node, decimal.Decimal):
        return str(node)
    if node is None or isinstance(node, (str, int, float, bool)):
        return node
    parts = _parts(node)
    if parts is None:
        return str(node)
    return {"type": type(node).__name__} | {name: tree_json(getattr(node, name)) for name in parts}


_OP_WORDS = {
    "=": "equals",
    "!=": "does not equal",
    ">": "is greater than",
    "<": "is less than",
    ">=": "is at least",
    "<=": "is at most",
    "contains": "contains",
    "not contains": "does not contain",
    "startswith": "starts with",
    "endswith": "ends with",
    "like": "matches the pattern",
    "not like": "does not match the pattern",
}


def explain_condition(condition: str, dialect: str) -> tuple[dict[str, Any], str]:
    """`{text, tree}`: what the condition means, in words, and its tree as JSON."""
    text = _condition(condition)
    source = _dialect(dialect)
    tree = _refusing(lambda: source.parse(text))
    schema = catalogue(source)
    nodes = list(_nodes(tree))
    lines = [f"In {source.name}, a record is kept when {_describe(tree, source, 0)}."]
    variables = {v for v in (getattr(n, "variable", None) for n in nodes) if isinstance(v, str)}  # any(p: ...)
    fields = list(
        dict.fromkeys(
            n.name
            for n in nodes
            if type(n).__name__ == "Field" and isinstance(n.name, str) and n.name.split(".")[0] not in variables
        )
    )
    infos = [schema.lookup(name) for name in fields]
    if fields:
        lines.append("Fields:")
        for name, info in zip(fields, infos, strict=True):
            if info is None:
                guess = schema.suggest(name)
                lines.append(
                    f"- {source.spell_field(name)}: not in the {schema.name} catalogue"
                    + (f" (did you mean {source.spell_field(guess)}?)" if guess else "")
                )
            else:
                kind = f"a list of {info.type}" if info.array else info.type
                values = f"; known values: {', '.join(info.values)}" if info.values else ""
                lines.append(f"- {source.spell_field(info.path)}: {kind}{values}")
    ops = {str(getattr(getattr(node, "op", None), "value", "")) for node in nodes}
    if ops & {"like", "not like"}:
        lines.append("Patterns: `%` matches any run of characters, `_` one character, a backslash escapes the next.")
    lists = any(info is not None and info.array for info in infos)
    meanings: dict[Any, Any] = {}  # meaning -> the first node that has it
    for node in nodes:
        meanings.setdefault(getattr(node, "meaning", None), node)
    meanings.pop(None, None)
    for meaning, node in meanings.items():
        if len(meanings) > 1:  # a tree mixing node families: say which part means what
            lines.append(f"Where it reads like {_describe(node, source, 3)}:")
        lines += _meaning_words(meaning, lists)
    return {"text": "\n".join(lines), "tree": tree_json(tree)}, "\n".join(lines)


# what each part of a node family's meaning (see `ast.Meaning`) says; `*` is any other value
_MEANING_WORDS: dict[str, dict[str, str]] = {
    "text": {
        "exact": "Text compares exactly, by code point: case matters ('SRV' is not 'srv').",
        "*": "Text compares ignoring the case of ASCII letters (as the server's MySQL collation does); "
        "numbers compare as numbers, date-times as instants (a date is its midnight UTC).",
    },
    "typing": {"strict": "Numbers compare with numbers and text with text only ('5' does not equal 5)."},
    "lists": {
        "whole": "A list field compares with nothing directly: test its elements with any()/all().",
        "*": "A list field holds several values: `=` and `contains` test membership, an ordering "
        "(`<`, `>=`) holds when some element does, and the negated operators (`!=`, `not contains`) "
        "mean no element does.",
    },
    "null": {
        "false": "A comparison with a missing value is false (and `ne` true), so `not` of it is true.",
        "*": "A field a record lacks makes its comparison unknown, and a record is kept only when the "
        "whole condition is true (so both `x = 1` and `x != 1` drop records without x).",
    },
}


def _meaning_words(meaning: Any, lists: bool) -> list[str]:
    """What a node family's meaning says, in words (about lists only when a list field is in it)."""
    words = []
    for part, said in _MEANING_WORDS.items():
        if part == "lists" and not lists:
            continue
        sentence = said.get(str(getattr(meaning, part, None)), said.get("*"))
        if sentence is not None:
            words.append(sentence)
    return words


def _nodes(tree: Any) -> Iterator[Any]:
    """Every node of a tree, read from the classes' fields (`_parts`), parents first."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(reversed(node))
            continue
        parts = _parts(node)
        if parts is not None:
            yield node
            stack.extend(reversed([getattr(node, name) for name in parts]))


def _value_text(value: Any, dialect: Dialect) -> str:
    try:
        return dialect.literal(value)
    except (CwaQueryError, ValueError, NotImplementedError):
        return json.dumps(tree_json(value), ensure_ascii=False)


def _describe(node: Any, dialect: Dialect, depth: int) -> str:
    """The node in words (duck-typed on what nodes hold: `items`, `operand`, `field`)."""
    items = getattr(node, "items", None)
    if isinstance(items, tuple) and items:
        joiner = "all of" if type(node).__name__ == "And" else "any of"
        if depth >= 3:
            return f"{joiner} {len(items)} conditions"
        return f"{joiner} these hold: (" + "; ".join(_describe(item, dialect, depth + 1) for item in items) + ")"
    operand = getattr(node, "operand", None)
    if operand is not None:
        return f"it is not so that {_describe(operand, dialect, depth + 1)}"
    field = getattr(getattr(node, "field", None), "name", None)
    if field is None:
        return f"`{_rendered(node, dialect)}`"
    name = dialect.spell_field(field)
    values = getattr(node, "values", None)
    if isinstance(values, tuple):
        listed = ", ".join(_value_text(v, dialect) for v in values)
        negated = bool(getattr(node, "negated", False))
        return f"{name} is {'none' if negated else 'one'} of ({listed})"
    op = getattr(getattr(node, "op", None), "value", None)
    words = _OP_WORDS.get(str(op), str(op))
    return f"{name} {words} {_value_text(getattr(node, 'value', None), dialect)}"


def _rendered(node: Any, dialect: Dialect) -> str:
    try:
        return dialect.render(node)
    except (CwaQueryError, ValueError):
        return type(node).__name__


# --------------------------------------------------------------------------- fields


def list_fields(endpoint: str, dialect: str | None = None, search: str | None = None) -> tuple[dict[str, Any], str]:
    """`{fields}` of an endpoint, spelled as the dialect writes paths; `search` narrows them
    (a substring, ignoring case) and, when nothing matches, suggests the nearest field.
    Without a dialect: the real Automate server's, or the first dialect whose catalogue
    knows the endpoint (`service/tickets` is Manage's)."""
    target = _dialect(dialect or _dialect_knowing(endpoint))
    schema = catalogue(target)
    canonical = _endpoint(schema, endpoint)
    assert canonical is not None
    infos = list(schema.fields(canonical).values())
    suggestion: str | None = None
    if search:
        needle = search.strip().lower().replace("/", ".")
        matched = [info for info in infos if needle in info.path.lower()]
        if not matched:
            guess = schema.suggest(needle, canonical)
            if guess is not None:
                suggestion = target.spell_field(guess)
                info = schema.lookup(guess, canonical)
                matched = [info] if info is not None else []
        infos = matched
    shown = infos[:_MAX_FIELDS_LISTED]
    rows = [
        {
            "path": target.spell_field(info.path),
            "type": info.type,
            "array": info.array,
            "values": list(info.values) if info.values else None,
        }
        for info in shown
    ]
    structured: dict[str, Any] = {"endpoint": canonical, "dialect": target.name, "fields": rows}
    if suggestion is not None:
        structured["did_you_mean"] = suggestion
    if len(infos) > len(shown):
        structured["more"] = len(infos) - len(shown)
    head = f"{canonical} in {target.name}: {len(infos)} field{'s' if len(infos) != 1 else ''}"
    if suggestion is not None:
        head = f"No field of {canonical} contains {search!r}; did you mean {suggestion}?"
    body = [f"{r['path']}: {r['type']}{'[]' if r['array'] else ''}" for r in rows]
    if len(infos) > len(shown):
        body.append(f"... {len(infos) - len(shown)} more (narrow with search)")
    return structured, "\n".join([head, *body])


def _dialect_knowing(endpoint: str) -> str:
    for name in (DEFAULT_DIALECT, *dialect_names()):
        known = get_dialect(name)
        if known.schema_file is None:
            continue
        try:
            builtin_schema(known).endpoint(endpoint)
        except CwaQueryError:
            continue
        return name
    return DEFAULT_DIALECT


# --------------------------------------------------------------------------- build

BUILD_OPS = ("eq", "ne", "gt", "ge", "lt", "le", "contains", "startswith", "endswith", "like", "in")
"""The comparison operators of a `build` filter leaf."""

FILTER_SCHEMA: dict[str, Any] = {
    "description": (
        'A filter as JSON: {"all": [filters]} (every one holds), {"any": [filters]} (one holds), '
        '{"not": filter}, or a comparison {"field": "Client.Id", "op": "eq", "value": 5}. '
        "op is one of " + ", ".join(BUILD_OPS) + '; "in" takes a list of values. '
        "Values are JSON strings, numbers or booleans; a date is an ISO-8601 string "
        '("2024-02-14" or "2024-02-14T10:00:00Z") and is written as a date when the field is a date-time.'
    ),
    "$ref": "#/$defs/filter",
    "$defs": {
        "filter": {
            "oneOf": [
                *(
                    {
                        "type": "object",
                        "properties": {group: {"type": "array", "items": {"$ref": "#/$defs/filter"}, "minItems": 1}},
                        "required": [group],
                        "additionalProperties": False,
                    }
                    for group in ("all", "any")
                ),
                {
                    "type": "object",
                    "properties": {"not": {"$ref": "#/$defs/filter"}},
                    "required": ["not"],
                    "additionalProperties": False,
                },
                {
                    "type": "object",
                    "properties": {
                        "field": {"type": "string", "description": "a field path, dotted: Client.Id"},
                        "op": {"type": "string", "enum": list(BUILD_OPS)},
                        "value": {
                            "description": "a string, number or boolean; for op in, a list of them",
                            "anyOf": [
                                {"type": ["string", "number", "boolean"]},
                                {"type": "array", "items": {"type": ["string", "number", "boolean"]}},
                            ],
                        },
                    },
                    "required": ["field", "op", "value"],
                    "additionalProperties": False,
                },
            ]
        }
    },
}


def build_condition(filter: Mapping[str, Any], dialect: str, endpoint: str | None = None) -> tuple[dict[str, Any], str]:
    """`{condition, warnings}`: the filter built through the builder `F` and rendered for the dialect."""
    from ..language._render import render

    target = _dialect(dialect)
    schema = catalogue(target)
    canonical = _endpoint(schema, endpoint)
    budget = [MAX_FILTER_NODES]
    cond = _refusing(lambda: _build(filter, "filter", schema, canonical, budget, 0))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        schemas = schema if target.schema_file is not None or canonical is not None else None
        text = _refusing(lambda: render(cond, target, schema=schemas, endpoint=canonical))
    said = list(dict.fromkeys(str(w.message) for w in caught))
    return {"condition": text, "warnings": said}, text + "".join(f"\nwarning: {m}" for m in said)


_MAX_DEPTH = 64


def _build(spec: Any, where: str, schema: Schema, endpoint: str | None, budget: list[int], depth: int) -> Any:
    from ..language.builder import F, and_, not_, or_

    budget[0] -= 1
    if budget[0] < 0:
        raise ToolInputError(f"the filter holds more than {MAX_FILTER_NODES} parts")
    if depth > _MAX_DEPTH:
        raise ToolInputError(f"{where}: the filter nests deeper than {_MAX_DEPTH} levels")
    if not isinstance(spec, Mapping):
        raise ToolInputError(f"{where}: a filter is a JSON object, not {_json_kind(spec)}")
    keys = set(spec)
    for group, combine in (("all", and_), ("any", or_)):
        if group in keys:
            _only(spec, {group}, where)
            parts = spec[group]
            if not isinstance(parts, list) or not parts:
                raise ToolInputError(f"{where}.{group}: a non-empty list of filters")
            built = [
                _build(p, f"{where}.{group}[{i}]", schema, endpoint, budget, depth + 1) for i, p in enumerate(parts)
            ]
            return combine(*built)
    if "not" in keys:
        _only(spec, {"not"}, where)
        return not_(_build(spec["not"], f"{where}.not", schema, endpoint, budget, depth + 1))
    _only(spec, {"field", "op", "value"}, where)
    missing = [key for key in ("field", "op", "value") if key not in spec]
    if missing:
        raise ToolInputError(
            f"{where}: a comparison needs field, op and value (missing {', '.join(missing)}); "
            'groups are {"all": [...]}, {"any": [...]} or {"not": {...}}'
        )
    field, op, value = spec["field"], spec["op"], spec["value"]
    if not isinstance(field, str) or not field.strip():
        raise ToolInputError(f'{where}.field: a field path as text, e.g. "Client.Id"')
    if op not in BUILD_OPS:
        raise ToolInputError(f"{where}.op: {op!r} is not one of {', '.join(BUILD_OPS)}")
    path = field.strip().replace("/", ".")
    ref = F[path]
    if op == "in":
        if not isinstance(value, list) or not value:
            raise ToolInputError(f"{where}.value: op in takes a non-empty list of values")
        return ref.in_(*(_value(v, f"{where}.value[{i}]", schema, path, endpoint) for i, v in enumerate(value)))
    converted = _value(value, f"{where}.value", schema, path, endpoint)
    method: dict[str, Callable[[Any], Any]] = {
        "eq": ref.__eq__,
        "ne": ref.__ne__,
        "gt": ref.__gt__,
        "ge": ref.__ge__,
        "lt": ref.__lt__,
        "le": ref.__le__,
        "contains": ref.contains,
        "startswith": ref.startswith,
        "endswith": ref.endswith,
        "like": ref.like,
    }
    if op in ("startswith", "endswith", "like") and not isinstance(converted, str):
        raise ToolInputError(f"{where}.value: op {op} takes text")
    return method[op](converted)


def _only(spec: Mapping[str, Any], allowed: set[str], where: str) -> None:
    extra = sorted(set(spec) - allowed)
    if extra:
        raise ToolInputError(
            f"{where}: unexpected key {', '.join(map(repr, extra))} beside {', '.join(sorted(allowed))}"
        )


def _value(value: Any, where: str, schema: Schema, path: str, endpoint: str | None) -> Any:
    if value is None:
        raise ToolInputError(f"{where}: null has no spelling in these conditions; compare with a value")
    if isinstance(value, (list, dict)):
        raise ToolInputError(f"{where}: a value is a string, a number or a boolean, not {_json_kind(value)}")
    if isinstance(value, str):
        info = schema.lookup(path, endpoint)
        if info is not None and info.type == "datetime":
            return _date(value, where)
    return value


def _date(text: str, where: str) -> _dt.date | _dt.datetime:
    try:
        if len(text) == 10:
            return _dt.date.fromisoformat(text)
        return _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ToolInputError(f"{where}: {text!r} is not an ISO-8601 date or date-time (2024-02-14T10:00:00Z)") from exc


def _json_kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )

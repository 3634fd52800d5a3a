"""Hypothesis strategies for conditions, condition text, and records.

Import explicitly (hypothesis is a test extra: `pip install cwa_query[test]`):

>>> from hypothesis import given, settings
>>> from cwa_query import parse, render
>>> from cwa_query.strategies import conditions
>>> @settings(max_examples=20)
... @given(conditions(dialect="automate", max_leaves=4))
... def test_round_trip(condition):
...     assert parse(render(condition, "automate")) == condition
>>> test_round_trip()

Strategies follow hypothesis's house style: plural nouns, keyword-only options, and bad
arguments raise `hypothesis.errors.InvalidArgument` at once, not at the first draw.

* [`conditions`][cwa_query.strategies.conditions]: trees that the dialect can express and
  that survive `parse(render(tree, dialect)) == tree`;
* [`condition_strings`][cwa_query.strategies.condition_strings]: valid text with varied
  spacing, keyword case, `eq`, quote style and redundant parentheses;
* [`invalid_condition_strings`][cwa_query.strategies.invalid_condition_strings]: near misses
  that must raise `ConditionSyntaxError`;
* [`manage_conditions`][cwa_query.strategies.manage_conditions],
  [`manage_condition_strings`][cwa_query.strategies.manage_condition_strings] and
  [`invalid_manage_condition_strings`][cwa_query.strategies.invalid_manage_condition_strings]:
  the same for ConnectWise Manage (`conditions(dialect="manage")` and
  `condition_strings(dialect="manage")` use the first two);
* [`odata_conditions`][cwa_query.strategies.odata_conditions] and
  [`odata_condition_strings`][cwa_query.strategies.odata_condition_strings]: shared trees and
  text the OData `$filter` dialect writes and reads back (`conditions(dialect="odata")` and
  `condition_strings(dialect="odata")` use them);
  [`odata_filters`][cwa_query.strategies.odata_filters],
  [`odata_filter_strings`][cwa_query.strategies.odata_filter_strings] and
  [`invalid_odata_filter_strings`][cwa_query.strategies.invalid_odata_filter_strings]: whole
  OData trees (arithmetic, lambdas, every literal kind) and their text, and near misses;
* [`field_paths`][cwa_query.strategies.field_paths], [`values`][cwa_query.strategies.values]
  and [`records`][cwa_query.strategies.records]: field names, field values by type, and
  records shaped like an endpoint's.

## Property testing your filters

Code that filters records itself should agree with the condition sent to the server.
Let hypothesis hunt for a record where they differ:

>>> import datetime as dt
>>> from cwa_query import evaluate
>>> from cwa_query.strategies import records
>>> CONDITION = "Status = 'Offline' and LastContact < '2024-01-01'"
>>> def offline_and_stale(computer):
...     status, seen = computer.get("Status"), computer.get("LastContact")
...     cutoff = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
...     return status is not None and status.lower() == "offline" and seen is not None and seen < cutoff
>>> @settings(max_examples=50)
... @given(records(dialect="seed", endpoint="Computers"))  # the seed catalogue's field names
... def test_local_filter_agrees(computer):
...     assert offline_and_stale(computer) == evaluate(CONDITION, computer)
>>> test_local_filter_agrees()

Drop the `is not None` tests and hypothesis soon finds a record without `LastContact`;
write `status == "offline"` and it finds `"OFFLINE"` (the server ignores ASCII case).
To test SQL built from the same condition, see the differential tests of
[`to_sql`][cwa_query.to_sql] in `tests/language/`.

Text values never hold NUL or lone surrogates (SQLite and UTF-8 cannot carry them);
numbers stay within 64-bit integers and 15 significant digits, the range where
[`to_sql`][cwa_query.to_sql] is exact.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import functools
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ModuleNotFoundError as _missing:
    if _missing.name is None or _missing.name.partition(".")[0] != "hypothesis":
        raise
    raise ModuleNotFoundError(
        "cwa_query.strategies needs hypothesis, which comes with the `test` extra: pip install 'cwa_query[test]'",
        name="hypothesis",
    ) from None

from .._defaults import DEFAULT_DIALECT
from ..dialects import DialectLike, Feature, dialect_names, get_dialect, op_feature
from ..dialects.condition import CONDITION
from ..errors import SchemaError, UnknownDialectError, UnrepresentableConditionError
from ..language import ast
from ..language._render import quote_literal
from ..language.literals import instant_text
from ._manage import invalid_manage_condition_strings, manage_condition_strings, manage_conditions
from ._odata import (
    invalid_odata_filter_strings,
    odata_condition_strings,
    odata_conditions,
    odata_filter_strings,
    odata_filters,
)

__all__ = [
    "condition_strings",
    "conditions",
    "field_paths",
    "invalid_condition_strings",
    "invalid_manage_condition_strings",
    "invalid_odata_filter_strings",
    "manage_condition_strings",
    "manage_conditions",
    "odata_condition_strings",
    "odata_conditions",
    "odata_filter_strings",
    "odata_filters",
    "records",
    "values",
]

_T = TypeVar("_T")

# Dialects with a grammar of their own draw their trees and text in their own module.
_OWN_GRAMMAR_STRATEGIES: dict[
    str, tuple[Callable[..., st.SearchStrategy[ast.Node]], Callable[..., st.SearchStrategy[str]]]
] = {
    "manage": (manage_conditions, manage_condition_strings),
    "odata": (odata_conditions, odata_condition_strings),
}
_VALUE_TYPES = ("string", "integer", "decimal", "boolean", "datetime", "id", "any")
_UTC = _dt.UTC
_MIN_DATETIME = _dt.datetime(1900, 1, 1)
_MAX_DATETIME = _dt.datetime(2100, 12, 31, 23, 59, 59, 999999)

# A small alphabet makes equal, prefix and case-folded values likely; the specials test
# quoting, LIKE escapes and ASCII-only case folding.
_TEXT_ALPHABET = "aAbBzZ01 _%\\'\"-éÉß\n"
_WORD_ALPHABET = "abcxyzABCXYZ_0123456789"


# --------------------------------------------------------------------------- argument checks


def _check_dialect(dialect: Any) -> str:
    try:
        name = get_dialect(dialect).name
    except (UnknownDialectError, TypeError):
        raise InvalidArgument(f"dialect={dialect!r}: choose one of {', '.join(map(repr, dialect_names()))}") from None
    _prepare(name)
    return name


@functools.cache
def _prepare(dialect: str) -> None:
    """Do now, while the strategy is built, what its first draw would otherwise pay for:
    hypothesis' health checks time the draws, and a first run in a new project has nothing
    cached. The dialect is loaded (above), the condition grammar's keywords are read, and
    the text strategies are built (which computes hypothesis' character map)."""
    CONDITION.keyword_words()
    _string_literals(dialect).validate()
    _ANY_PATHS.validate()


def _check_int(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidArgument(f"{name}={value!r}: expected an integer >= {minimum}")
    return value


class _Quiet(list[Any]):
    """A list whose repr stays short (strategy reprs print their arguments)."""

    def __repr__(self) -> str:
        return f"<{len(self)} items>"


class _QuietDict(dict[str, Any]):
    """A dict whose repr stays short."""

    def __repr__(self) -> str:
        return f"<{len(self)} entries>"


@dataclass(frozen=True)
class _Field:
    path: str
    type: str
    array: bool = False
    values: tuple[str, ...] | None = None


def _schema_fields(dialect: str, endpoint: str | None, schema: Any) -> list[_Field] | None:
    """The typed leaf fields of `endpoint` (None: no schema in play, any field goes)."""
    if endpoint is None and schema is None:
        return None
    from ..schema import Schema, load_schema

    if schema is not None and not isinstance(schema, Schema):
        raise InvalidArgument(f"schema={schema!r}: expected a cwa_query.Schema (see load_schema)")
    catalogue = schema if schema is not None else load_schema(dialect=dialect)
    if endpoint is not None and not isinstance(endpoint, str):
        raise InvalidArgument(f"endpoint={endpoint!r}: expected an endpoint name such as 'Computers'")
    try:
        infos = catalogue.fields(endpoint)
    except SchemaError as exc:
        raise InvalidArgument(f"endpoint={endpoint!r}: {exc}") from None
    fields = [
        _Field(info.path, info.type, info.array, info.values)
        for info in infos.values()
        if info.type != "object" and _usable_path(info.path)
    ]
    if not fields:
        raise InvalidArgument(f"endpoint={endpoint!r} has no fields that a condition can test")
    return fields


def _usable_path(path: str) -> bool:
    reserved = CONDITION.keyword_words()
    return not any(part.lower() in reserved for part in path.split("."))


# --------------------------------------------------------------------------- values


def _choices(items: list[_T]) -> st.SearchStrategy[_T]:
    """`sampled_from` without a repr that prints the whole list (schemas are long)."""
    return st.integers(0, len(items) - 1).map(items.__getitem__)


def _texts(max_size: int = 8) -> st.SearchStrategy[str]:
    # Every character UTF-8 can encode (all but the surrogates) except NUL. Said by category,
    # not `codec="utf-8"`: hypothesis works out a codec's characters by encoding each one
    # (about a second, on every first run), a category from its cached character map.
    return st.text(st.sampled_from(_TEXT_ALPHABET), max_size=max_size) | st.text(
        st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=max_size
    )


def _decimals() -> st.SearchStrategy[_decimal.Decimal]:
    """Decimals with a point, at most 15 significant digits (exact as doubles)."""
    return st.builds(
        lambda digits, scale: _decimal.Decimal(digits).scaleb(-scale),
        st.integers(-(10**12), 10**12),
        st.integers(1, 3),
    )


def _datetimes() -> st.SearchStrategy[_dt.datetime]:
    return st.datetimes(_MIN_DATETIME, _MAX_DATETIME, timezones=st.just(_UTC))


def _numeric_texts() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(-1000, 1000).map(str),
        st.integers(0, 99).map(lambda n: f"0{n}"),
        _decimals().map(lambda d: format(d, "f")),
    )


def _date_texts() -> st.SearchStrategy[str]:
    return st.one_of(
        _datetimes().map(instant_text),
        _datetimes().map(lambda d: d.date().isoformat()),
        _datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")),
    )


def values(field_type: str = "any", *, nullable: bool = False) -> st.SearchStrategy[Any]:
    """Values a record may hold for a field of `field_type` (a schema type name).

    `string` text, `integer` ints, `decimal` `Decimal`s and floats, `boolean` bools,
    `datetime` aware UTC date-times, `id` ints or digit strings, `any` all of those plus
    numeric and date-like text. `nullable` adds `None`.

    >>> from hypothesis import find
    >>> find(values("datetime"), lambda v: True).tzinfo
    datetime.timezone.utc
    """
    if field_type not in _VALUE_TYPES:
        raise InvalidArgument(f"field_type={field_type!r}: expected one of {', '.join(_VALUE_TYPES)}")
    if not isinstance(nullable, bool):
        raise InvalidArgument(f"nullable={nullable!r}: expected True or False")
    strategy: st.SearchStrategy[Any]
    if field_type == "string":
        strategy = _texts()
    elif field_type == "integer":
        strategy = st.integers(-1000, 1000) | st.integers(-(2**63), 2**63 - 1)
    elif field_type == "decimal":
        strategy = _decimals() | _decimals().map(float) | st.integers(-1000, 1000)
    elif field_type == "boolean":
        strategy = st.booleans()
    elif field_type == "datetime":
        strategy = _datetimes()
    elif field_type == "id":
        strategy = st.integers(1, 500) | st.integers(1, 500).map(str)
    else:
        strategy = st.one_of(
            _texts(),
            _numeric_texts(),
            _date_texts(),
            st.integers(-1000, 1000),
            _decimals(),
            _decimals().map(float),
            st.booleans(),
            _datetimes(),
            st.dates(_MIN_DATETIME.date(), _MAX_DATETIME.date()),
        )
    return st.none() | strategy if nullable else strategy


# --------------------------------------------------------------------------- field paths


def _names() -> st.SearchStrategy[str]:
    first = st.sampled_from("abcxyzABCXYZ_")
    rest = st.text(st.sampled_from(_WORD_ALPHABET), max_size=6)
    reserved = CONDITION.keyword_words()
    return st.builds(lambda a, b: a + b, first, rest).filter(lambda n: n.lower() not in reserved)


def field_paths(
    *, dialect: DialectLike = DEFAULT_DIALECT, endpoint: str | None = None, schema: Any = None, max_parts: int = 3
) -> st.SearchStrategy[str]:
    """Field paths: from the endpoint's schema when one is given, else dotted identifiers.

    >>> from hypothesis import find
    >>> find(field_paths(endpoint="Computers"), lambda path: "Memory" in path)
    'TotalMemory'
    """
    dialect = _check_dialect(dialect)
    _check_int("max_parts", max_parts, 1)
    fields = _schema_fields(dialect, endpoint, schema)
    if fields is not None:
        return _choices([f.path for f in fields])
    return st.lists(_names(), min_size=1, max_size=max_parts).map(".".join)


# --------------------------------------------------------------------------- conditions


def _supports(dialect: str, feature: Feature) -> bool:
    return get_dialect(dialect).supports(feature)


def _quotes_any_text(dialect: str) -> bool:
    """Whether the dialect can write every string (automate cannot quote one holding both kinds)."""
    try:
        get_dialect(dialect).quote("'\"")
    except UnrepresentableConditionError:
        return False
    return True


@functools.cache
def _string_literals(dialect: str) -> st.SearchStrategy[ast.Literal]:
    texts = st.one_of(_texts(), _numeric_texts(), _date_texts())
    if not _quotes_any_text(dialect):
        texts = texts.filter(lambda s: not ("'" in s and '"' in s))
    return texts.map(ast.String)


@functools.lru_cache(maxsize=4096)
def _literals(field: _Field, dialect: str) -> st.SearchStrategy[ast.Literal]:
    strings = _string_literals(dialect)
    integers = st.integers(-1000, 1000).map(ast.Integer)
    decimals = _decimals().map(ast.Decimal)
    booleans = st.booleans().map(ast.Boolean)
    dates = st.one_of(_datetimes(), st.dates(_MIN_DATETIME.date(), _MAX_DATETIME.date())).map(ast.DateTime)
    kind = field.type
    quoted_integers = st.integers(-1000, 1000).map(lambda n: ast.String(str(n)))
    # Literals fit the field's type as the linter's type rules read it, so conditions
    # drawn for an endpoint lint clean (the seed dialect reads no quoted numbers).
    if kind == "string":
        if field.values:
            return st.sampled_from(field.values).flatmap(_case_variants).map(ast.String) | strings
        return strings
    if kind == "id":
        return integers | quoted_integers
    if kind == "integer":
        return integers | quoted_integers if _supports(dialect, Feature.QUOTED_NUMBERS) else integers
    if kind == "decimal":
        return decimals | integers
    if kind == "boolean":
        return booleans
    if kind == "datetime":
        return dates if _supports(dialect, Feature.DATE_LITERALS) else _date_texts().map(ast.String)
    parts = [strings, integers, decimals, booleans]
    return st.one_of(*parts, dates) if _supports(dialect, Feature.DATE_LITERALS) else st.one_of(*parts)


def _case_variants(text: str) -> st.SearchStrategy[str]:
    return st.sampled_from([text, text.lower(), text.upper()])


_COMPARISONS = (ast.Op.EQ, ast.Op.NE, ast.Op.GT, ast.Op.LT, ast.Op.GE, ast.Op.LE)
_TEXT_OPS = (ast.Op.CONTAINS, ast.Op.STARTSWITH, ast.Op.ENDSWITH, ast.Op.LIKE)
_NEGATED_TEXT_OPS = (ast.Op.NOT_CONTAINS, ast.Op.NOT_LIKE)
_STRING_ONLY = frozenset({ast.Op.STARTSWITH, ast.Op.ENDSWITH, ast.Op.LIKE, ast.Op.NOT_LIKE})


@functools.lru_cache(maxsize=4096)
def _ops(field: _Field, dialect: str) -> list[ast.Op]:
    if field.array:  # membership and equality; no ordering or patterns on an array
        ops = [ast.Op.EQ, ast.Op.NE, ast.Op.CONTAINS, ast.Op.NOT_CONTAINS]
    elif field.type == "boolean":
        ops = [ast.Op.EQ, ast.Op.NE]
    else:
        ops = list(_COMPARISONS)
    if field.type in ("string", "any") and not field.array:
        ops += [*_TEXT_OPS, *_NEGATED_TEXT_OPS]
    target = get_dialect(dialect)
    return [op for op in ops if (needs := op_feature(op)) is None or target.supports(needs)]


_ANY_PATHS = st.deferred(lambda: field_paths())


@st.composite
def _predicates(draw: st.DrawFn, fields: list[_Field] | None, dialect: str) -> ast.Node:
    if fields is None:
        field = _Field(draw(_ANY_PATHS), "any")
    else:
        field = draw(_choices(fields))
    literals = _literals(field, dialect)
    name = ast.Field(field.path)
    if draw(st.integers(0, 4)) == 0:
        items = tuple(draw(st.lists(literals, min_size=1, max_size=4)))
        negated = _supports(dialect, Feature.NOT_IN) and draw(st.booleans())
        return ast.InList(name, items, negated)
    op = draw(st.sampled_from(_ops(field, dialect)))
    if op in _STRING_ONLY:
        return ast.Compare(name, op, draw(_string_literals(dialect)))
    return ast.Compare(name, op, draw(literals))


def conditions(
    *,
    dialect: DialectLike = DEFAULT_DIALECT,
    endpoint: str | None = None,
    schema: Any = None,
    max_leaves: int = 8,
) -> st.SearchStrategy[ast.Node]:
    """Condition trees that `dialect` can express, as `parse(render(tree, dialect))` gives back.

    With `endpoint` (and the built-in schema of `dialect`, or `schema`), fields come from
    the endpoint and literals match each field's type; otherwise any field and any literal.
    `seed` trees hold no `like`, `not like`, `not in`, `not contains`, nor unquoted date-time
    literals (the seed dialect quotes dates, so they come back as strings); `automate`
    trees hold no prefix `not`, no `startswith`/`endswith`, and no string with both quote
    kinds. `max_leaves` bounds the predicates per tree.

    >>> from hypothesis import given, settings
    >>> from cwa_query import ast
    >>> @settings(max_examples=30, derandomize=True, database=None)  # the same examples on every run
    ... @given(conditions(endpoint="Computers"))
    ... def test_literals_fit_their_fields(tree):
    ...     for node in ast.walk(tree):
    ...         if isinstance(node, ast.Compare) and node.field.name == "ComputerName":
    ...             assert isinstance(node.value, (ast.String, ast.Null))  # ComputerName holds text
    >>> test_literals_fit_their_fields()
    """
    dialect = _check_dialect(dialect)
    _check_int("max_leaves", max_leaves, 1)
    fields = _schema_fields(dialect, endpoint, schema)
    own = _OWN_GRAMMAR_STRATEGIES.get(dialect)
    if own is not None:
        return own[0](paths=_Quiet(f.path for f in fields) if fields is not None else None, max_leaves=max_leaves)
    leaves = _predicates(_Quiet(fields) if fields is not None else None, dialect)

    def extend(children: st.SearchStrategy[ast.Node]) -> st.SearchStrategy[ast.Node]:
        pairs = st.lists(children, min_size=2, max_size=3)
        options = [pairs.map(ast.all_of), pairs.map(ast.any_of)]
        if _supports(dialect, Feature.PREFIX_NOT):
            options.append(children.map(ast.Not))
        return st.one_of(*options)

    return st.recursive(leaves, extend, max_leaves=max_leaves)


# --------------------------------------------------------------------------- text

_Token = tuple[str, str]  # (kind, text); kinds: word, symbol, value


class _Style:
    """How one rendering spells keywords, spaces and quotes.

    The choices come from a `random.Random` seeded by one drawn integer: a string holds
    dozens of them, and one draw each would make generation many times slower.
    """

    def __init__(self, seed: int, dialect: str) -> None:
        self.random = random.Random(seed)
        self.dialect = dialect

    def chance(self, one_in: int) -> bool:
        return self.random.randrange(one_in) == 0

    def keyword(self, word: str) -> str:
        return self.random.choice([word, word, word.upper(), word.capitalize()])

    def space(self, optional: bool) -> str:
        if optional and self.chance(2):
            return self.random.choice(["", "", " "])
        return self.random.choice([" ", " ", " ", "  ", "\t", "\n", " \r\n "])

    def literal(self, literal: ast.Literal) -> str:
        if isinstance(literal, ast.Boolean):
            return self.keyword("true" if literal.value else "false")
        if isinstance(literal, ast.String):
            spellings = get_dialect(self.dialect).quotings(literal.value)
            return spellings[0] if len(spellings) == 1 else self.random.choice(spellings)
        return quote_literal(literal, self.dialect)


_SEEDS = st.integers(0, 2**32 - 1)


def _tokens(node: ast.Node, style: _Style, out: list[_Token], parent: int = 0) -> None:
    """Tokens of `node`; `parent` is the precedence around it (or 1, and 2, not 3)."""
    mine = (
        4
        if isinstance(node, (ast.Compare, ast.InList, ast.Expression))
        else {ast.Or: 1, ast.And: 2, ast.Not: 3}[type(node)]
    )
    wrap = mine < parent or style.chance(10)
    if wrap:
        out.append(("symbol", "("))
    if isinstance(node, ast.Compare):
        out.append(("word", node.field.name))
        if node.op is ast.Op.EQ and _supports(style.dialect, Feature.EQ_KEYWORD) and style.chance(3):
            out.append(("word", style.keyword("eq")))
        elif node.op.value[0].isalpha():
            out.extend(("word", style.keyword(word)) for word in node.op.value.split())
        else:
            out.append(("symbol", node.op.value))
        out.append(("value", style.literal(node.value)))
    elif isinstance(node, ast.InList):
        out.append(("word", node.field.name))
        if node.negated:
            out.append(("word", style.keyword("not")))
        out.append(("word", style.keyword("in")))
        out.append(("symbol", "("))
        for index, value in enumerate(node.values):
            if index:
                out.append(("symbol", ","))
            out.append(("value", style.literal(value)))
        out.append(("symbol", ")"))
    elif isinstance(node, ast.Not):
        out.append(("word", style.keyword("not")))
        out.append(("symbol", "("))
        _tokens(node.operand, style, out)
        out.append(("symbol", ")"))
    elif isinstance(node, ast.Expression):
        out.append(("word", get_dialect(style.dialect).describe(node)))
    else:
        joiner = "and" if isinstance(node, ast.And) else "or"
        for index, item in enumerate(node.items):
            if index:
                out.append(("word", style.keyword(joiner)))
            _tokens(item, style, out, mine)
    if wrap:
        out.append(("symbol", ")"))


def _join(tokens: list[_Token], style: _Style) -> str:
    parts = [style.space(True) if style.chance(4) else ""]
    for index, (kind, text) in enumerate(tokens):
        if index:
            previous = tokens[index - 1]
            parts.append(style.space(optional=kind == "symbol" or previous[0] == "symbol"))
        parts.append(text)
    parts.append(style.space(True) if style.chance(4) else "")
    return "".join(parts)


@st.composite
def _condition_texts(draw: st.DrawFn, trees: st.SearchStrategy[ast.Node], dialect: str) -> str:
    tree = draw(trees)
    style = _Style(draw(_SEEDS), dialect)
    out: list[_Token] = []
    _tokens(tree, style, out)
    return _join(out, style)


def condition_strings(
    *,
    dialect: DialectLike = DEFAULT_DIALECT,
    endpoint: str | None = None,
    schema: Any = None,
    max_leaves: int = 8,
) -> st.SearchStrategy[str]:
    """Valid condition text for `dialect`, spelled in varied ways.

    Spacing (none around symbols, tabs, newlines), keyword case (`and`, `AND`, `And`),
    redundant parentheses, and for `automate` `eq` for `=` and either quote kind. Each
    string parses to a tree that [`conditions`][cwa_query.strategies.conditions] could give.

    >>> from hypothesis import given, settings
    >>> from cwa_query import parse
    >>> @settings(max_examples=30, derandomize=True, database=None)
    ... @given(condition_strings(dialect="automate"))
    ... def test_spacing_changes_nothing(text):
    ...     assert parse(text) == parse(text.strip())
    >>> test_spacing_changes_nothing()
    """
    dialect = _check_dialect(dialect)
    own = _OWN_GRAMMAR_STRATEGIES.get(dialect)
    if own is not None:
        fields = _schema_fields(dialect, endpoint, schema)
        return own[1](paths=_Quiet(f.path for f in fields) if fields is not None else None, max_leaves=max_leaves)
    trees = conditions(dialect=dialect, endpoint=endpoint, schema=schema, max_leaves=max_leaves)
    return _condition_texts(trees, dialect)


# --------------------------------------------------------------------------- near misses


def _mutations(tokens: list[_Token]) -> list[Callable[[list[_Token]], list[_Token]]]:
    """Edits of a valid seed token list, each of which leaves text that cannot parse.

    The quote edits rely on the seed dialect's single quotes (and on no value holding a
    double quote): one quote fewer leaves an odd number, so some string never closes.
    """

    def at(index: int, replacement: list[_Token]) -> Callable[[list[_Token]], list[_Token]]:
        return lambda ts: ts[:index] + replacement + ts[index + 1 :]

    found: list[Callable[[list[_Token]], list[_Token]]] = [
        lambda ts: [*ts, ("word", "and")],  # a dangling 'and'
        lambda ts: [*ts, ("symbol", ")")],  # an unmatched ')'
        lambda ts: [("symbol", "="), *ts[1:]] if ts[0][0] == "word" else [("symbol", "="), *ts],  # no field
    ]
    closing = [i for i, token in enumerate(tokens) if token == ("symbol", ")")]
    if closing:
        found.append(at(closing[-1], []))  # a dropped ')'
    first: dict[str, int] = {}
    for index, (kind, text) in enumerate(tokens):
        first.setdefault(kind if kind != "symbol" else text, index)
    if "=" in first:
        found.append(at(first["="], [("symbol", "==")]))
    if "value" in first:
        found.append(at(first["value"], []))  # a missing operand
        text = tokens[first["value"]][1]
        if text.startswith("'") and not any('"' in t for _, t in tokens):
            found.append(at(first["value"], [("value", text[:-1])]))  # an unterminated string
            found.append(at(first["value"], [("value", text[1:])]))  # a dropped opening quote
    for index, (kind, text) in enumerate(tokens):
        if kind == "word" and text.lower() in ("and", "or"):
            found.append(at(index, [("symbol", "&&" if text.lower() == "and" else "||")]))
            break
    return found


_FIXED_NEAR_MISSES = (
    "",
    "   ",
    "Status ==  'Online'",
    "Status = Online Now",
    "Status in ()",
    "Status in ('a',)",
    "Status in ('a'",
    "not",
    "Name contains",
    "= 5",
    "Name startswith 5",
    "a = 1 && b = 2",
    "a = 1 || b = 2",
    "a = 'x",
    "(a = 1",
    "a = 1)",
    "a <> 1",
    "a = 1 b = 2",
    "a = 2024-13-45",
    "a = 1.",
    "a = null",
    "a is null",
)


@st.composite
def _near_misses(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(_FIXED_NEAR_MISSES))
    tree = draw(conditions(dialect="seed", max_leaves=4))
    style = _Style(draw(_SEEDS), "seed")
    tokens: list[_Token] = []
    _tokens(tree, style, tokens)
    mutation = draw(st.sampled_from(_mutations(tokens)))
    return _join(mutation(tokens), style)


def invalid_condition_strings() -> st.SearchStrategy[str]:
    """Near misses of valid conditions, each of which raises `ConditionSyntaxError`.

    A dropped quote or parenthesis, `==`, `&&`, `||`, a missing operand or field, a
    dangling `and`, an empty `in` list, unquoted text, an impossible date, ...

    >>> from hypothesis import given, settings
    >>> from cwa_query import ConditionSyntaxError, parse
    >>> @settings(max_examples=25)
    ... @given(invalid_condition_strings())
    ... def test_near_misses_are_refused(text):
    ...     try:
    ...         parse(text)
    ...     except ConditionSyntaxError:
    ...         return
    ...     raise AssertionError(f"parsed: {text!r}")
    >>> test_near_misses_are_refused()
    """
    return _near_misses()


# --------------------------------------------------------------------------- records


@dataclass
class _Node:
    field: _Field | None = None
    children: dict[str, _Node] | None = None


def _record_tree(fields: list[_Field]) -> dict[str, _Node]:
    root: dict[str, _Node] = _QuietDict()
    for field in fields:
        level = root
        parts = field.path.split(".")
        for part in parts[:-1]:
            node = level.setdefault(part, _Node(children={}))
            if node.children is None:
                node.children = {}
            level = node.children
        node = level.setdefault(parts[-1], _Node())
        node.field = field
    return root


@st.composite
def _record_values(draw: st.DrawFn, tree: dict[str, _Node], prefix: str, arrays: Mapping[str, bool]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, node in tree.items():
        path = prefix + name
        if draw(st.integers(0, 9)) == 0:
            continue  # missing
        if node.children:
            if draw(st.integers(0, 9)) == 0:
                out[name] = None
            elif arrays.get(path, False):
                out[name] = draw(st.lists(_record_values(node.children, path + ".", arrays), max_size=2))
            else:
                out[name] = draw(_record_values(node.children, path + ".", arrays))
            continue
        assert node.field is not None
        field = node.field
        kind = field.type if field.type in _VALUE_TYPES else "any"
        element: st.SearchStrategy[Any] = values(kind, nullable=True)
        if field.values and kind == "string":
            element = st.none() | st.sampled_from(field.values).flatmap(_case_variants) | element
        out[name] = draw(st.lists(element, max_size=3) if field.array else element)
    return out


def records(
    *,
    dialect: DialectLike = DEFAULT_DIALECT,
    endpoint: str = "Computers",
    schema: Any = None,
    max_fields: int = 40,
) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts shaped like the records of `endpoint` (built-in schema of `dialect`, or `schema`).

    Dotted fields nest (`Client.Id` is `{"Client": {"Id": ...}}`), array fields are lists
    (arrays of objects, lists of dicts), date-times are aware UTC `datetime`s, and some
    fields are missing or `None`. An endpoint with more than `max_fields` fields gets a
    different subset of them in each record.

    >>> from hypothesis import find
    >>> record = find(records(dialect="seed", endpoint="Clients"), lambda record: "Name" in record)
    >>> set(record) <= {"ClientID", "Name", "City", "Country", "PhoneNumber"}  # the seed catalogue's Clients
    True
    """
    dialect = _check_dialect(dialect)
    _check_int("max_fields", max_fields, 1)
    if not isinstance(endpoint, str):
        raise InvalidArgument(f"endpoint={endpoint!r}: expected an endpoint name such as 'Computers'")
    fields = _schema_fields(dialect, endpoint, schema)
    assert fields is not None
    from ..schema import load_schema

    catalogue = schema if schema is not None else load_schema(dialect=dialect)
    arrays = {path: info.array for path, info in catalogue.fields(endpoint).items() if info.type == "object"}
    if len(fields) <= max_fields:
        return _record_values(_record_tree(fields), "", _QuietDict(arrays))
    arrays = _QuietDict(arrays)
    subsets = st.lists(_choices(fields), min_size=1, max_size=max_fields, unique_by=lambda f: f.path)
    return subsets.flatmap(lambda chosen: _record_values(_record_tree(chosen), "", arrays))

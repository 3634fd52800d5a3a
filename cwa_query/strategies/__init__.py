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
  [`manage_condition_strings`][cwa_query.strategies.manage_condition_strings],
  [`invalid_manage_condition_strings`][cwa_query.strategies.invalid_manage_condition_strings],
  [`odata_conditions`][cwa_query.strategies.odata_conditions] and
  [`odata_condition_strings`][cwa_query.strategies.odata_condition_strings]: the same with
  `dialect="manage"` or `dialect="odata"`;
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
[`to_sql`][cwa_query.to_sql] in `tests/sql/`.

Every strategy reads the dialect object, never its name: its
[`Feature`][cwa_query.dialects.Feature]s choose the constructs drawn, its rendering and
parsing give the trees as the dialect reads them back, its grammar and
`Dialect.respellings` the spellings, so a newly registered dialect is served as it is.

Text values never hold NUL or lone surrogates (SQLite and UTF-8 cannot carry them);
numbers stay within 64-bit integers and 15 significant digits, the range where
[`to_sql`][cwa_query.to_sql] is exact.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import functools
import random
import warnings
from collections.abc import Mapping, Sequence
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
from ..dialects import Dialect, DialectLike, Feature, all_dialects, dialect_names, get_dialect, op_feature
from ..errors import (
    ConditionSyntaxError,
    SchemaError,
    TranslationWarning,
    UnknownDialectError,
    UnrepresentableConditionError,
)
from ..language import ast
from ..language.literals import instant_text
from ..schema import FieldInfo, Schema, load_schema
from . import _expressions, _text

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
_VALUE_TYPES = ("string", "integer", "decimal", "boolean", "datetime", "id", "any")
_UTC = _dt.UTC
_MIN_DATETIME = _dt.datetime(1900, 1, 1)
_MAX_DATETIME = _dt.datetime(2100, 12, 31, 23, 59, 59, 999999)

# A small alphabet makes equal, prefix and case-folded values likely; the specials test
# quoting, LIKE escapes and ASCII-only case folding.
_TEXT_ALPHABET = "aAbBzZ01 _%\\'\"-éÉß\n"
_WORD_ALPHABET = "abcxyzABCXYZ_0123456789"
# Words that read as literals somewhere (and `$it`-like names are never drawn).
_LITERAL_WORDS = frozenset({"null", "true", "false", "inf", "nan"})


# --------------------------------------------------------------------------- argument checks


def _check_dialect(dialect: Any) -> Dialect:
    try:
        found = get_dialect(dialect)
    except (UnknownDialectError, TypeError):
        raise InvalidArgument(f"dialect={dialect!r}: choose one of {', '.join(map(repr, dialect_names()))}") from None
    _prepare(found)
    return found


@functools.cache
def _prepare(dialect: Dialect) -> None:
    """Do now, while the strategy is built, what its first draw would otherwise pay for:
    hypothesis' health checks time the draws, and a first run in a new project has nothing
    cached. The dialects' grammars are loaded, a condition is written and read back, and the
    text strategies are built (which computes hypothesis' character map)."""
    _reserved()
    _keywords(dialect)
    _as_read(dialect, ast.Compare(ast.Field("a"), ast.Op.EQ, ast.String("x")))
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


@functools.cache
def _keywords(dialect: Dialect) -> frozenset[str]:
    grammar = dialect.grammar()
    return grammar.keyword_words() if grammar is not None else frozenset()


@functools.cache
def _reserved() -> frozenset[str]:
    """Words no drawn name is: a keyword of any registered dialect, or a literal's word."""
    return _LITERAL_WORDS.union(*(_keywords(dialect) for dialect in all_dialects()))


@dataclass(frozen=True)
class _Where:
    """The schema and endpoint a dialect writes the drawn trees for, and the fields they test
    (none: any field)."""

    schema: Any = None
    endpoint: str | None = None
    fields: list[FieldInfo] | None = None

    def __repr__(self) -> str:
        return f"<fields of {self.endpoint!r}>" if self.endpoint else "<any fields>"

    def render(self, dialect: Dialect, tree: ast.Node) -> str:
        return dialect.render(tree, schema=self.schema, endpoint=self.endpoint)


_ANYWHERE = _Where()


def _where(dialect: Dialect, endpoint: str | None, schema: Any) -> _Where:
    """The typed leaf fields of `endpoint` and the schema they come from (`_ANYWHERE`: no
    schema in play, any field goes)."""
    if endpoint is None and schema is None:
        return _ANYWHERE
    if schema is not None and not isinstance(schema, Schema):
        raise InvalidArgument(f"schema={schema!r}: expected a cwa_query.Schema (see load_schema)")
    catalogue = schema if schema is not None else load_schema(dialect=dialect)
    if endpoint is not None and not isinstance(endpoint, str):
        raise InvalidArgument(f"endpoint={endpoint!r}: expected an endpoint name such as 'Computers'")
    try:
        infos = catalogue.fields(endpoint)
    except SchemaError as exc:
        raise InvalidArgument(f"endpoint={endpoint!r}: {exc}") from None
    reserved = _keywords(dialect)
    fields = _Quiet(
        info
        for info in infos.values()
        if info.type != "object" and not any(part.lower() in reserved for part in info.path.split("."))
    )
    if not fields:
        raise InvalidArgument(f"endpoint={endpoint!r} has no fields that a condition can test")
    return _Where(catalogue, endpoint, fields)


def _on_paths(paths: Sequence[str] | None) -> _Where:
    """Trees on `paths`, each of any type (`None`: on any names)."""
    return _ANYWHERE if paths is None else _Where(fields=_Quiet(FieldInfo(path, "any") for path in paths))


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
    return st.builds(lambda a, b: a + b, first, rest).filter(lambda n: n.lower() not in _reserved())


def field_paths(
    *, dialect: DialectLike = DEFAULT_DIALECT, endpoint: str | None = None, schema: Any = None, max_parts: int = 3
) -> st.SearchStrategy[str]:
    """Field paths: from the endpoint's schema when one is given, else dotted identifiers.

    >>> from hypothesis import find
    >>> find(field_paths(endpoint="Computers"), lambda path: "Memory" in path)
    'TotalMemory'
    """
    found = _check_dialect(dialect)
    _check_int("max_parts", max_parts, 1)
    fields = _where(found, endpoint, schema).fields
    if fields is not None:
        return _choices([f.path for f in fields])
    return st.lists(_names(), min_size=1, max_size=max_parts).map(".".join)


# --------------------------------------------------------------------------- conditions


@functools.cache
def _string_literals(dialect: Dialect) -> st.SearchStrategy[ast.Literal]:
    texts = st.one_of(_texts(), _numeric_texts(), _date_texts())
    try:
        dialect.quote("'\"")
    except UnrepresentableConditionError:  # a dialect that cannot write every string (automate)
        texts = texts.filter(lambda s: not ("'" in s and '"' in s))
    return texts.map(ast.String)


@functools.lru_cache(maxsize=4096)
def _literals(field: FieldInfo, dialect: Dialect) -> st.SearchStrategy[ast.Literal]:
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
        return integers | quoted_integers if dialect.supports(Feature.QUOTED_NUMBERS) else integers
    if kind == "decimal":
        return decimals | integers
    if kind == "boolean":
        return booleans
    if kind == "datetime":
        return dates if dialect.supports(Feature.DATE_LITERALS) else _date_texts().map(ast.String)
    parts = [strings, integers, decimals, booleans]
    return st.one_of(*parts, dates) if dialect.supports(Feature.DATE_LITERALS) else st.one_of(*parts)


def _case_variants(text: str) -> st.SearchStrategy[str]:
    return st.sampled_from([text, text.lower(), text.upper()])


_COMPARISONS = (ast.Op.EQ, ast.Op.NE, ast.Op.GT, ast.Op.LT, ast.Op.GE, ast.Op.LE)
_TEXT_OPS = (ast.Op.CONTAINS, ast.Op.STARTSWITH, ast.Op.ENDSWITH, ast.Op.LIKE)
_NEGATED_TEXT_OPS = (ast.Op.NOT_CONTAINS, ast.Op.NOT_LIKE)
_STRING_ONLY = frozenset({ast.Op.STARTSWITH, ast.Op.ENDSWITH, ast.Op.LIKE, ast.Op.NOT_LIKE})


@functools.lru_cache(maxsize=4096)
def _ops(field: FieldInfo, dialect: Dialect) -> list[ast.Op]:
    if field.array:  # membership and equality; no ordering or patterns on an array
        ops = [ast.Op.EQ, ast.Op.NE, ast.Op.CONTAINS, ast.Op.NOT_CONTAINS]
    elif field.type == "boolean":
        ops = [ast.Op.EQ, ast.Op.NE]
    else:
        ops = list(_COMPARISONS)
    if field.type in ("string", "any") and not field.array:
        ops += [*_TEXT_OPS, *_NEGATED_TEXT_OPS]
    return [op for op in ops if (needs := op_feature(op)) is None or dialect.supports(needs)]


_ANY_PATHS = st.deferred(lambda: field_paths())


@st.composite
def _predicates(draw: st.DrawFn, fields: list[FieldInfo] | None, dialect: Dialect) -> ast.Node:
    if fields is None:
        field = FieldInfo(draw(_ANY_PATHS), "any")
    else:
        field = draw(_choices(fields))
    name = ast.Field(field.path)
    kind = draw(st.integers(0, 9))
    if kind == 0 and dialect.supports(Feature.EXPRESSIONS):
        paths = _ANY_PATHS if fields is None else _choices([f.path for f in fields])
        return ast.Expression(draw(_expressions.predicates(paths, _names(), _texts())))
    if kind == 1 and dialect.supports(Feature.NULL):
        return ast.Compare(name, draw(st.sampled_from([ast.Op.EQ, ast.Op.NE])), ast.Null())
    literals = _literals(field, dialect)
    if kind in (2, 3):
        items = tuple(draw(st.lists(literals, min_size=1, max_size=4)))
        negated = dialect.supports(Feature.NOT_IN) and draw(st.booleans())
        return ast.InList(name, items, negated)
    op = draw(st.sampled_from(_ops(field, dialect)))
    if op in _STRING_ONLY:
        return ast.Compare(name, op, draw(_string_literals(dialect)))
    return ast.Compare(name, op, draw(literals))


_UNWRITABLE = (UnrepresentableConditionError, ConditionSyntaxError, TranslationWarning)


def _as_read(dialect: Dialect, tree: ast.Node, where: _Where = _ANYWHERE) -> ast.Node | None:
    """`tree` as the dialect reads back its rendering (for `where`'s fields), when reading
    that back again changes nothing; None when the dialect cannot write it, or only with a
    warning (exact only if the fields hold what nothing says they do)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", TranslationWarning)
            once = dialect.parse(where.render(dialect, tree))
            if once == tree:
                return tree
            again = dialect.parse(where.render(dialect, once))
    except _UNWRITABLE:
        return None
    return once if again == once else None


@st.composite
def _read_back(
    draw: st.DrawFn, dialect: Dialect, trees: st.SearchStrategy[ast.Node], where: _Where, tries: int
) -> ast.Node:
    """A tree of `trees` as `dialect` reads it back (see `_as_read`): the first of `tries`
    draws that it can write without a warning."""
    for _ in range(tries):
        tree = _as_read(dialect, draw(trees), where)
        if tree is not None:
            return tree
    return draw(st.nothing())  # none could be written: reject this example


def _trees(dialect: Dialect, max_leaves: int, where: _Where = _ANYWHERE) -> st.SearchStrategy[ast.Node]:
    """Trees of the constructs `dialect` has on `where`'s fields, as it reads back their rendering."""
    leaves = _read_back(dialect, _predicates(where.fields, dialect), where, 10)

    def extend(children: st.SearchStrategy[ast.Node]) -> st.SearchStrategy[ast.Node]:
        pairs = st.lists(children, min_size=2, max_size=3)
        options = [pairs.map(ast.all_of), pairs.map(ast.any_of)]
        if dialect.supports(Feature.PREFIX_NOT):
            options.append(children.map(ast.Not))
        return st.one_of(*options)

    return _read_back(dialect, st.recursive(leaves, extend, max_leaves=max_leaves), where, 3)


def conditions(
    *,
    dialect: DialectLike = DEFAULT_DIALECT,
    endpoint: str | None = None,
    schema: Any = None,
    max_leaves: int = 8,
) -> st.SearchStrategy[ast.Node]:
    """Condition trees that `dialect` can express, as `parse(render(tree, dialect), dialect=dialect)` gives back.

    The constructs come from the dialect's [`Feature`][cwa_query.dialects.Feature]s
    (prefix `not`, each text operator, `not in`, `null`, booleans, unquoted dates, OData
    expressions), and each tree is the one the dialect reads back from its rendering. With
    `endpoint` (and the built-in schema of `dialect`, or `schema`), fields come from
    the endpoint and literals match each field's type; otherwise any field and any literal.
    So `seed` trees hold no `like`, `not like`, `not in`, `not contains`, nor unquoted
    date-time literals (the seed dialect quotes dates, so they come back as strings);
    `automate` trees hold no prefix `not`, no `startswith`/`endswith`, and no string with
    both quote kinds; `odata` trees hold lambdas, arithmetic and text compared exactly (as
    `ast.Expression`s). `max_leaves` bounds the predicates per tree.

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
    found = _check_dialect(dialect)
    _check_int("max_leaves", max_leaves, 1)
    return _trees(found, max_leaves, _where(found, endpoint, schema))


# --------------------------------------------------------------------------- text


@st.composite
def _spelled(draw: st.DrawFn, trees: st.SearchStrategy[ast.Node], dialect: Dialect, where: _Where = _ANYWHERE) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TranslationWarning)
        text = where.render(dialect, draw(trees))
    return _text.respell(dialect, text, random.Random(draw(_text.SEEDS)))


def condition_strings(
    *,
    dialect: DialectLike = DEFAULT_DIALECT,
    endpoint: str | None = None,
    schema: Any = None,
    max_leaves: int = 8,
) -> st.SearchStrategy[str]:
    """Valid condition text for `dialect`, spelled in varied ways.

    Spacing (none inside parentheses and around symbols, tabs, newlines), keyword case
    (`and`, `AND`, `And`), redundant parentheses, and what the dialect reads as the same
    token (`Dialect.respellings`): for `automate` `eq` for `=` and either quote kind, for
    `manage` either quote kind, `*` for `%` in a `like` pattern, a date-time with a space or
    `+00:00`. Each string parses to a tree that
    [`conditions`][cwa_query.strategies.conditions] could give.

    >>> from hypothesis import given, settings
    >>> from cwa_query import parse
    >>> @settings(max_examples=30, derandomize=True, database=None)
    ... @given(condition_strings(dialect="automate"))
    ... def test_spacing_changes_nothing(text):
    ...     assert parse(text) == parse(text.strip())
    >>> test_spacing_changes_nothing()
    """
    found = _check_dialect(dialect)
    _check_int("max_leaves", max_leaves, 1)
    where = _where(found, endpoint, schema)
    return _spelled(_trees(found, max_leaves, where), found, where)


# --------------------------------------------------------------------------- near misses

# What the condition language without a dialect (`parse(text)`) refuses besides the
# mistakes every dialect refuses.
_CONDITION_NEAR_MISSES = (*_text.FIXED_NEAR_MISSES, "Status in ()", "a = null")


def invalid_condition_strings(*, dialect: DialectLike | None = None) -> st.SearchStrategy[str]:
    """Near misses of valid conditions, each of which raises `ConditionSyntaxError`.

    A dropped quote or parenthesis, `==`, `&&`, `||`, a missing operand or field, a
    dangling `and`, an empty `in` list, unquoted text, an impossible date, ...: refused by
    `parse(text)`, or with `dialect` by `parse(text, dialect=dialect)`, which also refuses a
    construct the dialect lacks as another dialect writes it (`not (a = 1)` in `automate`).

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
    if dialect is None:  # the condition language: near misses of what the seed dialect writes
        seed = _check_dialect("seed")
        texts = _spelled(_trees(seed, 4), seed)
        return _text.near_misses(seed, texts, _CONDITION_NEAR_MISSES, own_features=False)
    found = _check_dialect(dialect)
    fixed = (*_text.FIXED_NEAR_MISSES, *_text.construct_misses(found))
    return _text.near_misses(found, _spelled(_trees(found, 4), found), fixed, own_features=True)


# --------------------------------------------------------------------------- one dialect's names


def manage_conditions(*, paths: Sequence[str] | None = None, max_leaves: int = 8) -> st.SearchStrategy[ast.Node]:
    """[`conditions`][cwa_query.strategies.conditions] of the manage dialect, on `paths`
    (dotted, as the shared tree holds them) or any names: comparisons, `= null`, `!= null`,
    `contains`, `like` / `not like`, `in` / `not in`, joined by `and` / `or`; no prefix `not`.

    >>> from hypothesis import given, settings
    >>> from cwa_query import ast
    >>> @settings(max_examples=30, derandomize=True, database=None)  # the same examples on every run
    ... @given(manage_conditions())
    ... def test_null_is_compared_with_equality_only(tree):
    ...     for node in ast.walk(tree):
    ...         if isinstance(node, ast.Compare) and isinstance(node.value, ast.Null):
    ...             assert node.op.value in ("=", "!=")
    >>> test_null_is_compared_with_equality_only()
    """
    _check_int("max_leaves", max_leaves, 1)
    return _trees(_check_dialect("manage"), max_leaves, _on_paths(paths))


def manage_condition_strings(*, paths: Sequence[str] | None = None, max_leaves: int = 8) -> st.SearchStrategy[str]:
    """[`condition_strings`][cwa_query.strategies.condition_strings] of the manage dialect:
    `AND`/`and`/`And`, either quote kind, `*` or `%` wildcards, `[... ...]` with a space and
    `+00:00`, spaces or none around operators.

    >>> from hypothesis import given, settings
    >>> from cwa_query import parse
    >>> @settings(max_examples=20)
    ... @given(manage_condition_strings(max_leaves=3))
    ... def test_they_parse(text):
    ...     parse(text, dialect="manage")
    >>> test_they_parse()
    """
    dialect = _check_dialect("manage")
    return _spelled(manage_conditions(paths=paths, max_leaves=max_leaves), dialect)


def invalid_manage_condition_strings() -> st.SearchStrategy[str]:
    """`invalid_condition_strings(dialect="manage")`: near misses that
    `parse(text, dialect="manage")` refuses with a `ConditionSyntaxError`."""
    return invalid_condition_strings(dialect="manage")


def odata_conditions(*, paths: Sequence[str] | None = None, max_leaves: int = 8) -> st.SearchStrategy[ast.Node]:
    """[`conditions`][cwa_query.strategies.conditions] of the odata dialect, on `paths`
    (dotted) or any names: `parse(render(tree, "odata"), dialect="odata") == tree`, with
    OData's null rules (`Id ne 5` is `Id != 5 or Id = null`) and `ast.Expression`s for what
    only OData says.

    >>> from hypothesis import given, settings
    >>> from cwa_query import parse, render
    >>> @settings(max_examples=20)
    ... @given(odata_conditions(max_leaves=3))
    ... def test_round_trip(tree):
    ...     assert parse(render(tree, "odata"), dialect="odata") == tree
    >>> test_round_trip()
    """
    _check_int("max_leaves", max_leaves, 1)
    return _trees(_check_dialect("odata"), max_leaves, _on_paths(paths))


def odata_condition_strings(*, paths: Sequence[str] | None = None, max_leaves: int = 8) -> st.SearchStrategy[str]:
    """`$filter` text of [`odata_conditions`][cwa_query.strategies.odata_conditions], keyword
    case and spacing varied: each one parses with `parse(text, dialect="odata")`."""
    return _spelled(odata_conditions(paths=paths, max_leaves=max_leaves), _check_dialect("odata"))


def odata_filters(*, names: st.SearchStrategy[str] | None = None, max_leaves: int = 8) -> st.SearchStrategy[ast.Expr]:
    """OData `$filter` trees, as `parse(render(tree, "odata"), "odata")` gives them back:
    comparisons on both sides, string and other functions, `in` lists and arrays, `has`,
    arithmetic, `null`, lambdas, bare Boolean paths, and every literal kind, under
    `and`/`or`/`not`."""
    _check_int("max_leaves", max_leaves, 1)
    names = names if names is not None else _names()
    paths = st.lists(names, min_size=1, max_size=3).map(".".join)
    return _expressions.expressions(_expressions.predicates(paths, names, _texts()), max_leaves)


def odata_filter_strings(*, max_leaves: int = 8) -> st.SearchStrategy[str]:
    """Valid `$filter` text of [`odata_filters`][cwa_query.strategies.odata_filters], in
    varied spelling (keyword case, spacing)."""
    return _spelled(odata_filters(max_leaves=max_leaves).map(ast.Expression), _check_dialect("odata"))


def invalid_odata_filter_strings(*, max_leaves: int = 6) -> st.SearchStrategy[str]:
    """Text that is not a valid `$filter`: one of
    [`odata_filter_strings`][cwa_query.strategies.odata_filter_strings] broken by the
    mistakes people make (`=` for `eq`, `>=` for `ge`, `&&`, a dangling `and`, an unbalanced
    parenthesis, an unterminated string), or a construct OData lacks as another dialect
    writes it."""
    odata = _check_dialect("odata")
    fixed = (*_text.FIXED_NEAR_MISSES, *_text.construct_misses(odata))
    return _text.near_misses(odata, odata_filter_strings(max_leaves=max_leaves), fixed, own_features=True)


# --------------------------------------------------------------------------- records


@dataclass
class _Node:
    field: FieldInfo | None = None
    children: dict[str, _Node] | None = None


def _record_tree(fields: list[FieldInfo]) -> dict[str, _Node]:
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
    found = _check_dialect(dialect)
    _check_int("max_fields", max_fields, 1)
    if not isinstance(endpoint, str):
        raise InvalidArgument(f"endpoint={endpoint!r}: expected an endpoint name such as 'Computers'")
    where = _where(found, endpoint, schema)
    fields = where.fields
    assert fields is not None
    arrays = _QuietDict(
        {path: info.array for path, info in where.schema.fields(endpoint).items() if info.type == "object"}
    )
    if len(fields) <= max_fields:
        return _record_values(_record_tree(fields), "", arrays)
    subsets = st.lists(_choices(fields), min_size=1, max_size=max_fields, unique_by=lambda f: f.path)
    return subsets.flatmap(lambda chosen: _record_values(_record_tree(chosen), "", arrays))

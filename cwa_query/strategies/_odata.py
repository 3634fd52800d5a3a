"""Hypothesis strategies for OData `$filter`: drawn trees, valid and invalid filter text.

The public names are re-exported by [`cwa_query.strategies`][cwa_query.strategies].
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import string
import warnings
from collections.abc import Callable, Sequence

from hypothesis import strategies as st

from ..dialects.odata import OData
from ..errors import TranslationWarning, UntranslatableError
from ..language import ast
from ..language import odata_ast as o
from ..language._odata import keyword_kinds, lex_odata
from ..language._odata_render import render_odata

__all__ = [
    "invalid_odata_filter_strings",
    "odata_condition_strings",
    "odata_conditions",
    "odata_filter_strings",
    "odata_filters",
]

_RESERVED = {"null", "INF", "NaN", "true", "false"}


def _names() -> st.SearchStrategy[str]:
    keywords = {kind.lower() for kind in keyword_kinds()}
    # the alphabet named: by default hypothesis works out every character UTF-8 can encode
    # (about a second, inside the first draw of a first run)
    alphabet = string.ascii_letters + string.digits + "_"
    return st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True, alphabet=alphabet).filter(
        lambda name: name.lower() not in keywords and name not in _RESERVED
    )


def _fields(names: st.SearchStrategy[str]) -> st.SearchStrategy[ast.Field]:
    return st.lists(names, min_size=1, max_size=3).map(lambda parts: ast.Field(".".join(parts)))


def _texts() -> st.SearchStrategy[str]:
    # every character UTF-8 can encode: all but the surrogates (said by category: a codec's
    # characters cost hypothesis about a second to work out on a first run)
    return st.text(st.characters(exclude_categories=["Cs"]), max_size=10)


def _decimals() -> st.SearchStrategy[_decimal.Decimal]:
    return st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(lambda d: abs(d.adjusted()) < 30)


def _datetimes() -> st.SearchStrategy[_dt.datetime]:
    zones = st.sampled_from([_dt.UTC, _dt.timezone(_dt.timedelta(hours=2)), _dt.timezone(-_dt.timedelta(hours=5))])
    return st.datetimes(min_value=_dt.datetime(1000, 1, 2), max_value=_dt.datetime(9998, 12, 30), timezones=zones)


def odata_literals() -> st.SearchStrategy[o.ODataLiteral]:
    """Every kind of primitive literal (geo ones aside)."""
    return st.one_of(
        _texts().map(ast.String),
        st.integers(min_value=-(2**63), max_value=2**63 - 1).map(ast.Integer),
        _decimals().map(ast.Decimal),
        st.booleans().map(ast.Boolean),
        st.just(ast.Null()),
        st.sampled_from(["INF", "-INF", "NaN"]).map(o.SpecialNumber),
        st.dates(min_value=_dt.date(1000, 1, 1)).map(ast.DateTime),
        _datetimes().map(ast.DateTime),
        st.times().map(o.TimeOfDay),
        st.timedeltas(min_value=_dt.timedelta(days=-9999), max_value=_dt.timedelta(days=9999)).map(o.Duration),
        st.uuids().map(o.Guid),
        st.binary(max_size=12).map(o.BinaryData),
        st.tuples(st.sampled_from(["Sales.Pattern", "Model.Color"]), st.lists(_names(), min_size=1, max_size=2)).map(
            lambda t: o.EnumValue(t[0], tuple(t[1]))
        ),
    )


_COMPARISONS = [o.BinaryOp.EQ, o.BinaryOp.NE, o.BinaryOp.GT, o.BinaryOp.GE, o.BinaryOp.LT, o.BinaryOp.LE]
_ARITHMETIC = [o.BinaryOp.ADD, o.BinaryOp.SUB, o.BinaryOp.MUL, o.BinaryOp.DIV, o.BinaryOp.DIVBY, o.BinaryOp.MOD]


@st.composite
def _predicates(draw: st.DrawFn, names: st.SearchStrategy[str]) -> o.Expr:
    field = draw(_fields(names))
    kind = draw(st.integers(0, 9))
    if kind == 0:
        op = draw(st.sampled_from(_COMPARISONS))
        value = draw(odata_literals())
        if draw(st.booleans()):
            return o.Binary(op, value, field)
        return o.Binary(op, field, value)
    if kind == 1:
        fn = draw(st.sampled_from(["contains", "startswith", "endswith"]))
        return o.Call(fn, (field, ast.String(draw(_texts()))))
    if kind == 2:
        fn = draw(st.sampled_from(["tolower", "toupper", "trim", "length", "year", "round"]))
        return o.Binary(draw(st.sampled_from(_COMPARISONS)), o.Call(fn, (field,)), draw(odata_literals()))
    if kind == 3:
        listed = tuple(draw(st.lists(odata_literals(), max_size=4)))
        return o.In(field, o.ListValue(listed))
    if kind == 4:
        op = draw(st.sampled_from(_ARITHMETIC))
        left: o.Expr = o.Binary(op, field, ast.Integer(draw(st.integers(-99, 99))))
        if draw(st.booleans()):
            left = o.Unary(o.UnaryOp.NEG, left)
        return o.Binary(draw(st.sampled_from(_COMPARISONS)), left, ast.Integer(draw(st.integers(-99, 99))))
    if kind == 5:
        variable = draw(_names())
        inner = o.Binary(o.BinaryOp.EQ, ast.Field(variable), ast.String(draw(_texts())))
        lam = draw(st.sampled_from(["any", "all"]))
        if lam == "any" and draw(st.booleans()):
            return o.Lambda(field, "any")
        return o.Lambda(field, lam, variable, inner)
    if kind == 6:
        members = tuple(draw(st.lists(_names(), min_size=1, max_size=2)))
        return o.Binary(o.BinaryOp.HAS, field, o.EnumValue("Sales.Pattern", members))
    if kind == 7:
        return o.Binary(draw(st.sampled_from([o.BinaryOp.EQ, o.BinaryOp.NE])), field, ast.Null())
    if kind == 8:
        return field
    array: tuple[o.Expr, ...] = tuple(draw(st.lists(odata_literals(), max_size=3)))
    return o.In(field, o.Array(array))


def _logical(op: o.BinaryOp, items: list[o.Expr]) -> o.Expr:
    flat: list[o.Expr] = []
    for item in items:
        if isinstance(item, o.Logical) and item.op is op:
            flat.extend(item.items)
        else:
            flat.append(item)
    return o.Logical(op, tuple(flat))


def _under_logic(leaves: st.SearchStrategy[o.Expr], max_leaves: int) -> st.SearchStrategy[o.Expr]:
    """Trees of `leaves` under `and`, `or` (two or three items, flattened) and `not`."""
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, min_size=2, max_size=3).map(lambda items: _logical(o.BinaryOp.AND, items)),
            st.lists(children, min_size=2, max_size=3).map(lambda items: _logical(o.BinaryOp.OR, items)),
            children.map(lambda item: o.Unary(o.UnaryOp.NOT, item)),
        ),
        max_leaves=max_leaves,
    )


def odata_filters(*, names: st.SearchStrategy[str] | None = None, max_leaves: int = 8) -> st.SearchStrategy[o.Expr]:
    """OData `$filter` trees, as `parse(render(tree, "odata"), "odata")` gives them back:
    comparisons on both sides, string and other functions, `in` lists and arrays, `has`,
    arithmetic, `null`, lambdas, bare Boolean paths, and every literal kind, under
    `and`/`or`/`not`."""
    leaves = _predicates(names if names is not None else _names())
    return _under_logic(leaves, max_leaves)


@st.composite
def _spelled(draw: st.DrawFn, tree: o.Expr) -> str:
    """`tree` as text, keywords in varied case and spaces widened where there are some."""
    text = render_odata(tree)
    keywords = keyword_kinds()
    out: list[str] = []
    last = 0
    for kind, raw, start, end in lex_odata(text):
        gap = text[last:start]
        if gap:
            gap = draw(st.sampled_from([gap, gap + " ", "  ", "\t"]))
        if kind in keywords:
            raw = draw(st.sampled_from([raw, raw.upper(), raw.capitalize()]))
        out.append(gap + raw)
        last = end
    return "".join(out) + text[last:]


def odata_filter_strings(*, max_leaves: int = 8) -> st.SearchStrategy[str]:
    """Valid `$filter` text, in varied spelling (keyword case, spacing)."""
    return odata_filters(max_leaves=max_leaves).flatmap(_spelled)


_Edit = Callable[[list[str]], list[str]]


def _replace(index: int, new: Callable[[str], str]) -> _Edit:
    def edit(pieces: list[str]) -> list[str]:
        return [*pieces[:index], new(pieces[index]), *pieces[index + 1 :]]

    return edit


def _around(before: str, after: str) -> _Edit:
    def edit(pieces: list[str]) -> list[str]:
        return [before, *pieces, after]

    return edit


def _swap(old: str, new: str) -> Callable[[str], str]:
    def swap(piece: str) -> str:
        return piece.replace(old, new)

    return swap


_SYMBOLS = {"EQ": ("=", "=="), "GE": (">=",), "LE": ("<=",), "GT": (">",), "LT": ("<",), "NE": ("!=",)}


def _mutations(kinds: list[str], raws: list[str]) -> list[_Edit]:
    """Edits of a valid token list that each leave text no OData parser may accept."""
    edits = [_around("", " and"), _around("and ", ""), _around("", " && a eq 1"), _around("", ")"), _around("(", "")]
    for index, kind in enumerate(kinds):
        raw = raws[index]
        for symbol in _SYMBOLS.get(kind, ()):
            edits.append(_replace(index, _swap(raw, symbol)))
        if kind == "RPAR":
            edits.append(_replace(index, lambda piece: piece[:-1]))
        elif kind == "STRING":
            edits.append(_replace(index, lambda piece: piece + "'"))
    return edits


@st.composite
def _broken(draw: st.DrawFn, tree: o.Expr) -> str:
    text = render_odata(tree)
    tokens = lex_odata(text)
    # Each piece is a token with the space before it, so edits keep the spelling around them.
    pieces: list[str] = []
    kinds: list[str] = []
    raws: list[str] = []
    last = 0
    for kind, raw, _start, end in tokens:
        pieces.append(text[last:end])
        kinds.append(kind)
        raws.append(raw)
        last = end
    edit = draw(st.sampled_from(_mutations(kinds, raws)))
    return "".join(edit(pieces))


def invalid_odata_filter_strings(*, max_leaves: int = 6) -> st.SearchStrategy[str]:
    """Text that is not a valid `$filter`: a valid one broken by the mistakes people make
    (`=` for `eq`, `>=` for `ge`, `&&`, a dangling `and`, an unbalanced parenthesis, an
    unterminated string)."""
    return odata_filters(max_leaves=max_leaves).flatmap(_broken)


# --------------------------------------------------------------------------- shared trees

_ODATA = OData()
_TEXT = st.text("aAbBzZ09 -_%'.", max_size=6)


@st.composite
def _translatable_leaves(draw: st.DrawFn, paths: st.SearchStrategy[str]) -> o.Expr:
    """OData predicates of the kinds the shared tree can say (most of them, at least)."""
    field = ast.Field(draw(paths))
    kind = draw(st.integers(0, 6))
    if kind == 0:
        return field
    if kind == 1:
        literal: o.Expr = draw(
            st.one_of(
                st.integers(-99, 99).map(ast.Integer),
                st.decimals(-99, 99, places=2).map(ast.Decimal),
                st.booleans().map(ast.Boolean),
                _datetimes().map(ast.DateTime),
                st.dates(min_value=_dt.date(1000, 1, 1)).map(ast.DateTime),
            )
        )
        op = draw(st.sampled_from(_COMPARISONS))
        return o.Binary(op, literal, field) if draw(st.booleans()) else o.Binary(op, field, literal)
    if kind == 2:
        op = draw(st.sampled_from([o.BinaryOp.EQ, o.BinaryOp.NE]))
        return o.Binary(op, o.Call("tolower", (field,)), ast.String(draw(_TEXT).lower()))
    if kind == 3:
        fn = draw(st.sampled_from(["contains", "startswith", "endswith"]))
        text = draw(_TEXT).lower()
        subject: o.Expr = o.Call("tolower", (field,)) if draw(st.booleans()) else field
        return o.Call(fn, (subject, ast.String(text)))
    if kind == 4:
        values: list[o.ODataLiteral] = draw(st.lists(st.integers(-9, 9).map(ast.Integer), min_size=1, max_size=4))
        if draw(st.booleans()):
            values.append(ast.Null())
        return o.In(field, o.ListValue(tuple(values)))
    return o.Binary(draw(st.sampled_from([o.BinaryOp.EQ, o.BinaryOp.NE])), field, ast.Null())


def _shared(tree: o.Expr) -> ast.Node | None:
    """The shared tree OData reads back from `tree`'s round trip, or None (refused or warned)."""
    dialect = _ODATA
    with warnings.catch_warnings():
        warnings.simplefilter("error", TranslationWarning)
        try:
            lowered = dialect.parse(render_odata(tree))
            return dialect.lift(lowered)
        except (UntranslatableError, TranslationWarning):
            return None


def odata_conditions(*, paths: Sequence[str] | None = None, max_leaves: int = 8) -> st.SearchStrategy[ast.Node]:
    """Shared condition trees that the odata dialect writes and reads back unchanged:
    `parse(render(tree, "odata"), dialect="odata") == tree` (what `conditions(dialect="odata")`
    draws). They are what OData filters built from comparisons, `tolower()` text tests,
    `contains`/`startswith`/`endswith`, `in` lists and `null` tests mean in the shared tree
    (with OData's null rules: `Id ne 5` is `Id != 5 or Id = null`). `paths` (dotted) limits
    the fields, else any names.

    >>> from hypothesis import given, settings
    >>> from cwa_query import parse, render
    >>> @settings(max_examples=20)
    ... @given(odata_conditions(max_leaves=3))
    ... def test_round_trip(tree):
    ...     assert parse(render(tree, "odata"), dialect="odata") == tree
    >>> test_round_trip()
    """
    names = st.sampled_from(list(paths)) if paths is not None else _fields(_names()).map(lambda f: f.name)
    leaves = _translatable_leaves(names)
    trees = _under_logic(leaves, max_leaves)
    return trees.map(_shared).filter(lambda tree: tree is not None)  # type: ignore[return-value]


def odata_condition_strings(*, paths: Sequence[str] | None = None, max_leaves: int = 8) -> st.SearchStrategy[str]:
    """`$filter` text of [`odata_conditions`][cwa_query.strategies.odata_conditions], keyword
    case and spacing varied: what `condition_strings(dialect="odata")` draws; each one
    parses with `parse(text, dialect="odata")`."""

    def text(tree: ast.Node) -> st.SearchStrategy[str]:
        return _spelled(_ODATA.lift_odata(tree))

    return odata_conditions(paths=paths, max_leaves=max_leaves).flatmap(text)

"""Hypothesis strategies for ConnectWise Manage `conditions`: drawn trees, valid and invalid text.

The public names are re-exported by [`cwa_query.strategies`][cwa_query.strategies], and
`conditions(dialect="manage")` / `condition_strings(dialect="manage")` use them.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import random
import re
from collections.abc import Callable, Sequence

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ..dialects import get_dialect
from ..dialects.manage import GRAMMAR
from ..language import ast

__all__ = ["invalid_manage_condition_strings", "manage_condition_strings", "manage_conditions"]

_TEXT_ALPHABET = "aAbBzZ01 -.:/\\'\"éÉß\n%_*["
_WORD_ALPHABET = "abcxyzABCXYZ_0123456789"
_PLAIN = "aAbBzZ01 -.:/\\'éÉß"  # text that `contains`, `startswith`, ... may hold (no wildcard)
_MIN = _dt.datetime(1, 1, 1)
_MAX = _dt.datetime(9999, 12, 30)


def _keywords() -> frozenset[str]:
    return frozenset(GRAMMAR.tables.keywords)


def _names() -> st.SearchStrategy[str]:
    keywords = _keywords()
    first = st.sampled_from("abcxyzABCXYZ_")
    rest = st.text(st.sampled_from(_WORD_ALPHABET), max_size=6)
    return st.builds(lambda a, b: a + b, first, rest).filter(lambda name: name.lower() not in keywords)


def _paths(paths: Sequence[str] | None) -> st.SearchStrategy[str]:
    if paths:
        return st.sampled_from(list(paths))
    return st.lists(_names(), min_size=1, max_size=3).map(".".join)


def _strings() -> st.SearchStrategy[str]:
    """Text without both quote kinds (the one thing no Manage string can hold)."""
    return st.text(st.sampled_from(_TEXT_ALPHABET), max_size=8).filter(lambda s: not ("'" in s and '"' in s))


def _datetimes() -> st.SearchStrategy[_dt.datetime]:
    aware = st.datetimes(_MIN, _MAX, timezones=st.just(_dt.UTC))
    return aware | st.datetimes(_MIN, _MAX)  # zone-less ones too: Manage keeps them as written


def _decimals() -> st.SearchStrategy[_decimal.Decimal]:
    return st.builds(
        lambda digits, scale: _decimal.Decimal(digits).scaleb(-scale), st.integers(-(10**12), 10**12), st.integers(1, 3)
    )


def _scalars(strings: st.SearchStrategy[str]) -> st.SearchStrategy[ast.Literal]:
    return st.one_of(
        strings.map(ast.String),
        st.integers(-(10**6), 10**6).map(ast.Integer),
        _decimals().map(ast.Decimal),
        st.booleans().map(ast.Boolean),
        _datetimes().map(ast.DateTime),
    )


def _patterns() -> st.SearchStrategy[str]:
    """`like` patterns in the shared form that Manage can write: plain characters (a
    backslash escaped), and the wildcards `%` and `_`."""
    piece = st.one_of(
        st.sampled_from([*_PLAIN.replace("\\", ""), "\\\\"]),
        st.sampled_from(["%", "%", "_"]),
    )
    return st.lists(piece, max_size=6).map("".join)


_ORDERING = (ast.Op.EQ, ast.Op.NE, ast.Op.LT, ast.Op.LE, ast.Op.GT, ast.Op.GE)


@st.composite
def _predicates(draw: st.DrawFn, paths: Sequence[str] | None) -> ast.Node:
    field = ast.Field(draw(_paths(paths)))
    kind = draw(st.integers(0, 9))
    if kind == 0:
        values = tuple(draw(st.lists(_scalars(_strings()), min_size=1, max_size=4)))
        return ast.InList(field, values, draw(st.booleans()))
    if kind == 1:
        return ast.Compare(field, draw(st.sampled_from([ast.Op.EQ, ast.Op.NE])), ast.Null())
    if kind == 2:
        text = draw(st.text(st.sampled_from(_PLAIN), max_size=6))
        value: ast.Literal = ast.String(text) if draw(st.booleans()) else ast.Integer(draw(st.integers(0, 999)))
        return ast.Compare(field, ast.Op.CONTAINS, value)
    if kind == 3:
        op = draw(st.sampled_from([ast.Op.LIKE, ast.Op.NOT_LIKE]))
        return ast.Compare(field, op, ast.String(draw(_patterns())))
    return ast.Compare(field, draw(st.sampled_from(_ORDERING)), draw(_scalars(_strings())))


def manage_conditions(*, paths: Sequence[str] | None = None, max_leaves: int = 8) -> st.SearchStrategy[ast.Node]:
    """Condition trees that the manage dialect writes and reads back unchanged:
    `parse(render(tree, "manage"), dialect="manage") == tree`.

    Comparisons (strings, numbers, booleans, date-times with and without a zone), `= null`,
    `!= null`, `contains`, `like` / `not like` with `%` and `_`, `in` / `not in`, joined by
    `and` / `or`; no prefix `not`. `paths` (dotted, as the shared tree holds them) limits
    the fields, else any names.

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
    if not isinstance(max_leaves, int) or isinstance(max_leaves, bool) or max_leaves < 1:
        raise InvalidArgument(f"max_leaves={max_leaves!r}: expected an integer >= 1")
    leaves = _predicates(tuple(paths) if paths is not None else None)

    def extend(children: st.SearchStrategy[ast.Node]) -> st.SearchStrategy[ast.Node]:
        pairs = st.lists(children, min_size=2, max_size=3)
        return pairs.map(ast.all_of) | pairs.map(ast.any_of)

    return st.recursive(leaves, extend, max_leaves=max_leaves)


# --------------------------------------------------------------------------- text

_TOKEN_RE = re.compile(r"""\[[^\]]*\]|'[^']*'|"[^"]*"|[A-Za-z_][A-Za-z0-9_/]*|-?\d+(?:\.\d+)?|!=|<=|>=|[=<>(),]""")


def _respell(text: str, rng: random.Random) -> str:
    """The canonical Manage text of a tree, spelled another way that means the same:
    keywords and booleans in any case, spaces varied, the other quote kind where the value
    allows, `*` for `%` in a pattern, a space or `+00:00` in a date-time."""
    pieces: list[str] = []
    previous_like = False
    for match in _TOKEN_RE.finditer(text):
        token = match.group()
        lower = token.lower()
        if lower in _keywords():
            token = rng.choice([token, token.upper(), token.capitalize()])
        elif token[0] in "'\"":
            inner = token[1:-1]
            other = "'" if token[0] == '"' else '"'
            if other not in inner and rng.random() < 0.5:
                token = other + inner + other
            if previous_like and rng.random() < 0.5:
                token = token[0] + token[1:-1].replace("%", "*") + token[-1]
        elif token.startswith("["):
            if rng.random() < 0.3:
                token = token.replace("T", " ", 1)
            if token.endswith("Z]") and rng.random() < 0.3:
                token = token[:-2] + "+00:00]"
        previous_like = lower == "like"
        pieces.append(token)
    out = [rng.choice(["", "", " ", "\t"])]
    for index, piece in enumerate(pieces):
        if index:
            tight = piece in "()=,<>" or pieces[index - 1] in "()=,<>" or piece in ("!=", "<=", ">=")
            out.append(rng.choice(["", " "]) if tight else rng.choice([" ", " ", "  ", "\n"]))
        out.append(piece)
    out.append(rng.choice(["", "", " "]))
    return "".join(out)


_SEEDS = st.integers(0, 2**32 - 1)


@st.composite
def _texts(draw: st.DrawFn, trees: st.SearchStrategy[ast.Node]) -> str:
    tree = draw(trees)
    return _respell(get_dialect("manage").render(tree), random.Random(draw(_SEEDS)))


def manage_condition_strings(*, paths: Sequence[str] | None = None, max_leaves: int = 8) -> st.SearchStrategy[str]:
    """Valid Manage condition text, spelled in the varied ways production clients send it:
    `AND`/`and`/`And`, `False`, either quote kind, `*` or `%` wildcards, `[... ...]` with a
    space and `+00:00`, spaces or none around operators.

    >>> from hypothesis import given, settings
    >>> from cwa_query import parse
    >>> @settings(max_examples=20)
    ... @given(manage_condition_strings(max_leaves=3))
    ... def test_they_parse(text):
    ...     parse(text, dialect="manage")
    >>> test_they_parse()
    """
    return _texts(manage_conditions(paths=paths, max_leaves=max_leaves))


# --------------------------------------------------------------------------- near misses

_Edit = Callable[[list[str]], list[str] | None]


def _at(find: Callable[[str], bool], change: Callable[[str], list[str]]) -> _Edit:
    """An edit of the first token `find` accepts (`None`: no such token)."""

    def edit(tokens: list[str]) -> list[str] | None:
        for index, token in enumerate(tokens):
            if find(token):
                return tokens[:index] + change(token) + tokens[index + 1 :]
        return None

    return edit


def _unterminated(tokens: list[str]) -> list[str] | None:
    """A string whose closing quote is dropped; only where no string holds a quote of the other
    kind, so every quote character is a delimiter and one of them is left unpaired."""
    strings = [t for t in tokens if t[0] in "'\""]
    if not strings or any(("'" if t[0] == '"' else '"') in t for t in strings):
        return None
    index = tokens.index(strings[0])
    return [*tokens[:index], strings[0][:-1], *tokens[index + 1 :]]


def _is_word(word: str) -> Callable[[str], bool]:
    return lambda token: token.lower() == word


# Each edit leaves text that cannot parse (or gives `None` when it does not apply).
_EDITS: tuple[_Edit, ...] = (
    _at(lambda t: t.startswith("["), lambda t: [t[1:-1].replace(" ", "T")]),  # a date-time without brackets
    _at(lambda t: t.startswith("["), lambda t: [t[:-1]]),  # a bracket never closed
    _at(lambda t: t[0].isalpha() and "/" in t, lambda t: [t.replace("/", ".")]),  # a dotted path
    _at(lambda t: t == "=", lambda t: ["eq"]),
    _at(lambda t: t == "=", lambda t: ["=="]),
    _at(_is_word("and"), lambda t: ["&&"]),
    _at(_is_word("or"), lambda t: ["||"]),
    _unterminated,
    lambda tokens: tokens[:-1] if tokens[-1] == ")" else None,  # a dropped ')'
    lambda tokens: [*tokens, "and"],  # a dangling 'and'
    lambda tokens: [*tokens, ")"],  # an unmatched ')'
)

_FIXED = (
    "",
    "status/name eq 'Open'",
    "lastUpdated > 2024-01-01T00:00:00Z",
    "name like *mail*",
    "name = 'it''s'",
    "id in ()",
    "not (a = 1)",
    'a not contains "x"',
    "a = 1e5",
    "closedFlag = yes",
    "status.name = 'Open'",
    "a startswith 'x'",
    "a = [2024-13-01T00:00:00Z]",
    "a in (1, null)",
    "a is null",
)


@st.composite
def _near_misses(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(_FIXED))
    tokens = _TOKEN_RE.findall(get_dialect("manage").render(draw(manage_conditions(max_leaves=4))))
    edited = [new for new in (edit(tokens) for edit in _EDITS) if new is not None]
    return " ".join(draw(st.sampled_from(edited)))


def invalid_manage_condition_strings() -> st.SearchStrategy[str]:
    """Near misses of valid Manage conditions, each of which `parse(text, dialect="manage")`
    refuses with a `ConditionSyntaxError`: a date-time without brackets, a `.` path, `eq`,
    `==`, `&&`, an unterminated string, a doubled quote, a prefix `not`, `not contains`,
    `null` in a list, a dropped or extra parenthesis, ...

    >>> from hypothesis import given, settings
    >>> from cwa_query import ConditionSyntaxError, parse
    >>> @settings(max_examples=25)
    ... @given(invalid_manage_condition_strings())
    ... def test_near_misses_are_refused(text):
    ...     try:
    ...         parse(text, dialect="manage")
    ...     except ConditionSyntaxError:
    ...         return
    ...     raise AssertionError(f"parsed: {text!r}")
    >>> test_near_misses_are_refused()
    """
    return _near_misses()

"""Text for any dialect from its own objects: its canonical rendering, lexed by its grammar,
spelled another way (`respell`) or broken into a near miss (`near_misses`).

Nothing here knows a dialect by name: the grammar says which words are keywords (read in
any letter case), `Dialect.respellings` which other texts mean the same token, the
[`Feature`][cwa_query.dialects.Feature]s which constructs the dialect lacks.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable

from hypothesis import strategies as st

from ..dialects import Dialect, Feature, all_dialects
from ..errors import UnrepresentableConditionError
from ..language import ast

__all__ = ["SEEDS", "near_misses", "respell"]

SEEDS = st.integers(0, 2**32 - 1)
_QUOTES = ("'", '"')
_COMPARISON_WORDS = {"eq": "=", "ne": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}
_SPACES = [" ", " ", " ", "  ", "\t", "\n", " \r\n "]


class _Piece:
    """A token of a text and the gap before it; `kind`: keyword, word, quoted, value or symbol."""

    __slots__ = ("gap", "kind", "raw")

    def __init__(self, gap: str, raw: str, kind: str) -> None:
        self.gap, self.raw, self.kind = gap, raw, kind


def _pieces(dialect: Dialect, text: str) -> list[_Piece]:
    """`text` (which the dialect wrote) as the dialect's grammar lexes it."""
    grammar = dialect.grammar()
    assert grammar is not None, f"{dialect!r} has no grammar"
    tables = grammar.tables
    keywords = tables.keywords
    out: list[_Piece] = []
    last = 0
    for match in tables.lexer.finditer(text):
        name, raw = match.lastgroup, match.group()
        if name in tables.ignore:
            continue
        if raw[0] in _QUOTES:
            kind = "quoted"
        elif raw[0].isdigit() or raw[0] == "[" or (raw[0] in "+-" and raw[1:2].isdigit()):
            kind = "value"
        elif raw.lower() in keywords and (name == tables.identifier or name in keywords.values()):
            kind = "keyword"
        elif not any(character.isalnum() for character in raw):
            kind = "symbol"
        else:
            kind = "word"
        out.append(_Piece(text[last : match.start()], raw, kind))
        last = match.end()
    return out


def _joined(pieces: list[_Piece]) -> str:
    return "".join(piece.gap + piece.raw for piece in pieces)


def _flexible(before: str, after: str) -> bool:
    """Whether the gap between two tokens may be empty or widened in every dialect: inside
    parentheses, around a comma or a comparison symbol (never between a word and `(`, nor
    after `)`: OData needs a space there, and a function name takes no space before `(`)."""
    return before in ("(", ",") or after in (")", ",") or _comparison(before) or _comparison(after)


def _comparison(raw: str) -> bool:
    return bool(raw) and all(character in "=<>!" for character in raw)


def respell(dialect: Dialect, text: str, rng: random.Random) -> str:
    """`text`, as the dialect writes it, spelled another way the dialect reads as the same:
    keywords in any case, spaces varied (and dropped where no dialect needs one), the token
    spellings the dialect offers (`Dialect.respellings`: the other quote kind, ...), `eq` for
    `=` where the dialect has [`Feature.EQ_KEYWORD`][cwa_query.dialects.Feature], and
    redundant parentheses around the whole (with spaces inside them)."""
    pieces = _pieces(dialect, text)
    eq_keyword = dialect.supports(Feature.EQ_KEYWORD)
    out: list[str] = []
    before = ""
    spaced = False  # the token before must be followed by a space (a keyword put in for a symbol)
    for index, piece in enumerate(pieces):
        raw = piece.raw
        if piece.kind == "keyword":
            raw = rng.choice([raw, raw, raw.upper(), raw.capitalize()])
        else:
            raw = rng.choice(dialect.respellings(raw, before))
        word_for_symbol = raw == "=" and eq_keyword and rng.randrange(3) == 0
        if word_for_symbol:
            raw = rng.choice(["eq", "EQ", "Eq"])
        gap = piece.gap
        if index:
            if gap and rng.randrange(2):
                gap = rng.choice(_SPACES)
            if _flexible(before, piece.raw) and rng.randrange(2):
                gap = rng.choice(["", "", " "])
            if (word_for_symbol or spaced) and not gap:
                gap = " "
        spaced = word_for_symbol
        out.append(gap + raw)
        before = piece.raw.lower()
    spelled = "".join(out)
    for _ in range(rng.choice([0, 0, 0, 1, 2])):  # spaces inside parentheses (OData refuses them outside)
        spelled = "(" + rng.choice(["", "", " "]) + spelled + rng.choice(["", "", "\n"]) + ")"
    return spelled


# --------------------------------------------------------------------------- near misses

_Edit = Callable[[list[_Piece]], list[_Piece] | None]

# Text no dialect reads (each is refused by every registered one: a test checks).
FIXED_NEAR_MISSES = (
    "",
    "   ",
    "Status ==  'Online'",
    "Status = Online Now",
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
    "a is null",
)


def _first(find: Callable[[_Piece], bool], change: Callable[[_Piece], list[_Piece]]) -> _Edit:
    """An edit of the first piece `find` accepts (`None`: there is none)."""

    def edit(pieces: list[_Piece]) -> list[_Piece] | None:
        for index, piece in enumerate(pieces):
            if find(piece):
                return [*pieces[:index], *change(piece), *pieces[index + 1 :]]
        return None

    return edit


def _raw(piece: _Piece, raw: str) -> list[_Piece]:
    return [_Piece(piece.gap, raw, piece.kind)]


def _last_closing(pieces: list[_Piece]) -> list[_Piece] | None:
    """The last `)` dropped: one `(` is never closed."""
    for index in range(len(pieces) - 1, -1, -1):
        if pieces[index].raw == ")":
            return pieces[:index] + pieces[index + 1 :]
    return None


def _operand_dropped(pieces: list[_Piece]) -> list[_Piece] | None:
    """The first value that is not an item of a list dropped: an operator without its operand."""
    for index, piece in enumerate(pieces):
        if piece.kind in ("quoted", "value") and (index == 0 or pieces[index - 1].raw not in ("(", ",", "[")):
            return pieces[:index] + pieces[index + 1 :]
    return None


def _unterminated(keep: Callable[[str], str]) -> _Edit:
    """A quote of the first string dropped (`keep` cuts it), where the text holds one quote
    kind only: that kind then appears an odd number of times, so some string never closes."""

    def edit(pieces: list[_Piece]) -> list[_Piece] | None:
        text = _joined(pieces)
        for index, piece in enumerate(pieces):
            if piece.kind == "quoted":
                other = '"' if piece.raw[0] == "'" else "'"
                if other in text:
                    return None
                return [*pieces[:index], *_raw(piece, keep(piece.raw)), *pieces[index + 1 :]]
        return None

    return edit


def _edits(dialect: Dialect, own_features: bool) -> list[_Edit]:
    """Edits of a valid text that leave text the dialect cannot read."""
    edits: list[_Edit] = [
        lambda pieces: [*pieces, _Piece(" ", "and", "keyword")],  # a dangling `and`
        lambda pieces: [*pieces, _Piece("", ")", "symbol")],  # an unmatched `)`
        lambda pieces: [_Piece("", "(", "symbol"), *pieces],  # a `(` never closed
        _last_closing,
        _operand_dropped,
        _first(lambda piece: piece.kind == "keyword" and piece.raw.lower() == "and", lambda p: _raw(p, "&&")),
        _first(lambda piece: piece.kind == "keyword" and piece.raw.lower() == "or", lambda p: _raw(p, "||")),
        _first(lambda piece: piece.raw == "=", lambda p: _raw(p, "==")),
        _first(lambda piece: piece.kind == "word", lambda p: _raw(p, "=")),  # no field
        _unterminated(lambda raw: raw[:-1]),
        _unterminated(lambda raw: raw[1:]),
    ]
    if not dialect.supports(Feature.EQ_KEYWORD):  # `eq` is no other spelling of `=` there
        # a comparison the dialect writes as a word, written as a symbol
        edits.append(
            _first(
                lambda piece: piece.kind == "keyword" and piece.raw.lower() in _COMPARISON_WORDS,
                lambda p: _raw(p, _COMPARISON_WORDS[p.raw.lower()]),
            )
        )
    if own_features and not dialect.supports(Feature.EQ_KEYWORD):
        edits.append(_first(lambda piece: piece.raw == "=", lambda p: _raw(p, "eq")))
    return edits


_SAMPLE = ast.Field("a")
_CONSTRUCTS: dict[Feature, ast.Node] = {
    Feature.PREFIX_NOT: ast.Not(ast.Compare(_SAMPLE, ast.Op.EQ, ast.Integer(1))),
    Feature.NULL: ast.Compare(_SAMPLE, ast.Op.EQ, ast.Null()),
    Feature.NOT_IN: ast.InList(_SAMPLE, (ast.Integer(1),), True),
    **{
        feature: ast.Compare(_SAMPLE, op, ast.String("x%"))
        for feature, op in [
            (Feature.STARTSWITH, ast.Op.STARTSWITH),
            (Feature.ENDSWITH, ast.Op.ENDSWITH),
            (Feature.CONTAINS, ast.Op.CONTAINS),
            (Feature.NOT_CONTAINS, ast.Op.NOT_CONTAINS),
            (Feature.LIKE, ast.Op.LIKE),
            (Feature.NOT_LIKE, ast.Op.NOT_LIKE),
        ]
    },
}


@functools.cache
def construct_misses(dialect: Dialect) -> tuple[str, ...]:
    """For each construct the dialect lacks, a condition using it as another registered
    dialect that has it writes it (`not (a = 1)` for a dialect without a prefix `not`)."""
    found: list[str] = []
    for feature, tree in _CONSTRUCTS.items():
        if dialect.supports(feature):
            continue
        for other in all_dialects():
            if other.supports(feature) and not other.supports(Feature.EXPRESSIONS):
                try:
                    found.append(other.generate(tree))
                except UnrepresentableConditionError:
                    continue
                break
    return tuple(found)


@st.composite
def near_misses(
    draw: st.DrawFn, dialect: Dialect, texts: st.SearchStrategy[str], fixed: tuple[str, ...], own_features: bool
) -> str:
    """A valid text of `texts` broken by one of the mistakes people make, or one of `fixed`."""
    if fixed and draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(fixed))
    pieces = _pieces(dialect, draw(texts))
    edited = [new for new in (edit(pieces) for edit in _edits(dialect, own_features)) if new is not None]
    return _joined(draw(st.sampled_from(edited)))

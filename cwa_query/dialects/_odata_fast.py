"""A fast reader for the common, simple shape of an OData `$filter`, straight to the shared tree.

Why it exists: `parse(text, dialect="odata")` reads a filter in two passes, the LALR
parse of `grammar/odata.lark` into OData nodes (`Binary(Field, EQ, String)`, climbing many
rules per operand) and the reading pass of [`odata`][cwa_query.dialects.odata] that turns
those into `Compare`/`InList`/`And`/`Or`/`Not` (or keeps an `Expression`). Most filters
people write are paths compared with literals, `in (...)` lists and the text functions
under `and`/`or`/`not`; for those, this module builds the final nodes in one pass, in
about a third of the time (issue 18 times the condition corpus written as OData against
plain Lark on the condition form: 1.3 times Lark's time through the two passes, 0.62 so
with the grammar's lexer, about 0.46 with the scanner below).

How: the filter is lexed as the grammar's own lexer lexes it (the same terminals,
keywords, spans and literal decoding as the grammar path): by a small scanner of the common
tokens, whose every token is the grammar's (`_scanner` says why), and by the grammar's
lexer itself from the first token the scanner does not know. At the first token outside the simple
subset (paths of names, `eq ne gt ge lt le`, `and or not`, parentheses, `in (...)` of
literals, `contains`/`startswith`/`endswith`/`tolower` calls, the literals the shared tree
holds) it gives up, and so it does at any shape it does not know, any error, and near
any limit: `read_simple` returns `None` and the caller takes the grammar path, which then
makes every error and its position. So the grammar stays the source of truth; this is an
optimisation only, and its result is the reading pass's, node for node.

The rules both passes follow (the operator maps, the case checks, how `and` joins) live
here, and the reading pass imports them, so they are written once.

What proves it: tests/parse/test_odata_fast_reader.py reads every filter of the bench
corpora, the OData ABNF test cases and drawn OData text with the fast reader on and
forced off, and asserts equal trees (meanings and spans included) and equal errors; that
the scanner's tokens are the grammar lexer's on drawn text; and that the fast reader and
the scanner do take the condition corpus.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from typing import Any, TypeVar, cast

from ..language import ast
from ..language import odata_ast as o
from ..language._driver import ParseLimits
from ..language._lalr import END
from ..language._odata import ODATA, literal_token

__all__ = ["FLIP", "TEXT_TESTS", "TO_OP", "has_ascii_letter", "has_other_cased", "known", "read_simple"]

# ---------------------------------------------------------------------------- reading rules
# (shared with the reading pass of `odata`, which imports them from here)

TO_OP = {
    o.BinaryOp.EQ: ast.Op.EQ,
    o.BinaryOp.NE: ast.Op.NE,
    o.BinaryOp.GT: ast.Op.GT,
    o.BinaryOp.GE: ast.Op.GE,
    o.BinaryOp.LT: ast.Op.LT,
    o.BinaryOp.LE: ast.Op.LE,
}
"""The OData comparison operators and their shared counterparts."""
FLIP = {
    o.BinaryOp.EQ: o.BinaryOp.EQ,
    o.BinaryOp.NE: o.BinaryOp.NE,
    o.BinaryOp.GT: o.BinaryOp.LT,
    o.BinaryOp.LT: o.BinaryOp.GT,
    o.BinaryOp.GE: o.BinaryOp.LE,
    o.BinaryOp.LE: o.BinaryOp.GE,
}
"""The operator of a comparison with its sides swapped (`5 lt Price` is `Price gt 5`)."""
TEXT_TESTS = {"contains": ast.Op.CONTAINS, "startswith": ast.Op.STARTSWITH, "endswith": ast.Op.ENDSWITH}
"""The OData text functions that are shared tests."""

_ASCII_LETTER = re.compile("[A-Za-z]")
_NE = ast.Op.NE


def has_ascii_letter(text: str) -> bool:
    """Holds an ASCII letter (which OData compares by case, the shared tree ignoring it)."""
    return _ASCII_LETTER.search(text) is not None


def has_other_cased(text: str) -> bool:
    """Holds a non-ASCII character with case (which ASCII-only folding keeps apart)."""
    return not text.isascii() and any(not c.isascii() and c.lower() != c.upper() for c in text)


def known(items: list[ast.Node]) -> ast.Node:
    """`items` joined with `and`, where a sibling `F != null` drops `or F = null` from an item
    (`Id ne null and Id ne 5` lowers to `Id != null and Id != 5`, not `... and (Id != 5 or Id = null)`)."""
    flat = ast.all_of(items)
    parts = flat.items if isinstance(flat, ast.And) else (flat,)
    for part in parts:  # most often none: return at once
        if isinstance(part, ast.Compare) and part.op is _NE and isinstance(part.value, ast.Null):
            break
    else:
        return flat
    fields = {
        part.field
        for part in parts
        if isinstance(part, ast.Compare) and part.op is _NE and isinstance(part.value, ast.Null)
    }
    if not fields:
        return flat
    out: list[ast.Node] = []
    for part in parts:
        if isinstance(part, ast.Or):
            rest = [
                item for item in part.items
                if not (isinstance(item, ast.Compare) and item.op is ast.Op.EQ and isinstance(item.value, ast.Null)
                        and item.field in fields)
            ]  # fmt: skip
            part = ast.any_of(rest) if rest else part
        out.append(part)
    return ast.all_of(out)


# ---------------------------------------------------------------------------- the fast reader

_COMPARISONS = {
    "EQ": o.BinaryOp.EQ,
    "NE": o.BinaryOp.NE,
    "GT": o.BinaryOp.GT,
    "GE": o.BinaryOp.GE,
    "LT": o.BinaryOp.LT,
    "LE": o.BinaryOp.LE,
}
# The calls read here, by name in lower case, as kinds of their own (the grammar's FUNC).
_FUNCTIONS = {"contains": "TEST", "startswith": "TEST", "endswith": "TEST", "tolower": "TOLOWER"}
_LITERALS = frozenset({"NULL", "TRUE", "FALSE", "NUMBER", "STRING", "DATE", "DATETIME"})
_SIMPLE = frozenset(
    {*_COMPARISONS, *_LITERALS, "FIELD", "SLASH", "FUNC", "LPAR", "RPAR", "COMMA", "AND", "OR", "NOT", "IN", END}
)
_EQUALITY = (o.BinaryOp.EQ, o.BinaryOp.NE)
_NULL_EQ = ast.Op.EQ

# A value operand: (kind, node, field, start, end). kind: _PATH (node is the Field),
# _LOWER (`tolower(path)`: node is None until an Expression needs the call), _LITERAL.
_PATH, _LOWER, _LITERAL = 0, 1, 2
_N = TypeVar("_N")


def _maker(cls: type[_N]) -> Callable[..., _N]:
    """The class's constructor itself, without the class call around it (about a third
    faster; a parse makes a dozen nodes and as many spans)."""
    return cast("Callable[..., _N]", functools.partial(cls.__new__, cls))


_Span = _maker(ast.Span)
_Field = _maker(ast.Field)
_String = _maker(ast.String)
_Integer = _maker(ast.Integer)
_Compare = _maker(ast.Compare)
_InList = _maker(ast.InList)
_Or = _maker(ast.Or)
_Not = _maker(ast.Not)
_Null = _maker(ast.Null)
_Boolean = _maker(ast.Boolean)


def _spanner(start: int, end: int) -> ast.Span:
    """Spans of a filter on one line (one on more lines is left to the grammar path)."""
    return _Span(start, end, 1, start + 1)


_NO_FIELD = ast.Field("")


class _NotSimpleError(Exception):
    """The fast reader does not take this filter (the grammar path reads it)."""


class _Chain:
    """An `and`/`or` run of read items, not yet joined: a run in parentheses directly
    inside a run of the same operator is spliced into it, as the OData tree does."""

    __slots__ = ("items", "op")

    def __init__(self, op: str, items: list[ast.Node]) -> None:
        self.op = op
        self.items = items


def read_simple(text: str, limits: ParseLimits) -> ast.Node | None:
    """The shared tree of `text` as `OData.read` makes it, or `None` where the filter is
    not of the simple shape (then the grammar path must read it)."""
    if len(text) > limits.max_length or limits.max_depth < 8 or text[:1].isspace() or text[-1:].isspace():
        return None
    if "\n" in text:  # spans with lines and columns: rare, left to the grammar path
        return None
    lexed = _lex(text)
    if lexed is None:
        return None
    try:
        return _Reader(text, lexed, limits).read()
    except (_NotSimpleError, ValueError):  # ValueError: a literal the grammar path reports
        return None


class _Lexer:
    """The grammar's own lexer ([`Tables.driver_lexer`][cwa_query.language._lalr.Tables]),
    its terminals looked up once: the simple ones by group number, the keywords by word
    (`None` for one outside the subset); and the scanner of the common tokens (`_scanner`)
    with the kinds of its words, every spelling of a keyword (`NOT`, `Not`, ...) included."""

    def __init__(self) -> None:
        tables = ODATA.tables
        self.tables = tables
        self.kinds = tuple(kind if kind in _SIMPLE else None for kind in tables.group_kinds)
        self.identifier = tables.identifier
        self.keywords = {word: kind if kind in _SIMPLE else None for word, kind in tables.keywords.items()}
        self.longest = max(map(len, self.keywords))
        self.scanner, self.scanned_kinds = _scanner(tables.keywords)
        words: dict[str, str | None] = {"null": "NULL", "INF": None, "NaN": None}
        for word, kind in self.keywords.items():
            words.update(dict.fromkeys(map("".join, itertools.product(*zip(word, word.upper(), strict=True))), kind))
        self.words = words


# What may follow a name or a number in the scanner (then the grammar's terminal ends there
# too; see `_scanner`), and what the grammar ignores.
_AFTER = r"(?=[ \t\r\n),]|\Z)"
_SPACES = r"[ \t\r\n]*+"
_NAME = "[A-Za-z_][A-Za-z0-9_]*+"
_WORD, _CALL = "word", "call"


def _scanner(keywords: dict[str, str]) -> tuple[re.Pattern[str], tuple[str | None, ...]]:
    """A lexer for the common tokens of a filter, and its token kinds by group number.

    It tries far fewer alternatives than the grammar's lexer (which tries dates, GUIDs,
    durations and the rest before a number or a call), so it runs in about half the time.
    Each of its tokens is the grammar lexer's token at that position, because each is
    followed by a character that ends the grammar's terminal there too:

    * a name (`[A-Za-z_][A-Za-z0-9_]*`, ASCII only) followed by a space, `)`, `,` or the
      end is the grammar's FIELD, which `_lex` re-types as the keyword it spells in any
      case, as `null` (spelled so: `Null` is a name) or as `INF`/`NaN` (which `_lex`
      leaves to the grammar's lexer);
    * a name directly before `(` is the grammar's FUNC, or ANY, CAST and the other call
      words, which `_lex` leaves to the grammar's lexer as it does every call but the
      reader's four;
    * a path `A/B/C` of names none of which is a keyword, `null`, `INF` or `NaN`, followed
      as a name is, is one token, PATH, for the grammar's FIELD SLASH FIELD ...;
    * `tolower(` (any case), such a path or name, and `)` are one token, LOWERED, for the
      grammar's FUNC LPAR FIELD (SLASH FIELD ...) RPAR;
    * a number `-?[0-9]+(.[0-9]+)?` followed as a name is, is NUMBER (not a date, time or
      GUID, which need `-` or `:` after the digits);
    * a string, `(`, `)` and `,` are the grammar's own terminals, and the spaces after a
      token are skipped as the grammar skips them.

    Anything else (a date, `$it`, a qualified name, a name before `.` or `'`, a non-ASCII
    letter, `/` after a space, ...) is the catch-all group, of kind `None`: the grammar's
    lexer then takes over at that token.
    """
    words = "|".join(sorted(map(re.escape, keywords), key=lambda word: (-len(word), word)))
    segment = rf"(?!(?:(?i:{words})|null|INF|NaN)(?![A-Za-z0-9_])){_NAME}"
    path = rf"{segment}(?:/{segment})*+"
    alternatives = [
        rf"{_NAME}{_AFTER}(?P<{_WORD}>)",
        r"\((?P<LPAR>)",
        r"\)(?P<RPAR>)",
        r"'[^']*(?:''[^']*)*'(?P<STRING>)",
        r",(?P<COMMA>)",
        rf"(?i:tolower)\({path}\)(?P<LOWERED>)",
        rf"{_NAME}(?=\()(?P<{_CALL}>)",
        rf"-?[0-9]++(?:\.[0-9]++)?{_AFTER}(?P<NUMBER>)",
        rf"{segment}(?:/{segment})++{_AFTER}(?P<PATH>)",
        rf"\Z(?P<{END}>)",
        r".(?P<_OTHER>)",
    ]
    pattern = re.compile(f"(?:{'|'.join(alternatives)}){_SPACES}", re.ASCII | re.DOTALL)
    kinds: list[str | None] = [None] * (pattern.groups + 1)
    for kind, index in pattern.groupindex.items():
        kinds[index] = {"_OTHER": None, _WORD: _WORD, _CALL: _CALL}.get(kind, kind)  # the constants themselves
    return pattern, tuple(kinds)


_LEXER: _Lexer | None = None


def _lex(text: str) -> tuple[list[str], list[tuple[str, str, int, int]]] | None:
    """The token kinds and tokens of `text` as the driver lexes them (a path of plain
    names may be one PATH token), or `None` at the first token outside the subset."""
    global _LEXER
    lexer = _LEXER or (_LEXER := _Lexer())
    by_group = lexer.scanned_kinds
    words = lexer.words
    kinds: list[str] = []
    tokens: list[tuple[str, str, int, int]] = []
    for match in lexer.scanner.finditer(text):  # the text starts with a token (see read_simple)
        index: int = match.lastindex  # type: ignore[assignment]  # every alternative ends in a group
        kind = by_group[index]
        start = match.start()
        end = match.start(index)
        raw = text[start:end]
        if kind is _WORD:
            kind = words.get(raw, "FIELD")
        elif kind is _CALL:
            kind = _FUNCTIONS.get(raw.lower())
        if kind is None:  # the grammar's lexer goes on from here (its tokens so far are these)
            return _lex_as_grammar(text, lexer, start, kinds, tokens)
        kinds.append(kind)
        tokens.append((kind, raw, start, end))
    return kinds, tokens


def _lex_as_grammar(
    text: str, lexer: _Lexer, pos: int, kinds: list[str], tokens: list[tuple[str, str, int, int]]
) -> tuple[list[str], list[tuple[str, str, int, int]]] | None:
    """`_lex` with the grammar's own lexer from `pos` on, where a token starts (for a token
    the scanner does not know), after the `kinds` and `tokens` before it."""
    by_group = lexer.kinds
    keywords = lexer.keywords
    identifier = lexer.identifier
    longest = lexer.longest
    for match in lexer.tables.driver_lexer.finditer(text, pos):  # no terminal looks behind
        index: int = match.lastindex  # type: ignore[assignment]  # every alternative ends in a group
        kind = by_group[index]
        start = match.start()
        end = match.start(index)
        raw = text[start:end]
        if kind == identifier:
            if end - start <= longest:  # else no keyword
                found = keywords.get(raw, identifier)  # a keyword is most often written in lower case
                if found is identifier:
                    found = keywords.get(raw.lower(), identifier)
                if found is None:
                    return None
                kind = found
        elif kind is None:
            return None
        elif kind == "FUNC":  # told apart here: the reader checks kinds only
            kind = _FUNCTIONS.get(raw.lower())
            if kind is None:
                return None
        kinds.append(kind)
        tokens.append((kind, raw, start, end))
    return kinds, tokens


_Value = tuple[int, Any, ast.Field, int, int]


class _Reader:
    """Recursive descent over the tokens, lowering as it goes (`negate`: under an odd
    number of `not`s, which the lowering pushes inward)."""

    __slots__ = ("at", "depth", "kinds", "max_depth", "max_values", "text", "tokens")

    def __init__(
        self, text: str, lexed: tuple[list[str], list[tuple[str, str, int, int]]], limits: ParseLimits
    ) -> None:
        self.text = text
        self.kinds, self.tokens = lexed
        self.at = 0
        # Open parentheses and `not`s, as the driver counts them, kept well under the limits:
        # the OData tree of such a filter is at most 5 + twice as deep.
        self.depth = 0
        self.max_depth = (limits.max_depth - 6) // 2
        self.max_values = limits.max_in_values - 2

    def read(self) -> ast.Node:
        result = self.disjunction(False)
        if self.kinds[self.at] != END:
            raise _NotSimpleError
        return _finish(result, False)

    def expect(self, kind: str) -> tuple[str, str, int, int]:
        at = self.at
        if self.kinds[at] != kind:
            raise _NotSimpleError
        self.at = at + 1
        return self.tokens[at]

    def open(self) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            raise _NotSimpleError

    # ------------------------------------------------------------------ logic

    def disjunction(self, negate: bool) -> ast.Node | _Chain:
        return self.run("OR", self.conjunction, negate)

    def conjunction(self, negate: bool) -> ast.Node | _Chain:
        return self.run("AND", self.term, negate)

    def run(self, op: str, operand: Callable[[bool], ast.Node | _Chain], negate: bool) -> ast.Node | _Chain:
        """Operands joined by `op` (`AND` or `OR`): one operand as it is, else a run."""
        first = operand(negate)
        kinds = self.kinds
        if kinds[self.at] != op:
            return first
        items = _spliced(first, op, negate)
        while kinds[self.at] == op:
            self.at += 1
            item = operand(negate)
            if item.__class__ is _Chain:
                items.extend(_spliced(item, op, negate))
            else:
                items.append(item)  # type: ignore[arg-type]
        return _Chain(op, items)

    def term(self, negate: bool) -> ast.Node | _Chain:
        """An operand of `and`/`or`: a `not`, a group, a test or a comparison."""
        kinds = self.kinds
        kind = kinds[self.at]
        result: ast.Node | _Chain
        if kind == "NOT":
            self.at += 1
            self.open()
            result = self.unary(not negate)
            self.depth -= 1
        elif kind == "LPAR" or kind == "TEST":
            result = self.primary(negate)
        else:
            left = self.value()
            kind = kinds[self.at]
            if kind in _COMPARISONS:
                self.at += 1
                right = self.value()
                if kinds[self.at] == "IN":  # `a eq b in (...)`: `in` binds tighter
                    raise _NotSimpleError
                result = self.comparison(left, _COMPARISONS[kind], right, negate)
            elif kind == "IN":
                result = self.in_list(left, negate)
            else:
                result = self.bare(left, negate)
        if kinds[self.at] in _COMPARISONS:  # `(a) eq b`, `not a eq b`: a value compared
            raise _NotSimpleError
        return result

    def unary(self, negate: bool) -> ast.Node:
        """The operand of a prefix `not` (which binds tighter than any operator)."""
        if self.kinds[self.at] == "NOT":
            self.at += 1
            self.open()
            node = self.unary(not negate)
            self.depth -= 1
            return node
        primary = self.primary(negate)
        if primary.__class__ is tuple:
            return self.bare(primary, negate)
        return _finish(primary, negate)

    def primary(self, negate: bool) -> Any:
        """A group, a text test, an `in` test, or a value operand (a tuple, see `_PATH`)."""
        token = self.tokens[self.at]
        kind = token[0]
        if kind == "LPAR":
            self.at += 1
            self.open()
            inner = self.disjunction(negate)
            self.expect("RPAR")
            self.depth -= 1
            if self.kinds[self.at] == "IN":
                raise _NotSimpleError
            return inner
        if self.kinds[self.at] == "TEST":
            return self.text_test(token, negate)
        value = self.value()
        if self.kinds[self.at] == "IN":
            return self.in_list(value, negate)
        return value

    def value(self) -> _Value:
        """A path, `tolower(path)` or a literal."""
        at = self.at
        token = self.tokens[at]
        kind, raw, start, end = token
        if kind == "FIELD" or kind == "PATH":
            at += 1
            kinds = self.kinds
            if kind == "PATH":
                raw = raw.replace("/", ".")
            elif kinds[at] == "SLASH":
                tokens = self.tokens
                parts = [raw]
                while kinds[at] == "SLASH":
                    if kinds[at + 1] != "FIELD":
                        raise _NotSimpleError
                    segment = tokens[at + 1]
                    parts.append(segment[1])
                    end = segment[3]
                    at += 2
                raw = ".".join(parts)
            self.at = at
            field = _Field(raw, _Span(start, end, 1, start + 1))
            return (_PATH, field, field, start, end)
        if kind in _LITERALS:
            self.at = at + 1
            if kind == "STRING":
                literal: Any = _String(raw[1:-1].replace("''", "'"), _Span(start, end, 1, start + 1))
            elif kind == "NUMBER" and len(raw) < 19 and raw.isdigit() and raw.isascii():  # most numbers
                literal = _Integer(int(raw), _Span(start, end, 1, start + 1))
            elif kind == "NULL":
                literal = _Null(_Span(start, end, 1, start + 1))
            else:
                literal = literal_token(token, self.text, _spanner)
            return (_LITERAL, literal, _NO_FIELD, start, end)
        if kind == "LOWERED":  # `tolower(path)` as one token
            if self.depth >= self.max_depth:  # its '(' would pass the limit (see `open`)
                raise _NotSimpleError
            self.at = at + 1
            name_end = end - 1  # before the ')'
            field = _Field(raw[8:-1].replace("/", "."), _Span(start + 8, name_end, 1, start + 9))
            return (_LOWER, None, field, start, end)
        if kind == "TOLOWER":
            self.at = at + 2  # the name and its '('
            self.open()
            inner = self.value()
            close = self.expect("RPAR")
            self.depth -= 1
            if inner[0] != _PATH:
                raise _NotSimpleError
            return (_LOWER, None, inner[2], start, close[3])
        raise _NotSimpleError

    # ------------------------------------------------------------------ tests

    def bare(self, value: _Value, negate: bool) -> ast.Node:
        """A path standing alone as a Boolean test."""
        if value[0] != _PATH:
            raise _NotSimpleError
        return _Compare(value[1], ast.Op.EQ, _Boolean(not negate), value[1].span)

    def comparison(self, left: Any, op: o.BinaryOp, right: Any, negate: bool) -> ast.Node:
        """`_Lowering.comparison` (records taken as well-typed, nothing kept but what has no shared form)."""
        span = _Span(left[3], right[4], 1, left[3] + 1)
        if left[0] == _LITERAL and right[0] != _LITERAL:
            subject, literal, shared_op = right, left[1], FLIP[op]
        else:
            subject, literal, shared_op = left, right[1], op
        if subject[0] == _LITERAL or (right[0] != _LITERAL and left[0] != _LITERAL):
            return self.kept(o.Binary(op, self.odata(left), self.odata(right), span), negate)
        field, folded = subject[2], subject[0] == _LOWER
        cls = literal.__class__
        if cls is ast.Null:
            if shared_op not in _EQUALITY:
                return self.kept(o.Binary(op, self.odata(left), self.odata(right), span), negate)
            positive = (shared_op is o.BinaryOp.EQ) is not negate
            return _Compare(field, ast.Op.EQ if positive else ast.Op.NE, literal, span)
        if cls is ast.String:
            if shared_op not in _EQUALITY or not _exact_case(literal.value, folded, substring=False):
                return self.kept(o.Binary(op, self.odata(left), self.odata(right), span), negate)
        elif folded:
            return self.kept(o.Binary(op, self.odata(left), self.odata(right), span), negate)
        if shared_op is o.BinaryOp.NE:
            shared_op, negate = o.BinaryOp.EQ, not negate
        if not negate:
            return _Compare(field, TO_OP[shared_op], literal, span)
        negated = TO_OP[shared_op].negated
        assert negated is not None
        return _Or((_Compare(field, negated, literal, span), _Compare(field, _NULL_EQ, _Null(), span)))

    def text_test(self, token: tuple[str, str, int, int], negate: bool) -> ast.Node:
        """`contains(path, 'text')` and its kin, or `tolower(path)` in their place."""
        self.at += 2  # the name and its '(' (a call's name is lexed only right before one)
        self.open()
        subject = self.value()
        self.expect("COMMA")
        text = self.value()
        close = self.expect("RPAR")
        self.depth -= 1
        if self.kinds[self.at] == "IN":
            raise _NotSimpleError
        name = token[1].lower()
        span = _Span(token[2], close[3], 1, token[2] + 1)
        literal = text[1]
        if subject[0] == _LITERAL or literal.__class__ is not ast.String:
            exact = False
        else:
            exact = _exact_case(literal.value, subject[0] == _LOWER, substring=True)
        if not exact:
            return self.kept(o.Call(name, (self.odata(subject), self.odata(text)), None, span), negate)
        compare = _Compare(subject[2], TEXT_TESTS[name], literal, span)
        return _Not(compare, span) if negate else compare

    def in_list(self, value: Any, negate: bool) -> ast.Node:
        """`path in (literal, ...)` (a list of literals only)."""
        self.at += 1  # IN
        opening = self.expect("LPAR")
        self.open()
        items = [self.literal()]
        while self.kinds[self.at] == "COMMA":
            self.at += 1
            items.append(self.literal())
        close = self.expect("RPAR")
        self.depth -= 1
        if len(items) > self.max_values:
            raise _NotSimpleError
        span = _Span(value[3], close[3], 1, value[3] + 1)
        values: list[ast.Literal] = []
        has_null = False
        exact = value[0] != _LITERAL
        folded = value[0] == _LOWER
        for item in items:
            cls = item.__class__
            if cls is ast.Null:
                has_null = True
                continue
            if cls is ast.String:
                exact = exact and _exact_case(item.value, folded, substring=False)
            elif folded:
                exact = False
            values.append(item)
        if not exact or (not values and not has_null):
            listed = o.ListValue(tuple(items), _Span(opening[2], close[3], 1, opening[2] + 1))
            return self.kept(o.In(self.odata(value), listed, span), negate)
        field = value[2]
        if not values:
            return _Compare(field, ast.Op.NE if negate else ast.Op.EQ, _Null(), span)
        node = _InList(field, tuple(values), negate, span)
        if has_null is negate:  # `in` without null, `not in` with it: a null path is false
            return node
        return _Or((node, _Compare(field, _NULL_EQ, _Null(), span)))

    def literal(self) -> Any:
        value = self.value()
        if value[0] != _LITERAL:
            raise _NotSimpleError
        return value[1]

    # ------------------------------------------------------------------ kept as read

    def odata(self, value: _Value) -> o.Expr:
        """The OData node of a value operand."""
        if value[0] == _LOWER:
            return o.Call("tolower", (value[2],), None, _Span(value[3], value[4], 1, value[3] + 1))
        node: o.Expr = value[1]
        return node

    @staticmethod
    def kept(node: o.Expr, negate: bool) -> ast.Node:
        """A test with no exact shared form, as read (`_Lowering.kept_leaf`)."""
        return ast.Expression(o.Unary(o.UnaryOp.NOT, node, node.span) if negate else node, span=node.span)


def _exact_case(text: str, folded: bool, *, substring: bool) -> bool:
    """Whether a compared text has an exact shared form (`_Lowering.check_case` while keeping)."""
    if not folded:
        return not has_ascii_letter(text)
    if text != text.lower() or has_other_cased(text):
        return False
    return not ("k" in text or ("i" in text and (substring or "i\u0307" in text)))


def _spliced(item: ast.Node | _Chain, op: str, negate: bool) -> list[ast.Node]:
    """The items `item` adds to a run of `op`: its own, if it is a run of `op` itself."""
    if item.__class__ is _Chain:
        assert isinstance(item, _Chain)
        if item.op == op:
            return item.items
        return [_finish(item, negate)]
    return [item]  # type: ignore[list-item]


def _finish(item: ast.Node | _Chain, negate: bool) -> ast.Node:
    """A run joined as the lowering joins it (`and` keeps what a sibling `ne null` says)."""
    if item.__class__ is not _Chain:
        return item  # type: ignore[return-value]
    assert isinstance(item, _Chain)
    if (item.op == "AND") is not negate:
        return known(item.items)
    return ast.any_of(item.items)

"""The `manage` dialect: the `conditions` language of the ConnectWise Manage (PSA) REST API.

Manage's list endpoints filter with four query parameters; cwa_query reads and writes all
of them:

* `conditions` and `childConditions`: the language of `grammar/manage.lark` (paths joined
  by `/`, date-times in square brackets, `null`, `like` with `%` or `*`), read with
  `parse(text, dialect="manage")` and written with `render(tree, "manage")`;
* `customFieldConditions`: `caption = "X" and value = ...` (the same language; built with
  [`cwa_query.manage.custom_field`][cwa_query.manage.custom_field]);
* `orderBy`: `path asc|desc`, comma-separated, read with
  [`parse_order_by`][cwa_query.dialects.manage.parse_order_by] (built with
  [`cwa_query.manage.order_by`][cwa_query.manage.order_by]).

A Manage condition is read into the shared tree: paths are stored with dots (`company/id`
is `Field("company.id")`) and `like` patterns in the shared form (`*` is `%`), so the
evaluator, the SQL translation and the other dialects read it as they read any other.

>>> from cwa_query import F, parse, render
>>> render((F.status["name"] == "Open") & F.company.id.in_(19, 20), "manage")
'status/name = "Open" and company/id in (19, 20)'
>>> render(parse("Client.Id = 5 and LastContact > 2024-01-01T00:00:00Z", dialect="automate"), "manage")
'Client/Id = 5 and LastContact > [2024-01-01T00:00:00Z]'

What each rule rests on (facts, sources, confidence) and what is assumed where the sources
are silent is on the docs page *ConnectWise Manage*.
"""

from __future__ import annotations

import datetime as _dt
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NoReturn

from ..errors import ConditionSyntaxError, TranslationWarning, UnrepresentableConditionError
from ..language import ast
from ..language._diagnose import ParseFailure, Token
from ..language._driver import Builder, Grammar, Spanner
from ..language._lalr import Tables
from ..language.literals import (
    check_text,
    format_datetime,
    integer_text,
    like_tokens,
    match_text,
    parse_datetime,
    quote_either,
)
from ._base import Dialect, Feature, Note, join_nodes, patterns_as_strings, push_not
from ._fields import NO_FIELDS, FieldTypes
from .automate import Automate
from .condition import CANONICAL, CONDITION, number_literal, predicate_builders, write_items

__all__ = [
    "GRAMMAR",
    "MANAGE",
    "Manage",
    "OrderKey",
    "custom_field_parts",
    "field_from_manage",
    "field_to_manage",
    "like_from_manage",
    "like_to_manage",
    "parse_order_by",
    "render_order_by",
]

# --------------------------------------------------------------------------- literals


def _datetime_value(text: str) -> _dt.date | _dt.datetime:
    """The value of a bracketed date-time (`[2024-01-01T00:00:00Z]`, `[2024-01-01 12:00:00+00:00]`).

    A `T` or a space separates date and time (the lexer admits nothing else); the rest is
    ISO-8601 as the shared literals read it. Raises `ValueError` for an impossible date.
    """
    return parse_datetime(text[1:-1].replace(" ", "T", 1))


def _format_datetime(value: _dt.date | _dt.datetime) -> str:
    """`[yyyy-MM-ddTHH:mm:ss[.f]Z]`: aware values in UTC with `Z`, naive ones without a zone,
    a date as its midnight UTC (the date-only form appears only in AI-written docs)."""
    if not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day, tzinfo=_dt.UTC)
    return "[" + format_datetime(value) + "]"


# --------------------------------------------------------------------------- like patterns


def like_from_manage(pattern: str) -> str:
    """A Manage `like` pattern in the shared form (`%` any run, `_` any one, `\\` escapes).

    `%` and `*` both stand for any run of characters (ConnectWise documents `%`; many
    working clients send `*`); `_` is read as any one character, as the SQL Server behind
    Manage reads it (assumed: no source says), and a backslash as itself.

    >>> like_from_manage("*Emergency*")
    '%Emergency%'
    """
    return pattern.replace("\\", "\\\\").replace("*", "%")


_LIKE_SPECIALS = "%_*["


def _like_problem(pattern: str) -> str | None:
    """Why a shared-form pattern has no Manage spelling, or `None` when it has one."""
    for token in like_tokens(pattern):
        if token in ("\\%", "_", "*", "["):  # an escaped % or _ (a bare one is a wildcard), any * or [
            return (
                f"the pattern needs a literal {token[-1]!r}, which no public source shows how to write for Manage "
                "('%' and '*' are its wildcards; '_' and '[' may be SQL Server's)"
            )
    return None


def like_to_manage(pattern: str) -> str:
    """A shared-form `like` pattern as Manage writes it.

    A pattern that needs a literal `%`, `_` or `*`, or a `[` (a character class to SQL
    Server), has no spelling any source shows:
    [`UnrepresentableConditionError`][cwa_query.UnrepresentableConditionError].

    >>> like_to_manage("%Emergency%")
    '%Emergency%'
    >>> like_to_manage("50\\\\%")
    Traceback (most recent call last):
    ...
    cwa_query.errors.UnrepresentableConditionError: the pattern needs a literal '%', ...
    """
    problem = _like_problem(pattern)
    if problem is not None:
        raise UnrepresentableConditionError(problem)
    return re.sub(r"\\(.)", r"\1", pattern)


def _text_problem(value: str) -> str | None:
    """Why `contains`/`startswith`/`endswith` text cannot be sent to Manage, or `None`."""
    found = next((char for char in value if char in _LIKE_SPECIALS), None)
    if found is None:
        return None
    return (
        f"the text holds {found!r}, which Manage may read as a wildcard (its `like` and, likely, `contains` "
        "run on SQL Server) and no source shows how to escape"
    )


# --------------------------------------------------------------------------- fields

_KEYWORDS = frozenset({"or", "and", "not", "in", "like", "contains", "true", "false", "null"})


def field_from_manage(name: str) -> str:
    """A Manage path in the shared, dotted form: `company/id` -> `company.id`."""
    return name.replace("/", ".")


def _field_problem(name: str) -> str | None:
    for part in name.split("."):
        if part.lower() in _KEYWORDS:
            return f"{part!r} is a keyword of Manage's condition language and cannot name a field"
    return None


def field_to_manage(name: str) -> str:
    """A shared, dotted path as Manage writes it: `company.id` -> `company/id`.

    A part that is a Manage keyword (`null`, `in`, ...) is refused.
    """
    problem = _field_problem(name)
    if problem is not None:
        raise UnrepresentableConditionError(f"the field {name!r} cannot be written for Manage: {problem}")
    return name.replace(".", "/")


# --------------------------------------------------------------------------- grammar


def _value(token: Token, text: str, spanner: Spanner, op: ast.Op | None) -> ast.Literal:
    kind, raw, start, end = token
    span = spanner(start, end)
    if kind == "STRING":
        inner = raw[1:-1]
        if not inner.isascii():
            try:
                check_text(inner)
            except UnrepresentableConditionError as exc:
                raise ConditionSyntaxError(str(exc), text=text, pos=start, end_pos=end) from None
        return ast.String(like_from_manage(inner) if op is ast.Op.LIKE or op is ast.Op.NOT_LIKE else inner, span)
    if kind == "NUMBER":
        return number_literal(raw, span, text, start, end)
    if kind == "DATETIME":
        try:
            return ast.DateTime(_datetime_value(raw), span)
        except ValueError as exc:
            raise ConditionSyntaxError(
                f"invalid date-time {raw}: {exc}",
                text=text,
                pos=start,
                end_pos=end,
                hint="write date-times as [yyyy-MM-ddTHH:mm:ssZ]",
            ) from None
    if kind == "NULL":
        return ast.Null(span)
    return ast.Boolean(kind == "TRUE", span)


def _field(token: Token, spanner: Spanner) -> ast.Field:
    return ast.Field(field_from_manage(token[1]), spanner(token[2], token[3]))


# The condition grammar's callbacks for logic, groups and lists; Manage's own fields and values.
_BUILDERS: dict[str, Builder] = {**CONDITION.builders, **predicate_builders(_field, _value)}


# --------------------------------------------------------------------------- diagnosis

_BARE_DATETIME_RE = re.compile(
    r"(?<![\w\[.:-])\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?(?![\w\]:.-])"
)
_STRING_RE = re.compile(r"'[^']*'|\"[^\"]*\"")
_IN_LIST_RE = re.compile(r"([A-Za-z_][\w/]*)\s+(not\s+)?in\s*\([^()]*$", re.IGNORECASE)
_NAME_BEFORE_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*(?:/[A-Za-z_][A-Za-z0-9_]*)*)[ \t]*$")
_HINT_WINDOW = 256  # how far back a hint looks for a field name: a `$`-anchored search is quadratic in it


def _search_before(pattern: re.Pattern[str], text: str, end: int) -> re.Match[str] | None:
    """`pattern` (anchored with `$`) searched in the `_HINT_WINDOW` characters before `end`:
    searched from 0 it would try every start, 10 s for a 10,000-letter name."""
    return pattern.search(text, max(0, end - _HINT_WINDOW), end)


def _inside_string(text: str, pos: int) -> bool:
    for match in _STRING_RE.finditer(text):
        if match.start() >= pos:
            return False
        if pos < match.end():
            return True
    return False


def _reworded(
    exc: ConditionSyntaxError,
    description: str,
    hint: str,
    pos: int,
    end: int,
    expected: tuple[str, ...] | None = None,
) -> ConditionSyntaxError:
    return ConditionSyntaxError(
        description,
        text=exc.text,
        pos=pos,
        end_pos=end,
        expected=exc.expected if expected is None else expected,
        hint=hint,
    )


def _diagnose(exc: ConditionSyntaxError) -> ConditionSyntaxError:
    """The condition grammar's wording of an error, with Manage's hints where they apply:
    an unbracketed date-time, a `.` path, `eq`, `startswith`/`endswith`, `is null`, a
    doubled quote, an unquoted pattern, a number with an exponent, `yes`/`no`."""
    text, pos = exc.text, exc.pos
    # a date-time is at most 35 characters: look around the error only (the text may be long)
    for match in _BARE_DATETIME_RE.finditer(text, max(0, pos - 40), min(len(text), pos + 45)):
        if match.start() <= pos <= match.end() and not _inside_string(text, match.start()):
            bare = match.group() if len(match.group()) > 10 else match.group() + "T00:00:00Z"
            return _reworded(
                exc,
                f"unbracketed date-time {match.group()}",
                f"Manage writes date-times in square brackets: `[{bare}]`",
                match.start(),
                match.end(),
                ("a date-time in square brackets",),
            )
    word_match = re.match(r"[A-Za-z_]\w*", text[pos:])
    word = word_match.group() if word_match else ""
    lowered = word.lower()
    char = text[pos : pos + 1]
    before = _search_before(_NAME_BEFORE_RE, text, pos)
    name = before.group(1) if before else "field"
    if char == "." and before is not None and re.match(r"\.[A-Za-z_]", text[pos:]):
        path = re.match(r"[A-Za-z_][\w./]*", text[before.start() :])
        shown = path.group().replace(".", "/") if path else name
        return _reworded(exc, "unexpected '.'", f"Manage joins path parts with '/': write `{shown}`", pos, pos + 1)
    if lowered == "eq" and exc.expected:
        return _reworded(exc, "unexpected eq", f"Manage has no `eq`: write `{name} = ...`", pos, pos + 2)
    if lowered in ("startswith", "endswith") and exc.expected:
        pattern = '"x%"' if lowered == "startswith" else '"%x"'
        hint = f"Manage has no {lowered}: write `{name} like {pattern}`"
        return _reworded(exc, f"unexpected {word}", hint, pos, pos + len(word))
    if lowered in ("is", "isnull") and exc.expected:
        hint = f"test for null with `{name} = null` or `{name} != null`"
        return _reworded(exc, f"unexpected {word}", hint, pos, pos + len(word))
    paren = text.rfind("(", 0, pos)
    in_list = None if paren < 0 or ")" in text[paren:pos] else _search_before(_IN_LIST_RE, text, paren + 1)
    if lowered == "null" and in_list is not None:
        field, negated = in_list.group(1), in_list.group(2) is not None
        written = f"{field} not in (...) and {field} != null" if negated else f"{field} in (...) or {field} = null"
        hint = f"no source shows null in a list: write `{written}`"
        return _reworded(exc, "null in a list", hint, pos, pos + 4)
    if lowered in ("yes", "no", "none", "nil") and exc.expected:
        hint = "booleans are true or false, and a missing value is null; quote text values"
        return _reworded(exc, f"unexpected word {word}", hint, pos, pos + len(word))
    if char in ("'", '"') and pos and text[pos - 1] == char and exc.description.startswith("unexpected string"):
        other = '"' if char == "'" else "'"
        hint = f"no source shows how Manage escapes a quote inside a string: quote the value with {other} instead"
        return _reworded(exc, "a doubled quote inside a string", hint, pos - 1, pos + 1)
    if exc.description == "unterminated string":
        opening = text[pos : pos + 1]
        other = '"' if opening == "'" else "'"
        hint = (
            f"this {opening} opens a string that is never closed: close it with {opening} "
            f"(a value holding {opening} is quoted with {other}; no source shows an escape)"
        )
        return _reworded(exc, exc.description, hint, pos, len(text))
    if char == "*" or (char == "%" and exc.description.startswith("unexpected character")):
        found = re.match(r"[^\s()]+", text[pos:])
        shown = found.group() if found else char
        quote = "'" if '"' in shown else '"'
        hint = f"like takes a quoted pattern: `like {quote}{shown}{quote}`"
        if "'" in shown and '"' in shown:
            hint = "like takes a quoted pattern, and no source shows how Manage escapes a quote: keep one kind"
        return _reworded(exc, f"unquoted pattern {shown}", hint, pos, pos + len(shown))
    if exc.description.startswith("malformed number"):
        hint = (
            "numbers are digits with an optional '-' and decimal point (no exponent); date-times go in "
            "square brackets, [2024-01-01T00:00:00Z]; quote anything else"
        )
        return _reworded(exc, exc.description, hint, pos, exc.end_pos)
    return exc


def _syntax_error(failure: ParseFailure) -> ConditionSyntaxError:
    return _diagnose(CONDITION.syntax_error(failure))


def _lex_error(tables: Tables, text: str, pos: int) -> ConditionSyntaxError:
    return _diagnose(CONDITION.lex_error(tables, text, pos))


GRAMMAR = Grammar("manage", _BUILDERS, finish=CONDITION.finish, syntax_error=_syntax_error, lex_error=_lex_error)
"""`grammar/manage.lark` with the callbacks that build the shared tree."""


# --------------------------------------------------------------------------- the dialect


class Manage(Dialect):
    """The ConnectWise Manage `conditions` language (also `childConditions` and
    `customFieldConditions`).

    Has `contains`, `like`/`not like` (`%` or `*`), `in`/`not in`, `null`, booleans,
    bracketed date-times and both quote kinds; no `eq`, `startswith`, `endswith`,
    `not contains` or prefix `not` (no source shows the last two; rendering writes
    `not like` and pushes a `not` inward instead).

    >>> from cwa_query import parse
    >>> parse("_info/lastUpdated > [2024-01-01T00:00:00Z] and name like '*mail*'", dialect="manage")
    ... # doctest: +NORMALIZE_WHITESPACE
    And(items=(Compare(field=Field(name='_info.lastUpdated'), op=<Op.GT: '>'>,
    value=DateTime(value=datetime.datetime(2024, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))),
    Compare(field=Field(name='name'), op=<Op.LIKE: 'like'>, value=String(value='%mail%'))))
    """

    name = "manage"
    title = "ConnectWise Manage"
    schema_file = "manage_schema.json"
    parameters = ("conditions", "childConditions", "customFieldConditions")
    own_field_parameters = frozenset({"customFieldConditions"})
    features = frozenset(
        {
            Feature.CONTAINS,
            Feature.LIKE,
            Feature.NOT_LIKE,
            Feature.IN,
            Feature.NOT_IN,
            Feature.NULL,
            Feature.BOOLEANS,
            Feature.DATE_LITERALS,
            Feature.DOUBLE_QUOTES,
        }
    )

    # ------------------------------------------------------------------ reading

    def grammar(self) -> Grammar:
        """`grammar/manage.lark` (it reads paths dotted, patterns in the shared form)."""
        return GRAMMAR

    def repairs(self, text: str, error: ConditionSyntaxError) -> Iterator[str]:
        """An unbracketed date-time bracketed, a `.` path joined with `/`, `eq` as `=`, an
        unquoted `like` pattern quoted (unless it holds both quote characters)."""
        pos, end = error.pos, error.end_pos
        if error.description.startswith("unbracketed date-time"):
            bare = text[pos:end].replace(" ", "T")
            yield text[:pos] + "[" + (bare if len(bare) > 10 else bare + "T00:00:00Z") + "]" + text[end:]
        elif error.description == "unexpected '.'" and error.hint is not None:
            start = pos
            while start and (text[start - 1].isalnum() or text[start - 1] in "_/."):
                start -= 1
            stop = pos
            while stop < len(text) and (text[stop].isalnum() or text[stop] in "_/."):
                stop += 1
            yield text[:start] + text[start:stop].replace(".", "/") + text[stop:]
        elif error.description == "unexpected eq":
            yield text[:pos] + "=" + text[end:]
        elif error.description.startswith("unquoted pattern"):
            try:
                quoted = self.quote(text[pos:end])
            except UnrepresentableConditionError:
                return  # both quote characters in the pattern: Manage has no safe spelling, no repair
            yield text[:pos] + quoted + text[end:]

    def unsupported_error(self, feature: Feature, node: ast.Node | ast.Literal, text: str) -> Exception:
        """A prefix `not` or `not contains`: no source shows Manage accepting them."""
        span = node.span
        start, end = (span.start, span.end) if span is not None else (0, len(text))
        hint: str | None = None
        if feature is Feature.PREFIX_NOT:
            end = start + 3
        if isinstance(node, (ast.Not, ast.Compare)):
            try:
                with warnings.catch_warnings():  # a hint, not a translation: no list warning here
                    warnings.simplefilter("ignore", TranslationWarning)
                    hint = f"write `{self.render(node)}`"
            except UnrepresentableConditionError:
                hint = "negate inside the comparisons instead: `!=`, `not like`, `not in`, `>=` for `not (... < ...)`"
        return ConditionSyntaxError(
            f"no source shows {self.title} accepting {feature.value}", text=text, pos=start, end_pos=end, hint=hint
        )

    # ------------------------------------------------------------------ writing

    def spell_field(self, path: str) -> str:
        """`company.id` as Manage writes it: `company/id`."""
        return field_to_manage(path)

    def quote(self, value: str, *, escape_quotes: bool = False) -> str:
        """Double quotes (as ConnectWise's own examples), single quotes for a value holding `"`.

        No source shows how the server escapes a quote inside a string, so a value holding
        both kinds is refused, unless `escape_quotes` (then `'` is doubled, unverified).

        >>> from cwa_query.dialects import get_dialect
        >>> get_dialect("manage").quote('24" screen')
        '\\'24" screen\\''
        """
        return quote_either(
            value,
            '"',
            escape_quotes=escape_quotes,
            refusal=f"the string {value!r} holds both ' and \" and cannot be sent to a Manage server safely: it "
            "accepts either quote, but no public source shows how it escapes one inside a string; remove one kind "
            "of quote (e.g. match the rest with like and '%')",
        )

    quotings = Automate.quotings  # either quote kind the value does not contain, as automate

    def respellings(self, token: str, before: str) -> tuple[str, ...]:
        """Either quote kind; `*` for `%` in a `like` pattern; a date-time with a space for
        `T` or `+00:00` for `Z`."""
        found = super().respellings(token, before)
        if before == "like":
            found += tuple(spelled[0] + spelled[1:-1].replace("%", "*") + spelled[-1] for spelled in found)
        if token.startswith("[") and "T" in token:
            found += (token.replace("T", " ", 1),)
            if token.endswith("Z]"):
                found += (token[:-2] + "+00:00]",)
        return found

    def literal(self, literal: ast.Literal, *, escape_quotes: bool = False) -> str:
        """Strings quoted, numbers as written, `true`/`false`, `null`, date-times in brackets."""
        if isinstance(literal, ast.String):
            return self.quote(literal.value, escape_quotes=escape_quotes)
        if isinstance(literal, ast.DateTime):
            return _format_datetime(literal.value)
        if isinstance(literal, ast.Null):
            return "null"
        if isinstance(literal, ast.Integer):
            return integer_text(literal.value)
        return match_text(literal)  # true/false, a decimal as written

    def describe(self, node: ast.Node | ast.Literal) -> str:
        """The node in the condition language's canonical spelling."""
        return CANONICAL.describe(node)

    def lift(self, tree: ast.Node, fields: FieldTypes = NO_FIELDS) -> ast.Node:
        """The shared tree in constructs Manage has, with the same meaning, or
        [`UntranslatableError`][cwa_query.UntranslatableError] at the construct.

        * a prefix `not` is pushed inward (De Morgan; `not (a < 1)` is `a >= 1`, exact when
          the path meets no list: `fields` is asked, and a warning issued when it cannot say);
        * `startswith "x"` is `like "x%"`, `endswith "x"` is `like "%x"`, `not contains "x"`
          is `not like "%x%"` (exact when the field is not a list), when `x` holds none of
          `%`, `_`, `*`, `[` (no escape is known);
        * `a in (1, null)` is `a in (1) or a = null` (no source shows `null` in a list);
        * a `like` pattern that needs a literal wildcard, a `contains` text holding one, and
          a field part that is a Manage keyword are refused;
        * a `like` value that is not a string is its text (the grammar wants a quoted pattern).
        """
        return push_not(
            patterns_as_strings(tree), lambda node, negate: self._predicate(node, negate, fields), join_nodes
        )

    def _predicate(self, node: ast.Predicate, negate: bool, fields: FieldTypes) -> ast.Node:
        if isinstance(node, ast.Expression):
            raise self.expression_error(node)
        if isinstance(node, ast.InList):
            return self._in_list(node, negate=negate)
        return self._compare(node, fields, negate=negate)

    def _check_field(self, node: ast.Compare | ast.InList) -> None:
        problem = _field_problem(node.field.name)
        if problem is not None:
            raise self.untranslatable(node, problem)

    def _in_list(self, node: ast.InList, *, negate: bool) -> ast.Node:
        self._check_field(node)
        negated = node.negated != negate
        values = tuple(value for value in node.values if not isinstance(value, ast.Null))
        if len(values) == len(node.values):
            return node if negated == node.negated else ast.InList(node.field, values, negated, node.span)
        null = ast.Compare(node.field, ast.Op.NE if negated else ast.Op.EQ, ast.Null(), node.span)
        if not values:
            return null
        rest = ast.InList(node.field, values, negated, node.span)
        return ast.all_of([rest, null]) if negated else ast.any_of([rest, null])

    def _compare(self, node: ast.Compare, fields: FieldTypes, *, negate: bool) -> ast.Compare:
        self._check_field(node)
        op = node.op
        if negate:
            negated = op.negated
            if negated is None:  # startswith / endswith: `not like`
                pattern = self._text_pattern(node, op)
                return ast.Compare(node.field, ast.Op.NOT_LIKE, ast.String(pattern), node.span)
            if op.is_ordering and not isinstance(node.value, ast.Null):
                self.require_one_value(node, fields)
            op = negated
        if op is ast.Op.NOT_CONTAINS:
            self.require_no_list(node, fields, "`not contains` as `not like` tests each element")
        if op in (ast.Op.STARTSWITH, ast.Op.ENDSWITH, ast.Op.NOT_CONTAINS):
            kind = ast.Op.NOT_LIKE if op is ast.Op.NOT_CONTAINS else ast.Op.LIKE
            return ast.Compare(node.field, kind, ast.String(self._text_pattern(node, op)), node.span)
        if op is ast.Op.CONTAINS:
            self._match_text(node)
        if op in (ast.Op.LIKE, ast.Op.NOT_LIKE) and isinstance(node.value, ast.String):
            problem = _like_problem(node.value.value)
            if problem is not None:
                raise self.untranslatable(node, problem)
        return node if op is node.op else ast.Compare(node.field, op, node.value, node.span)

    def _match_text(self, node: ast.Compare) -> str:
        """The text a text operator matches (a non-string literal: its text in the shared
        reading, as the automate dialect writes it), when Manage can match it the same way."""
        value = node.value
        if isinstance(value, ast.String):
            text = value.value
        elif isinstance(value, ast.DateTime) and not isinstance(value.value, _dt.datetime):
            raise self.untranslatable(
                node, "a date matched as text has no Manage spelling (Manage writes date-times, not dates)"
            )
        else:
            text = match_text(value)
        problem = _text_problem(text)
        if problem is not None:
            raise self.untranslatable(node, problem)
        return text

    def _text_pattern(self, node: ast.Compare, op: ast.Op) -> str:
        """The shared-form pattern of `startswith`/`endswith`/`contains` text (no specials in it)."""
        text = self._match_text(node)
        escaped = text.replace("\\", "\\\\")
        if op is ast.Op.STARTSWITH:
            return escaped + "%"
        if op is ast.Op.ENDSWITH:
            return "%" + escaped
        return "%" + escaped + "%"

    def generate(self, tree: ast.Node, *, escape_quotes: bool = False) -> str:
        """Canonical text: single spaces, lowercase keywords, `/` paths, strings in double
        quotes, date-times `[...Z]`, parentheses only where precedence needs them."""
        out: list[str] = []
        self._text(tree, escape_quotes, out)
        return "".join(out)

    def _text(self, node: ast.Node, escape_quotes: bool, out: list[str]) -> None:
        if isinstance(node, ast.Compare):
            out.append(self.spell_field(node.field.name))
            out.append(" ")
            out.append(node.op.value)
            out.append(" ")
            if node.op in (ast.Op.LIKE, ast.Op.NOT_LIKE) and isinstance(node.value, ast.String):
                out.append(self.quote(like_to_manage(node.value.value), escape_quotes=escape_quotes))
            else:
                out.append(self.literal(node.value, escape_quotes=escape_quotes))
        elif isinstance(node, ast.InList):
            out.append(self.spell_field(node.field.name))
            out.append(" not in (" if node.negated else " in (")
            out.append(", ".join(self.literal(v, escape_quotes=escape_quotes) for v in node.values))
            out.append(")")
        elif isinstance(node, ast.Not):
            raise UnrepresentableConditionError("Manage has no prefix not: render through lift")
        elif isinstance(node, ast.Expression):
            raise self.expression_error(node)
        else:
            write_items(node, out, lambda item: self._text(item, escape_quotes, out))

    # ------------------------------------------------------------------ what is unknown

    def notes(self, tree: ast.Node, text: str | None = None) -> Iterator[Note]:
        """The constructs of a tree read from Manage `text` whose meaning no source shows.

        A date-time with no zone, a date without a time, `_` or `[` in a `like` pattern,
        a wildcard character in `contains` text, and a backslash in a string.
        """
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Compare, ast.InList)):
                continue
            values = node.values if isinstance(node, ast.InList) else (node.value,)
            for value in values:
                yield from self._literal_notes(value)
            if isinstance(node, ast.Compare) and isinstance(node.value, ast.String):
                source = node.value.value
                if text is not None and node.value.span is not None:
                    source = text[node.value.span.start + 1 : node.value.span.end - 1]
                if node.op in (ast.Op.LIKE, ast.Op.NOT_LIKE):
                    for char, meaning in (("_", "any one character"), ("[", "itself")):
                        if char in source:
                            yield Note(
                                node.value,
                                f"no source shows what {char!r} means in a Manage like pattern (SQL Server reads "
                                f"{'any one character' if char == '_' else 'a character class'}); "
                                f"cwa_query reads it as {meaning}",
                            )
                elif node.op is ast.Op.CONTAINS and _text_problem(source) is not None:
                    yield Note(
                        node.value,
                        "Manage may read %, _, * or [ in contains text as wildcards (no source says); "
                        "cwa_query reads them as themselves",
                    )

    @staticmethod
    def _literal_notes(value: ast.Literal) -> Iterator[Note]:
        if isinstance(value, ast.DateTime):
            if not isinstance(value.value, _dt.datetime):
                yield Note(
                    value,
                    "the date-only form appears only in AI-written docs; write the date-time "
                    f"{_format_datetime(value.value)}",
                )
            elif value.value.tzinfo is None:
                yield Note(
                    value,
                    "no source says how Manage reads a date-time without a zone; cwa_query reads it as UTC: "
                    "write Z to be sure",
                )
        elif isinstance(value, ast.String) and "\\" in value.value:
            yield Note(value, "no source shows whether Manage reads a backslash as an escape; it is sent as written")


MANAGE = Manage()
"""The dialect object (the registry returns this same kind of object for `"manage"`)."""


# --------------------------------------------------------------------------- customFieldConditions


def custom_field_parts(tree: ast.Node) -> tuple[str, ast.Compare] | None:
    """The caption and the value test of a `customFieldConditions` tree of the evidenced shape
    (`caption = "X" and value <op> <literal>`, in either order), else `None`."""
    if not isinstance(tree, ast.And) or len(tree.items) != 2:
        return None
    caption = value = None
    for item in tree.items:
        if not isinstance(item, ast.Compare):
            return None
        name = item.field.name.lower()
        if name == "caption" and item.op is ast.Op.EQ and isinstance(item.value, ast.String):
            caption = item.value.value
        elif name == "value":
            value = item
    if caption is None or value is None:
        return None
    return caption, value


# --------------------------------------------------------------------------- orderBy


@dataclass(frozen=True, slots=True)
class OrderKey:
    """One key of an `orderBy`: a shared, dotted path and its direction."""

    field: str
    descending: bool = False

    def render(self) -> str:
        """`path asc` / `path desc`, as Manage writes it."""
        return f"{field_to_manage(self.field)} {'desc' if self.descending else 'asc'}"


def render_order_by(keys: Iterable[OrderKey]) -> str:
    """`orderBy` text: the keys joined by `, `."""
    return ", ".join(key.render() for key in keys)


_ORDER_FIELD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:/[A-Za-z_][A-Za-z0-9_]*)*")
_ORDER_HINT = "write `orderBy` as `path asc` or `path desc`, joined by commas: `priority/id asc, dateEntered desc`"


def _skip_blanks(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def parse_order_by(text: str) -> tuple[OrderKey, ...]:
    """Parse `orderBy` text: `path asc|desc`, comma-separated (`priority/id asc, dateEntered desc`).

    The direction is required (no source shows what the server does without one, and a
    production client checks for it) and read in any case. Errors are
    [`ConditionSyntaxError`][cwa_query.ConditionSyntaxError]s with a position and a hint.

    >>> parse_order_by("contact/name asc")
    (OrderKey(field='contact.name', descending=False),)
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_order_by() takes str, not {type(text).__name__}")

    def fail(description: str, pos: int, expected: tuple[str, ...], hint: str, width: int = 1) -> NoReturn:
        raise ConditionSyntaxError(description, text=text, pos=pos, end_pos=pos + width, expected=expected, hint=hint)

    keys: list[OrderKey] = []
    pos = _skip_blanks(text, 0)
    while True:
        match = _ORDER_FIELD_RE.match(text, pos)
        if match is None:
            if pos >= len(text):
                fail("the order is empty" if not keys else "unexpected end", pos, ("a field name",), _ORDER_HINT)
            fail(f"unexpected {text[pos]!r}", pos, ("a field name",), _ORDER_HINT)
        name = match.group()
        pos = match.end()
        if text.startswith(".", pos):
            shown = re.match(r"[\w./]*", text[match.start() :])
            fixed = shown.group().replace(".", "/") if shown else name
            fail("unexpected '.'", pos, ("'asc'", "'desc'"), f"Manage joins path parts with '/': write `{fixed}`")
        gap = _skip_blanks(text, pos)
        word = re.match(r"\w+", text[gap:]) if gap > pos else None
        if word is None:
            hint = f"write `{name} asc` or `{name} desc`: no source shows a default direction"
            fail(f"no direction after {name}", pos, ("'asc'", "'desc'"), hint)
        direction = word.group()
        if direction.lower() not in ("asc", "desc"):
            hint = f"write `{name} asc` or `{name} desc`"
            fail(f"unexpected {direction!r}", gap, ("'asc'", "'desc'"), hint, len(direction))
        keys.append(OrderKey(field_from_manage(name), direction.lower() == "desc"))
        pos = _skip_blanks(text, gap + len(direction))
        if pos == len(text):
            return tuple(keys)
        if text[pos] != ",":
            fail(f"unexpected {text[pos]!r}", pos, ("','", "the end of the order"), "join order keys with a comma")
        pos = _skip_blanks(text, pos + 1)

"""The `Dialect` base class and the `Feature` names every dialect declares."""

from __future__ import annotations

import contextlib
import enum
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypeAlias, TypeVar

from ..errors import (
    ConditionError,
    ConditionSyntaxError,
    TranslationWarning,
    UnrepresentableConditionError,
    UntranslatableError,
)
from ..language import ast
from ..language._driver import DEFAULT_LIMITS, Grammar, ParseLimits
from ..language.literals import match_text
from ._fields import NO_FIELDS, FieldTypes, Schemas

__all__ = [
    "MAX_RENDER_DEPTH",
    "op_feature",
    "patterns_as_strings",
    "join_nodes",
    "push_not",
    "UnsupportedLevel",
    "inexact",
    "unsupported_level",
    "LEVEL_VAR",
    "Dialect",
    "DialectLike",
    "Feature",
    "Note",
    "caller_level",
    "check_depth",
    "features_used",
    "registered",
]

MAX_RENDER_DEPTH = 400
"""Trees deeper than this many logical levels are refused by rendering and translation."""


class Feature(enum.Enum):
    """A construct a dialect may or may not have; ask with [`Dialect.supports`][cwa_query.dialects.Dialect.supports].

    The value is how the construct is named in messages.
    """

    PREFIX_NOT = "prefix `not (...)`"
    STARTSWITH = "`startswith`"
    ENDSWITH = "`endswith`"
    CONTAINS = "`contains`"
    NOT_CONTAINS = "`not contains`"
    LIKE = "`like`"
    NOT_LIKE = "`not like`"
    IN = "`in (...)`"
    NOT_IN = "`not in (...)`"
    NULL = "`null`"
    BOOLEANS = "boolean literals (true/false)"
    DATE_LITERALS = "unquoted date literals"
    QUOTED_DATES = "dates written as quoted strings"
    QUOTED_NUMBERS = "numbers written as quoted strings"
    EQ_KEYWORD = "the `eq` keyword"
    DOUBLE_QUOTES = "double-quoted strings"
    EXPRESSIONS = "OData expressions (text compared exactly, arithmetic, functions, lambdas)"


_OP_FEATURES = {
    ast.Op.STARTSWITH: Feature.STARTSWITH,
    ast.Op.ENDSWITH: Feature.ENDSWITH,
    ast.Op.CONTAINS: Feature.CONTAINS,
    ast.Op.NOT_CONTAINS: Feature.NOT_CONTAINS,
    ast.Op.LIKE: Feature.LIKE,
    ast.Op.NOT_LIKE: Feature.NOT_LIKE,
}
_LITERAL_FEATURES: dict[type[Any], Feature] = {
    ast.Null: Feature.NULL,
    ast.Boolean: Feature.BOOLEANS,
    ast.DateTime: Feature.DATE_LITERALS,
}


def op_feature(op: ast.Op) -> Feature | None:
    """The feature an operator needs (`None`: every dialect has it: `=`, `!=`, `<`, ...).

    >>> op_feature(ast.Op.NOT_LIKE), op_feature(ast.Op.GE)
    (<Feature.NOT_LIKE: '`not like`'>, None)
    """
    return _OP_FEATURES.get(op)


_PATTERN_OPS = frozenset({ast.Op.STARTSWITH, ast.Op.ENDSWITH, ast.Op.LIKE, ast.Op.NOT_LIKE})


def patterns_as_strings(tree: ast.Node, ops: frozenset[ast.Op] = _PATTERN_OPS) -> ast.Node:
    """The tree with the value of every predicate using one of `ops` (by default
    `startswith`, `endswith`, `like`, `not like`) a string literal: grammars take a quoted
    pattern there, and the test is the same, since a text operator matches a literal's
    text (`Name startswith 0` is `Name startswith '0'`).

    >>> from cwa_query import parse
    >>> patterns_as_strings(ast.Compare(ast.Field("Name"), ast.Op.LIKE, ast.Integer(5))) == parse("Name like '5'")
    True
    """

    def predicate(node: ast.Node) -> ast.Node:
        if isinstance(node, ast.Compare) and node.op in ops and not isinstance(node.value, (ast.String, ast.Null)):
            return ast.Compare(node.field, node.op, ast.String(match_text(node.value)), node.span)
        return node

    return ast.map_predicates(tree, predicate)


def features_used(tree: ast.Node) -> Iterator[tuple[Feature, ast.Node | ast.Literal]]:
    """Every feature the tree uses (as a tree: spelling features need the text), with the
    node or literal that uses it, parents first.

    >>> from cwa_query import parse
    >>> [feature.name for feature, _ in features_used(parse("not (Name like 'a%' or b in (true))"))]
    ['PREFIX_NOT', 'LIKE', 'IN', 'BOOLEANS']
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.Expression):
            yield Feature.EXPRESSIONS, node
        elif isinstance(node, ast.Not):
            yield Feature.PREFIX_NOT, node
        elif isinstance(node, ast.Compare):
            op_feature = _OP_FEATURES.get(node.op)
            if op_feature is not None:
                yield op_feature, node
            literal_feature = _LITERAL_FEATURES.get(type(node.value))
            if literal_feature is not None:
                yield literal_feature, node.value
        elif isinstance(node, ast.InList):
            yield (Feature.NOT_IN if node.negated else Feature.IN), node
            for value in node.values:
                literal_feature = _LITERAL_FEATURES.get(type(value))
                if literal_feature is not None:
                    yield literal_feature, value


@dataclass(frozen=True, slots=True)
class Note:
    """A construct whose meaning on the dialect's server no source shows: the literal or
    predicate, and a message saying what is unknown and what cwa_query assumes."""

    node: ast.Node | ast.Literal
    message: str


_REGISTRY: dict[str, type[Dialect]] = {}


def registered() -> dict[str, type[Dialect]]:
    """Every dialect class defined so far, by name (the registry module imports them all)."""
    return dict(_REGISTRY)


class Dialect:
    """A language of conditions: its grammar, literals and quoting, features, rendering, and
    the way its trees are lowered to and lifted from the shared tree.

    A dialect is one subclass with a `name` (defining it registers it; add its module to
    [`cwa_query.dialects._registry`][cwa_query.dialects]); instances are obtained with
    [`get_dialect`][cwa_query.dialects.get_dialect] and are stateless. Code elsewhere asks
    the dialect (`dialect.supports(Feature.LIKE)`, `dialect.quote("x")`) and never
    compares names.

    The pipeline, for a dialect `d`:

    * `d.parse(text)`: its grammar reads the text (`read`), a construct outside `features`
      is a syntax error at its position, and `lower` gives the shared tree, whose meaning is
      the evaluator's ([`evaluate`][cwa_query.evaluate]);
    * `translate(tree, source, target)`: `target.lift` rewrites the shared tree into
      constructs the target has, keeping the meaning (or raising
      [`UntranslatableError`][cwa_query.UntranslatableError], or warning with
      [`TranslationWarning`][cwa_query.errors.TranslationWarning] when the rewrite is exact
      only for, say, single-valued fields and nothing says the field is one);
    * `d.render(tree)`: `spell` (by default `lift`) then `generate` writes the text.

    >>> from cwa_query.dialects import get_dialect, Feature
    >>> automate = get_dialect("automate")
    >>> automate.supports(Feature.LIKE), automate.supports(Feature.STARTSWITH)
    (True, False)
    >>> tree = get_dialect("seed").parse("not (Name startswith 'a')")
    >>> automate.render(tree)
    "Name not like 'a%'"
    >>> automate.parse("not (Name like 'a%')")
    Traceback (most recent call last):
    ...
    cwa_query.errors.ConditionSyntaxError: the automate server has no prefix `not (...)` at line 1, column 1...
    """

    name: ClassVar[str] = ""
    """The registry key (`"seed"`); empty for an abstract base."""
    title: ClassVar[str] = ""
    """How messages name the dialect: `"the automate server"`."""
    features: ClassVar[frozenset[Feature]] = frozenset()
    """The constructs the dialect has."""
    parameters: ClassVar[tuple[str, ...]] = ()
    """The API's query parameters this language fills, when there are several (`manage`);
    the linter's `parameter=` takes one of them."""
    own_field_parameters: ClassVar[frozenset[str]] = frozenset()
    """Those of `parameters` whose fields are not the endpoint's (`customFieldConditions`
    compares `caption` and `value`): the catalogue is not asked about them."""
    schema_file: ClassVar[str | None] = None
    """The built-in field catalogue (a file in `cwa_query/data/`), if the dialect has one."""
    field_names_by_endpoint: ClassVar[Mapping[str, Mapping[str, str]]] = {}
    """Fields this dialect names differently from the real server: endpoint -> this
    dialect's name -> the server's path (see `field_names`)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("name")
        if name:
            _REGISTRY[name] = cls

    def __repr__(self) -> str:
        return f"<Dialect {self.name or type(self).__name__}>"

    def __str__(self) -> str:
        return self.name

    # ------------------------------------------------------------------ features

    def supports(self, feature: Feature) -> bool:
        """Whether the dialect has `feature`."""
        return feature in self.features

    def unsupported(self, tree: ast.Node, text: str | None = None) -> Iterator[tuple[Feature, ast.Node | ast.Literal]]:
        """The constructs of `tree` (read from `text`, when given) the dialect lacks, in order."""
        for feature, node in features_used(tree):
            if feature not in self.features:
                yield feature, node

    def notes(self, tree: ast.Node, text: str | None = None) -> Iterator[Note]:
        """Constructs of a tree (read from `text`) whose meaning on the dialect's server no
        source shows, with what cwa_query assumes (the linter's `unknown-meaning` warns about
        them). None by default."""
        return iter(())

    # ------------------------------------------------------------------ text -> tree

    def grammar(self) -> Grammar | None:
        """The grammar that reads the dialect's text (its lexer and reserved words), or None.

        The strategies (`cwa_query.strategies`) spell and break text with it: keywords in
        any letter case, spaces varied between its tokens, tokens edited into near misses.
        """
        return None

    def read(self, text: str, limits: ParseLimits = DEFAULT_LIMITS) -> ast.Node:
        """The tree as the dialect's grammar reads `text`, before any feature check."""
        grammar = self.grammar()
        if grammar is None:
            raise NotImplementedError(f"{type(self).__name__} has no grammar")
        tree: ast.Node = grammar.parse(text, limits)
        return tree

    def parse(self, text: str, *, limits: ParseLimits = DEFAULT_LIMITS) -> ast.Node:
        """`text` read in this dialect and lowered to the shared tree.

        A construct the dialect does not have is a
        [`ConditionSyntaxError`][cwa_query.ConditionSyntaxError] at its position.
        """
        if not isinstance(text, str):
            raise TypeError(f"parse() takes the condition as str, not {type(text).__name__}")
        tree = self.read(text, limits)
        for feature, node in self.unsupported(tree, text):
            raise self.unsupported_error(feature, node, text)
        return self.lower(tree)

    def repairs(self, text: str, error: ConditionSyntaxError) -> Iterator[str]:
        """Corrected texts to try for a syntax error of this dialect's own (the linter offers
        the first that parses as a fix). None by default; the linter has its own for the
        mistakes every dialect shares (`==`, `&&`, unquoted words)."""
        return iter(())

    def unsupported_error(self, feature: Feature, node: ast.Node | ast.Literal, text: str) -> Exception:
        """The syntax error for a construct the dialect lacks."""
        span = node.span
        start, end = (span.start, span.end) if span is not None else (0, len(text))
        return ConditionSyntaxError(
            f"{self.title or self.name} has no {feature.value}", text=text, pos=start, end_pos=end
        )

    def read_shared(
        self, text: str, fields: FieldTypes, limits: ParseLimits = DEFAULT_LIMITS, *, keep: bool = False
    ) -> ast.Node:
        """`text` read and lowered to the shared tree with what `fields` says of the fields
        (what `translate` does with text: `lower(read(text))` by default; a dialect whose
        own tree is not the shared one, such as OData, lowers while reading). With `keep`
        (the target can say `ast.Expression`s), what has no exact `Compare`/`InList` form is
        kept as an Expression rather than refused.
        """
        tree = self.read(text, limits)
        check_depth(tree)
        return self.lower(tree, fields)

    def lower(self, tree: ast.Node, fields: FieldTypes = NO_FIELDS) -> ast.Node:
        """The shared tree for a tree as this dialect reads it (identity by default).

        `fields` says what is known of the fields (a dialect that quotes dates reads a
        quoted date on a date-time field as a date).
        """
        return tree

    # ------------------------------------------------------------------ tree -> text

    def lift(self, tree: ast.Node, fields: FieldTypes = NO_FIELDS) -> ast.Node:
        """The shared tree rewritten into constructs this dialect has, with the same meaning.

        Raises [`UntranslatableError`][cwa_query.UntranslatableError] for a construct with
        no faithful rewrite; `fields` tells which fields are lists or date-times, and a
        rewrite that is exact only for some kinds of field is refused when the field is
        known not to be one, and warned about ([`TranslationWarning`][cwa_query.errors.TranslationWarning])
        when nothing is known (see `require`). The default refuses every construct the
        dialect lacks.
        """
        for feature, node in self.unsupported(tree):
            raise self.untranslatable(node, f"{self.title or self.name} has no {feature.value}")
        return tree

    def lower_expressions(self, tree: ast.Node, fields: FieldTypes) -> ast.Node:
        """The tree with each [`Expression`][cwa_query.language.ast.Expression] this dialect
        read written as the shared tree where its rewrite allows (exact, or exact only under a
        condition, by the caller's level), for a target that cannot say Expressions; refused
        where there is none. A dialect that reads no Expression returns the tree as is."""
        return tree

    def check_expressions(self, tree: ast.Node) -> None:
        """Refuse an [`Expression`][cwa_query.language.ast.Expression] (a test with OData's
        meaning that the condition language cannot say) unless the dialect has them: a
        reader keeps one only where no `Compare`/`InList` means the same."""
        if self.supports(Feature.EXPRESSIONS):
            return
        for node in ast.walk(tree):
            if isinstance(node, ast.Expression):
                raise self.expression_error(node)

    def expression_error(self, node: ast.Expression) -> UntranslatableError:
        """The refusal of an `Expression` by a dialect that has none."""
        return self.untranslatable(
            node,
            f"{self.title or self.name} has no counterpart: it compares with OData's meaning "
            "(text exactly, a missing value as unequal, no list fan-out) or uses arithmetic, "
            "functions or lambdas",
        )

    def field_names(self, endpoint: str | None) -> dict[str, str]:
        """This dialect's field names that the real server calls otherwise, for `endpoint`
        (this dialect's name -> the server's path); empty without an endpoint (the same
        name may map differently per endpoint: `ClientID` is `Client.Id` on Computers and
        `Id` on Clients). `translate` renames through it."""
        if endpoint is None:
            return {}
        for name, names in self.field_names_by_endpoint.items():
            if name.lower() == endpoint.strip().strip("/").rsplit("/", 1)[-1].lower():
                return dict(names)
        return {}

    def spell(self, tree: ast.Node, fields: FieldTypes = NO_FIELDS) -> ast.Node:
        """The tree as `render` writes it: `lift` by default (a dialect may write any tree
        as it is instead, and leave the checking to the linter)."""
        return self.lift(tree, fields)

    def require(self, node: ast.Node | ast.Literal, holds: bool | None, condition: str) -> None:
        """Go on with a rewrite that is exact only if `condition` (in words) holds for `node`:
        `holds` is what is known (`None`: nothing). False refuses with
        [`UntranslatableError`][cwa_query.UntranslatableError]; `None` warns with a
        [`TranslationWarning`][cwa_query.errors.TranslationWarning]."""
        if holds:
            return
        if holds is None:
            self.warn(node, f"exact only if {condition}; nothing says so (pass a schema that knows the field)")
            return
        raise self.untranslatable(node, f"the rewrite is exact only if {condition}, and it is not")

    def require_one_value(self, node: ast.Compare, fields: FieldTypes) -> None:
        """`require` that the field meets no list on its path: negating an ordering
        (`not (a < 1)` as `a >= 1`) is exact only then (over a list `<` means "some element")."""
        through = fields.through_list(node.field)
        self.require(
            node,
            None if through is None else not through,
            f"{node.field.name} holds one value, not a list (over a list `{node.op.value}` holds when some "
            "element does, so its negation is not the opposite operator)",
        )

    def require_no_list(self, node: ast.Compare, fields: FieldTypes, what: str) -> None:
        """`require` that the field's value is not a list: `what` (a rewrite of `contains` as a
        substring test, say) is exact only then (on a list `contains` tests membership)."""
        holds_list = fields.holds_list(node.field)
        self.require(
            node,
            None if holds_list is None else not holds_list,
            f"{node.field.name} is not a list but holds text ({what}; on a list `contains` tests membership)",
        )

    def warn(self, node: ast.Node | ast.Literal, message: str) -> None:
        """Issue a [`TranslationWarning`][cwa_query.errors.TranslationWarning] about `node`."""
        inexact(self.describe(node), self.name, message, node.span)

    def untranslatable(self, node: ast.Node | ast.Literal, reason: str) -> UntranslatableError:
        """An [`UntranslatableError`][cwa_query.UntranslatableError] for `node`, at its span."""
        return UntranslatableError.at(self.describe(node), target=self.name, reason=reason, span=node.span)

    def describe(self, node: ast.Node | ast.Literal) -> str:
        """A short text for `node` in messages (its canonical spelling where there is one)."""
        return type(node).__name__

    def spell_field(self, path: str) -> str:
        """A field path (dotted, as the shared tree holds it) as this dialect writes it."""
        return path

    def quote(self, value: str, *, escape_quotes: bool = False) -> str:
        """A string literal's text in this dialect: the only place quote characters are written."""
        raise NotImplementedError

    def quotings(self, value: str) -> tuple[str, ...]:
        """Every text the dialect reads as the string `value` (for spelling variety in tests);
        by default the one `quote` writes."""
        return (self.quote(value),)

    def respellings(self, token: str, before: str) -> tuple[str, ...]:
        """Every text the dialect reads as `token`, one of the tokens `generate` writes
        (`before`: the token before it, lowercase), for spelling variety in tests: by default
        a string's `quotings`, else the token alone."""
        quote = token[:1]
        if quote in ("'", '"') and len(token) >= 2 and token[-1] == quote:
            value = token[1:-1].replace(quote * 2, quote)
            try:
                spellings = self.quotings(value)
            except UnrepresentableConditionError:
                return (token,)
            if token in spellings:
                return spellings
        return (token,)

    def literal(self, literal: ast.Literal, *, escape_quotes: bool = False) -> str:
        """The text of one literal in this dialect."""
        raise NotImplementedError

    def generate(self, tree: ast.Node, *, escape_quotes: bool = False) -> str:
        """The text of a tree already in this dialect's constructs (see `lift`)."""
        raise NotImplementedError

    def render(
        self,
        tree: ast.Node,
        *,
        escape_quotes: bool = False,
        schema: Schemas = None,
        endpoint: str | None = None,
    ) -> str:
        """The text of a shared tree in this dialect: `generate(spell(tree))`."""
        check_depth(tree)
        self.check_expressions(tree)
        fields = FieldTypes(schema, endpoint)
        return self.generate(self.spell(tree, fields), escape_quotes=escape_quotes)


_T = TypeVar("_T")


def push_not(
    tree: ast.Node,
    predicate: Callable[[ast.Predicate, bool], _T],
    join: Callable[[bool, list[_T]], _T],
    negate: bool = False,
) -> _T:
    """The tree written without a prefix `not`, which is pushed inward (De Morgan, exact in
    three-valued logic): `predicate(node, negate)` writes a predicate (or, with `negate`,
    its negation: true exactly where it is false), `join(all_, items)` an `and` (`all_`) or
    an `or`. The one implementation every dialect's rewrite and the OData lifting use.

    >>> from cwa_query import parse, render
    >>> flip = lambda node, negate: ast.Not(node) if negate else node
    >>> render(push_not(parse("not (a = 1 and not (b = 2 or c = 3))"), flip, join_nodes), "seed")
    'not (a = 1) or b = 2 or c = 3'
    """
    while isinstance(tree, ast.Not):
        tree, negate = tree.operand, not negate
    if isinstance(tree, (ast.And, ast.Or)):
        items = [push_not(item, predicate, join, negate) for item in tree.items]
        return join(isinstance(tree, ast.And) != negate, items)
    return predicate(tree, negate)


def join_nodes(all_: bool, items: list[ast.Node]) -> ast.Node:
    """`items` joined with `and` (`all_`) or `or`: the `join` of `push_not` for a condition tree."""
    return ast.all_of(items) if all_ else ast.any_of(items)


UnsupportedLevel: TypeAlias = Literal["raise", "warn", "ignore"]
"""What a rewrite that is exact only under a condition nothing confirms does: refuse with
[`UntranslatableError`][cwa_query.UntranslatableError], warn with a
[`TranslationWarning`][cwa_query.errors.TranslationWarning] (the default), or go on silently."""

_LEVEL: ContextVar[UnsupportedLevel] = ContextVar("cwa_query_unsupported_level", default="warn")
LEVEL_VAR = _LEVEL
"""The context variable `unsupported_level()` sets, for a hot loop that sets and resets it
with a token (a generator-based context manager per item costs more than the item)."""


@contextlib.contextmanager
def unsupported_level(level: UnsupportedLevel | None) -> Iterator[None]:
    """Within the block, rewrites exact only under an unconfirmed condition `level` (see
    [`UnsupportedLevel`][cwa_query.dialects.UnsupportedLevel]); `render` and `translate` take
    it as `unsupported=` (`None`: the level around, by default `"warn"`). What has no
    faithful form at all is refused at every level.

    >>> from cwa_query import F, render
    >>> with unsupported_level("raise"):
    ...     render(F.Count == 5, "odata")
    Traceback (most recent call last):
    ...
    cwa_query.errors.UntranslatableError: cannot translate `Count = 5` to odata: ...
    """
    if level is None:
        yield
        return
    if level not in ("raise", "warn", "ignore"):
        raise ValueError(f"unsupported= takes 'raise', 'warn' or 'ignore', not {level!r}")
    token = _LEVEL.set(level)
    try:
        yield
    finally:
        _LEVEL.reset(token)


def inexact(construct: str, target: str, reason: str, span: ast.Span | None, message: str | None = None) -> None:
    """The one path of a rewrite into `target` that is exact only under a condition nothing
    confirms (`reason` says which): a `TranslationWarning` (its text `message`, by default
    built from the construct and the reason), an `UntranslatableError`, or nothing, by the
    caller's [`unsupported_level`][cwa_query.dialects.unsupported_level]."""
    level = _LEVEL.get()
    if level == "ignore":
        return
    if level == "raise":
        raise UntranslatableError.at(construct, target=target, reason=reason, span=span)
    if message is None:
        where = f" (line {span.line}, column {span.column})" if span is not None else ""
        message = f"`{construct}`{where} in {target}: {reason}"
    warnings.warn(TranslationWarning(message), stacklevel=caller_level())


_PACKAGE = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def brief(text: str, limit: int = 200) -> str:
    """`text` cut to about `limit` characters for a message (a list of 5,000 values spelled in
    each warning made translation quadratic).

    >>> brief("Id in (" + ",".join(map(str, range(100))) + ")", 30)
    'Id in (0,1,2,3,4,5,6,7,8,9,... (297 characters)'
    """
    if len(text) <= limit:
        return text
    return f"{text[: limit - 3]}... ({len(text):,} characters)"


def caller_level() -> int:
    """The `stacklevel` that points a warning issued by the calling frame at the first frame
    outside cwa_query (`warnings.warn(..., stacklevel=caller_level())`)."""
    frame = sys._getframe(1)
    level = 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame = frame.f_back
        level += 1
    return level


def check_depth(tree: ast.Node) -> None:
    """Refuse a tree nested deeper than [`MAX_RENDER_DEPTH`][cwa_query.dialects.MAX_RENDER_DEPTH]."""
    if ast.depth(tree) > MAX_RENDER_DEPTH:
        raise ConditionError(
            f"the condition nests deeper than {MAX_RENDER_DEPTH} levels; flatten it (and_/or_ take many items)"
        )


DialectLike: TypeAlias = "str | Dialect"
"""What every `dialect=` parameter accepts: a registered name or a dialect object."""

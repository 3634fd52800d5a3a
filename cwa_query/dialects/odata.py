"""The `odata` dialect: OData v4.01 `$filter` (`boolCommonExpr`), over decoded text.

OData says more than the condition language (arithmetic, lambdas, dozens of functions)
and means some of the same words differently: its text comparisons are **case-sensitive**
while the shared tree's (the Automate server's) ignore case, and its comparisons with a
`null` side are false, not unknown, so `Name ne 'x'` accepts a record without a name. Two
views, then:

* the OData tree, everything the grammar reads: [`parse_odata`][cwa_query.dialects.odata.parse_odata],
  [`render_odata`][cwa_query.dialects.odata.render_odata], and
  [`evaluate_odata`][cwa_query.odata.evaluate_odata] with OData's semantics;
* the shared tree, through the dialect: `parse(text, dialect="odata")` lowers the filter to
  a condition with **the same meaning on every record** (OData's null rules included), and
  `render(tree, "odata")` lifts a condition into a filter with the same meaning. What has no
  faithful counterpart is refused with [`UntranslatableError`][cwa_query.UntranslatableError]
  naming the construct and its position; what is exact except on two exotic characters
  (KELVIN SIGN and LATIN CAPITAL LETTER I WITH DOT ABOVE, the only ones whose Unicode
  lower case holds an ASCII letter) is translated with a
  [`TranslationWarning`][cwa_query.errors.TranslationWarning].

>>> from cwa_query import parse, render, F
>>> render(parse("contains(tolower(Name),'srv') and Client/Id eq 5", dialect="odata"), "automate")
"Name contains 'srv' and Client.Id = 5"
>>> from cwa_query import load_schema
>>> schema = load_schema(dialect="automate")
>>> render(F.Name.contains("50%") & (F.Client.Id != 5), "odata", schema=schema, endpoint="Computers")
"contains(Name,'50%') and Client/Id ne null and Client/Id ne 5 and Client/Id ne '5'"
>>> render(parse("Status = 'Online'", dialect="automate"), "odata")
"tolower(Status) eq 'online'"

Records are taken as well-typed, as an OData service requires (a compared path holds a
single value of the literal's kind, or null): on a list, or on text compared with a
number, the two languages disagree, and OData would reject the filter. Numbers meet text
in real records, though (the Automate API sends ids as JSON strings): the schema's type
of the field decides the spelling (`id`: `Id eq 5 or Id eq '5'`; text: refused), and
without a schema a number is written as it is with a `TranslationWarning`.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from collections.abc import Callable
from typing import ClassVar

from ..errors import TranslationWarning, UntranslatableError
from ..language import ast
from ..language import odata_ast as o
from ..language._driver import DEFAULT_LIMITS, Grammar, ParseLimits
from ..language._odata import ODATA, parse_expression, parse_filter
from ..language._odata_render import odata_literal, odata_refusal, quote_odata, render_odata
from ..language.literals import DATE_RE, like_pattern, text_number
from ._base import LEVEL_VAR, Dialect, Feature, brief, check_depth, inexact, push_not
from ._fields import NO_FIELDS, FieldTypes, Schemas
from ._odata_fast import FLIP, TEXT_TESTS, TO_OP, has_ascii_letter, has_other_cased, known, read_simple
from .condition import CANONICAL

__all__ = ["OData", "parse_expression", "parse_odata", "render_odata"]

_FROM_OP = {shared: odata for odata, shared in TO_OP.items()}


def parse_odata(text: str, *, limits: ParseLimits = DEFAULT_LIMITS) -> o.Expr:
    """The whole OData tree of a `$filter` value (everything the grammar reads).

    >>> parse_odata("Tags/any(t: t eq 'x')")  # doctest: +ELLIPSIS
    Lambda(collection=Field(name='Tags'), kind='any', variable='t', predicate=Binary(...))
    """
    return parse_filter(text, limits=limits)


class _Lowering:
    """OData tree -> shared tree, keeping acceptance exact (see the module docstring)."""

    def __init__(self, fields: FieldTypes | None, *, keep: bool | frozenset[int] = False) -> None:
        # Keep what has no exact shared form as an `ast.Expression` instead of refusing:
        # everything (True), or only the nodes of these ids (an Expression being lifted).
        self.keep = keep
        self.fields = fields if fields is not None else NO_FIELDS
        self.typed = fields is not None  # None: records taken as well-typed (`parse`), no checks
        self.schemaless = not self.fields.known  # every question about a field is answered None
        self.paired: set[int] = set()  # ids of comparisons exact as one of a number/digits pair
        self.dropped: set[int] = set()  # ids of the digit-text halves of such pairs
        # (node id, reason) -> the node, held so that no other node takes its id: a list of
        # 5,000 values warns once, and a node made and dropped while lifting `a != 1 and
        # b != 2` does not silence the next one's warning.
        self.warned: dict[tuple[int, str], object] = {}
        self.keeping = False  # lowering a leaf that is kept as read where it has no exact shared form

    def refuse(self, node: o.Expr | o.Argument, reason: str) -> UntranslatableError:
        if self.keeping:  # the leaf is kept as read: nobody sees the words
            return _KeptAsReadError()
        return odata_refusal(node, target="the shared condition tree", reason=reason)

    # -------------------------------------------------------------- logic

    def positive(self, node: o.Expr, negate: bool = False) -> ast.Node:
        """A shared node true exactly where `node` is true (with `negate`: where it is false)."""
        if isinstance(node, o.Logical):
            items = [self.positive(item, negate) for item in self.pair(node)]
            return known(items) if (node.op is o.BinaryOp.AND) is not negate else ast.any_of(items)
        if isinstance(node, o.Unary) and node.op is o.UnaryOp.NOT:
            return self.positive(node.operand, not negate)
        return self.kept_leaf(node, negate)

    # -------------------------------------------------------------- JSON types

    def pair(self, node: o.Logical) -> list[o.Expr]:
        """The items of `node`, each `F eq 5` joined by `or` with `F eq '5'` (`ne` joined by
        `and`) marked as one comparison and its digit-text half dropped: on a field holding
        numbers or an id (a number or its digits as text) the pair is exactly the shared
        `F = 5`, which converts (what `render(..., "odata")` writes for an id)."""
        if not self.typed:
            return list(node.items)
        want = o.BinaryOp.EQ if node.op is o.BinaryOp.OR else o.BinaryOp.NE
        numbers: dict[tuple[str, str], o.Binary] = {}  # by field and digits
        texts: dict[tuple[str, str], o.Binary] = {}
        for item in node.items:
            if not (isinstance(item, o.Binary) and item.op is want and isinstance(item.left, ast.Field)):
                continue
            digits = _digits(item.right)
            if digits is not None:
                numbers.setdefault((item.left.name, digits), item)
            elif isinstance(item.right, ast.String):
                texts.setdefault((item.left.name, item.right.value), item)
        for (name, digits), item in numbers.items():
            partner = texts.get((name, digits))
            if partner is None or not self.pairable(item, ast.Field(name)):
                continue
            self.paired.add(id(item))
            self.dropped.add(id(partner))
        return [item for item in node.items if id(item) not in self.dropped]

    def pairable(self, node: o.Expr, field: ast.Field) -> bool:
        """Whether a number/digits pair on `field` is one shared comparison (warned about
        when nothing is known of the field)."""
        kind = self.fields.type(field)
        if kind in ("id", "integer", "decimal"):
            return True
        if kind is None:
            self.warn(
                node,
                f"a number and its digits as text are taken for one comparison: exact only if "
                f"{brief(field.name, 120)} holds numbers or their canonical digits (an id), not other text",
                reason="pair",
            )
            return True
        return False

    def warn(self, node: o.Expr, message: str, *, reason: str) -> None:
        """One TranslationWarning per node and `reason` (each value of a list would repeat it)."""
        if (id(node), reason) in self.warned:
            return
        self.warned[id(node), reason] = node
        span = node.span
        where = f" (line {span.line}, column {span.column})" if span is not None else ""
        shown = brief(render_odata(node))
        full = f"`{shown}`{where} in odata: {message} (pass a schema to translate exactly)"
        inexact(shown, "the shared condition tree", message, span, full)

    def check_type(self, field: ast.Field, literal: ast.Literal, node: o.Expr, *, ordering: bool) -> None:
        """Refuse (or, knowing nothing of the field, warn about) a literal whose OData
        comparison with `field` differs from the shared one on the field's JSON values:
        OData compares numbers with numbers and text with text only, the shared tree
        converts numeric text (`'05'`, `'5.0'`) to a number. Exact: a number against a field
        of numbers (`integer`, `decimal`, `boolean`), numeric text against text (`string`,
        `datetime`, `boolean`), other text against anything but numbers and ids (OData finds
        no number equal to text, so its `ne` holds where the shared comparison is unknown)."""
        if not self.typed or id(node) in self.paired:
            return
        name = brief(field.name.replace(".", "/"), 120)  # as the OData filter spells it (and the hints)
        kind = self.fields.type(field)
        if isinstance(literal, (ast.Integer, ast.Decimal)):
            if kind in ("integer", "decimal", "boolean"):
                return
            if kind is None:
                self.warn(
                    node,
                    f"exact only if {name} holds JSON numbers; OData compares a number with numbers only, "
                    "the condition language also with numeric text ('5', which the Automate API sends for ids)",
                    reason="number",
                )
                return
            if kind == "id":
                digits = _digits(literal)
                if not ordering and digits is None:
                    return  # no id, as a number or as its digits, equals it in either language
                hint = (
                    "OData orders the text '10' before '9'"
                    if ordering
                    else f"write `{name} eq {digits} or {name} eq '{digits}'`"
                )
                raise self.refuse(node, f"{name} is an id, which the API may send as text: {hint}")
            raise self.refuse(
                node,
                f"{name} holds {kind} values: OData never finds a number equal to them, the condition "
                "language converts numeric text to a number",
            )
        if isinstance(literal, (ast.DateTime, ast.Boolean)):
            wanted, what = ("datetime", "date-time") if isinstance(literal, ast.DateTime) else ("boolean", "Boolean")
            if kind == wanted:
                return
            reason = (
                f"OData finds no {what} equal to a value that is not one (text such as '' included), so its "
                "`ne` and `not` are true there, where the condition language's comparison is unknown"
            )
            if kind is None:
                self.warn(node, f"exact only if {name} holds {what}s; {reason}", reason=what)
                return
            raise self.refuse(node, f"{name} holds {kind} values: {reason}")
        if not isinstance(literal, ast.String):
            return
        if kind == "datetime":
            raise self.refuse(
                node, f"{name} holds date-times: OData finds no date-time equal to text ({literal.value!r}), so its "
                "`ne` and `not` are true there, where the condition language reads the text as a date or finds the "
                "comparison unknown; write the date-time unquoted",
            )  # fmt: skip
        number = text_number(literal.value)
        if number is None:
            if kind in ("integer", "decimal", "boolean", "id"):
                raise self.refuse(
                    node, f"{name} holds {kind} values: OData finds no number equal to text ({literal.value!r}), "
                    "so its `ne` and `not` are true there, where the condition language's comparison is unknown",
                )  # fmt: skip
            return
        if kind in ("string", "boolean"):
            return
        if kind is None:
            self.warn(
                node,
                f"exact only if {name} holds text; OData compares text with text only, the condition "
                f"language also with numbers ({literal.value!r} equals {number})",
                reason="numeric text",
            )
            return
        if kind == "id":
            holds, hint = "ids", f"write `{name} eq {literal.value} or {name} eq '{literal.value}'`"
        else:
            holds, hint = f"{kind} values", f"write {literal.value} unquoted"
        raise self.refuse(
            node,
            f"{name} holds {holds}: OData compares numbers with text as never equal, the condition "
            f"language converts {literal.value!r} to a number; {hint}",
        )

    def check_list_types(self, field: ast.Field, values: list[ast.Literal], node: o.In, folded: bool) -> None:
        """`check_type` for each value of an `in` list, a number listed with its digits as
        text (`Id in (1,'1')`) taken as one shared value (see `pair`)."""
        if not self.typed:
            return
        texts = {value.value for value in values if isinstance(value, ast.String)}
        both = texts & {_digits(value) for value in values}
        if both and not folded and not self.pairable(node, field):
            both = set()
        for value in values:
            if (value.value if isinstance(value, ast.String) else _digits(value)) not in both:
                self.check_type(field, value, node, ordering=False)

    # -------------------------------------------------------------- leaves

    def kept_leaf(self, node: o.Expr, negate: bool) -> ast.Node:
        """`leaf`, or (keeping) the OData test itself where the shared tree cannot say it."""
        if not (self.keep is True or (self.keep and id(node) in self.keep)):
            return self.leaf(node, negate)
        # Reading keeps the meaning: a shared form exact only under a condition nothing
        # confirms (tolower() also folds KELVIN SIGN to 'k') is no shared form here. (The
        # level is set directly: `with unsupported_level()`, a generator-based context
        # manager, around each leaf made reading about 1.6 times as slow.)
        # (Untyped, the one rewrite exact only under a condition is tolower()'s, which
        # `check_case` keeps as read itself.)
        token = LEVEL_VAR.set("raise") if self.typed else None
        self.keeping = True
        try:
            return self.leaf(node, negate)
        except UntranslatableError:
            # OData's `not` is Kleene's, so `not x` is true exactly where `x` is false.
            return ast.Expression(o.Unary(o.UnaryOp.NOT, node, node.span) if negate else node, span=node.span)
        finally:
            self.keeping = False
            if token is not None:
                LEVEL_VAR.reset(token)

    def leaf(self, node: o.Expr, negate: bool) -> ast.Node:
        span = node.span
        if isinstance(node, ast.Field):
            return ast.Compare(node, ast.Op.EQ, ast.Boolean(not negate), span)
        if isinstance(node, o.Binary) and node.op in TO_OP:
            return self.comparison(node, negate)
        if isinstance(node, o.Call) and node.base is None and node.name in TEXT_TESTS:
            subject, value = node.args
            field, folded = self.subject(subject, node)
            if not isinstance(value, ast.String):
                raise self.refuse(node, "the condition language's text tests take a string")
            self.check_case(value.value, node, folded, substring=True)
            refusal = _text_function_refusal(self.fields, field)
            if refusal is not None:
                raise self.refuse(node, refusal)
            compare = ast.Compare(field, TEXT_TESTS[node.name], value, span)
            # A function of null is null: `not` keeps it unknown, as the shared `not` does.
            return ast.Not(compare, span) if negate else compare
        if isinstance(node, o.In):
            return self.in_list(node, negate)
        raise self.refuse(node, self.why_not(node))

    def why_not(self, node: o.Expr) -> str:
        if isinstance(node, o.Lambda):
            return "lambda operators (any/all) have no counterpart in the condition language"
        if isinstance(node, o.Binary) and node.op is o.BinaryOp.HAS:
            return "'has' and enumeration literals have no counterpart in the condition language"
        if isinstance(node, o.Binary) and node.op.is_arithmetic:
            return "arithmetic has no counterpart in the condition language"
        if isinstance(node, o.Unary):
            return "arithmetic negation has no counterpart in the condition language"
        if isinstance(node, o.Call):
            return f"the function {node.name}() has no counterpart in the condition language"
        if isinstance(node, (o.Member, o.Variable, o.Alias, o.Count, o.Filtered)):
            return "only paths of property names (Client/Name) have a counterpart in the condition language"
        if isinstance(node, ast.Boolean):
            return "a constant filter has no counterpart in the condition language"
        return "it is not a Boolean test the condition language can write"

    def subject(self, node: o.Expr | o.Argument, parent: o.Expr) -> tuple[ast.Field, bool]:
        """The compared path, and whether it is wrapped in `tolower()`."""
        if isinstance(node, ast.Field):
            return self.single(node, parent), False
        if isinstance(node, o.Call) and node.name == "tolower" and node.base is None:
            (inner,) = node.args
            if isinstance(inner, ast.Field):
                return self.single(inner, parent), True
        if isinstance(node, (o.NamedArgument, o.CasePair)):  # pragma: no cover - canonical calls take none
            raise self.refuse(parent, "a named argument has no counterpart in the condition language")
        if isinstance(node, ast.Literal):
            raise self.refuse(
                parent, "only a property path, or tolower() of one, is compared in the condition language"
            )
        raise self.refuse(node, self.why_not(node))

    def single(self, field: ast.Field, parent: o.Expr) -> ast.Field:
        """`field`, unless the schema says it meets a list (OData compares single values only)."""
        if self.schemaless:
            return field
        if self.fields.holds_list(field) or self.fields.through_list(field):
            raise self.refuse(parent, f"{field.name} holds a list: OData compares it with any()/all() only")
        return field

    def check_case(self, text: str, parent: o.Expr, folded: bool, *, substring: bool) -> None:
        if not folded:
            if has_ascii_letter(text):
                raise self.refuse(
                    parent,
                    "OData compares text case-sensitively and the condition language ignores case: "
                    "to match ignoring case, write tolower(Path) and a lower-case string",
                )
            return
        if text != text.lower() or has_other_cased(text):
            raise self.refuse(
                parent,
                "tolower() is compared with text holding upper-case or non-ASCII letters, "
                "which the condition language's ASCII-only case folding reads differently",
            )
        risky = _folds_exotic(text, substring=substring)
        if risky and self.keeping:  # kept as read: exact, where the rewrite is exact only mostly
            raise _KeptAsReadError()
        if risky:
            reason = (
                "tolower() also folds KELVIN SIGN to 'k' and LATIN CAPITAL LETTER I WITH DOT ABOVE to 'i', "
                "the condition language does not; the translation differs on text holding those characters"
            )
            shown = render_odata(parent)
            inexact(shown, "the shared condition tree", reason, parent.span, f"{shown}: {reason}")

    def literal(self, value: o.Expr, parent: o.Expr) -> ast.Literal:
        if isinstance(value, ast.Literal):
            return value
        if not isinstance(value, ast.ODataLiteral):
            raise self.refuse(parent, "the condition language compares a path with a literal only")
        raise self.refuse(parent, f"the literal {odata_literal(value)} has no counterpart in the condition language")

    def comparison(self, node: o.Binary, negate: bool) -> ast.Node:
        op, left, right = node.op, node.left, node.right
        if not isinstance(left, (ast.Field, o.Call)) and isinstance(right, (ast.Field, o.Call)):
            op, left, right = FLIP[op], right, left
        field, folded = self.subject(left, node)
        literal = self.literal(right, node)
        span = node.span
        if isinstance(literal, ast.Null):
            if op not in (o.BinaryOp.EQ, o.BinaryOp.NE):
                raise self.refuse(node, "an ordering with null is always false")
            positive_op = TO_OP[op] if not negate else TO_OP[o.BinaryOp.NE if op is o.BinaryOp.EQ else o.BinaryOp.EQ]
            return ast.Compare(field, positive_op, literal, span)
        if isinstance(literal, ast.String):
            if op not in (o.BinaryOp.EQ, o.BinaryOp.NE):
                raise self.refuse(node, "OData orders text by code point, the condition language after folding case")
            self.check_case(literal.value, node, folded, substring=False)
        elif folded:
            raise self.refuse(node, "tolower() of a path is compared with text only")
        self.check_type(field, literal, node, ordering=op not in (o.BinaryOp.EQ, o.BinaryOp.NE))
        # In OData a comparison is true or false, never unknown: true where the shared
        # comparison is true; false where it is false or the path is null.
        if op is o.BinaryOp.NE:
            op, negate = o.BinaryOp.EQ, not negate
        if not negate:
            return ast.Compare(field, TO_OP[op], literal, span)
        negated = TO_OP[op].negated
        assert negated is not None
        return ast.any_of([ast.Compare(field, negated, literal, span), ast.Compare(field, ast.Op.EQ, ast.Null(), span)])

    def in_list(self, node: o.In, negate: bool) -> ast.Node:
        collection = node.collection
        if not isinstance(collection, (o.ListValue, o.Array)):
            raise self.refuse(node, "'in' with a collection path has no counterpart in the condition language")
        field, folded = self.subject(node.operand, node)
        values: list[ast.Literal] = []
        has_null = False
        for item in collection.items:
            literal = self.literal(item, node)
            if isinstance(literal, ast.Null):
                has_null = True
                continue
            if isinstance(literal, ast.String):
                self.check_case(literal.value, node, folded, substring=False)
            elif folded:
                raise self.refuse(node, "tolower() of a path is compared with text only")
            values.append(literal)
        self.check_list_types(field, values, node, folded)
        span = node.span
        if not values and not has_null:
            raise self.refuse(node, "an empty 'in' list is always false; the condition language has no constant")
        if not values:
            return ast.Compare(field, ast.Op.NE if negate else ast.Op.EQ, ast.Null(), span)
        listed = ast.InList(field, tuple(values), negate, span)
        if not negate:
            return ast.any_of([listed, ast.Compare(field, ast.Op.EQ, ast.Null(), span)]) if has_null else listed
        # not in: false for a null path only when the list holds null.
        return listed if has_null else ast.any_of([listed, ast.Compare(field, ast.Op.EQ, ast.Null(), span)])


class _KeptAsReadError(UntranslatableError):
    """A leaf with no exact shared form, kept as read (`_Lowering.kept_leaf`): raised and
    caught inside the lowering, so it carries no words."""

    def __init__(self) -> None:
        Exception.__init__(self)


class _Lifting:
    """Shared tree -> OData tree, keeping acceptance exact (see the module docstring)."""

    def __init__(self, dialect: OData, fields: FieldTypes) -> None:
        self.dialect = dialect
        self.fields = fields
        # (node id, reason) -> the node, held so that no other node takes its id: a list of
        # 5,000 values warns once, and a node made and dropped while lifting `a != 1 and
        # b != 2` does not silence the next one's warning.
        self.warned: dict[tuple[int, str], object] = {}

    def warn(self, node: ast.Node, reason: str, message: Callable[[], str]) -> None:
        """One TranslationWarning per node and `reason`, its text (which spells the node) made once."""
        if (id(node), reason) in self.warned:
            return
        self.warned[id(node), reason] = node
        shown = brief(self.dialect.describe(node))
        reason = message()
        inexact(shown, "odata", reason, node.span, f"{shown}: {reason} (pass a schema to translate exactly)")

    def single(self, node: ast.Compare | ast.InList) -> None:
        """Refuse a predicate on a field the schema says meets a list: the shared tree tests
        any element, OData compares single values (on a list the service rejects the filter)."""
        if self.fields.holds_list(node.field) or self.fields.through_list(node.field):
            raise self.refuse(node, f"{node.field.name} holds a list: OData would need any()/all()")

    def refuse(self, node: ast.Node, reason: str) -> UntranslatableError:
        return self.dialect.untranslatable(node, reason)

    def positive(self, tree: ast.Node) -> o.Expr:
        """An OData expression true exactly where the shared `tree` is true."""
        return push_not(tree, self.predicate, _joined)

    def predicate(self, node: ast.Predicate, negate: bool) -> o.Expr:
        """An OData expression true exactly where `node` is true (with `negate`: false, not unknown)."""
        if isinstance(node, ast.Expression):  # Kleene's `not`: true exactly where it is false
            return o.Unary(o.UnaryOp.NOT, node.expr) if negate else node.expr
        self.single(node)
        if isinstance(node, ast.InList):
            return self.in_list(node) if node.negated == negate else self.negative_in(node)
        return self.compare(node, negate=negate)

    # -------------------------------------------------------------- text

    def text_subject(self, node: ast.Node, field: ast.Field, text: str, *, substring: bool) -> tuple[o.Expr, str]:
        """The path (in `tolower()` when the text has ASCII letters) and the text to compare."""
        if not has_ascii_letter(text):
            return field, text
        if DATE_RE.fullmatch(text):  # folded, `2024-01-01T00:00:00Z` would no longer be a date
            kind = self.fields.type(field)
            self.dialect.require(
                node,
                None if kind is None else kind == "string",
                f"{field.name} holds text (the value is also a date, which a date-time field compares as an instant)",
            )
        if has_other_cased(text):
            raise self.refuse(
                node,
                "the text mixes ASCII letters (compared ignoring case) with other letters (compared exactly): "
                "OData's tolower() folds both",
            )
        if _folds_exotic(text.lower(), substring=substring):
            reason = (
                "written with tolower(), which also folds KELVIN SIGN to 'k' and LATIN CAPITAL LETTER I WITH "
                "DOT ABOVE to 'i'; the translation differs on text holding them"
            )
            shown = self.dialect.describe(node)
            inexact(shown, "odata", reason, node.span, f"{shown}: {reason}")
        return o.Call("tolower", (field,)), text.lower()

    # -------------------------------------------------------------- numbers and JSON types

    def equal_forms(self, node: ast.Compare | ast.InList, value: ast.Literal) -> tuple[ast.Literal, ...]:
        """The OData literals whose `eq` (joined with `or`) is true exactly where the shared
        `field = value` is, after what is known of the field's JSON type.

        The shared tree converts: `Id = 5` holds for `5` and for the text `'5'` (the Automate
        document types ids as JSON strings); OData compares a number with numbers only and
        text with text only. So a field typed `id` (a number, or its digits as text) is
        compared with both (`Id eq 5 or Id eq '5'`); a number against a field the schema calls
        text, or numeric text against one it calls a number, is refused; and where nothing is
        known the literal is written as it is, with a `TranslationWarning`.
        """
        kind = self.fields.type(node.field)
        name = brief(node.field.name, 120)
        if isinstance(value, ast.String):
            number = text_number(value.value)
            if kind == "boolean":
                raise self.refuse(
                    node, f"{name} holds Booleans: OData finds none equal to text ({value.value!r}), so its `ne` "
                    "is true there, where the condition language's comparison is unknown",
                )  # fmt: skip
            if number is None and kind in ("integer", "decimal", "id"):
                raise self.refuse(
                    node, f"{name} holds numbers: OData finds none equal to the text {value.value!r}, so its `ne` "
                    "is true there, where the condition language's comparison is unknown",
                )  # fmt: skip
            if number is None or kind in ("string", "boolean", "datetime"):
                return (value,)
            if kind is None:
                self.warn(
                    node,
                    "numeric text",
                    lambda: (
                        f"exact only if {name} holds text; OData compares text with text only, the condition "
                        f"language also with numbers ({value.value!r} equals {number})"
                    ),
                )
                return (value,)
            if kind != "id":
                raise self.refuse(
                    node, f"{name} holds numbers: OData compares them with numbers only, write {number} unquoted"
                )
            if value.value != str(int(number)):
                raise self.refuse(node, f"{name} is an id: compare it with its digits ('5'), not {value.value!r}")
            return (ast.Integer(int(number)), value)
        if not isinstance(value, (ast.Integer, ast.Decimal, ast.Boolean)):
            return (value,)
        self.check_number(node, value, ordering=False)
        digits = _digits(value)
        return (value, ast.String(digits)) if kind == "id" and digits is not None else (value,)

    def check_text_against_numbers(self, node: ast.Compare | ast.InList, value: ast.Literal) -> None:
        """Warn about `field != 'text'` (non-numeric text) where nothing is known of the field:
        OData finds no number equal to text, so its `ne` is true on a number, where the
        condition language's comparison is unknown (the record is not returned). A field the
        schema types as numbers or Booleans is refused by `equal_forms`."""
        if not isinstance(value, ast.String) or text_number(value.value) is not None:
            return
        name = brief(node.field.name, 120)
        if self.fields.type(node.field) is None:
            self.warn(
                node,
                "text ne",
                lambda: (
                    f"exact only if {name} holds text; on a number OData's `ne` {value.value!r} is true, "
                    "the condition language's comparison unknown (not returned)"
                ),
            )

    def check_number(self, node: ast.Compare | ast.InList, value: ast.Literal, *, ordering: bool) -> None:
        """Refuse or warn about a number compared with a field that may hold text."""
        kind = self.fields.type(node.field)
        name = brief(node.field.name, 120)
        if kind in ("integer", "decimal", "boolean"):
            return
        if kind is None:
            self.warn(
                node,
                "number",
                lambda: (
                    f"exact only if {name} holds JSON numbers; OData compares a number with numbers only, "
                    "the condition language also with numeric text ('5'), which the Automate API sends for ids"
                ),
            )
            return
        if kind == "id" and not ordering and not isinstance(value, ast.Boolean):
            return
        if kind == "id":
            reason = f"{name} is an id, which the API may send as text ('5'): OData orders text as text"
        else:
            reason = f"{name} holds {kind} values: OData compares them with a number as never equal"
        raise self.refuse(node, reason + ", the condition language converts numeric text to a number")

    # -------------------------------------------------------------- predicates

    def compare(self, node: ast.Compare, negate: bool) -> o.Expr:
        op, field, value = node.op, node.field, node.value
        if isinstance(value, ast.Null):
            if op not in (ast.Op.EQ, ast.Op.NE):
                raise self.refuse(node, "only = and != take null")
            positive = (op is ast.Op.EQ) is not negate
            return o.Binary(o.BinaryOp.EQ if positive else o.BinaryOp.NE, field, value)
        if op in (ast.Op.NE, ast.Op.NOT_CONTAINS, ast.Op.NOT_LIKE):
            positive_op = {ast.Op.NE: ast.Op.EQ, ast.Op.NOT_CONTAINS: ast.Op.CONTAINS, ast.Op.NOT_LIKE: ast.Op.LIKE}
            return self.compare(ast.Compare(field, positive_op[op], value, node.span), not negate)
        if op is ast.Op.LIKE:
            return self.like(node, negate)
        if op in (ast.Op.CONTAINS, ast.Op.STARTSWITH, ast.Op.ENDSWITH):
            refusal = _text_function_refusal(self.fields, field)
            if refusal is not None:
                raise self.refuse(node, refusal)
            text = value.value if isinstance(value, ast.String) else CANONICAL.literal(value)  # `Ports contains 443`
            subject, folded = self.text_subject(node, field, text, substring=True)
            call = o.Call(op.value, (subject, ast.String(folded)))
            # A shared text test is unknown on null, as the OData function is: `not` agrees.
            return o.Unary(o.UnaryOp.NOT, call) if negate else call
        if isinstance(value, ast.DateTime) and not isinstance(value.value, _dt.datetime):
            value = _instant_literal(value)
            node = ast.Compare(field, op, value, node.span)
        if negate and op is ast.Op.EQ:
            self.check_text_against_numbers(node, value)
        forms = self.equal_forms(node, value) if op is ast.Op.EQ else (value,)
        if len(forms) > 1:
            if not negate:
                return _logical(o.BinaryOp.OR, [o.Binary(o.BinaryOp.EQ, field, form) for form in forms])
            return _logical(o.BinaryOp.AND, [_not_null(field), *(o.Binary(o.BinaryOp.NE, field, f) for f in forms)])
        if isinstance(value, ast.String):
            if op is not ast.Op.EQ:
                raise self.refuse(node, "the condition language orders text after folding case, OData by code point")
            subject, text = self.text_subject(node, field, value.value, substring=False)
            test = o.Binary(o.BinaryOp.EQ, subject, ast.String(text))
        else:
            if op is not ast.Op.EQ and isinstance(value, (ast.Integer, ast.Decimal, ast.Boolean)):
                self.check_number(node, value, ordering=True)
            test = o.Binary(_FROM_OP[op], field, value)
        if not negate:
            return test
        if op is ast.Op.EQ and not isinstance(test.left, o.Call):
            return _logical(o.BinaryOp.AND, [_not_null(field), o.Binary(o.BinaryOp.NE, field, value)])
        if op.is_ordering:
            negated = op.negated
            assert negated is not None
            return o.Binary(_FROM_OP[negated], field, value)
        return _logical(o.BinaryOp.AND, [_not_null(field), o.Unary(o.UnaryOp.NOT, test)])

    def like(self, node: ast.Compare, negate: bool) -> o.Expr:
        value = node.value
        if not isinstance(value, ast.String):
            raise self.refuse(node, "like takes a string pattern")
        matched = like_pattern(value.value)
        if matched is None:
            raise self.refuse(
                node, "a like pattern with '_', an inner or lone '%' (or a trailing backslash) has no OData counterpart"
            )
        op, text = matched
        if op is ast.Op.EQ:  # `like 'x'` tests text; `eq 'x'` also converts numbers and dates
            kind = self.fields.type(node.field)
            self.dialect.require(node, None if kind is None else kind == "string", f"{node.field.name} holds text")
        return self.compare(ast.Compare(node.field, op, ast.String(text), node.span), negate)

    def in_list(self, node: ast.InList) -> o.In:
        forms: dict[ast.Literal, None] = {}  # in order, each once (a list's `in` would be quadratic)
        for listed in node.values:
            value = _instant_literal(listed) if isinstance(listed, ast.DateTime) else listed
            for form in (value,) if isinstance(value, ast.Null) else self.equal_forms(node, value):
                forms.setdefault(form, None)
        values = list(forms)
        texts = [v.value for v in values if isinstance(v, ast.String)]
        if not any(has_ascii_letter(t) for t in texts):
            return o.In(node.field, o.ListValue(tuple(values)))
        if len(texts) != len(values) - sum(isinstance(v, ast.Null) for v in values):
            raise self.refuse(node, "a list mixing text with letters and other values has no exact OData form")
        folded: list[o.ODataLiteral] = []
        for value in values:
            if isinstance(value, ast.String):
                _, text = self.text_subject(node, node.field, value.value, substring=False)
                folded.append(ast.String(text))
            else:
                folded.append(value)
        return o.In(o.Call("tolower", (node.field,)), o.ListValue(tuple(folded)))

    def negative_in(self, node: ast.InList) -> o.Expr:
        for value in node.values:
            self.check_text_against_numbers(node, value)
        listed = self.in_list(node)
        if any(isinstance(v, ast.Null) for v in node.values):
            return o.Unary(o.UnaryOp.NOT, listed)
        return _logical(o.BinaryOp.AND, [_not_null(node.field), o.Unary(o.UnaryOp.NOT, listed)])


def _folds_exotic(lowered: str, *, substring: bool) -> bool:
    """Whether OData's tolower() of some text meets the lower-case `lowered` where the shared
    tree's ASCII-only folding does not: it also folds KELVIN SIGN to 'k', and LATIN CAPITAL
    LETTER I WITH DOT ABOVE to 'i' + COMBINING DOT ABOVE, which a substring test meets at any
    'i', an equality only where the text holds that pair."""
    return "k" in lowered or ("i" in lowered and (substring or "i\u0307" in lowered))


def _digits(value: o.Expr) -> str | None:
    """The digits of an integral number literal (`5`, `5.0`: `'5'`, as an id may be sent), else None."""
    if isinstance(value, (ast.Integer, ast.Decimal)) and value.value == int(value.value):
        return str(int(value.value))
    return None


def _text_function_refusal(fields: FieldTypes, field: ast.Field) -> str | None:
    """Why OData's text function on `field` differs from the shared text test, if the schema
    says the field holds numbers: OData's is null there, the shared one reads the digits."""
    kind = fields.type(field)
    if kind not in ("integer", "decimal", "boolean", "id"):
        return None
    return (
        f"{field.name} holds {kind} values: OData's text functions take text only, the "
        "condition language's read a number's digits"
    )


def _instant_literal(value: ast.DateTime) -> ast.DateTime:
    """A date as the instant the shared tree compares it as (its midnight in UTC): OData's Date
    literal against a DateTimeOffset field selects other records (7 of 60 in issue 21)."""
    if isinstance(value.value, _dt.datetime):
        return value
    return ast.DateTime(_dt.datetime.combine(value.value, _dt.time(), _dt.UTC), value.span)


def _not_null(field: ast.Field) -> o.Expr:
    return o.Binary(o.BinaryOp.NE, field, ast.Null())


def _joined(all_: bool, items: list[o.Expr]) -> o.Expr:
    return _logical(o.BinaryOp.AND if all_ else o.BinaryOp.OR, items)


def _logical(op: o.BinaryOp, items: list[o.Expr]) -> o.Expr:
    """`items` joined with `op`, nested ones of the same `op` spliced in, repeats dropped."""
    flat: list[o.Expr] = []
    for item in items:
        for part in item.items if isinstance(item, o.Logical) and item.op is op else (item,):
            if part not in flat:
                flat.append(part)
    return flat[0] if len(flat) == 1 else o.Logical(op, tuple(flat))


class OData(Dialect):
    """OData v4.01 `$filter` (see the module docstring for the two views)."""

    name = "odata"
    title = "OData"
    features: ClassVar[frozenset[Feature]] = frozenset(
        {
            Feature.PREFIX_NOT,
            Feature.STARTSWITH,
            Feature.ENDSWITH,
            Feature.CONTAINS,
            Feature.NOT_CONTAINS,
            Feature.IN,
            Feature.NOT_IN,
            Feature.NULL,
            Feature.BOOLEANS,
            Feature.DATE_LITERALS,
            Feature.EXPRESSIONS,
        }
    )

    fast_reading: ClassVar[bool] = True
    """Whether `read` takes the simple shape of a filter through the one-pass fast reader
    (`cwa_query.dialects._odata_fast`, proven to give the grammar path's trees and errors);
    tests turn it off to compare."""

    def grammar(self) -> Grammar:
        """`grammar/odata.lark`."""
        return ODATA

    def read(self, text: str, limits: ParseLimits = DEFAULT_LIMITS) -> ast.Node:
        """The filter as a condition tree: `Compare`/`InList` where one means the same on
        every (well-typed) record, an [`Expression`][cwa_query.language.ast.Expression] with
        OData's meaning elsewhere (see `parse_odata` for the OData expression alone)."""
        if self.fast_reading:
            tree = read_simple(text, limits)
            if tree is not None:
                return tree
        return self.lower_odata(parse_filter(text, limits=limits), keep=True)

    def parse(self, text: str, *, limits: ParseLimits = DEFAULT_LIMITS) -> ast.Node:
        """The shared tree with the filter's meaning on every (well-typed) record.

        Raises [`ConditionSyntaxError`][cwa_query.ConditionSyntaxError] for text that is no
        `$filter`, and nothing else: what the condition language cannot say with the same
        meaning (text compared exactly, arithmetic, lambdas, ...) is kept as an
        [`Expression`][cwa_query.language.ast.Expression], which rendering in another
        dialect refuses.
        """
        if not isinstance(text, str):
            raise TypeError(f"parse() takes the filter as str, not {type(text).__name__}")
        return self.read(text, limits)

    def lower_odata(
        self,
        tree: o.Expr,
        text: str | None = None,
        fields: FieldTypes | None = None,
        *,
        keep: bool | frozenset[int] = False,
    ) -> ast.Node:
        """The shared tree for an OData tree, or `UntranslatableError` at the construct.

        `fields` says what is known of the fields' JSON types: OData compares a number with
        numbers only, the shared tree also with numeric text, so `Id eq 1` is refused on an
        id (which the API may send as `'1'`; write `Id eq 1 or Id eq '1'`), made silently on
        an `integer` field, and made with a `TranslationWarning` when nothing is known
        (`NO_FIELDS`). `None` (what `parse` does) takes the records as well-typed for the
        literals (a number compared with a number) and checks nothing. With `keep`, a test
        with no exact shared form is kept as an `ast.Expression` instead of refused. (`text`
        is not needed: a refusal shows the construct itself; it stays for callers that pass it.)
        """
        return _Lowering(fields, keep=keep).positive(tree)

    def lower_expressions(self, tree: ast.Node, fields: FieldTypes) -> ast.Node:
        """Each `Expression` lowered as `translate` lowers the filter's text: `tolower(s) eq
        'kiosk'`, kept exact by `parse`, becomes `s = 'kiosk'` with a warning (KELVIN SIGN)."""

        def lowered(node: ast.Node) -> ast.Node:
            if isinstance(node, ast.Expression):
                return self.lower_odata(node.expr, fields=fields)
            return node

        return ast.map_predicates(tree, lowered)

    def lift_odata(self, tree: ast.Node, fields: FieldTypes = NO_FIELDS) -> o.Expr:
        """The OData tree for a shared tree, or `UntranslatableError` at the construct."""
        check_depth(tree)
        return _Lifting(self, fields).positive(tree)

    def read_shared(
        self, text: str, fields: FieldTypes, limits: ParseLimits = DEFAULT_LIMITS, *, keep: bool = False
    ) -> ast.Node:
        """The filter lowered with what `fields` says of the JSON types (see `lower_odata`);
        with `keep`, what has no exact shared form stays an `ast.Expression`."""
        return self.lower_odata(parse_filter(text, limits=limits), fields=fields, keep=keep)

    def lift(self, tree: ast.Node, fields: FieldTypes = NO_FIELDS) -> ast.Node:
        """The shared tree as OData reads the rendering of `tree` (what `translate` returns)."""
        lifted = self.lift_odata(tree, fields)
        # What came from an Expression stays one; what was lifted from Compare/InList must
        # lower back exactly (a check on the lifting).
        kept = frozenset(
            id(part)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expression)
            for part in ast.walk_expression(node.expr)
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TranslationWarning)  # said once, by lift_odata
            return self.lower_odata(lifted, fields=fields, keep=kept)

    def spell_field(self, path: str) -> str:
        """A dotted path as OData writes it: `Client/Id`."""
        return path.replace(".", "/")

    def quote(self, value: str, *, escape_quotes: bool = False) -> str:
        """Single quotes, a quote inside doubled (`escape_quotes` changes nothing: OData always doubles)."""
        return quote_odata(value)

    def literal(self, literal: ast.Literal, *, escape_quotes: bool = False) -> str:
        """The OData text of a shared literal (date-times with an offset, naive ones as UTC)."""
        return odata_literal(literal)

    def describe(self, node: ast.Node | ast.Literal) -> str:
        """The node in the condition language's canonical spelling (messages about shared trees)."""
        if isinstance(node, ast.Expression):
            return render_odata(node.expr)
        return CANONICAL.describe(node)

    def generate(self, tree: ast.Node, *, escape_quotes: bool = False) -> str:
        """The `$filter` text of a shared tree."""
        return render_odata(self.lift_odata(tree))

    def render(
        self,
        tree: ast.Node,
        *,
        escape_quotes: bool = False,
        schema: Schemas = None,
        endpoint: str | None = None,
    ) -> str:
        """The `$filter` text with the same meaning as the shared `tree` (see `lift_odata`)."""
        return render_odata(self.lift_odata(tree, FieldTypes(schema, endpoint)))

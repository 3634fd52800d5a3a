"""The one tree compiled into plain functions of a record: one dispatch from node class to a
compile function, every compiled function `(record, scope) -> value`.

A node's meaning ([`ast.Meaning`][cwa_query.language.ast.Meaning]) picks the functions here,
once: `Compare`/`InList` (the condition language's meaning: folded text, unknown null, some
element of a list, loose typing) compile to tests of one field value by its kind, fanned out
over lists; an `Expression` (OData's meaning: exact text, null false, whole lists, strict
typing) compiles its value expression, whose comparisons compare whole values. A record's
evaluation never asks which meaning it holds. `and`/`or`/`not` are Kleene's three-valued
logic for both, and one [`Budget`][cwa_query.language._evaluate._values.Budget] of steps
bounds one record's evaluation.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ...errors import ConditionError, ConditionEvaluationError
from .. import ast
from ..literals import record_instant, text_number
from ..paths import MISSING, ascii_lower, get_path, lookup
from ._functions import FUNCTIONS, arithmetic, length, negate
from ._text import LikeMatcher
from ._values import (
    INSTANT,
    INSTANT_TEXT,
    MAX_STEPS,
    NUMBER,
    ORDERING,
    TEXT,
    Budget,
    LiteralView,
    Truth,
    compare,
    equal,
    literal_view,
    scalar,
)

__all__ = ["Scope", "TruthFunction", "compile_test", "predicate_function", "truth_function"]

Scope = dict[str, Any]
Fn = Callable[[Mapping[str, Any], Scope], Any]
TruthFunction = Callable[[Mapping[str, Any]], Truth]
Test = Callable[[Any], Truth]

_BUDGET = " budget"  # a scope key no lambda variable can take (variables are identifiers)
_NO_SCOPE: Scope = {}  # the scope of a tree without expressions: nothing reads or writes it


class _Context:
    """What compiling a node needs: the meaning in force, the lambda variables in scope, and
    (on the root) whether the tree needs a budget per record."""

    __slots__ = ("budgeted", "meaning", "root", "variables")

    def __init__(self, meaning: ast.Meaning, variables: frozenset[str], root: _Context | None = None) -> None:
        self.meaning, self.variables, self.root = meaning, variables, root or self
        self.budgeted = False

    def within(self, *, meaning: ast.Meaning | None = None, variable: str | None = None) -> _Context:
        variables = self.variables if variable is None else self.variables | {variable}
        return _Context(meaning or self.meaning, variables, self.root)


# --------------------------------------------------------------------------- logic (every meaning)


def _truth(value: Any) -> Truth:
    return value if value is True or value is False else None


def _all_of(parts: tuple[Fn, ...]) -> Fn:
    def all_of(record: Mapping[str, Any], scope: Scope) -> Truth:
        result: Truth = True
        for part in parts:
            answer = part(record, scope)
            if answer is False:
                return False
            if answer is None:
                result = None
        return result

    return all_of


def _any_of(parts: tuple[Fn, ...]) -> Fn:
    def any_of(record: Mapping[str, Any], scope: Scope) -> Truth:
        result: Truth = False
        for part in parts:
            answer = part(record, scope)
            if answer:
                return True
            if answer is None:
                result = None
        return result

    return any_of


def _negated(inner: Fn) -> Fn:
    def negated(record: Mapping[str, Any], scope: Scope) -> Truth:
        answer = inner(record, scope)
        return None if answer is None else not answer

    return negated


def _compile_logical(node: ast.And | ast.Or | ast.Connective, ctx: _Context) -> Fn:
    parts = tuple(_as_test(item, _COMPILERS[type(item)](item, ctx)) for item in node.items)
    either = isinstance(node, ast.Or) or (isinstance(node, ast.Connective) and node.op is ast.BinaryOp.OR)
    return _any_of(parts) if either else _all_of(parts)


def _compile_unary(node: ast.Not | ast.Unary, ctx: _Context) -> Fn:
    if isinstance(node, ast.Unary) and node.op is not ast.UnaryOp.NOT:
        operand = _compile(node.operand, ctx)
        return lambda record, scope: negate(operand(record, scope))
    return _negated(_as_test(node.operand, _COMPILERS[type(node.operand)](node.operand, ctx)))


# --------------------------------------------------------------------------- loose typing: tests of one value
# The condition language compares a field value with a literal by the value's kind (text,
# instant text, number, instant), converting text to a number or an instant where it can.


def _by_kind(text: Test, number: Test, instant_text: Test, instant: Test) -> Test:
    """A test that hands each value, by its kind, to one of four (unknown values: `None`)."""
    handlers = {TEXT: text, NUMBER: number, INSTANT_TEXT: instant_text, INSTANT: instant}
    ordered = tuple(handlers[kind] for kind in range(len(handlers)))

    def test(value: Any) -> Truth:
        found = scalar(value)
        return None if found is None else ordered[found[0]](found[1])

    return test


def _unknown(value: Any) -> Truth:
    return None


def _ordering_test(order: Callable[[Any, Any], bool], view: LiteralView) -> Test:
    text, number, moment, itext = view.text, view.number, view.instant, view.instant_text

    def on_text(item: str) -> Truth:
        if text is not None:
            return order(ascii_lower(item), text)
        parsed = text_number(item)
        return None if parsed is None else order(parsed, number)

    def on_record_text(item: str) -> Truth:
        parsed = record_instant(item)
        return None if parsed is None else order(parsed, moment)

    def against(literal: Any) -> Test:
        return _unknown if literal is None else lambda item: order(item, literal)

    if text is not None or number is not None:
        text_test: Test = on_text
    elif moment is not None:  # a date-time literal: ISO text in a record is an instant
        text_test = on_record_text
    else:
        text_test = _unknown
    return _by_kind(text_test, against(number), against(itext), against(moment))


def _membership_test(views: Iterable[LiteralView]) -> Test:
    """`value = v1 or value = v2 or ...` in Kleene logic, with sets: fast for long lists."""
    views = list(views)
    texts = {v.text for v in views if v.text is not None}
    text_numbers = {v.number for v in views if v.text is None and v.number is not None}
    text_instants = {v.instant for v in views if v.text is None and v.number is None and v.instant is not None}
    text_unknown = any(v.text is None and v.number is None and v.instant is None for v in views)

    def on_text(item: str) -> Truth:
        if ascii_lower(item) in texts:
            return True
        result: Truth = None if text_unknown else False
        if text_numbers:
            parsed = text_number(item)
            if parsed is None:
                result = None
            elif parsed in text_numbers:
                return True
        if text_instants:  # date-time literals: ISO text in a record is an instant
            moment = record_instant(item)
            if moment is None:
                result = None
            elif moment in text_instants:
                return True
        return result

    def member_of(found: set[Any], unknown: bool) -> Test:
        return lambda item: True if item in found else (None if unknown else False)

    instant_unknown = any(v.instant is None for v in views)
    return _by_kind(
        on_text,
        member_of({v.number for v in views if v.number is not None}, any(v.number is None for v in views)),
        member_of({v.instant_text for v in views if v.instant_text is not None}, instant_unknown),
        member_of({v.instant for v in views if v.instant is not None}, instant_unknown),
    )


def _text_test(op: ast.Op, view: LiteralView) -> Test:
    needle = ascii_lower(view.match_text)
    check: Callable[[str], bool]
    if op is ast.Op.CONTAINS:

        def check(text: str) -> bool:
            return needle in text

    elif op is ast.Op.STARTSWITH:

        def check(text: str) -> bool:
            return text.startswith(needle)

    elif op is ast.Op.ENDSWITH:

        def check(text: str) -> bool:
            return text.endswith(needle)

    else:
        check = LikeMatcher(needle)

    def test(value: Any) -> Truth:
        if type(value) is str:
            return check(ascii_lower(value))
        found = scalar(value)
        if found is None or found[0] == NUMBER:
            return None
        kind, item = found
        if kind == INSTANT:
            try:
                item = item.astimezone(_dt.UTC).isoformat(timespec="microseconds")
            except OverflowError:
                return None
        return check(ascii_lower(item))

    return test


# --------------------------------------------------------------------------- some element: paths through lists


class _Many:
    """The values a path reaches through lists: `scalars` met on the way, `members` of a list at the end."""

    __slots__ = ("members", "scalars")

    def __init__(self, scalars: list[Any], members: list[Any] | tuple[Any, ...]) -> None:
        self.scalars = scalars
        self.members = members


_SEQUENCES = (list, tuple)


def _get(mapping: Any, key: str, folded: str) -> Any:
    value = lookup(mapping, key, folded)
    return None if value is MISSING else value


def _flat(items: list[Any] | tuple[Any, ...]) -> list[Any] | tuple[Any, ...]:
    """`items` with nested lists spliced in (the same object when there are none)."""
    for item in items:
        if isinstance(item, _SEQUENCES):
            break
    else:
        return items
    out: list[Any] = []
    stack: list[Iterator[Any]] = [iter(items)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, _SEQUENCES):
                stack.append(iter(item))
                break
            out.append(item)
        else:
            stack.pop()
    return out


def _fanned_path(field: ast.Field) -> Callable[[Any], Any]:
    """The value at `field`, or a `_Many` where the path meets lists."""
    steps = [(part, ascii_lower(part)) for part in field.parts]
    last = len(steps) - 1

    def slow(record: Any) -> _Many:
        values: list[Any] | tuple[Any, ...] = [record]
        for index, (key, folded) in enumerate(steps):
            values = [_get(v, key, folded) for v in values]
            if index < last:
                values = _flat(values)
        scalars: list[Any] = []
        members: list[Any] = []
        for value in values:
            if isinstance(value, _SEQUENCES):
                members.extend(_flat(value))
            else:
                scalars.append(value)
        return _Many(scalars, members)

    def get(record: Any) -> Any:
        value = record
        for key, folded in steps:
            if isinstance(value, _SEQUENCES):
                return slow(record)
            value = _get(value, key, folded)
        if isinstance(value, _SEQUENCES):
            return _Many([], _flat(value))
        return value

    if len(steps) == 1:
        key, folded = steps[0]

        def get_one(record: Any) -> Any:
            value = record.get(key, MISSING)
            if value is MISSING:
                value = _get(record, key, folded)
            if isinstance(value, _SEQUENCES):
                return _Many([], _flat(value))
            return value

        return get_one
    return get


def _leaf(field: ast.Field, test: Test, member_test: Test) -> Fn:
    get = _fanned_path(field)

    def leaf(record: Mapping[str, Any], scope: Scope) -> Truth:
        value = get(record)
        if type(value) is _Many:
            result: Truth = False
            for item in value.scalars:
                answer = test(item)
                if answer:
                    return True
                if answer is None:
                    result = None
            for item in value.members:
                answer = member_test(item)
                if answer:
                    return True
                if answer is None:
                    result = None
            return result
        if value is None:
            return None
        return test(value)

    return leaf


def _absent(value: Any) -> bool:
    return value is None or (isinstance(value, (float, _decimal.Decimal)) and value != value)


def _null_test(field: ast.Field) -> Fn:
    """`field = null`: the value is missing, `None` or NaN (for a path through lists: any is)."""
    get = _fanned_path(field)

    def is_null(record: Mapping[str, Any], scope: Scope) -> Truth:
        value = get(record)
        if type(value) is _Many:
            return any(_absent(item) for item in value.scalars)
        return _absent(value)

    return is_null


def _unknown_record(record: Mapping[str, Any], scope: Scope) -> Truth:
    return None


_POSITIVE = {ast.Op.NE: ast.Op.EQ, ast.Op.NOT_CONTAINS: ast.Op.CONTAINS, ast.Op.NOT_LIKE: ast.Op.LIKE}


def _compile_compare(node: ast.Compare, ctx: _Context) -> Fn:
    op = _POSITIVE.get(node.op, node.op)
    if isinstance(node.value, ast.Null):
        # Only `=` and `!=` test for null (two-valued); any other operator is unknown.
        if op is not ast.Op.EQ:
            return _unknown_record
        function = _null_test(node.field)
        return _negated(function) if op is not node.op else function
    view = literal_view(node.value)
    if op is ast.Op.EQ:
        test = _membership_test([view])
        function = _leaf(node.field, test, test)
    elif op in ORDERING:
        test = _ordering_test(ORDERING[op], view)
        function = _leaf(node.field, test, test)
    elif op is ast.Op.CONTAINS:
        function = _leaf(node.field, _text_test(op, view), _membership_test([view]))
    else:
        test = _text_test(op, view)
        function = _leaf(node.field, test, test)
    return _negated(function) if op is not node.op else function


def _compile_in_list(node: ast.InList, ctx: _Context) -> Fn:
    values = [v for v in node.values if not isinstance(v, ast.Null)]
    test = _membership_test(literal_view(v) for v in values)
    function = _leaf(node.field, test, test)
    if len(values) < len(node.values):  # `x in (1, null)` is `x = 1 or x = null`
        nulls = _null_test(node.field)
        function = _any_of((function, nulls)) if values else nulls
    return _negated(function) if node.negated else function


# --------------------------------------------------------------------------- whole values: expressions


def _compile_expression(node: ast.Expression, ctx: _Context) -> Fn:
    """An `Expression` compiled with its meaning (resolved here, once: the closures do not branch)."""
    if node.meaning != ast.ODATA_MEANING:
        raise ConditionError(f"no evaluator for an expression with the meaning {node.meaning}")
    ctx.root.budgeted = True
    return compile_test(node.expr, ctx.within(meaning=node.meaning))


def _compile_field(node: ast.Field, ctx: _Context) -> Fn:
    parts = node.parts
    if parts[0] in ctx.variables:  # a lambda variable, then a path into its member
        name, rest = parts[0], parts[1:]
        return lambda record, scope: get_path(scope[name], rest)
    return lambda record, scope: get_path(record, parts)


def _compile_variable(node: ast.Variable, ctx: _Context) -> Fn:
    if node.name == "$root":
        raise ConditionError("$root refers to the service: it cannot be evaluated locally")
    # $it and $this: the record being filtered (section 5.1.1.14.4), inside lambdas too
    return lambda record, scope: record


def _compile_member(node: ast.Member, ctx: _Context) -> Fn:
    if node.base is None or not node.name.isidentifier():  # a type cast `Model.Manager`, an annotation
        raise _service_dependent(node)
    base, step = _compile(node.base, ctx), (node.name,)
    return lambda record, scope: get_path(base(record, scope), step)


def _order(order: Callable[[Any, Any], bool], left: Any, right: Any) -> bool:
    """An ordering of whole values: false where either is null, a collection, or of another kind."""
    if left is None or right is None:
        return False
    if isinstance(left, (list, tuple, Mapping)) or isinstance(right, (list, tuple, Mapping)):
        return False
    result = compare(left, right)
    return False if result is None else order(result, 0)


def _has(value: Any, flags: Any) -> Truth:
    if not isinstance(value, str) or not isinstance(flags, str):
        return None
    present = {part.strip() for part in value.split(",")}
    return {part.strip() for part in flags.split(",")} <= present


def _compile_binary(node: ast.Binary, ctx: _Context) -> Fn:
    left, right = _compile(node.left, ctx), _compile(node.right, ctx)
    op = node.op
    if op is ast.BinaryOp.EQ:
        return lambda record, scope: equal(left(record, scope), right(record, scope), scope[_BUDGET])
    if op is ast.BinaryOp.NE:
        return lambda record, scope: not equal(left(record, scope), right(record, scope), scope[_BUDGET])
    if op in ORDERING:
        order = ORDERING[op]
        return lambda record, scope: _order(order, left(record, scope), right(record, scope))
    if op is ast.BinaryOp.HAS:
        return lambda record, scope: _has(left(record, scope), right(record, scope))
    return lambda record, scope: arithmetic(op, left(record, scope), right(record, scope))


def _compile_in(node: ast.In, ctx: _Context) -> Fn:
    operand, collection = _compile(node.operand, ctx), _compile(node.collection, ctx)

    def in_(record: Mapping[str, Any], scope: Scope) -> Truth:
        value, items = operand(record, scope), collection(record, scope)
        if not isinstance(items, (list, tuple)):
            return None if items is None else False
        budget: Budget = scope[_BUDGET]
        budget.spend(len(items))
        return any(equal(value, item, budget) for item in items)

    return in_


def _compile_list(node: ast.ListValue | ast.Array, ctx: _Context) -> Fn:
    items = [_compile(item, ctx) for item in node.items]
    return lambda record, scope: [item(record, scope) for item in items]


def _compile_object(node: ast.Object, ctx: _Context) -> Fn:
    members = [(name, _compile(value, ctx)) for name, value in node.members]
    return lambda record, scope: {name: value(record, scope) for name, value in members}


def _compile_lambda(node: ast.Lambda, ctx: _Context) -> Fn:
    collection = _compile(node.collection, ctx)
    variable = node.variable or ""
    want_all = node.kind == "all"
    if node.predicate is None:

        def non_empty(record: Mapping[str, Any], scope: Scope) -> bool:
            items = collection(record, scope)
            return isinstance(items, (list, tuple)) and len(items) > 0

        return non_empty
    predicate = compile_test(node.predicate, ctx.within(variable=variable))

    def lambda_(record: Mapping[str, Any], scope: Scope) -> Truth:
        items = collection(record, scope)
        if not isinstance(items, (list, tuple)):
            return False
        budget: Budget = scope[_BUDGET]
        unknown = False
        for item in items:
            budget.spend(1)
            value = predicate(record, {**scope, variable: item})
            if value is None:
                unknown = True
            elif value is not want_all:
                return not want_all
        return None if unknown else want_all

    return lambda_


def _compile_count(node: ast.Count, ctx: _Context) -> Fn:
    if node.predicate is not None:
        raise _service_dependent(node)
    collection = _compile(node.collection, ctx)
    return lambda record, scope: length(scope[_BUDGET], collection(record, scope))


def _compile_call(node: ast.Call, ctx: _Context) -> Fn:
    function = FUNCTIONS.get(node.name) if node.base is None else None
    if function is None:
        raise _service_dependent(node)
    args = [_compile(arg, ctx) for arg in node.args if not isinstance(arg, (ast.NamedArgument, ast.CasePair))]
    return lambda record, scope: function(scope[_BUDGET], *(arg(record, scope) for arg in args))


def _compile_literal(node: Any, ctx: _Context) -> Fn:
    value: Any
    if isinstance(node, ast.Null):
        value = None
    elif isinstance(node, ast.EnumValue):
        value = ",".join(node.members)
    else:
        value = node.value
    return lambda record, scope: value


def _service_dependent(node: Any) -> ConditionError:
    if isinstance(node, ast.Call):
        what = f"the function {node.name}()"
    elif isinstance(node, ast.Alias):
        what = f"the alias @{node.name}"
    else:
        what = type(node).__name__
    return ConditionError(f"{what} cannot be evaluated locally: it depends on the service")


# --------------------------------------------------------------------------- the dispatch


class _Dispatch(dict[type, Callable[[Any, "_Context"], Fn]]):
    """Node class -> compile function; a subclass compiles as its base, an unknown class is
    refused (looked up without a frame of its own: trees nest hundreds of levels)."""

    def __missing__(self, kind: type) -> Callable[[Any, _Context], Fn]:
        for base in kind.__mro__[1:]:
            if base in self:
                return self[base]
        return _refuse


def _refuse(node: Any, ctx: _Context) -> Fn:
    raise _service_dependent(node)


_COMPILERS = _Dispatch({
    ast.Compare: _compile_compare,
    ast.InList: _compile_in_list,
    ast.And: _compile_logical,
    ast.Or: _compile_logical,
    ast.Connective: _compile_logical,
    ast.Not: _compile_unary,
    ast.Unary: _compile_unary,
    ast.Expression: _compile_expression,
    ast.Field: _compile_field,
    ast.Variable: _compile_variable,
    ast.Member: _compile_member,
    ast.Binary: _compile_binary,
    ast.In: _compile_in,
    ast.ListValue: _compile_list,
    ast.Array: _compile_list,
    ast.Object: _compile_object,
    ast.Lambda: _compile_lambda,
    ast.Count: _compile_count,
    ast.Call: _compile_call,
    **dict.fromkeys(
        (ast.String, ast.Integer, ast.Decimal, ast.Boolean, ast.DateTime, ast.Null, ast.SpecialNumber,
         ast.TimeOfDay, ast.Duration, ast.Guid, ast.BinaryData, ast.EnumValue),
        _compile_literal,
    ),
})  # fmt: skip
_TESTS = (ast.Compare, ast.InList, ast.And, ast.Or, ast.Not, ast.Expression, ast.Connective, ast.In, ast.Lambda)


def _compile(node: Any, ctx: _Context) -> Fn:
    return _COMPILERS[type(node)](node, ctx)


def compile_test(node: Any, ctx: _Context) -> Fn:
    """`node` compiled to answer `True`, `False` or `None`: a value of another kind is null."""
    return _as_test(node, _COMPILERS[type(node)](node, ctx))


def _as_test(node: Any, function: Fn) -> Fn:
    if isinstance(node, _TESTS):
        return function
    if isinstance(node, ast.Binary) and (node.op.is_comparison or node.op is ast.BinaryOp.HAS):
        return function
    if isinstance(node, ast.Unary) and node.op is ast.UnaryOp.NOT:
        return function
    return lambda record, scope: _truth(function(record, scope))


def _prepare(node: ast.Node | ast.Expr) -> tuple[Fn, bool]:
    ctx = _Context(ast.CONDITION_MEANING, frozenset())
    function = compile_test(node, ctx)
    return function, ctx.budgeted


def _bounded(function: Fn, max_steps: int) -> TruthFunction:
    def truth(record: Mapping[str, Any]) -> Truth:
        if not isinstance(record, Mapping):
            raise TypeError(f"a record is a mapping, not {type(record).__name__}")
        try:
            answer: Truth = function(record, {_BUDGET: Budget(max_steps)})
        except RecursionError:
            raise ConditionEvaluationError(
                "the record nests too deeply to compare (a list or object inside itself thousands of times)",
                limit="max_steps",
            ) from None
        return answer

    return truth


def truth_function(node: ast.Node | ast.Expr, max_steps: int = MAX_STEPS) -> TruthFunction:
    """`node` compiled into `record -> True | False | None`."""
    function, budgeted = _prepare(node)
    if budgeted:
        return _bounded(function, max_steps)
    return lambda record: function(record, _NO_SCOPE)


def predicate_function(node: ast.Node | ast.Expr, max_steps: int = MAX_STEPS) -> Callable[[Mapping[str, Any]], bool]:
    """`node` compiled into `record -> bool`, true only where it is true."""
    function, budgeted = _prepare(node)
    if budgeted:
        truth = _bounded(function, max_steps)
        return lambda record: truth(record) is True
    return lambda record: function(record, _NO_SCOPE) is True

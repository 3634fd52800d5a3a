"""The `automate` dialect: the condition language as the real ConnectWise Automate server reads it.

Strings in the quote kind the value does not contain, dates unquoted, `like` / `not like`,
`not in`, `not contains`, `eq`, booleans, quoted numbers; no `startswith` / `endswith` and
no prefix `not`.

Lifting a shared tree into automate constructs (`render`, `translate`):

* `startswith 'x'` becomes `like 'x%'` and `endswith 'x'` becomes `like '%x'` (`%`, `_` and
  `\\` in the value escaped with a backslash, MySQL's default LIKE escape, so the pattern
  matches the value literally); exact;
* a prefix `not` is pushed inward (De Morgan, exact under three-valued logic):
  `not (a = 1)` is `a != 1`, `not (a in (...))` is `a not in (...)`, `not (x like p)` is
  `x not like p`, and so on, all exact for lists too; but `not (a < 1)` is `a >= 1` only
  when `a` holds one value (over a list, `<` means "some element"), so that rewrite is
  refused for a field the schema calls a list and warned about when nothing is known;
* `null` has no spelling.

>>> from cwa_query.dialects import get_dialect
>>> from cwa_query import parse
>>> get_dialect("automate").render(parse("not (a = 1 or Name startswith 'SRV_')"))
"a != 1 and Name not like 'SRV\\\\_%'"
"""

from __future__ import annotations

from ..language import ast
from ..language.literals import check_text, escape_like, match_text, quote_either
from ._base import Feature, join_nodes, push_not
from ._fields import NO_FIELDS, FieldTypes
from .condition import ConditionDialect

__all__ = ["Automate"]


class Automate(ConditionDialect):
    """The real server's dialect."""

    name = "automate"
    title = "the automate server"
    schema_file = "automate_schema.json"
    features = frozenset(
        {
            Feature.CONTAINS,
            Feature.NOT_CONTAINS,
            Feature.LIKE,
            Feature.NOT_LIKE,
            Feature.IN,
            Feature.NOT_IN,
            Feature.BOOLEANS,
            Feature.DATE_LITERALS,
            Feature.QUOTED_NUMBERS,
            Feature.EQ_KEYWORD,
            Feature.DOUBLE_QUOTES,
        }
    )

    def quote(self, value: str, *, escape_quotes: bool = False) -> str:
        """The quote kind the value does not contain; a value holding both is refused
        unless `escape_quotes` (then the quote is doubled, as the seed dialect does)."""
        return quote_either(
            value,
            "'",
            escape_quotes=escape_quotes,
            refusal=f"the string {value!r} holds both ' and \" and cannot be sent to the automate server safely: "
            "it accepts either quote but no public source shows how it escapes one inside a string; "
            "remove one kind of quote (e.g. match with like and '_'), or pass escape_quotes=True "
            "(cwa-query translate --escape-quotes) to "
            "double the quote as the seed dialect does",
        )

    def quotings(self, value: str) -> tuple[str, ...]:
        """`'...'` and `"..."`, whichever kinds the value does not contain."""
        check_text(value)
        found = tuple(quote + value + quote for quote in "'\"" if quote not in value)
        return found or (self.quote(value),)

    def lift(self, tree: ast.Node, fields: FieldTypes = NO_FIELDS) -> ast.Node:
        """`startswith`/`endswith` as `like`, a prefix `not` pushed inward (see the module
        documentation); `null` refused."""
        for feature, node in self.unsupported(tree):
            if feature is Feature.NULL:
                raise self.untranslatable(node, "the automate server has no `null`")
        return push_not(
            self.string_patterns(tree), lambda node, negate: self._predicate(node, negate, fields), join_nodes
        )

    def _predicate(self, node: ast.Predicate, negate: bool, fields: FieldTypes) -> ast.Node:
        """A predicate, or with `negate` its negation, in automate constructs."""
        if isinstance(node, ast.Expression):
            raise self.expression_error(node)
        if isinstance(node, ast.InList):
            return ast.InList(node.field, node.values, not node.negated, node.span) if negate else node
        if node.op in (ast.Op.STARTSWITH, ast.Op.ENDSWITH):
            return _like_for(node, negate)
        if not negate:
            return node
        if node.op.is_ordering:
            self.require_one_value(node, fields)
        negated = node.op.negated
        assert negated is not None
        return ast.Compare(node.field, negated, node.value, node.span)


def _like_for(node: ast.Compare, negate: bool) -> ast.Compare:
    text = escape_like(match_text(node.value))
    pattern = text + "%" if node.op is ast.Op.STARTSWITH else "%" + text
    op = ast.Op.NOT_LIKE if negate else ast.Op.LIKE
    return ast.Compare(node.field, op, ast.String(pattern), node.span)

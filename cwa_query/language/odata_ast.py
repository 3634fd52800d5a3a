"""The OData node kinds, now part of the one condition tree ([`cwa_query.language.ast`][cwa_query.language.ast]).

Kept as an alias module: every name here is the node of `ast` of the same name, except
[`Logical`][cwa_query.language.ast.Connective] (`ast.Connective`, since `ast.Logical` names
`And | Or | Not`), `walk` (`ast.walk_expression`) and `depth` (`ast.expression_depth`).

>>> from cwa_query.language import ast, odata_ast
>>> odata_ast.Binary is ast.Binary, odata_ast.Logical is ast.Connective
(True, True)
"""

from __future__ import annotations

from .ast import (
    Alias,
    Argument,
    Array,
    Binary,
    BinaryData,
    BinaryOp,
    Call,
    CasePair,
    Cast,
    Count,
    Duration,
    EnumValue,
    Expr,
    Filtered,
    Geo,
    Guid,
    In,
    IsOf,
    Lambda,
    ListValue,
    Member,
    NamedArgument,
    Object,
    ODataLiteral,
    SpecialNumber,
    TimeOfDay,
    Unary,
    UnaryOp,
    Variable,
    children,
)
from .ast import Connective as Logical
from .ast import expression_depth as depth
from .ast import walk_expression as walk

__all__ = [
    "Alias",
    "Argument",
    "Array",
    "Binary",
    "BinaryData",
    "BinaryOp",
    "Call",
    "CasePair",
    "Cast",
    "Count",
    "Duration",
    "EnumValue",
    "Expr",
    "Filtered",
    "Geo",
    "Guid",
    "In",
    "IsOf",
    "Lambda",
    "ListValue",
    "Logical",
    "Member",
    "NamedArgument",
    "ODataLiteral",
    "Object",
    "SpecialNumber",
    "TimeOfDay",
    "Unary",
    "UnaryOp",
    "Variable",
    "children",
    "depth",
    "walk",
]

"""OData v4.01 `$filter` from Python: the whole OData tree, OData's semantics, the parameter.

The `odata` dialect (`parse(text, dialect="odata")`, `render(tree, "odata")`, `translate`)
works through the shared condition tree, which holds what the condition language can
say. This module is for everything else OData has: the whole tree (arithmetic, lambdas,
every canonical function and literal), evaluated with OData's own rules.

>>> from cwa_query.odata import evaluate_odata, parse_odata, render_odata
>>> tree = parse_odata("Tags/any(t: t eq 'vip') and Price mul 2 gt 10")
>>> render_odata(tree)
"Tags/any(t:t eq 'vip') and Price mul 2 gt 10"
>>> evaluate_odata(tree, {"Tags": ["vip"], "Price": 6})
True
>>> from cwa_query import F, load_schema
>>> automate = load_schema(dialect="automate")
>>> filter_param(F.Name.startswith("SRV") & (F.Client.Id == 5), schema=automate, endpoint="Computers")
{'$filter': "startswith(tolower(Name),'srv') and (Client/Id eq 5 or Client/Id eq '5')"}
"""

from __future__ import annotations

from typing import Any

from .dialects import Schemas, get_dialect
from .dialects.odata import OData, parse_expression, parse_odata, render_odata
from .language import ast
from .language import odata_ast as nodes
from .language._evaluate import compile_odata, evaluate_odata, truth_odata
from .language._odata import parse_filter_option

__all__ = [
    "OData",
    "compile_odata",
    "evaluate_odata",
    "filter_param",
    "nodes",
    "parse_expression",
    "parse_filter_option",
    "parse_odata",
    "render_odata",
    "truth_odata",
]


def filter_param(
    cond: Any, *, key: str = "$filter", schema: Schemas = None, endpoint: str | None = None
) -> dict[str, str]:
    """The query parameter for a condition (a builder expression, shared tree, or OData tree).

    The text is not URL-encoded: hand the mapping to an HTTP client as its query
    parameters. A shared tree is lifted with its meaning kept (see the `odata` dialect);
    `schema`/`endpoint` say what its fields hold (an `id` compared with a number is
    written `Id eq 5 or Id eq '5'`; without them a number is written as it is, with a
    `TranslationWarning`).
    """
    if isinstance(cond, str):
        parse_odata(cond)  # refuse text that is no $filter, with the position
        return {key: cond}
    node = getattr(cond, "node", cond)
    if isinstance(node, ast.NODE_TYPES):
        return {key: get_dialect("odata").render(node, schema=schema, endpoint=endpoint)}
    return {key: render_odata(node)}

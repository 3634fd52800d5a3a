"""CWQ301 url-too-long: the query string a list request sends with the condition passes the budget."""

from __future__ import annotations

import urllib.parse
import warnings
from collections.abc import Iterator

from ..._query_budget import query_string_size
from ...errors import CwaQueryError, TranslationWarning
from .._context import Context
from .._model import Example, Finding, Rule, register

__all__ = ["UrlTooLongRule"]


@register
class UrlTooLongRule(Rule):
    """The query string a list request sends with the condition (paging, the parameter and the
    condition rendered for the dialect and percent-encoded) is longer than the budget
    (`url_budget`, 2,048 bytes by default, IIS's `maxQueryString`: past it the server answers
    404.15; `--url-budget` on the command line). The client splits a long top-level `in` list
    into requests under the budget for you (`Client`, `cwa-query fetch`); a list under `or` or
    `not` it cannot split: shorten it. A warning, with no fix.
    """

    code = "CWQ301"
    name = "url-too-long"
    severity = "warning"
    summary = "The query string a list request sends with the condition is longer than the budget."
    example = Example("Name in (" + ", ".join(f"'computer-{n:04d}'" for n in range(150)) + ")", None)

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.tree is None:
            return
        from ...language._render import encode

        try:
            with warnings.catch_warnings():  # only the length is wanted here, not the translation's caveats
                warnings.simplefilter("ignore", TranslationWarning)
                encoded = encode(ctx.tree, ctx.dialect)
        except CwaQueryError:
            encoded = urllib.parse.quote(ctx.text, safe="")
        parameter = ctx.parameter or (ctx.dialect.parameters[0] if ctx.dialect.parameters else "condition")
        size = query_string_size(encoded, parameter=parameter)
        if size > ctx.url_budget:
            yield Finding(
                0,
                len(ctx.text),
                f"a list request's query string with this condition is {size:,} bytes (paging, "
                f"`{parameter}=` and {len(encoded):,} of encoded condition), over the budget of {ctx.url_budget:,}; "
                "the client splits a top-level `in` list for you, else shorten it",
            )

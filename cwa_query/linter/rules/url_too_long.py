"""CWQ301 url-too-long: the encoded condition is longer than the budget."""

from __future__ import annotations

import urllib.parse
import warnings
from collections.abc import Iterator

from ...errors import CwaQueryError, TranslationWarning
from .._context import Context
from .._model import Example, Finding, Rule, register

__all__ = ["UrlTooLongRule"]


@register
class UrlTooLongRule(Rule):
    """The condition, rendered for the dialect and percent-encoded for the query string, is
    longer than the budget (`url_budget`, 2,000 characters by default; `--url-budget` on the
    command line). Servers and proxies refuse long request lines (IIS: 2,048 characters by
    default); split the query, or shorten long `in` lists. A warning, with no fix.
    """

    code = "CWQ301"
    name = "url-too-long"
    severity = "warning"
    summary = "The percent-encoded condition is longer than the URL budget."
    example = Example("Name in (" + ", ".join(f"'computer-{n:04d}'" for n in range(150)) + ")", None)

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.tree is None:
            return
        from ...language._render import encode

        try:
            with warnings.catch_warnings():  # only the length is wanted here, not the translation's caveats
                warnings.simplefilter("ignore", TranslationWarning)
                size = len(encode(ctx.tree, ctx.dialect))
        except CwaQueryError:
            size = len(urllib.parse.quote(ctx.text, safe=""))
        if size > ctx.url_budget:
            yield Finding(
                0,
                len(ctx.text),
                f"the encoded condition is {size:,} characters long, over the budget of {ctx.url_budget:,}; "
                "split the query or shorten it",
            )

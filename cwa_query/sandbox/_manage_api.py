"""The manage profile's endpoints: lists with Manage's parameters, `/count`, `/{id}`.

For each served endpoint (`company/companies`, `service/tickets`, ...):

* `GET <endpoint>`: `conditions` (the Manage dialect, evaluated with its meaning), `childConditions`
  (paths into arrays of objects; a leaf holds when some element satisfies it: whether one
  element must satisfy the whole condition is not documented, see manage-api-facts.md
  section 5), `customFieldConditions` (`caption = "X" and value ...`: one element of
  `customFields` must match both), `orderBy` (`priority/id asc, name desc`), `fields`
  (a projection), `page` and `pageSize` (1 to 1,000, default 25), and a `Link` header
  (`first`, `prev`, `next`, `last`; `page` last in each URL, as the real server writes it and
  as pyconnectwise reads it);
* `GET <endpoint>/count`: `{"count": n}` for the same conditions;
* `GET <endpoint>/{id}`: one record (`fields` applies), 404 when there is none.

Any other parameter is a 400 (unless the sandbox ignores unknown parameters).
"""

from __future__ import annotations

import math
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any, Final

from ..client.manage import custom_field_predicate
from ..errors import CwaQueryError
from ._http import HttpError, SandboxRequest, SandboxResponse, json_response
from ._manage import ManageDataset
from ._query import Lister, ListQuery
from ._routes import Handler, Route

__all__ = ["DEFAULT_MANAGE_PAGE_SIZE", "MANAGE_PARAMETERS", "ManageApi"]

#: Records per page when a request names no `pageSize` (Manage's documented default).
DEFAULT_MANAGE_PAGE_SIZE: Final = 25
#: The parameters a Manage list reads (lower-cased) -> the sandbox's plain name (`None`: read here).
MANAGE_PARAMETERS: Final[Mapping[str, str | None]] = {
    "conditions": "condition",
    "orderby": "orderby",
    "fields": "includefields",
    "page": "page",
    "pagesize": "pagesize",
    "childconditions": None,
    "customfieldconditions": None,
}

Record = dict[str, Any]
Page = Callable[[str, list[Record], ListQuery, tuple[str, ...]], SandboxResponse]


class ManageApi:
    """The manage profile's routes over its dataset (`page` writes a page of records)."""

    def __init__(
        self,
        data: ManageDataset,
        lister: Lister,
        page: Page,
        *,
        prefix: str,
        ignore_unknown: bool,
        default: Callable[[Any], Any],
    ) -> None:
        self.data = data
        self._default = default
        self.lister = lister
        self._page = page
        self._prefix = prefix
        self._ignore_unknown = ignore_unknown

    def routes(self) -> list[Route]:
        routes: list[Route] = []
        for name in self.data.lists:
            routes.append(Route(name, self._list(name)))
            routes.append(Route(f"{name}/count", self._count(name)))
            routes.append(Route(f"{name}/{{id}}", self._item(name)))
        return routes

    # ------------------------------------------------------------ parameters

    def _read(self, query: Mapping[str, list[str]]) -> tuple[ListQuery, str, str]:
        plain: dict[str, list[str]] = {}
        for key, values in query.items():
            if key not in MANAGE_PARAMETERS:
                if self._ignore_unknown:
                    continue
                raise HttpError(
                    400,
                    f"Unknown query parameter {key[:80]!r}: a list reads conditions, childConditions, "
                    "customFieldConditions, orderBy, fields, page, pageSize",
                    {"parameter": key[:80]},
                )
            name = MANAGE_PARAMETERS[key]
            if name is not None:
                plain[name] = values
        if "pagesize" not in plain:
            plain["pagesize"] = [str(DEFAULT_MANAGE_PAGE_SIZE)]
        child = query.get("childconditions", [""])[-1]
        custom = query.get("customfieldconditions", [""])[-1]
        return ListQuery.read(plain, options=False), child, custom

    def _filtered(self, endpoint: str, child: str, custom: str) -> tuple[list[Record], tuple[str, ...]]:
        """The records `childConditions` and `customFieldConditions` keep (all without them), and
        the cache scope that tells those answers apart."""
        records = self.data.collection(endpoint)
        if not child.strip() and not custom.strip():
            return records, ()
        tests: list[Callable[[Mapping[str, Any]], bool]] = []
        if child.strip():
            tests.append(self.lister.predicate(endpoint, child, parameter="childConditions"))
        if custom.strip():
            try:
                tests.append(custom_field_predicate(custom))
            except CwaQueryError as exc:
                first = str(exc).splitlines()[0]
                raise HttpError(
                    400, f"Invalid customFieldConditions: {first}", {"field": "customFieldConditions"}
                ) from None
        try:
            kept = [record for record in records if all(test(record) for test in tests)]
        except CwaQueryError as exc:
            raise HttpError(400, f"The condition cannot be evaluated: {exc}", {"field": "childConditions"}) from None
        return kept, ("child", child, "custom", custom)

    # ------------------------------------------------------------ handlers

    def _list(self, endpoint: str) -> Handler:
        def handler(request: SandboxRequest, ids: list[str], query: dict[str, list[str]]) -> SandboxResponse:
            listing, child, custom = self._read(query)
            records, scope = self._filtered(endpoint, child, custom)
            answer = self._page(endpoint, records, listing, scope)
            total = len(self.lister.matching(endpoint, records, listing, "id", scope))
            link = self._link(request, endpoint, listing, total)
            if link:
                answer.headers.append(("Link", link))
            return answer

        return handler

    def _count(self, endpoint: str) -> Handler:
        def handler(request: SandboxRequest, ids: list[str], query: dict[str, list[str]]) -> SandboxResponse:
            listing, child, custom = self._read(query)
            records, scope = self._filtered(endpoint, child, custom)
            return json_response(200, {"count": len(self.lister.matching(endpoint, records, listing, "id", scope))})

        return handler

    def _item(self, endpoint: str) -> Handler:
        def handler(request: SandboxRequest, ids: list[str], query: dict[str, list[str]]) -> SandboxResponse:
            listing, _, _ = self._read({key: value for key, value in query.items() if key == "fields"})
            record = self.data.find(endpoint, ids[0])
            if record is None:
                raise HttpError(
                    404, f"{endpoint.rsplit('/', 1)[-1]} recId {ids[0][:40]!r} not found", {"code": "NotFound"}
                )
            return json_response(200, self.lister.project(endpoint, [record], listing)[0], default=self._default)

        return handler

    def _link(self, request: SandboxRequest, endpoint: str, listing: ListQuery, total: int) -> str:
        """The `Link` header of a page: first, prev, next, last (`page` last in each URL)."""
        last = max(1, math.ceil(total / listing.page_size))
        _, _, raw = request.target.partition("?")
        kept = [
            (key, value)
            for key, value in urllib.parse.parse_qsl(raw, keep_blank_values=True)
            if key.lower() not in ("page", "pagesize")
        ]
        host = request.header("host") or "127.0.0.1"
        base = f"http://{host}{self._prefix}/{endpoint}?"

        def url(page: int) -> str:
            pairs = [*kept, ("pageSize", str(listing.page_size)), ("page", str(page))]
            return base + urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote, safe="")

        page = listing.page
        links = [(url(1), "first")]
        if page > 1:
            links.append((url(min(page - 1, last)), "prev"))
        if page < last:
            links.append((url(page + 1), "next"))
        links.append((url(last), "last"))
        return ", ".join(f'<{target}>; rel="{rel}"' for target, rel in links)

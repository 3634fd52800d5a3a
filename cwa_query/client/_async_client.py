"""`AsyncClient`: the asyncio client, the same surface as `Client` with `await` and `async for`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar, Unpack

import httpx

from ..errors import CwaQueryError
from ._answers import decode_json
from ._base import ClientBase, Record
from ._bounds import AsyncBoundedTransport, verified_tls
from ._limits import AsyncLimitTransport
from ._logging import AsyncLogTransport
from ._pagination import Page, PagePlan, iter_pages_async, records_of_async
from ._requests import ListQuery, api_path
from ._retry import AsyncRetryTransport
from ._settings import ClientOptions, QueryOptions, Where
from ._split import ListRequest

__all__ = ["AsyncClient"]

T = TypeVar("T")


class AsyncClient(ClientBase):
    """The asynchronous client (asyncio): the same surface as [`Client`][cwa_query.Client],
    with `await` and `async for`.

    ```python
    async with AsyncClient.from_env() as client:
        async for computer in client.iter_records("Computers", "Status = 'Online'"):
            ...
    ```
    """

    def __init__(
        self, server: str, *, transport: httpx.AsyncBaseTransport | None = None, **options: Unpack[ClientOptions]
    ) -> None:
        super().__init__(server, **options)
        inner = AsyncBoundedTransport(
            transport or httpx.AsyncHTTPTransport(verify=verified_tls(), limits=self._pool_limits()),
            deadline=self.deadline,
            max_response_bytes=self.max_response_bytes,
        )
        stack = AsyncLogTransport(
            AsyncRetryTransport(
                AsyncLimitTransport(inner, max_in_flight=self.max_in_flight, limiter=self.limiter), self.retry_policy
            )
        )
        self._http = httpx.AsyncClient(transport=stack, **self._http_options())
        self._codebase_lock: asyncio.Lock | None = None

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def _find_codebase(self) -> None:
        """Ask the server where the API lives (Manage without `codebase=`), once."""
        if self._codebase_lock is None:
            self._codebase_lock = asyncio.Lock()
        async with self._codebase_lock:
            request_path = self._codebase_request
            if request_path is None:
                return
            path = api_path(self.server_url, request_path)
            self._codebase_found(await self._exchange("GET", self.server_url + request_path, path))
            self._http.base_url = httpx.URL(self.base_url)

    async def _exchange(self, method: str, url: str, path: str, json: Any = None) -> httpx.Response:
        """Send a request; a transport failure is a `TransportError` naming `path`."""
        try:
            return await self._http.send(self._http.build_request(method, url, json=json))
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, method, path) from exc

    async def _send(self, method: str, url: str, json: Any = None) -> httpx.Response:
        if self._codebase_request is not None:
            await self._find_codebase()
        return self._check(await self._exchange(method, url, api_path(self.base_url, url), json))

    async def request(
        self, method: str, path: str, *, params: Mapping[str, Any] | None = None, json: Any = None
    ) -> Any:
        """Send one request to `path` (relative to the API root) and return its JSON answer."""
        method, url, body = self._build(method, path, params=params, json=json)
        return decode_json(await self._send(method, url, body))

    async def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """`GET path` (relative to the API root); returns the JSON answer."""
        return await self.request("GET", path, params=params)

    def _fetch_page(self, query: ListQuery) -> Callable[[int], Awaitable[Callable[[], Page]]]:
        async def fetch(number: int) -> Callable[[], Page]:
            response = await self._send("GET", query.url(number))
            return lambda: self._page(response, number, query.page_size)

        return fetch

    def iter_pages(self, endpoint: str, where: Where = None, **options: Unpack[QueryOptions]) -> AsyncIterator[Page]:
        """Pages of `endpoint` in order (`async for`); the condition is checked at once."""
        request = self._prepare(endpoint, where, **options)
        if request.split is None:
            query, plan = request.parts[0]
            return iter_pages_async(self._fetch_page(query), plan)
        return self._split_pages(request)

    async def _split_pages(self, request: ListRequest) -> AsyncIterator[Page]:
        """The pages of a split request (see `Client._split_pages`)."""
        gate = asyncio.Semaphore(self.max_in_flight)

        async def read(query: ListQuery, plan: PagePlan) -> list[Record]:
            records: list[Record] = []
            async with gate:
                async for page in iter_pages_async(self._fetch_page(query), plan):
                    records.extend(page.records)
            return records

        tasks = [asyncio.ensure_future(read(query, plan)) for query, plan in request.parts]
        try:
            request.done(0)
            for count, finished in enumerate(asyncio.as_completed(tasks), 1):
                await finished
                request.done(count)
            streams = [task.result() for task in tasks]
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for page in request.merged(streams):
            yield page

    def iter_records(
        self, endpoint: str, where: Where = None, **options: Unpack[QueryOptions]
    ) -> AsyncIterator[Record]:
        """The records of `endpoint` matching `where` (`async for`); see `Client.iter_records`."""
        return records_of_async(self.iter_pages(endpoint, where, **options))

    async def get_all(self, endpoint: str, where: Where = None, **options: Unpack[QueryOptions]) -> list[Record]:
        """Every record of `iter_records(endpoint, where, **options)`, as a list."""
        records: list[Record] = []
        async for page in self.iter_pages(endpoint, where, **options):
            records.extend(page.records)  # a page at a time, not a record at a time through a generator
        return records

    async def computers(self, where: Where = None, **options: Unpack[QueryOptions]) -> list[Record]:
        """Computers matching `where` (all pages)."""
        return await self.get_all("Computers", where, **options)

    async def computer(self, computer_id: int | str) -> Record:
        """One computer by id (`NotFoundError` if there is none)."""
        result: Record = await self.get(f"Computers/{computer_id}")
        return result

    async def clients(self, where: Where = None, **options: Unpack[QueryOptions]) -> list[Record]:
        """Clients matching `where` (all pages)."""
        return await self.get_all("Clients", where, **options)

    async def alerts(self, where: Where = None, **options: Unpack[QueryOptions]) -> list[Record]:
        """Alerts matching `where` (all pages)."""
        return await self.get_all("Alerts", where, **options)

    async def run_script(
        self, computer_id: int | str, script_id: int | str, params: Mapping[str, Any] | None = None
    ) -> Any:
        """Run a script on a computer (see `Client.run_script`)."""
        path, body = self.profile.script_request(computer_id, script_id, params)
        return self._script_answer(await self.request("POST", path, json=body))

    async def batch(
        self,
        func: Callable[[T], Awaitable[Any]],
        items: Iterable[T],
        *,
        return_exceptions: bool = False,
    ) -> list[Any]:
        """Await `func(item)` for every item, up to `max_in_flight` at once; results in order.

        With `return_exceptions=True` a failed call's `CwaQueryError` takes its place.
        """
        gate = asyncio.Semaphore(self.max_in_flight)

        async def call(item: T) -> Any:
            async with gate:
                try:
                    return await func(item)
                except CwaQueryError as exc:
                    if return_exceptions:
                        return exc
                    raise

        return list(await asyncio.gather(*(call(item) for item in items)))

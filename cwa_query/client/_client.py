"""`Client` and `AsyncClient`: the ConnectWise Automate REST API (and Manage's), every profile.

Both are thin over `httpx`, in layers that can each be replaced:

```
httpx.Client / httpx.AsyncClient   auth=TokenAuth (login, 2FA, ClientId, renewal, one retry on 401)
└── _LogTransport                  one log record per HTTP exchange
    └── RetryTransport             429 waits; 5xx, drops, timeouts back off with full jitter
        └── LimitTransport         at most `max_in_flight` at once; the request rate
            └── BoundedTransport   a deadline per exchange; the size of an answer
                └── httpx.HTTPTransport (TLS verified; sync: each socket wait cut at the
                    deadline), or the `transport` you pass
```

Concurrency: `AsyncClient` runs pages as asyncio tasks. `Client` fetches the pages ahead in a
small thread pool over one `httpx.Client` (which is thread-safe), rather than running the
async machinery in a private event loop: no loop to own, no cross-thread hand-off of async
generators, and the same transports, auth and limits serve both clients. The pool's threads
only wait on sockets; the JSON of a page is parsed in the reading thread when its turn comes.

>>> client = Client("automate.example.com", username="api", password="s3cret", profile="automate")
>>> client.base_url
'https://automate.example.com/cwa/api/v1/'
>>> client
<Client profile='automate' base_url='https://automate.example.com/cwa/api/v1/' username='api'>
>>> client.close()
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any, TypeVar, Unpack

import httpx

from ..errors import CwaQueryError
from ._answers import decode_json
from ._base import ClientBase, Record
from ._bounds import BoundedTransport, http_transport
from ._limits import LimitTransport
from ._logging import LogTransport
from ._pagination import Page, PagePlan, iter_pages_sync, records_of
from ._requests import ListQuery, api_path
from ._retry import RetryTransport
from ._settings import ClientOptions, QueryOptions, Where
from ._split import ListRequest

__all__ = ["Client"]

T = TypeVar("T")


class Client(ClientBase):
    """A synchronous client for the ConnectWise Automate REST API, or Manage's (every profile).

    Args:
        server: a host name (`automate.example.com` -> `https://automate.example.com/cwa/api/v1`)
            or a URL (`/cwa/api/v1` is appended unless it is already there; for Manage the
            API's path comes from the codebase).
        username, password: an integrator's or a user's credentials (seed, automate).
        two_factor_code: the user's two-factor code, when the account has two-factor.
        client_id: the integration's `ClientId` (automate) or `clientId` (manage), sent on every request.
        company, public_key, private_key: the manage profile's Basic-auth credentials (a company
            id and an API member's keys; see docs/manage-queries.md).
        codebase: Manage's codebase (`v2025_1/`); asked of `/login/companyinfo/<company>` when not given.
        profile: `"automate"` (the real server; the default), `"seed"` (the seed document's API),
            `"manage"` (ConnectWise Manage), or a `Profile`.
        timeout: seconds per read, connect or write (an `httpx.Timeout` for finer control).
        deadline: seconds one exchange may take, sending to the last byte of the answer
            (default 300; `None`: no bound); past it, `DeadlineExceededError`. A server that
            drips its answer slowly trips it where `timeout` never does.
        max_response_bytes: the largest answer read, decoded (default 64 MiB; `None`: no
            bound); a larger one is `ResponseTooLargeError`, not a `MemoryError`.
        allow_insecure: allow plain `http://` to a host that is not loopback.
        page_size: records per page (1..1000; default 250).
        max_in_flight: requests at once (default 10, the seed document's figure).
        prefetch: pages fetched ahead of the reader (default `max_in_flight`, fewer for pages
            of more than 250 records, so that about 2,500 records wait at most).
        first_window: pages asked for at once before page 1 is in (default: all of `prefetch`,
            so that a long result takes no more round trips than if its length were known;
            1 spends no request past the end of a one-page result).
        rate_limit: requests per `rate_window` seconds; `"default"` is 60 a minute for seed
            (replaced by the server's `X-RateLimit-*` once seen) and none for automate.
        retry: a [`RetryPolicy`][cwa_query.RetryPolicy] (attempts, backoff, budget).
        auth: an `httpx.Auth` to use instead of the `TokenAuth` built from username/password.
        limiter: a `RateLimiter` to use instead of the one `rate_limit` would build (share one
            between clients to share a rate).
        validate: lint each condition against the endpoint's schema before sending it:
            `"error"` (default) raises `ConditionRejectedError` with the linter's findings and
            fixes, `"warn"` sends it with a `ConditionWarning`, `"off"` does not lint.
        transport: an httpx transport to send through (e.g. an in-process sandbox).
    """

    def __init__(
        self, server: str, *, transport: httpx.BaseTransport | None = None, **options: Unpack[ClientOptions]
    ) -> None:
        super().__init__(server, **options)
        inner = BoundedTransport(
            transport or http_transport(self._pool_limits()),
            deadline=self.deadline,
            max_response_bytes=self.max_response_bytes,
        )
        stack = LogTransport(
            RetryTransport(
                LimitTransport(inner, max_in_flight=self.max_in_flight, limiter=self.limiter), self.retry_policy
            )
        )
        self._http = httpx.Client(transport=stack, **self._http_options())
        self._codebase_lock = threading.Lock()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    # ---------------------------------------------------------------- one request

    def _find_codebase(self) -> None:
        """Ask the server where the API lives (Manage without `codebase=`), once."""
        with self._codebase_lock:
            request_path = self._codebase_request
            if request_path is None:
                return
            path = api_path(self.server_url, request_path)
            self._codebase_found(self._exchange("GET", self.server_url + request_path, path))
            self._http.base_url = httpx.URL(self.base_url)

    def _exchange(self, method: str, url: str, path: str, json: Any = None) -> httpx.Response:
        """Send a request; a transport failure is a `TransportError` naming `path`."""
        try:
            return self._http.send(self._http.build_request(method, url, json=json))
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, method, path) from exc

    def _send(self, method: str, url: str, json: Any = None) -> httpx.Response:
        if self._codebase_request is not None:
            self._find_codebase()
        return self._check(self._exchange(method, url, api_path(self.base_url, url), json))

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None, json: Any = None) -> Any:
        """Send one request to `path` (relative to the API root) and return its JSON answer."""
        method, url, body = self._build(method, path, params=params, json=json)
        return decode_json(self._send(method, url, body))

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """`GET path` (relative to the API root, e.g. `"Computers/12"`); returns the JSON answer."""
        return self.request("GET", path, params=params)

    # ---------------------------------------------------------------- lists

    def _fetch_page(self, query: ListQuery) -> Callable[[int], Callable[[], Page]]:
        def fetch(number: int) -> Callable[[], Page]:
            response = self._send("GET", query.url(number))
            return lambda: self._page(response, number, query.page_size)

        return fetch

    def iter_pages(
        self, endpoint: str, where: Where = None, **options: Unpack[QueryOptions]
    ) -> Generator[Page, None, None]:
        """Pages of `endpoint` in order (see `iter_records`); the condition is checked at once."""
        request = self._prepare(endpoint, where, **options)
        if request.split is None:
            query, plan = request.parts[0]
            return iter_pages_sync(self._fetch_page(query), plan)
        return self._split_pages(request)

    def _split_pages(self, request: ListRequest) -> Generator[Page, None, None]:
        """The pages of a split request: its parts read together (each wholly, at most
        `max_in_flight` at once, all within the client's limits), then merged."""

        def read(part: tuple[ListQuery, PagePlan]) -> list[Record]:
            query, plan = part
            records: list[Record] = []
            for page in iter_pages_sync(self._fetch_page(query), plan):
                records.extend(page.records)
            return records

        pool = ThreadPoolExecutor(min(self.max_in_flight, len(request.parts)))
        try:
            futures = [pool.submit(read, part) for part in request.parts]
            request.done(0)
            for count, _ in enumerate(as_completed(futures), 1):
                request.done(count)
            streams = [future.result() for future in futures]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        yield from request.merged(streams)

    def iter_records(
        self, endpoint: str, where: Where = None, **options: Unpack[QueryOptions]
    ) -> Generator[Record, None, None]:
        """The records of `endpoint` matching `where`, in order, each once, streaming.

        `where` is condition text (parsed first: a bad one raises `ConditionSyntaxError`
        before any request), a builder expression or a tree; it is rendered for the
        profile's dialect and percent-encoded. Pages are fetched ahead within the limits;
        memory holds only the pages in flight.
        """
        return records_of(self.iter_pages(endpoint, where, **options))

    def get_all(self, endpoint: str, where: Where = None, **options: Unpack[QueryOptions]) -> list[Record]:
        """Every record `iter_records(endpoint, where, **options)` yields, as a list."""
        records: list[Record] = []
        for page in self.iter_pages(endpoint, where, **options):
            records.extend(page.records)
        return records

    # ---------------------------------------------------------------- conveniences

    def computers(self, where: Where = None, **options: Unpack[QueryOptions]) -> list[Record]:
        """Computers matching `where` (all pages)."""
        return self.get_all("Computers", where, **options)

    def computer(self, computer_id: int | str) -> Record:
        """One computer by id (`NotFoundError` if there is none)."""
        result: Record = self.get(f"Computers/{computer_id}")
        return result

    def clients(self, where: Where = None, **options: Unpack[QueryOptions]) -> list[Record]:
        """Clients matching `where` (all pages)."""
        return self.get_all("Clients", where, **options)

    def alerts(self, where: Where = None, **options: Unpack[QueryOptions]) -> list[Record]:
        """Alerts matching `where` (all pages)."""
        return self.get_all("Alerts", where, **options)

    def run_script(self, computer_id: int | str, script_id: int | str, params: Mapping[str, Any] | None = None) -> Any:
        """Run a script on a computer: `POST Batch/ScriptExecute` on the automate profile (the
        real server's endpoint; parameters go as `Key`/`Value` pairs), `POST
        Computers/{id}/Scripts/{script}/Execute` on the seed profile. Returns the answer.

        A batch answer that says the script could not be scheduled raises the error of its
        reason code (e.g. `NotFoundError` for a computer that does not exist). Not retried
        after the request may have reached the server (it is not idempotent).
        """
        path, body = self.profile.script_request(computer_id, script_id, params)
        return self._script_answer(self.request("POST", path, json=body))

    def batch(
        self,
        func: Callable[[T], Any],
        items: Iterable[T],
        *,
        return_exceptions: bool = False,
    ) -> list[Any]:
        """Call `func(item)` for every item, up to `max_in_flight` at once; results in order.

        Every request goes through this client's limits, so a batch keeps to the same
        in-flight cap and request rate as everything else. With `return_exceptions=True`
        a failed call's `CwaQueryError` takes its place in the results instead of raising.

        >>> with Client("127.0.0.1") as client:
        ...     client.batch(lambda n: n * n, [1, 2, 3])
        [1, 4, 9]
        """

        def call(item: T) -> Any:
            try:
                return func(item)
            except CwaQueryError as exc:
                if return_exceptions:
                    return exc
                raise

        with ThreadPoolExecutor(self.max_in_flight) as pool:
            return list(pool.map(call, items))

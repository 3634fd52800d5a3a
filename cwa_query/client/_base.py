"""What `Client` and `AsyncClient` share: settings, building list requests, reading answers.

No I/O happens here: the two clients add the sending, each in its own way.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
from collections.abc import Mapping, Sequence
from typing import Any, Literal, Self

import httpx

from ..errors import ApiError, AuthenticationError, ConfigurationError, ServerError, TransportError
from ..language import ast
from ..language._render import as_node, encode, render
from ._answers import ERROR_CLASSES, api_error, decode_error, decode_json, get_key, retyped
from ._api_keys import ApiKeyAuth
from ._auth import DEFAULT_REFRESH_MARGIN, TokenAuth
from ._bounds import DEFAULT_DEADLINE, DEFAULT_MAX_RESPONSE_BYTES, check_bounds
from ._headers import pages_from_link, paging_from_headers
from ._limits import DEFAULT_MAX_IN_FLIGHT, DEFAULT_WINDOW, RateLimiter
from ._pagination import Page, PagePlan, Record
from ._profiles import DEFAULT_PROFILE, Profile, check_codebase, get_profile
from ._requests import ListQuery, api_path, check_page_size, endpoint_path, field_list, params_string, quote
from ._retry import RETRIES_EXTENSION, RetryPolicy
from ._settings import (
    DEFAULT_PAGE_SIZE,
    PREFETCH_RECORDS,
    VALIDATIONS,
    Validation,
    Where,
    api_base_url,
    settings_from_env,
)
from ._split import ListRequest, Progress, Split, split_condition, with_merge_fields
from ._validate import check_condition

__all__ = ["ClientBase", "Record"]


class ClientBase:
    """Settings, request building and answer reading shared by both clients (see `Client`)."""

    def __init__(
        self,
        server: str,
        *,
        username: str | None = None,
        password: str | None = None,
        two_factor_code: str | None = None,
        client_id: str | None = None,
        company: str | None = None,
        public_key: str | None = None,
        private_key: str | None = None,
        codebase: str | None = None,
        profile: str | Profile = DEFAULT_PROFILE,
        timeout: float | httpx.Timeout | None = 30.0,
        allow_insecure: bool = False,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        prefetch: int | None = None,
        first_window: int | None = None,
        rate_limit: float | str | None = "default",
        rate_window: float = DEFAULT_WINDOW,
        retry: RetryPolicy | None = None,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        auth: httpx.Auth | None = None,
        limiter: RateLimiter | None = None,
        validate: Validation = "error",
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
        max_query_string: int | Literal["default"] | None = "default",
    ) -> None:
        self.profile = get_profile(profile)
        given = {
            "username": username,
            "password": password,
            "two_factor_code": two_factor_code,
            "company": company,
            "public_key": public_key,
            "private_key": private_key,
        }
        foreign = [
            name for name, value in given.items() if value is not None and name not in self.profile.credential_options
        ]
        if foreign or (codebase is not None and self.profile.codebase_path is None):
            names = ", ".join([*foreign, *(["codebase"] if codebase is not None and not foreign else [])])
            raise ConfigurationError(
                f"the {self.profile.name} profile does not take {names}: it authenticates with "
                f"{', '.join(self.profile.credential_options)}"
            )
        # the server's root, and the API's below it (for Manage: once the codebase is known)
        self.server_url = api_base_url(server, allow_insecure=allow_insecure, root="")
        root = self.profile.api_root(codebase)
        self.base_url = api_base_url(server, allow_insecure=allow_insecure, root=root) if root else self.server_url
        #: the request that finds the codebase (Manage, when none is given), until it has
        self._codebase_request: str | None = None
        if self.profile.codebase_path is not None and codebase is None:
            if company is None:
                raise ConfigurationError(f"the {self.profile.name} profile needs codebase= or company= to find it")
            self._codebase_request = self.profile.codebase_path.replace("{company}", quote(company))
        if validate not in VALIDATIONS:
            raise ConfigurationError(f"validate must be one of {', '.join(map(repr, VALIDATIONS))}, not {validate!r}")
        self.validate: Validation = validate
        if (username is None) != (password is None):
            raise ConfigurationError("pass both username and password, or neither")
        keys = (company, public_key, private_key) if self.profile.api_keys else ()
        if any(key is not None for key in keys) and not all(key is not None for key in keys):
            raise ConfigurationError("pass company, public_key and private_key together, or none of them")
        if auth is not None and (username is not None or public_key is not None):
            raise ConfigurationError("pass either auth= or credentials, not both")
        if max_in_flight < 1:
            raise ConfigurationError(f"max_in_flight must be at least 1, not {max_in_flight}")
        self.page_size = check_page_size(page_size)
        self.max_in_flight = max_in_flight
        for name, value in (("prefetch", prefetch), ("first_window", first_window)):
            if value is not None and value < 1:
                raise ConfigurationError(f"{name} must be at least 1, not {value}")
        self.prefetch = prefetch
        self.first_window = first_window
        self.timeout = timeout
        try:
            check_bounds(deadline, max_response_bytes)
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None
        self.deadline = deadline
        self.max_response_bytes = max_response_bytes
        if max_query_string == "default":
            max_query_string = self.profile.max_query_string
        if max_query_string is not None and (
            isinstance(max_query_string, bool) or not isinstance(max_query_string, int) or max_query_string < 1
        ):
            raise ConfigurationError(
                f"max_query_string must be a positive integer, None or 'default', not {max_query_string!r}"
            )
        self.max_query_string: int | None = max_query_string
        self.retry_policy = retry or RetryPolicy()
        self.limiter = limiter if limiter is not None else self._limiter(rate_limit, rate_window)
        self.auth: httpx.Auth | None = auth
        if self.profile.api_keys and company is not None and public_key is not None and private_key is not None:
            self.auth = ApiKeyAuth(company, public_key, private_key, client_id=client_id)
        elif username is not None and password is not None:
            self.auth = TokenAuth(
                self.base_url,
                self.profile,
                username=username,
                password=password,
                two_factor_code=two_factor_code,
                client_id=client_id,
                refresh_margin=refresh_margin,
            )
        if client_id is None and isinstance(auth, TokenAuth | ApiKeyAuth):
            client_id = auth.client_id
        self.client_id = client_id
        self._headers = {"Accept": "application/json", "User-Agent": _user_agent()}
        if self.profile.requires_client_id and client_id:
            self._headers[self.profile.client_id_header] = client_id

    @classmethod
    def from_env(cls, **overrides: Any) -> Self:
        """A client configured from the `CONNECTWISE_AUTOMATE_*` environment variables.

        `SERVER`; `USERNAME`/`PASSWORD` (an integrator) or `USER`/`PASS`/`2FA` (a user);
        `CLIENT_ID`; `PROFILE`. Keyword arguments override what the environment says.
        """
        settings = settings_from_env(overrides)
        return cls(settings.pop("server"), **settings)

    def _limiter(self, rate_limit: float | str | None, rate_window: float) -> RateLimiter:
        if rate_limit == "default":
            return RateLimiter(self.profile.default_rate_per_minute, window=DEFAULT_WINDOW)
        if rate_limit is None or isinstance(rate_limit, (int, float)):
            return RateLimiter(rate_limit, window=rate_window, user_set=rate_limit is not None)
        raise ConfigurationError(f"rate_limit must be a number of requests, None or 'default', not {rate_limit!r}")

    def _pool_limits(self) -> httpx.Limits:
        """Connections for the default transport: as many as requests may be in flight."""
        return httpx.Limits(max_connections=self.max_in_flight, max_keepalive_connections=self.max_in_flight)

    def _http_options(self) -> dict[str, Any]:
        """What the sync and async httpx clients are built with, beside the transport."""
        return {
            "base_url": self.base_url,
            "auth": self.auth,
            "timeout": self.timeout,
            "headers": self._headers,
            "follow_redirects": False,
        }

    def __repr__(self) -> str:
        user = ""
        for name in ("username", "company"):
            value = getattr(self.auth, name, None)
            if isinstance(value, str):
                user += f" {name}={value!r}"
        return f"<{type(self).__name__} profile={self.profile.name!r} base_url={self.base_url!r}{user}>"

    # ---------------------------------------------------------------- the codebase (Manage)

    def _codebase_found(self, response: httpx.Response) -> None:
        """Read the answer to the codebase request and point the client at the API it names."""
        path = api_path(self.server_url, self._codebase_request or "")
        if not response.is_success:
            error = api_error(response, method="GET", path=path)
            raise retyped(error, message=f"cannot find the codebase: {error.message} (pass codebase= to skip this)")
        body = decode_json(response)
        codebase = get_key(body, "Codebase") if isinstance(body, Mapping) else None
        if not isinstance(codebase, str) or not codebase.strip("/"):
            raise decode_error(response, "the company-info answer names no Codebase (pass codebase=)", "NoCodebase")
        root = self.profile.api_root(check_codebase(codebase))
        self.base_url = api_base_url(self.server_url, allow_insecure=True, root=root)
        self._codebase_request = None

    # ---------------------------------------------------------------- building requests

    def _prepare(
        self,
        endpoint: str,
        where: Where = None,
        *,
        page_size: int | None = None,
        order_by: str | None = None,
        include_fields: str | Sequence[str] | None = None,
        exclude_fields: str | Sequence[str] | None = None,
        expand: str | Sequence[str] | None = None,
        limit: int | None = None,
        child_conditions: Where = None,
        custom_field_conditions: Where = None,
        progress: Progress | None = None,
    ) -> ListRequest:
        """Check and encode a list request (no I/O): a bad condition or option raises here, and so
        does a query string over the budget that cannot be split (`QueryTooLongError`)."""
        path = endpoint_path(endpoint)
        size = check_page_size(page_size) if page_size is not None else self.page_size
        profile = self.profile
        node = None
        condition = None
        if where is not None:
            node = self._node(where)
            condition = render(node, profile.dialect)
            if self.validate != "off":
                check_condition(condition, endpoint, profile, warn_only=self.validate == "warn")
        # the other parameters, by the name the profile gives them (never split: only `node`'s list is)
        extras: dict[str, str | None] = {}
        for option, name, extra in (
            ("child_conditions", profile.child_conditions_parameter, child_conditions),
            ("custom_field_conditions", profile.custom_field_conditions_parameter, custom_field_conditions),
        ):
            if extra is None:
                continue
            if name is None:
                raise ConfigurationError(f"the {profile.name} profile has no {option} parameter")
            extra_node = self._node(extra)
            if self.validate != "off":
                text = render(extra_node, profile.dialect)
                check_condition(text, endpoint, profile, warn_only=self.validate == "warn", parameter=name)
            extras[name] = encode(extra_node, profile.dialect)
        order = None
        if order_by is not None:
            order = str(order_by).strip()
            if not order:
                raise ConfigurationError("order_by is empty")
        fields: dict[str, str | None] = {}
        for option, name, value in (
            ("include_fields", profile.fields_parameter, include_fields),
            ("exclude_fields", profile.exclude_fields_parameter, exclude_fields),
            ("expand", profile.expand_parameter, expand),
        ):
            if value is not None and name is None:
                raise ConfigurationError(f"the {profile.name} profile has no {option} parameter")
            if name is not None:
                fields[name] = field_list(value, name)
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
            raise ConfigurationError(f"limit must be a non-negative integer, not {limit!r}")
        split = None
        if node is not None and self.max_query_string is not None:
            split = self._split(node, self._parameters(extras, order, fields))
        if node is None or split is None:
            part = self._part(path, node, extras, order, fields, size, limit, None)
            return ListRequest([part], size, limit)
        # each piece's records are merged by the order's fields and the id: the server must send them
        fields, strip = with_merge_fields(
            fields,
            order,
            profile.id_field,
            include=profile.fields_parameter,
            exclude=profile.exclude_fields_parameter,
        )
        if strip:  # asking for them lengthens the query string
            split = self._split(node, self._parameters(extras, order, fields))
            assert split is not None
        parts = [self._part(path, piece, extras, order, fields, size, limit, 1) for piece in split.conditions]
        return ListRequest(parts, size, limit, split, order, strip, id_field=profile.id_field, progress=progress)

    def _split(self, node: ast.Node, others: str) -> Split | None:
        """`node` cut under the budget beside the `others` parameters, or `None` if it fits whole."""
        assert self.max_query_string is not None
        return split_condition(
            node,
            self.profile.dialect,
            budget=self.max_query_string,
            parameter=self.profile.condition_parameter,
            others=others,
        )

    def _parameters(
        self, extras: Mapping[str, str | None], order: str | None, fields: Mapping[str, str | None]
    ) -> str:
        """The list parameters other than paging and the condition, encoded and joined."""
        parts = [f"{name}={value}" for name, value in extras.items() if value is not None]
        if order is not None:
            parts.append("orderBy=" + quote(order))
        parts.extend(f"{name}={quote(value)}" for name, value in fields.items() if value is not None)
        return "&".join(parts)

    def _part(
        self,
        path: str,
        node: ast.Node | None,
        extras: Mapping[str, str | None],
        order: str | None,
        fields: Mapping[str, str | None],
        size: int,
        limit: int | None,
        first_window: int | None,
    ) -> tuple[ListQuery, PagePlan]:
        """The encoded query and the page plan of one request (of a split one: one piece)."""
        profile = self.profile
        parts = [] if node is None else [f"{profile.condition_parameter}={encode(node, profile.dialect)}"]
        others = self._parameters(extras, order, fields)
        if others:
            parts.append(others)
        plan = PagePlan(
            page_size=size,
            limit=limit,
            prefetch=self._prefetch(size),
            paging_headers=profile.paging_headers or profile.link_paging,
            first_window=first_window or self.first_window,
            path=api_path(self.base_url, path),
        )
        return ListQuery(path, "&".join(parts), size), plan

    def _node(self, where: str | Any) -> Any:
        """A condition as a tree: text read as the profile reads it, a builder or a tree as is."""
        return self.profile.parse_condition(where) if isinstance(where, str) else as_node(where)

    def _prefetch(self, page_size: int) -> int:
        """Pages fetched ahead: as set, else `max_in_flight` but about `PREFETCH_RECORDS` records at most."""
        if self.prefetch is not None:
            return self.prefetch
        return max(1, min(self.max_in_flight, max(2, -(-PREFETCH_RECORDS // page_size))))

    def _build(
        self, method: str, path: str, *, params: Mapping[str, Any] | None = None, json: Any = None
    ) -> tuple[str, str, Any]:
        url = endpoint_path(path)
        query = params_string(params)
        return method.upper(), (f"{url}?{query}" if query else url), json

    # ---------------------------------------------------------------- reading answers

    def _check(self, response: httpx.Response) -> httpx.Response:
        if response.is_success:
            return response
        error = api_error(response)
        if isinstance(error, AuthenticationError):
            error = self._explain_401(error)
        raise error

    def _explain_401(self, error: ApiError) -> ApiError:
        hints = []
        profile = self.profile
        if self.auth is None:
            hints.append(f"no credentials were given ({profile.credential_help})")
        if profile.requires_client_id and not self.client_id:
            hints.append(f"the {profile.name} profile needs a {profile.client_id_header}: {profile.client_id_help}")
        if not hints:
            return error
        return retyped(error, message=f"{error.message} ({'; '.join(hints)})")

    def _script_answer(self, answer: Any) -> Any:
        """A `Batch/ScriptExecute` answer, or the error of the first result that was not scheduled."""
        if not self.profile.batch_scripts or not isinstance(answer, dict):
            return answer
        if answer.get("ContainsUnsuccessfulResults") is not True:
            return answer
        for result in answer.get("ScriptResults") or []:
            details = result.get("ResultDetails") if isinstance(result, dict) else None
            if isinstance(details, dict) and details.get("ResultStatus") not in (0, None):
                reason = details.get("ReasonCode")
                status = reason if isinstance(reason, int) and 400 <= reason < 600 else 400
                cls = ERROR_CLASSES.get(status) or (ServerError if status >= 500 else ApiError)
                message = str(details.get("Message") or "the script could not be scheduled")
                raise cls(
                    f"entity {result.get('EntityId')}: {message}",
                    status=status,
                    code="ScriptNotScheduled",
                    details=answer,
                    method="POST",
                    path=api_path(self.base_url, "Batch/ScriptExecute"),
                )
        return answer

    def _page(self, response: httpx.Response, number: int, page_size: int) -> Page:
        records = decode_json(response)
        if not isinstance(records, list):
            raise decode_error(
                response, f"expected a JSON array of records, got {type(records).__name__}", "UnexpectedBody"
            )
        count: int | None = None
        pages: int | None = None
        if self.profile.paging_headers:
            count, pages = paging_from_headers(response.headers, page_size)
        elif self.profile.link_paging:
            pages = pages_from_link(response.headers, number)
        return Page(number, records, count, pages, response.request.extensions.get(RETRIES_EXTENSION, 0))

    def _transport_error(self, exc: httpx.HTTPError, method: str, path: str) -> TransportError:
        retries = 0
        with contextlib.suppress(RuntimeError):  # an exception raised before any request was made
            retries = exc.request.extensions.get(RETRIES_EXTENSION, 0)
        kind = type(exc).__name__
        detail = str(exc) or kind
        suffix = f" after {retries} retries" if retries else ""
        return TransportError(f"{kind} on {method} {path}{suffix}: {detail}", method=method, path=path)


def _user_agent() -> str:
    try:
        return f"cwa_query/{importlib.metadata.version('cwa_query')}"
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that is not installed
        return "cwa_query"

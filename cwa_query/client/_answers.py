"""Reading the server's answers: JSON with a bounded depth, error bodies, the typed errors.

Every body the executor reads goes through `loads` (`cwa_query._json`), which refuses
JSON nested deeper than `MAX_JSON_DEPTH` before decoding it (a hostile or broken server's
`[[[[...` never reaches Python's recursion limit) and integers of more than
`MAX_INT_DIGITS` digits; `decode_json` turns that, or any malformed
body, into a [`DecodeError`][cwa_query.DecodeError] naming the request. `api_error` maps an
error status to its class in the error tree.

>>> loads(b'{"Id": [1, {"a": null}]}')
{'Id': [1, {'a': None}]}
>>> loads(b"[" * 50_000)
Traceback (most recent call last):
...
cwa_query._json.JsonTooDeepError: JSON nested deeper than 100 levels
"""

from __future__ import annotations

import http
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from .._json import MAX_INT_DIGITS, MAX_JSON_DEPTH, JsonNumberTooLongError, JsonTooDeepError, loads
from ..errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    DecodeError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
)
from ._headers import retry_after

__all__ = [
    "ERROR_CLASSES",
    "MAX_ERROR_TEXT",
    "MAX_INT_DIGITS",
    "MAX_JSON_DEPTH",
    "ErrorBody",
    "JsonNumberTooLongError",
    "JsonTooDeepError",
    "api_error",
    "decode_error",
    "decode_json",
    "get_key",
    "loads",
    "parse_error_body",
    "retyped",
]

#: characters of a non-JSON error body kept in the error message
MAX_ERROR_TEXT = 500


def decode_json(response: httpx.Response) -> Any:
    """The JSON body of `response` (`None` when empty), or a `DecodeError` naming the request."""
    if not response.content:
        return None
    try:
        return loads(response.content)
    except ValueError as exc:
        reason = str(exc) if isinstance(exc, (JsonTooDeepError, JsonNumberTooLongError)) else f"not valid JSON ({exc})"
        raise decode_error(response, f"the answer cannot be read: {reason}", "InvalidJson") from None


def decode_error(response: httpx.Response, message: str, code: str) -> DecodeError:
    """A `DecodeError` about `response`, naming its request."""
    return DecodeError(
        message,
        status=response.status_code,
        code=code,
        method=response.request.method,
        path=response.request.url.path,
    )


def get_key(body: Mapping[str, Any], name: str) -> Any:
    """`body[name]`, matching the key without regard to case (the real server's habit)."""
    if name in body:
        return body[name]
    lowered = name.lower()
    for key, value in body.items():
        if isinstance(key, str) and key.lower() == lowered:
            return value
    return None


@dataclass(frozen=True, slots=True)
class ErrorBody:
    """An error answer's `code`, `message` and `details`, whichever shape it came in."""

    code: str | None
    message: str
    details: Any = None


def parse_error_body(content: bytes, status: int) -> ErrorBody:
    """Read an error answer: `{"error": {"code", "message", "details"}}` (seed),
    `{"code", "message", "errors"}` (Manage), `{"Message": ...}` (ASP.NET, the real
    Automate server), or plain text as the fallback.

    >>> parse_error_body(b'{"error": {"code": "BadRequest", "message": "bad", "details": {"f": 1}}}', 400)
    ErrorBody(code='BadRequest', message='bad', details={'f': 1})
    >>> parse_error_body(b'{"code": "ApiFindCondition", "message": "typeids is not a recognized name."}', 400)
    ErrorBody(code='ApiFindCondition', message='typeids is not a recognized name.', details=None)
    >>> parse_error_body(b'{"Message": "Invalid field"}', 400)
    ErrorBody(code=None, message='Invalid field', details=None)
    >>> parse_error_body(b'gateway down', 502)
    ErrorBody(code=None, message='gateway down', details=None)
    >>> parse_error_body(b'[' * 50_000, 400).message[:12]
    '[[[[[[[[[[[['
    """
    text = content.decode("utf-8", errors="replace").strip()
    try:
        body = loads(content) if text else None
    except ValueError:
        body = None
    if isinstance(body, Mapping):
        inner = get_key(body, "error")
        if isinstance(inner, Mapping):
            code = get_key(inner, "code")
            message = get_key(inner, "message")
            return ErrorBody(
                str(code) if code is not None else None,
                str(message) if message is not None else _reason(status),
                get_key(inner, "details"),
            )
        message = get_key(body, "Message")
        code = get_key(body, "code")
        if message is not None and isinstance(code, str):
            return ErrorBody(code, str(message), get_key(body, "errors"))
        if message is not None:
            details = {k: v for k, v in body.items() if str(k).lower() != "message"} or None
            return ErrorBody(None, str(message), details)
    if isinstance(body, str) and body:
        return ErrorBody(None, body)
    if not text:
        return ErrorBody(None, _reason(status))
    return ErrorBody(None, text if len(text) <= MAX_ERROR_TEXT else text[:MAX_ERROR_TEXT] + "...")


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


#: the error class of each status with a class of its own (other 5xx: `ServerError`; else `ApiError`)
ERROR_CLASSES: Mapping[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitedError,
}


def api_error(response: httpx.Response, *, method: str | None = None, path: str | None = None) -> ApiError:
    """The typed [`ApiError`][cwa_query.ApiError] for an error answer."""
    status = response.status_code
    body = parse_error_body(response.content, status)
    method = method or response.request.method
    path = path or response.request.url.path
    fields: dict[str, Any] = {"status": status, "code": body.code, "details": body.details, "method": method}
    if status == 429:
        return RateLimitedError(body.message, path=path, retry_after=retry_after(response.headers), **fields)
    cls = ERROR_CLASSES.get(status) or (ServerError if status >= 500 else ApiError)
    return cls(body.message, path=path, **fields)


def retyped(error: ApiError, kind: type[ApiError] | None = None, message: str | None = None) -> ApiError:
    """`error` as another kind of `ApiError` (default: its own), with a new message, the rest kept.

    >>> base = ApiError("refused", status=401, method="POST", path="/cwa/api/v1/apitoken")
    >>> str(retyped(base, AuthenticationError, "login refused: refused"))
    'HTTP 401 (POST /cwa/api/v1/apitoken): login refused: refused'
    """
    kind = kind or type(error)
    extra: dict[str, Any] = {}
    if issubclass(kind, RateLimitedError):
        extra["retry_after"] = getattr(error, "retry_after", None)
    return kind(
        error.message if message is None else message,
        status=error.status,
        code=error.code,
        details=error.details,
        method=error.method,
        path=error.path,
        **extra,
    )

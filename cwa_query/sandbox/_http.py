"""Requests and answers as the sandbox's core sees them, and the error raised from deep inside."""

from __future__ import annotations

import http
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from .._json import JsonNumberTooLongError, JsonTooDeepError, loads

__all__ = [
    "ERROR_CODES",
    "HttpError",
    "SandboxRequest",
    "SandboxResponse",
    "is_json_media_type",
    "json_response",
    "parse_integer",
    "read_json_body",
]

#: The seed profile's error `code` of each status.
ERROR_CODES: Final = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    413: "PayloadTooLarge",
    414: "UriTooLong",
    415: "UnsupportedMediaType",
    429: "RateLimited",
    431: "RequestHeaderFieldsTooLarge",
    500: "InternalServerError",
    502: "BadGateway",
    503: "ServiceUnavailable",
}
#: How much of a bad value an error message quotes.
QUOTED_CHARS: Final = 200
#: The deepest nesting of a request body read (the bodies the API takes nest a few levels).
MAX_BODY_DEPTH: Final = 64
_INT = re.compile(r"[0-9]{1,18}")


@dataclass
class SandboxRequest:
    """One HTTP request as the core sees it. Header names are lower-case."""

    method: str
    target: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """The last value of header `name` (case-insensitive), or `None`."""
        name = name.lower()
        value = None
        for key, item in self.headers:
            if key == name:
                value = item
        return value


@dataclass
class SandboxResponse:
    """An answer: status, headers and body, sent after `delay` seconds; `reset` drops the connection."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    delay: float = 0.0
    reset: bool = False

    @property
    def reason(self) -> str:
        """The standard reason phrase of `status`."""
        try:
            return http.HTTPStatus(self.status).phrase
        except ValueError:
            return ""

    def json(self) -> Any:
        """The body decoded as JSON."""
        return json.loads(self.body)


class HttpError(Exception):
    """An error answer raised from deep inside a handler; the app writes it in the profile's shape."""

    def __init__(
        self,
        status: int,
        message: str,
        details: Mapping[str, Any] | None = None,
        headers: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = dict(details or {})
        self.headers = list(headers)
        self.rate_headers: list[tuple[str, str]] | None = None


def json_response(
    status: int,
    payload: Any,
    headers: Iterable[tuple[str, str]] = (),
    default: Callable[[Any], Any] | None = None,
) -> SandboxResponse:
    """An answer with `payload` as compact UTF-8 JSON.

    Text holding a lone UTF-16 surrogate (a request may send `"\\ud800"`, and JSON allows
    it) is written back escaped, as `\\ud800`: UTF-8 cannot hold it.
    """
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=default)
    try:
        body = text.encode("utf-8")
    except UnicodeEncodeError:
        body = json.dumps(payload, ensure_ascii=True, separators=(",", ":"), default=default).encode("ascii")
    return SandboxResponse(status, [("Content-Type", "application/json; charset=utf-8"), *headers], body)


def parse_integer(name: str, raw: str) -> int:
    """`raw` as a whole number, or a 400 naming parameter `name`."""
    text = raw.strip()
    if not _INT.fullmatch(text):
        raise HttpError(
            400,
            f"The {name} parameter must be a whole number, got {raw[:50]!r}",
            {"field": name, "value": raw[:QUOTED_CHARS]},
        )
    return int(text)


def is_json_media_type(content_type: str) -> bool:
    """Whether a `Content-Type` names JSON: `application/json`, `text/json` or `application/...+json`
    (parameters such as `charset` aside; `application/jsonx` is not JSON).

    >>> [is_json_media_type(t) for t in ("application/json; charset=utf-8", "text/json", "application/problem+json")]
    [True, True, True]
    >>> [is_json_media_type(t) for t in ("application/jsonx", "text/plain", "application/json-seq")]
    [False, False, False]
    """
    media = content_type.split(";", 1)[0].strip().lower()
    kind, _, subtype = media.partition("/")
    return (kind in ("application", "text") and subtype == "json") or (
        kind == "application" and subtype.endswith("+json")
    )


def read_json_body(request: SandboxRequest, max_bytes: int) -> Any:
    """The request body decoded as JSON; 415, 413 or 400 when it cannot be.

    Nesting too deep for the decoder, or an integer too long for any field (the server's
    model binding refuses a number that fits no integer type), is a 400 like any other bad
    JSON, not a 500.
    """
    content_type = request.header("content-type") or ""
    if content_type and not is_json_media_type(content_type):
        raise HttpError(415, f"Send the body as application/json, not {content_type[:80]}")
    if len(request.body) > max_bytes:
        raise HttpError(413, f"The body is larger than {max_bytes} bytes")
    try:
        return loads(request.body.decode("utf-8"), max_depth=MAX_BODY_DEPTH)
    except UnicodeDecodeError:
        raise HttpError(400, "The body is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise HttpError(
            400, f"The body is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except JsonTooDeepError:
        raise HttpError(400, "The body is not valid JSON: it is nested too deeply") from None
    except JsonNumberTooLongError as exc:
        raise HttpError(400, f"The body holds a number no field can take: {exc}") from None

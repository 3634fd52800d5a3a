"""Building requests: API paths, query strings and the fixed part of a list request.

>>> endpoint_path("Computers/12"), params_string({"a b": "x&y", "flag": True, "ids": [1, 2]})
('Computers/12', 'a%20b=x%26y&flag=true&ids=1%2C2')
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from ..errors import ConfigurationError
from ._settings import MAX_PAGE_SIZE

__all__ = [
    "ListQuery",
    "api_path",
    "check_page_size",
    "condition_text",
    "endpoint_path",
    "field_list",
    "params_string",
    "quote",
]


@dataclass(frozen=True, slots=True)
class ListQuery:
    """A list request, rendered and encoded once: `url(page)` gives the path and query of a page."""

    endpoint: str
    encoded: str  # the fixed parameters, percent-encoded, without page
    page_size: int

    def url(self, page: int) -> str:
        """The path and query of page `page` (1-based), relative to the API root."""
        fixed = f"&{self.encoded}" if self.encoded else ""
        return f"{self.endpoint}?page={page}&pageSize={self.page_size}{fixed}"


def quote(value: str) -> str:
    """Percent-encode everything outside RFC 3986's unreserved set (as `cwa_query.encode`)."""
    return urllib.parse.quote(value, safe="")


def endpoint_path(path: str) -> str:
    """`path` checked (no scheme, no `..`, no query) and percent-encoded segment by segment."""
    text = str(path).strip().strip("/")
    if not text or "://" in text or any(part in ("", ".", "..") for part in text.split("/")) or "?" in text:
        raise ConfigurationError(f"not an API path: {path!r} (expected e.g. 'Computers' or 'Computers/12')")
    return "/".join(quote(part) for part in text.split("/"))


def field_list(value: str | Sequence[str] | None, name: str) -> str | None:
    """Field names (a sequence, or comma-separated text) as one comma-separated string."""
    if value is None:
        return None
    items = [value] if isinstance(value, str) else list(value)
    parts = [p.strip() for item in items for p in str(item).split(",") if p.strip()]
    if not parts:
        raise ConfigurationError(f"{name} is empty")
    return ",".join(parts)


def params_string(params: Mapping[str, Any] | None) -> str:
    """`params` as a percent-encoded query string (`None` values left out, lists comma-joined)."""
    if not params:
        return ""
    pairs = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            text = ",".join(str(v) for v in value)
        else:
            text = str(value)
        pairs.append(f"{quote(str(key))}={quote(text)}")
    return "&".join(pairs)


def check_page_size(page_size: int) -> int:
    """`page_size` if it is an integer from 1 to `MAX_PAGE_SIZE`, else a `ConfigurationError`."""
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ConfigurationError(f"page_size must be an integer from 1 to {MAX_PAGE_SIZE}, not {page_size!r}")
    return page_size


def condition_text(url: httpx.URL) -> str | None:
    """The decoded condition of `url`, if any (for logs): Automate's `condition` parameter or
    Manage's `conditions`.

    >>> condition_text(httpx.URL("https://x/service/tickets?conditions=id%20%3E%205&page=2"))
    'id > 5'
    """
    query = url.query.decode("ascii", errors="replace")
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if key in ("condition", "conditions"):
            return urllib.parse.unquote(value)
    return None


def api_path(base_url: str, path: str) -> str:
    """The path of `path` (relative to the API root `base_url`) without its query, for messages."""
    return httpx.URL(base_url).path.rstrip("/") + "/" + path.split("?", 1)[0]

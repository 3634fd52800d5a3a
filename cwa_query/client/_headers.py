"""Reading the response headers the executor acts on: waits, rate windows, paging.

One home for what the retry layer, the limit layer, the error map and the pagination
planner all read, so that none of them imports another for it.

>>> retry_after({"Retry-After": "3"}), reset_seconds("30"), paging_from_headers({"X-Total-Count": "501"}, 250)
(3.0, 30.0, (501, 3))
"""

from __future__ import annotations

import email.utils
import math
import re
import time
import urllib.parse
from collections.abc import Mapping

__all__ = [
    "EPOCH_THRESHOLD",
    "int_header",
    "links",
    "pages_from_link",
    "paging_from_headers",
    "reset_seconds",
    "retry_after",
]

#: an `X-RateLimit-Reset` above this many seconds is an epoch timestamp, not a duration
EPOCH_THRESHOLD = 1e9


def reset_seconds(value: str | None) -> float | None:
    """`X-RateLimit-Reset` as seconds from now (it may be seconds, or an epoch timestamp).

    >>> reset_seconds("30"), reset_seconds(None), reset_seconds("x")
    (30.0, None, None)
    """
    number = _finite(value)
    if number is None:
        return None
    if number > EPOCH_THRESHOLD:
        number -= time.time()
    return max(0.0, number)


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds a 429 asks to wait: `Retry-After` (seconds or an HTTP date), else `X-RateLimit-Reset`.

    >>> retry_after({"Retry-After": "3"})
    3.0
    >>> retry_after({"X-RateLimit-Reset": "12"})
    12.0
    >>> retry_after({}) is None
    True
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    value = lowered.get("retry-after")
    if value is not None:
        seconds = _finite(value)
        if seconds is not None:
            return max(0.0, seconds)
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            moment = None
        if moment is not None:
            return max(0.0, moment.timestamp() - time.time())
    return reset_seconds(lowered.get("x-ratelimit-reset"))


def int_header(headers: Mapping[str, str], name: str) -> int | None:
    """The header `name` as an integer (`"12"`, `"12.0"`), or `None` if absent or not a number.

    >>> int_header({"x-ratelimit-limit": "60"}, "x-ratelimit-limit"), int_header({}, "x")
    (60, None)
    """
    number = _finite(headers.get(name))
    return None if number is None else int(number)


def _finite(value: str | None) -> float | None:
    """`value` as a finite number, or `None` if absent or not one (`"inf"`, `"nan"`, `"soon"`)."""
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def paging_from_headers(headers: Mapping[str, str], page_size: int) -> tuple[int | None, int | None]:
    """`(total_count, total_pages)` from `X-Total-Count` / `X-Total-Pages`, each `None` if absent.

    >>> paging_from_headers({"X-Total-Count": "501"}, 250)
    (501, 3)
    """

    def number(name: str) -> int | None:
        value: str | None = headers.get(name)
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None

    count = number("X-Total-Count")
    pages = number("X-Total-Pages")
    if pages is None and count is not None:
        pages = math.ceil(count / page_size) if page_size else None
    return count, pages


_LINK = re.compile(r'<([^>]*)>\s*;\s*rel\s*=\s*"?([A-Za-z]+)"?')


def links(headers: Mapping[str, str]) -> dict[str, str]:
    """The URLs of a `Link` header by relation (`first`, `prev`, `next`, `last`).

    >>> links({"Link": '<https://h/a?page=2&pageSize=25>; rel="next", <https://h/a?page=4&pageSize=25>; rel="last"'})
    {'next': 'https://h/a?page=2&pageSize=25', 'last': 'https://h/a?page=4&pageSize=25'}
    """
    value = headers.get("Link") or headers.get("link") or ""
    return {rel.lower(): url for url, rel in _LINK.findall(value)}


def pages_from_link(headers: Mapping[str, str], page: int) -> int | None:
    """The number of pages a `Link` header says there are (Manage's paging), seen on page `page`:
    the `page` of its `rel="last"` URL; `page` itself when it has links but no `next` (this
    is the last page); `None` when there is no `Link` header or it says neither.

    >>> pages_from_link({"Link": '<https://h/a?page=4&pageSize=25>; rel="last"'}, 1)
    4
    >>> pages_from_link({"Link": '<https://h/a?page=1&pageSize=25>; rel="first"'}, 1), pages_from_link({}, 1)
    (1, None)
    """
    found = links(headers)
    last = found.get("last")
    if last is not None:
        values = urllib.parse.parse_qs(urllib.parse.urlsplit(last).query).get("page") or []
        for value in values:
            if value.isdigit() and len(value) < 10:
                return max(1, int(value))
    if found and "next" not in found:
        return page
    return None

"""How long a list request's query string may be, and how long one is: the client and the linter agree.

The Automate API runs on IIS, whose request filtering refuses a query string longer than
`maxQueryString`, 2,048 bytes by default, with `404.15`; Manage's limit is not published, so
the same budget stands for it. The quantity is the whole query string as sent, after `?`,
percent-encoded: the condition parameter and every other parameter, with room for paging.

>>> query_string_size("Id%20%3D%201")
49
"""

from __future__ import annotations

from typing import Final

__all__ = ["IIS_MAX_QUERY_STRING", "PAGING_RESERVE", "query_string_size"]

#: IIS's default `requestLimits/@maxQueryString` in bytes: past it, `404.15` (the real server's budget)
IIS_MAX_QUERY_STRING: Final = 2048
#: what paging adds to every list request, with room for a 7-digit page number and the largest page size
PAGING_RESERVE: Final = len("page=1000000&pageSize=1000&")


def query_string_size(encoded_condition: str, *, parameter: str = "condition", others: str = "") -> int:
    """Bytes of the query string of a list request: paging, `parameter=` and the percent-encoded
    condition, and `others` (the other parameters, encoded and joined with `&`)."""
    size = PAGING_RESERVE + len(parameter) + 1 + len(encoded_condition)
    return size + (len(others) + 1 if others else 0)

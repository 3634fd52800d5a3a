"""How records are ordered by a field's values: the sandbox sorts by it, the client merges by it.

One key for both, so that the records of a split query, merged by the client, come in the
order the sandbox gives one unsplit request: numbers and digit-only text (ids the document
types as strings) as numbers, then other text without regard to case (as SQL Server's
default collation compares), then other values by their JSON, date-times, and nulls last.

>>> sorted(["b", None, "10", 9, "A"], key=order_key)
[9, '10', 'A', 'b', None]
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

__all__ = ["order_key"]


def order_key(value: Any) -> tuple[int, Any]:
    """The sort key of one value (see the module docstring)."""
    if value is None:
        return (4, 0)
    if isinstance(value, _dt.datetime):
        return (3, value)
    if isinstance(value, bool | int | float):
        return (0, value)
    if isinstance(value, str):
        if value.isascii() and value.isdigit() and len(value) < 19:  # an id the document types as a string
            return (0, int(value))
        return (1, value.lower())
    return (2, json.dumps(value, sort_keys=True, default=str))

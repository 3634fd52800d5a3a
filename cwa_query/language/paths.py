"""Field paths in records: the one way cwa_query looks a dotted name up in a JSON object.

A key missing in exact case is looked up ignoring ASCII case (as the server and SQLite
treat names; `'É'` and `'é'` stay different). The evaluator fans a path out through lists
(any element); [`get_path`][cwa_query.language.paths.get_path] follows one value and
stops at a list.

>>> get_path({"Client": {"ID": 5}}, "client.id")
5
>>> get_path({"Client": [{"Id": 5}]}, "Client.Id") is None
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

__all__ = ["MISSING", "ascii_lower", "get_path", "lookup"]

MISSING: Final = object()
"""What [`lookup`][cwa_query.language.paths.lookup] answers for a key the mapping lacks."""

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    """`text` with ASCII letters lowered, other characters unchanged.

    >>> ascii_lower("ÉCOLE Straße")
    'École straße'
    """
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


def lookup(mapping: Any, key: str, folded: str | None = None) -> Any:
    """`mapping[key]`, else the value of the key equal to it ignoring ASCII case, else
    [`MISSING`][cwa_query.language.paths.MISSING] (also when `mapping` is not a mapping).
    `folded` is `ascii_lower(key)`, when the caller has it already."""
    if not (type(mapping) is dict or isinstance(mapping, Mapping)):
        return MISSING
    value = mapping.get(key, MISSING)
    if value is not MISSING:
        return value
    wanted = ascii_lower(key) if folded is None else folded
    for name in mapping:
        if isinstance(name, str) and ascii_lower(name) == wanted:
            return mapping[name]
    return MISSING


def get_path(record: Any, path: str | Iterable[str]) -> Any:
    """The one value at a dotted `path` (or its parts) of `record`, or `None` when a part is
    missing or a value on the way is not a mapping (a list included)."""
    value = record
    for part in path.split(".") if isinstance(path, str) else path:
        value = lookup(value, part)
        if value is MISSING:
            return None
    return value

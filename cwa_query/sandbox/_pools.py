"""Pools of plausible values for a field, by its name and type (the automate generator's).

A field draws from a small pool (`POOL_SIZE` values made once per endpoint), so generating
a record is a few picks, and filters select real subsets: names, cities, IP and MAC
addresses, versions, GUIDs, e-mail addresses and dates as the field's name suggests.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from typing import Any, Final

from ..schema import FieldInfo
from ._words import ALERT_MESSAGES, CITIES, COMMENTS, COUNTRIES, DAY, PORTS, USERS, mac, stamp

__all__ = ["DATE_SPAN", "POOL_SIZE", "Factory", "Rand", "pick", "scalar_pool", "typed_id"]

Rand = Callable[[], float]
Factory = Callable[[Rand], Any]

#: Values in each field's pool.
POOL_SIZE: Final = 16
#: Seconds back from the data's epoch that generated date-times reach.
DATE_SPAN: Final = 400 * DAY


def pick(pool: tuple[Any, ...]) -> Factory:
    """A factory drawing one element of `pool`."""
    size = len(pool)
    return lambda rand: pool[int(rand() * size)]


def typed_id(info: FieldInfo, number: int) -> Any:
    """`number` in the JSON type of an id field (the document types most `Id`s as strings)."""
    return number if info.type == "integer" else str(number)


def _string_pool(name: str, rng: random.Random, word: str) -> tuple[Any, ...]:
    lower = name.lower()
    n = range(1, POOL_SIZE + 1)
    if "guid" in lower:
        return tuple(str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in n)
    if "email" in lower:
        return tuple(f"{rng.choice(USERS).replace(chr(39), '')}@example.com" for _ in n)
    if "macaddress" in lower:
        return tuple(mac(rng.getrandbits(48)) for _ in n)
    if "ipaddress" in lower or lower.endswith("ip") or ("address" in lower and "ip" in lower):
        return tuple(f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(2, 255)}" for _ in n)
    if "phone" in lower or "fax" in lower or "mobile" in lower or "pager" in lower:
        return tuple(f"+1-555-{rng.randrange(10000):04d}" for _ in n)
    if lower.endswith("city"):
        return CITIES
    if lower.endswith("country"):
        return COUNTRIES
    if lower.endswith("state"):
        return ("", "FL", "TX", "BY", "ZH", "QC")
    if "zip" in lower:
        return tuple(f"{rng.randrange(10000, 99999)}" for _ in n)
    if lower.startswith("address") or lower.endswith(("address1", "address2")):
        return tuple(f"{rng.randrange(1, 999)} {rng.choice(('Main', 'High', 'Station', 'Mühlen'))} St" for _ in n)
    if "version" in lower:
        return tuple(f"{rng.randrange(1, 24)}.{rng.randrange(10)}.{rng.randrange(1000)}" for _ in n)
    if "password" in lower or "secret" in lower:
        return ("********",)
    if "url" in lower or "link" in lower:
        return tuple(f"https://example.com/{word.lower()}/{i}" for i in n)
    if lower.endswith(("username", "user", "by")):
        return USERS
    if "date" in lower or lower.endswith("time"):
        return tuple(stamp(rng.randrange(DATE_SPAN)).isoformat() for _ in n)
    if "comment" in lower or "description" in lower or "note" in lower:
        return COMMENTS
    if "message" in lower:
        return ALERT_MESSAGES
    if lower.endswith(("name", "title")):
        return tuple(f"{word} {i}" for i in n)
    if lower.endswith("id"):
        return tuple(str(i) for i in n)
    return tuple(f"{name} {i}" for i in n)


def _integer_pool(name: str, rng: random.Random) -> tuple[Any, ...]:
    lower = name.lower()
    if lower.endswith("id"):
        return tuple(range(1, POOL_SIZE + 1))
    if "port" in lower:
        return PORTS
    if "percent" in lower or "usage" in lower or "score" in lower:
        return tuple(rng.randrange(101) for _ in range(POOL_SIZE))
    if "memory" in lower or "size" in lower or "space" in lower or "bytes" in lower:
        return (4096, 8192, 16384, 32768, 65536, 131072)
    return tuple(rng.randrange(1000) for _ in range(POOL_SIZE))


def scalar_pool(info: FieldInfo, name: str, rng: random.Random, word: str) -> tuple[Any, ...] | None:
    """The pool of a scalar field, or `None` for a field of any type (served as `null`)."""
    if info.values:
        return tuple(info.values)
    kind = info.type
    if kind == "boolean":
        return (True, False)
    if kind == "datetime":
        return tuple(stamp(rng.randrange(DATE_SPAN)) for _ in range(POOL_SIZE))
    if kind == "integer":
        return _integer_pool(name, rng)
    if kind == "decimal":
        return tuple(round(rng.random() * 100, 2) for _ in range(POOL_SIZE))
    if kind == "id":
        return tuple(str(i) for i in range(1, POOL_SIZE + 1))
    if kind == "string":
        return _string_pool(name, rng, word)
    return None

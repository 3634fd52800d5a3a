"""Deterministic sandbox data: the seed profile's computers, clients, alerts and scripts.

The `seed` profile uses the seed document's field names (`ComputerID`, `Name`, `Status`,
`ClientID`, `OS`, `TotalMemory`, `LastContact`, `DiskFreePercent`, ...). The `automate`
profile's records come from the catalogue generated from the OpenAPI document (see
`_automate.py`); `dataset(profile, records, seed)` (in `_profiles`) returns either.

Values vary enough that typical filters select a real subset, and some text holds quotes,
`%`, `_`, backslashes and non-ASCII letters. Datasets are cached per
(profile, records, seed), so repeated sandboxes share one:

>>> data = seed_dataset(20, seed=1)
>>> len(data.collection("Computers")), data is seed_dataset(20, seed=1)
(20, True)
>>> sorted(data.collection("Computers")[0])[:4]
['ClientID', 'Comment', 'ComputerID', 'DiskFreePercent']
"""

from __future__ import annotations

import functools
import gc
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._words import (
    ALERT_MESSAGES,
    ALERT_SOURCES,
    ALERT_STATUSES,
    CITIES,
    COMMENTS,
    COMPANIES,
    COMPUTERS_PER_CLIENT,
    CONTACT_SPAN,
    COUNTRIES,
    MEMORY_SIZES,
    MIN_CLIENTS,
    NON_ASCII_EVERY,
    ONLINE_SHARE,
    OS,
    ROLES,
    SCRIPT_FOLDERS,
    SCRIPT_NAMES,
    UNKNOWN_ABOVE,
    abbreviation,
    stamp,
)

__all__ = ["COLLECTIONS", "DEFAULT_RECORDS", "Dataset", "field_paths", "seed_dataset"]

Record = dict[str, Any]

#: Computers when nothing else is said.
DEFAULT_RECORDS = 1000
#: The seed profile's list endpoints, by their path segment.
COLLECTIONS: tuple[str, ...] = ("Computers", "Clients", "Alerts", "Scripts")


@dataclass(frozen=True)
class _Site:
    client_id: int
    location_id: int
    prefix: str


def _clients(rng: random.Random, count: int) -> tuple[list[Record], list[_Site]]:
    clients: list[Record] = []
    sites: list[_Site] = []
    location_id = 1
    for index in range(count):
        client_id = index + 1
        base = COMPANIES[index % len(COMPANIES)]
        name = base if index < len(COMPANIES) else f"{base} {index // len(COMPANIES) + 1}"
        city_index = rng.randrange(len(CITIES))
        clients.append(
            {
                "ClientID": client_id,
                "Name": name,
                "City": CITIES[city_index],
                "Country": COUNTRIES[city_index],
                "PhoneNumber": f"+1-555-{rng.randrange(10000):04d}",
            }
        )
        prefix = abbreviation(base)
        for _ in range(1 + rng.randrange(3)):
            sites.append(_Site(client_id, location_id, prefix))
            location_id += 1
    return clients, sites


def _computers(rng: random.Random, count: int, sites: list[_Site]) -> list[Record]:
    out: list[Record] = []
    rand = rng.random

    def randrange(n: int) -> int:
        return int(rand() * n)

    for index in range(count):
        computer_id = index + 1
        site = sites[randrange(len(sites))]
        os_name, _, kind = OS[randrange(len(OS))]
        role = "SRV" if kind == "Server" and randrange(2) else ROLES[randrange(len(ROLES))]
        name = f"{site.prefix}-{role}{computer_id:04d}"
        if computer_id % NON_ASCII_EVERY == 0:
            name = f"MÜNCHEN-{role}{computer_id:04d}"
        roll = rand()
        status = "Online" if roll < ONLINE_SHARE else "Offline" if roll < UNKNOWN_ABOVE else "Unknown"
        memory = MEMORY_SIZES[randrange(len(MEMORY_SIZES))]
        contact = randrange(CONTACT_SPAN)
        comment = COMMENTS[randrange(len(COMMENTS))]
        out.append(
            {
                "ComputerID": computer_id,
                "Name": name,
                "Status": status,
                "ClientID": site.client_id,
                "LocationID": site.location_id,
                "OS": os_name,
                "TotalMemory": memory,
                "LastContact": stamp(contact),
                "DiskFreePercent": round(rand() * 100, 1),
                "IPAddress": f"10.{site.client_id % 256}.{site.location_id % 256}.{computer_id % 250 + 2}",
                "Comment": comment,
            }
        )
    return out


def _alerts(rng: random.Random, count: int, computers: list[Record]) -> list[Record]:
    out: list[Record] = []
    rand = rng.random

    def randrange(n: int) -> int:
        return int(rand() * n)

    for index in range(count):
        computer = computers[randrange(len(computers))]
        severity = (1, 2, 2, 3, 3, 3, 4, 4, 5)[randrange(9)]
        created = randrange(30 * 86400)
        message = ALERT_MESSAGES[randrange(len(ALERT_MESSAGES))]
        out.append(
            {
                "AlertID": index + 1,
                "Severity": severity,
                "Status": ALERT_STATUSES[randrange(len(ALERT_STATUSES))],
                "ClientID": computer["ClientID"],
                "ComputerID": computer["ComputerID"],
                "Message": message,
                "Source": ALERT_SOURCES[randrange(len(ALERT_SOURCES))],
                "Created": stamp(created),
            }
        )
    return out


def _scripts() -> list[Record]:
    out: list[Record] = []
    for index, name in enumerate(SCRIPT_NAMES):
        folder = SCRIPT_FOLDERS[index % len(SCRIPT_FOLDERS)]
        out.append(
            {
                "ScriptID": index + 1,
                "Name": name,
                "FolderID": 1 + index % len(SCRIPT_FOLDERS),
                "FolderName": folder,
                "Description": f"{name} ({folder})",
            }
        )
    return out


def _paths(value: Any, prefix: str, out: dict[str, str]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            out.setdefault(path.lower(), path)
            _paths(item, path, out)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping):
                _paths(item, prefix, out)


def field_paths(records: list[Record], *, sample: int = 500) -> dict[str, str]:
    """Every dotted field path in `records`, lower-cased -> canonical spelling.

    Nested objects and lists of objects contribute `Outer.Inner` paths:

    >>> field_paths([{"Id": 1, "Client": {"Id": 2}, "LoggedInUsers": [{"LoggedInUserName": "x"}]}])
    {'id': 'Id', 'client': 'Client', 'client.id': 'Client.Id', 'loggedinusers': 'LoggedInUsers', \
'loggedinusers.loggedinusername': 'LoggedInUsers.LoggedInUserName'}
    """
    out: dict[str, str] = {}
    for record in records[:sample]:
        _paths(record, "", out)
    return out


@dataclass(frozen=True)
class Dataset:
    """The seed profile's generated records, per collection, plus their field catalogues."""

    profile: str
    records: int
    seed: int
    collections: dict[str, list[Record]]
    fields: dict[str, dict[str, str]]

    def collection(self, name: str) -> list[Record]:
        """The records of `name` (one of `COLLECTIONS`), in id order. Do not mutate them."""
        return self.collections[name]

    def spelling(self, name: str, path: str) -> str | None:
        """How the records of `name` spell field `path` (any case), or `None`: no such field."""
        return self.fields[name].get(path.lower())

    def find(self, name: str, raw_id: str) -> Record | None:
        """The record of `name` whose id is `raw_id` (at most 40 decimal digits), or `None`."""
        if not (raw_id.isascii() and raw_id.isdigit()) or len(raw_id) > 40:
            return None
        records = self.collections[name]
        index = int(raw_id) - 1
        if 0 <= index < len(records) and records[index][self.id_field[name]] == index + 1:
            return records[index]
        return None

    @property
    def id_field(self) -> dict[str, str]:
        """The id field of each collection."""
        return {"Computers": "ComputerID", "Clients": "ClientID", "Alerts": "AlertID", "Scripts": "ScriptID"}


@functools.lru_cache(maxsize=8)
def seed_dataset(records: int, seed: int) -> Dataset:
    rng = random.Random(f"cwa-query-sandbox:seed:{records}:{seed}")
    # Millions of fresh containers would trigger the cyclic collector over and over (none are cyclic).
    collecting = gc.isenabled()
    gc.disable()
    try:
        clients, sites = _clients(rng, max(MIN_CLIENTS, records // COMPUTERS_PER_CLIENT))
        computers = _computers(rng, records, sites)
        alerts = _alerts(rng, max(1, records // 2), computers)
        scripts = _scripts()
    finally:
        if collecting:
            gc.enable()
    collections = {"Computers": computers, "Clients": clients, "Alerts": alerts, "Scripts": scripts}
    return Dataset(
        profile="seed",
        records=records,
        seed=seed,
        collections=collections,
        fields={name: field_paths(items) for name, items in collections.items()},
    )

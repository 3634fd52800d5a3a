"""The manage profile's data: records of the common Manage endpoints, from the Manage catalogue.

Every record of a served endpoint has every field the catalogue
(`cwa_query/data/manage_schema.json`, from pyconnectwise's models of ConnectWise's own
schema) lists for it, in its JSON type: scalars from the pools (`_pools`), nested objects
built from their fields, enumerations from their values, `_info` with its dates. The fields
conditions filter on are curated (`_manage_curated`): names, identifiers, statuses, boards,
types, communication items, custom fields. References are consistent: a contact's company
exists, a ticket's contact belongs to the ticket's company, a time entry charges an existing
ticket of the same company, every member reference names an existing member.

`records` is the number of companies; the other endpoints scale with it (`SCALE`).

>>> data = ManageDataset(10, seed=1)
>>> len(data.collection("company/companies")), len(data.collection("service/tickets"))
(10, 40)
>>> len(data.collection("system/members"))
2
>>> ticket = data.collection("service/tickets")[0]
>>> company = data.find("company/companies", str(ticket["company"]["id"]))
>>> company["identifier"] == ticket["company"]["identifier"]
True
"""

from __future__ import annotations

import functools
import random
from collections.abc import Mapping
from typing import Any, Final

from ..schema import FieldInfo, Schema, builtin_schema
from ._manage_curated import CURATORS, REFERENCES, Curated, reference_to
from ._pools import scalar_pool
from ._words import USERS, stamp

__all__ = ["CODEBASE", "COMPANY_NAME", "SCALE", "SERVED", "ManageDataset", "manage_dataset"]

Record = dict[str, Any]

#: What `/login/companyinfo/<company>` names (the API lives under `/<codebase>apis/3.0/`).
CODEBASE: Final = "v2025_1/"
#: The `CompanyName` of that answer.
COMPANY_NAME: Final = "Sandbox Managed Services"
#: The endpoints served, with how many records each has per company (at least one record).
SCALE: Final[Mapping[str, float]] = {
    "system/members": 0.2,
    "company/companies": 1,
    "company/contacts": 3,
    "service/tickets": 4,
    "project/projects": 1,
    "finance/agreements": 1,
    "sales/opportunities": 1,
    "company/configurations": 2,
    "time/entries": 5,
    "procurement/products": 2,
}
SERVED: Final = tuple(SCALE)
#: Elements of a nested array of objects (the curated ones set their own).
_ARRAY_ITEMS: Final = 1
_MAX_DEPTH: Final = 3


def manage_schema() -> Schema:
    """The Manage catalogue (field names and JSON types)."""
    return builtin_schema("manage")


class ManageDataset:
    """The records of the served Manage endpoints, made at once (thread-safe to read)."""

    id_field: Final[Mapping[str, str]] = dict.fromkeys(SERVED, "id")

    def __init__(self, records: int, seed: int = 0) -> None:
        self.records = records
        self.seed = seed
        self.schema = manage_schema()
        self._collections: dict[str, list[Record]] = {}
        self._index: dict[str, dict[int, Record]] = {}
        self._by_company: dict[str, dict[int, list[Record]]] = {}
        self._trees: dict[str, _Tree] = {}
        rng = random.Random(f"manage:{records}:{seed}")
        for endpoint in SERVED:  # in order: references point at endpoints made before
            count = max(1, round(records * SCALE[endpoint]))
            made = [self._record(endpoint, number, rng) for number in range(1, count + 1)]
            self._collections[endpoint] = made
            self._index[endpoint] = {record["id"]: record for record in made}
            owners: dict[int, list[Record]] = {}
            for record in made:
                company = record.get("company")
                if isinstance(company, dict):
                    owners.setdefault(company["id"], []).append(record)
            self._by_company[endpoint] = owners

    def __repr__(self) -> str:
        return f"<ManageDataset records={self.records} seed={self.seed}>"

    @property
    def lists(self) -> tuple[str, ...]:
        """The served list endpoints."""
        return SERVED

    def collection(self, endpoint: str) -> list[Record]:
        """The records of `endpoint`, by id."""
        return self._collections[endpoint]

    def find(self, endpoint: str, raw_id: str) -> Record | None:
        """The record of `endpoint` with id `raw_id` (decimal digits), or `None`."""
        if not raw_id.isdigit() or len(raw_id) > 9:
            return None
        return self._index[endpoint].get(int(raw_id))

    def spelling(self, endpoint: str, path: str) -> str | None:
        """The catalogue's spelling of field `path` (`company/id` or `company.id`, any case), or `None`."""
        info = self.schema.lookup(path.replace("/", "."), endpoint)
        return info.path if info is not None else None

    # ------------------------------------------------------------ generation

    def _record(self, endpoint: str, number: int, rng: random.Random) -> Record:
        tree = self._trees.get(endpoint)
        if tree is None:
            tree = self._trees[endpoint] = _tree(self.schema.fields(endpoint))
        curated: Curated = CURATORS[endpoint](self, rng, number)
        record = _build(tree, curated, self, rng, endpoint, 0)
        record["id"] = number
        return record

    def reference(self, endpoint: str, rng: random.Random, *, company: int | None = None) -> Record:
        """A reference (`{"id", "identifier", "name", "_info"}` as far as the record has them) to a
        record of `endpoint`, of `company` when given and it has one."""
        records = self._collections[endpoint]
        if company is not None:
            records = self._by_company[endpoint].get(company) or records
        return reference_to(endpoint, records[int(rng.random() * len(records))])


_Tree = dict[str, Any]  # name -> (FieldInfo, subtree)


def _tree(fields: Mapping[str, FieldInfo]) -> _Tree:
    root: _Tree = {}
    for path, info in fields.items():
        node = root
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, (None, {}))[1]
        previous = node.get(parts[-1])
        node[parts[-1]] = (info, previous[1] if previous else {})
    return root


def _build(tree: _Tree, curated: Curated, data: ManageDataset, rng: random.Random, word: str, depth: int) -> Record:
    out: Record = {}
    for name, (info, children) in tree.items():
        if name in curated:
            out[name] = curated[name]
            continue
        if info is None:
            continue
        value = _value(name, info, children, data, rng, word, depth)
        if value is not _SKIP:
            out[name] = value
    for name, value in curated.items():  # curated keys the catalogue does not list (none expected)
        out.setdefault(name, value)
    return out


_SKIP = object()


def _value(
    name: str, info: FieldInfo, children: _Tree, data: ManageDataset, rng: random.Random, word: str, depth: int
) -> Any:
    if name == "_info":
        return _info(rng)
    if info.type == "object":
        target = REFERENCES.get(name)
        if target is not None and not info.array and target in data._collections:
            return data.reference(target, rng)
        if not children or depth + 1 >= _MAX_DEPTH:
            return [] if info.array else _SKIP
        items = [_build(children, {}, data, rng, name, depth + 1) for _ in range(_ARRAY_ITEMS)]
        return items if info.array else items[0]
    if info.array:
        return []
    pool = _pool(info, name, word)
    if pool is None:
        return None
    return pool[int(rng.random() * len(pool))]


_POOLS: dict[tuple[int, str], tuple[Any, ...] | None] = {}


def _pool(info: FieldInfo, name: str, word: str) -> tuple[Any, ...] | None:
    key = (id(info), word)  # the catalogue's FieldInfo objects live as long as the process
    try:
        return _POOLS[key]
    except KeyError:
        pool = _POOLS[key] = scalar_pool(info, name, random.Random(f"{word}.{name}"), word)
        return pool


def _info(rng: random.Random) -> Record:
    entered = stamp(400 * 86400 - int(rng.random() * 200 * 86400))
    updated = stamp(int(rng.random() * 200 * 86400))
    user = USERS[int(rng.random() * len(USERS))].replace("'", "")
    return {"lastUpdated": updated, "updatedBy": user, "dateEntered": entered, "enteredBy": user}


@functools.lru_cache(maxsize=8)
def manage_dataset(records: int = 1000, seed: int = 0) -> ManageDataset:
    """The manage dataset for (records, seed), made once."""
    return ManageDataset(records, seed)

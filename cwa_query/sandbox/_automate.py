"""The automate profile's data, generated from the catalogue the linter reads.

Every list endpoint of the built-in automate catalogue (`cwa_query/data/automate_schema.json`,
generated from the Automate OpenAPI document by `scripts/gen_automate_schema.py`) is served
with records whose every property has the document's JSON type: an `Id` the document
declares as a string is a string (`"42"`), date-times are `datetime`s written without an
offset, nested objects are objects and arrays are lists. The same catalogue gives the
linter its fields, so a field the linter knows is a field the sandbox knows.

Records are made on first use, per endpoint (and per parent for `Computers/{id}/...`
sub-collections), from a generator seeded by (endpoint, records, seed): small memory and
start-up, and the same data every time.

* **Top-level fields** all appear. **Nested objects** one level down: a reference to a record
  of another endpoint (`Client`, `Location`, `Computer`, ...: an object with an `Id` whose
  name is an endpoint's singular) holds that record's `Id` and `Name`, so a Computer's
  `Client.Id` is a Client that exists and its `Location` belongs to that Client; any other
  object holds its scalar members. Objects deeper than that are left out (the document
  requires no property), as are members of arrays of objects below the top.
* **Id fields** (`ComputerId`, `ClientId`, ...) name records that exist, and the record's
  `ComputerName` and `Client` agree with the computer named; a `Computers/{id}/...` record
  carries its computer's id, name and client.
* **Values** are plausible for the field's name and type (names, cities, IP and MAC
  addresses, versions, GUIDs, dates) and come from small pools, so filters select real
  subsets (`_pools.py`). `Computers`, `Clients`, `Locations`, `Alerts` and `Scripts` are
  curated further (`_curated.py`: operating systems, online status, ports, logged-in users,
  severities).

>>> data = automate_dataset(20, 0)
>>> computer = data.collection("Computers")[0]
>>> computer["Id"], type(computer["Client"]["Id"]).__name__
('1', 'str')
>>> any(c["Id"] == computer["Client"]["Id"] for c in data.collection("Clients"))
True
"""

from __future__ import annotations

import functools
import gc
import random
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from ..schema import FieldInfo, Schema, builtin_schema
from ._curated import CURATORS
from ._pools import POOL_SIZE, Factory, Rand, pick, scalar_pool, typed_id
from ._words import ANTIVIRUS, COMPUTERS_PER_CLIENT, LOCATIONS_PER_CLIENT, MIN_CLIENTS, SCRIPT_FOLDERS, SCRIPT_NAMES

__all__ = ["AutomateDataset", "automate_dataset", "automate_schema"]

Record = dict[str, Any]

#: Records of a list endpoint without a count of its own.
DEFAULT_COUNT: Final = 20
#: Records of one parent's sub-collection (`Computers/{id}/Software`): 1 to this many.
MAX_CHILDREN: Final = 4
#: How often a top-level array of objects holds one element (it is empty otherwise).
OBJECT_ARRAY_CHANCE: Final = 0.25
#: The most elements a generated array holds.
MAX_ARRAY: Final = 3
#: Digits of the longest id the sandbox reads as a number (longer ids name no record).
MAX_ID_DIGITS: Final = 18
#: Sub-collections and single objects kept per parent before the oldest are dropped.
CACHED_PARENTS: Final = 256

_PARAM = re.compile(r"\{[^}]*\}")


def automate_schema() -> Schema:
    """The built-in automate catalogue (the linter's), whose `resources` the sandbox serves."""
    return builtin_schema("automate")


# --------------------------------------------------------------------------- the field tree


@dataclass(frozen=True)
class _Node:
    name: str
    info: FieldInfo
    children: tuple[_Node, ...]


def _tree(fields: Mapping[str, FieldInfo]) -> tuple[_Node, ...]:
    """The dotted fields as a tree of nodes, in the catalogue's order."""
    kids: dict[str, list[str]] = {"": []}
    for path in fields:
        parent = path.rsplit(".", 1)[0] if "." in path else ""
        kids.setdefault(parent, []).append(path)

    def build(path: str) -> _Node:
        children = tuple(build(child) for child in kids.get(path, []))
        return _Node(path.rsplit(".", 1)[-1], fields[path], children)

    return tuple(build(path) for path in kids[""])


def _id_field_of(fields: Mapping[str, FieldInfo]) -> str | None:
    """`Id`, or the first top-level `...Id` field, or `None`."""
    if "Id" in fields:
        return "Id"
    for path, info in fields.items():
        if "." not in path and path.lower().endswith("id") and info.type in ("integer", "id", "string"):
            return path
    return None


def _singular(name: str) -> str:
    return name[:-1] if name.endswith("s") else name


# --------------------------------------------------------------------------- the dataset


class AutomateDataset:
    """The automate profile's records for (records, seed), made per endpoint on first use.

    `collection(name)` gives a list endpoint's records; `children(template, ids)` the
    records of a sub-collection for one parent; `single(template, ids)` a one-object
    answer. Thread-safe; records must not be mutated.
    """

    profile: Final = "automate"

    def __init__(self, records: int, seed: int, schema: Schema | None = None) -> None:
        self.records = records
        self.seed = seed
        self.schema = schema if schema is not None else automate_schema()
        self._lock = threading.RLock()
        self._collections: dict[str, list[Record]] = {}
        self._building: set[str] = set()
        self._factories: dict[str, Callable[[Rand, int], Record]] = {}
        self._children: dict[tuple[str, tuple[str, ...]], list[Record]] = {}
        clients = max(MIN_CLIENTS, records // COMPUTERS_PER_CLIENT)
        self._counts = {
            "Computers": records,
            "Clients": clients,
            "Locations": clients * LOCATIONS_PER_CLIENT,
            "Alerts": max(1, records // 2),
            "Scripts": len(SCRIPT_NAMES),
            "ScriptFolders": len(SCRIPT_FOLDERS),
            "VirusScannerDefs": len(ANTIVIRUS),
        }
        endpoints = self.schema.endpoint_names
        self.lists: tuple[str, ...] = tuple(name for name in endpoints if "{" not in name)
        self.sub_collections: tuple[str, ...] = tuple(name for name in endpoints if "{" in name)
        self._by_singular = {_singular(name).lower(): name for name in self.lists if "/" not in name}
        resources = self.schema.resources
        self._objects: dict[str, Any] = dict(resources.get("objects", {}))
        self._values: dict[str, str] = dict(resources.get("values", {}))
        self._object_schema = (
            Schema.from_dict({"endpoints": self._objects}, source="resources.objects", trusted=True)
            if self._objects
            else None
        )

    def __repr__(self) -> str:
        return f"<AutomateDataset records={self.records} seed={self.seed}>"

    # ------------------------------------------------------------ public lookups

    @property
    def collections(self) -> dict[str, list[Record]]:
        """The list endpoints generated so far."""
        with self._lock:
            return dict(self._collections)

    @functools.cached_property
    def fields(self) -> dict[str, dict[str, str]]:
        """Every list endpoint's fields: lower-cased path -> the catalogue's spelling."""
        return {
            name: {path.lower(): path for path in self.schema.fields(name)}
            for name in (*self.lists, *self.sub_collections)
        }

    @functools.cached_property
    def id_field(self) -> dict[str, str]:
        """The id field of each list endpoint (`Id`, or the first top-level `...Id`)."""
        out = {}
        for name in (*self.lists, *self.sub_collections):
            fields = self.schema.fields(name)
            out[name] = _id_field_of(fields) or next(iter(fields))
        return out

    def count(self, endpoint: str) -> int:
        """How many records list endpoint `endpoint` has."""
        return self._counts.get(endpoint, DEFAULT_COUNT)

    def collection(self, endpoint: str) -> list[Record]:
        """The records of list endpoint `endpoint` (a name of `lists`), in id order."""
        with self._lock:
            found = self._collections.get(endpoint)
            if found is not None:
                return found
            self._building.add(endpoint)
            try:
                rng = random.Random(f"cwa-query-sandbox:automate:{endpoint}:{self.records}:{self.seed}")
                made = self._generate(endpoint, rng, self.count(endpoint), offset=0)
                if endpoint not in CURATORS:
                    self._link_references(endpoint, made)
            finally:
                self._building.discard(endpoint)
            self._collections[endpoint] = made
            return made

    def children(self, template: str, ids: tuple[str, ...]) -> list[Record]:
        """The records of sub-collection `template` for the parent `ids` (made on first use)."""
        key = (template, ids)
        with self._lock:
            found = self._children.get(key)
            if found is not None:
                return found
            rng = random.Random(f"cwa-query-sandbox:automate:{template}:{'/'.join(ids)}:{self.seed}")
            count = 1 + rng.randrange(MAX_CHILDREN)
            offset = ((_small_int(ids[0]) if ids else None) or 0) * MAX_CHILDREN
            # pools from a generator of the template's own: the same whichever parent comes first
            pools = random.Random(f"cwa-query-sandbox:automate:pools:{template}:{self.seed}")
            made = self._generate(template, rng, count, offset=offset, pools=pools)
            self._bind_parents(template, ids, made)
            if len(self._children) >= CACHED_PARENTS:
                self._children.pop(next(iter(self._children)))
            self._children[key] = made
            return made

    def objects(self) -> tuple[str, ...]:
        """The one-object `GET` endpoints of the catalogue (templates)."""
        return tuple(self._objects)

    def values(self) -> tuple[str, ...]:
        """The `GET` endpoints whose answer is one plain value or an array of them (templates)."""
        return tuple(self._values)

    def value(self, template: str, ids: tuple[str, ...]) -> Any:
        """The answer of a `values()` endpoint for `ids` (the same every time).

        Every `string[]` answer of the document is a list of permission names
        (`Permissions/Users`, `Permissions/Clients/{clientId}`): a sorted subset of the
        permissions a user class has in the catalogue (`UserClasses`' `Permissions.*`).
        A scalar answer (`DatabaseServerTime`) is one value of its type.
        """
        kind = self._values[template]
        rng = random.Random(f"cwa-query-sandbox:automate:{template}:{'/'.join(ids)}:{self.seed}")
        if kind == "string[]":
            names = self._permission_names
            return sorted(rng.sample(names, k=1 + rng.randrange(len(names)))) if names else []
        info = FieldInfo(template, kind.removesuffix("[]"))
        pool = scalar_pool(info, template, rng, "Value") or (None,)
        draw = pick(pool)
        return (
            [draw(rng.random) for _ in range(1 + rng.randrange(MAX_ARRAY))] if kind.endswith("[]") else draw(rng.random)
        )

    @functools.cached_property
    def _permission_names(self) -> tuple[str, ...]:
        """The names of the permissions a user class may hold, from the catalogue."""
        if "UserClasses" not in self.schema.endpoint_names:
            return ()
        prefix = "permissions."
        fields = self.schema.fields("UserClasses")
        return tuple(path[len(prefix) :] for path in fields if path.lower().startswith(prefix) and path.count(".") == 1)

    def single(self, template: str, ids: tuple[str, ...]) -> Record:
        """The one-object answer of `template` for `ids` (the same every time)."""
        if self._object_schema is None or not self._objects[template]["fields"]:
            return {}
        rng = random.Random(f"cwa-query-sandbox:automate:{template}:{'/'.join(ids)}:{self.seed}")
        fields = self._object_schema.fields(template)
        make = self._record_factory(template, fields, rng)
        record = make(rng.random, 1)
        self._bind_parents(template, ids, [record])
        return record

    def spelling(self, endpoint: str, path: str) -> str | None:
        """The catalogue's spelling of field `path` of `endpoint` (any case), or `None`."""
        info = self.schema.lookup(path, endpoint)
        return info.path if info is not None else None

    def find(self, endpoint: str, raw_id: str) -> Record | None:
        """The record of list endpoint `endpoint` whose id is `raw_id`, or `None`."""
        number = _small_int(raw_id)
        if number is None:
            return None
        records = self.collection(endpoint)
        index = number - 1
        if 0 <= index < len(records) and str(records[index][self.id_field[endpoint]]) == raw_id.lstrip("0"):
            return records[index]
        return None

    def reference(self, endpoint: str, rand: Rand) -> tuple[int, str | None]:
        """A random existing record of `endpoint`: its id and name (`None` while it is being made)."""
        count = self.count(endpoint)
        index = int(rand() * count)
        if endpoint in self._building:
            return index + 1, None
        return index + 1, _name_of(self.collection(endpoint)[index])

    # ------------------------------------------------------------ generation

    def _generate(
        self, endpoint: str, rng: random.Random, count: int, *, offset: int, pools: random.Random | None = None
    ) -> list[Record]:
        """`count` records of `endpoint` drawn from `rng`; the value pools, made once per
        endpoint, come from `pools` (default `rng`, for a list made once per dataset)."""
        curate, curated = CURATORS.get(endpoint, (None, frozenset[str]()))
        make = self._factories.get(endpoint)
        if make is None:
            make = self._record_factory(endpoint, self.schema.fields(endpoint), pools or rng, curated)
            self._factories[endpoint] = make
        rand = rng.random
        collecting = gc.isenabled()
        gc.disable()  # thousands of fresh acyclic containers
        try:
            out = []
            for index in range(count):
                record = make(rand, offset + index + 1)
                if curate is not None:
                    record.update(curate(self, rng, index))
                out.append(record)
        finally:
            if collecting:
                gc.enable()
        return out

    def _record_factory(
        self,
        endpoint: str,
        fields: Mapping[str, FieldInfo],
        rng: random.Random,
        curated: frozenset[str] = frozenset(),
    ) -> Callable[[Rand, int], Record]:
        """A maker of records in the document's property order; `curated` fields are left
        `None` for the endpoint's curator to fill."""
        word = _singular(endpoint.rsplit("/", 1)[-1].strip("{}")) or "Item"
        word = word[:1].upper() + word[1:]
        id_field = _id_field_of(fields)
        order: list[str] = []
        makers: list[tuple[str, Factory]] = []
        for node in _tree(fields):
            if node.name == id_field or node.name in curated:
                order.append(node.name)
                continue
            maker = self._node_factory(node, 1, rng, word)
            if maker is not None:
                order.append(node.name)
                makers.append((node.name, maker))
        template = dict.fromkeys(order)
        id_info = fields.get(id_field) if id_field else None

        def make(rand: Rand, number: int) -> Record:
            record = dict(template)
            if id_field is not None and id_info is not None:
                record[id_field] = typed_id(id_info, number)
            record.update({name: maker(rand) for name, maker in makers})
            return record

        return make

    def _node_factory(self, node: _Node, depth: int, rng: random.Random, word: str) -> Factory | None:
        info = node.info
        if info.type == "object":
            if info.array:
                if depth > 1 or not node.children:
                    return lambda rand: []
                inner = self._object_factory(node, depth, rng, word)
                # one element now and then: arrays of objects are large and rarely filtered on
                return lambda rand: [inner(rand)] if rand() < OBJECT_ARRAY_CHANCE else []
            if depth > 1:
                return None
            return self._object_factory(node, depth, rng, word)
        target = self._by_singular.get(node.name[:-2].lower()) if node.name.lower().endswith("id") else None
        if target is not None and info.type in ("integer", "id") and not info.values:
            # `ComputerId`, `ClientId`, ...: the id of a record that exists
            count = self.count(target)
            number = int if info.type == "integer" else str
            return lambda rand: number(1 + int(rand() * count))
        pool = scalar_pool(info, node.name, rng, word)
        if pool is None:
            return lambda rand: None
        draw = pick(pool)
        if info.array:
            return lambda rand: [draw(rand) for _ in range(int(rand() * (MAX_ARRAY + 1)))]
        return draw

    def _object_factory(self, node: _Node, depth: int, rng: random.Random, word: str) -> Factory:
        members = {child.name: child for child in node.children}
        target = self._by_singular.get(node.name.lower())
        id_node = members.get("Id")
        if target is not None and id_node is not None and id_node.info.type in ("integer", "id", "string"):
            id_info = id_node.info
            has_name = "Name" in members

            def reference(rand: Rand) -> Any:
                number, name = self.reference(target, rand)
                out: Record = {"Id": typed_id(id_info, number)}
                if has_name and name is not None:
                    out["Name"] = name
                return out

            return reference
        makers: list[tuple[str, Factory]] = []
        for child in node.children:
            maker = self._node_factory(child, depth + 1, rng, node.name)
            if maker is not None:
                makers.append((child.name, maker))
        # A pool of whole objects, shared by the records that draw them (records are never mutated).
        rand = rng.random
        return pick(tuple({name: maker(rand) for name, maker in makers} for _ in range(POOL_SIZE)))

    def _link_references(self, endpoint: str, records: list[Record]) -> None:
        """Make `ComputerId`-style fields agree with the record they name: `ComputerName` and
        `Computer.Name` its name, `ClientId` and `Client` its client."""
        fields = self.schema.fields(endpoint)
        for path, info in fields.items():
            if "." in path or not path.lower().endswith("id") or info.type not in ("integer", "id"):
                continue
            owner = path[:-2]
            target = self._by_singular.get(owner.lower())
            if target is None or target == endpoint or target in self._building:
                continue
            targets = self.collection(target)
            for record in records:
                number = record.get(path)
                if isinstance(number, int | str) and 0 < int(number) <= len(targets):
                    _link_parent([record], owner, number, targets[int(number) - 1])
        if "Location.Id" in fields and "Client" in fields and "Locations" not in self._building:
            locations = self.collection("Locations")  # a record's location belongs to its client
            for record in records:
                location = record.get("Location")
                number = location.get("Id") if isinstance(location, dict) else None
                if isinstance(number, int | str) and 0 < int(number) <= len(locations):
                    _link(record, "Client", locations[int(number) - 1]["Client"])

    def _bind_parents(self, template: str, ids: tuple[str, ...], records: list[Record]) -> None:
        """Point each record's parent fields at the parent in the path: `ComputerId` and
        `Computer.Id` at the computer, and, when the parent is a record of a list endpoint,
        its name (`ComputerName`, `Computer.Name`) and its client (`ClientId`, `Client`)."""
        parts = template.split("/")
        for index, segment in enumerate(parts):
            if not _PARAM.fullmatch(segment):
                continue
            value = ids[sum(1 for p in parts[:index] if _PARAM.fullmatch(p))]
            if _small_int(value) is None:
                continue
            field = segment.strip("{}")
            field = field[:1].upper() + field[1:]  # computerId -> ComputerId
            owner = field.removesuffix("Id")
            parent_endpoint = self._by_singular.get(owner.lower())
            parent = self.find(parent_endpoint, value) if parent_endpoint and index else None
            _link_parent(records, owner, value, parent)


def _name_of(record: Mapping[str, Any] | None) -> str | None:
    """A record's `Name` (a computer's `ComputerName`), or `None`."""
    name = record.get("Name", record.get("ComputerName")) if record is not None else None
    return name if isinstance(name, str) else None


def _link_parent(records: list[Record], owner: str, number: Any, parent: Record | None) -> None:
    """Point each record's `owner` fields at `parent` (a record of a list endpoint, or `None`
    when only its id `number` is known): its id, its name and its client."""
    links: dict[str, Any] = {"Id": number}
    name = _name_of(parent)
    if name is not None:
        links["Name"] = name
    client = parent.get("Client") if parent is not None else None
    for record in records:
        _link(record, owner, links)
        if isinstance(client, dict) and owner != "Client":
            _link(record, "Client", client)


def _link(record: Record, owner: str, values: Mapping[str, Any]) -> None:
    """Set `<owner>Id`/`<owner>ID`/`<owner>Name` and `<owner>.Id`/`<owner>.Name` where the record
    has them, each in the JSON type it already holds (a copy of nested objects: pools share them)."""
    for suffix, key in (("Id", "Id"), ("ID", "Id"), ("Name", "Name")):
        flat = owner + suffix
        if flat in record and key in values and isinstance(record[flat], int | str):
            record[flat] = _same_type(record[flat], values[key])
    nested = record.get(owner)
    if isinstance(nested, dict):
        record[owner] = {**nested, **{k: _same_type(nested[k], v) for k, v in values.items() if k in nested}}


def _same_type(old: Any, new: Any) -> Any:
    number = _small_int(str(new))
    if isinstance(old, int) and not isinstance(old, bool) and number is not None:
        return number
    return str(new) if isinstance(old, str) else new


def _small_int(text: str) -> int | None:
    """`text` as an integer when it is all digits and no longer than an int64's 18 safe digits
    (an id in a path may be 5,000 digits long; Python refuses to convert past 4,300), else `None`.

    >>> _small_int("0042"), _small_int("9" * 5000), _small_int("-1")
    (42, None, None)
    """
    if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > MAX_ID_DIGITS:
        return None
    return int(text)


@functools.lru_cache(maxsize=8)
def automate_dataset(records: int = 1000, seed: int = 0) -> AutomateDataset:
    """The automate dataset for (records, seed); equal arguments give the same object."""
    return AutomateDataset(records, seed)

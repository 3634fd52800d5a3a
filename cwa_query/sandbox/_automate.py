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
  subsets. `Computers`, `Clients`, `Locations`, `Alerts` and `Scripts` are curated further
  (operating systems, online status, ports, logged-in users, severities).

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
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from ..schema import FieldInfo, Schema, builtin_schema
from ._words import (
    ALERT_MESSAGES,
    ALERT_SOURCES,
    ANTIVIRUS,
    CITIES,
    COMMENTS,
    COMPANIES,
    CONTACT_SPAN,
    COUNTRIES,
    DAY,
    MEMORY_SIZES,
    NON_ASCII_EVERY,
    ONLINE_SHARE,
    OS,
    PORTS,
    ROLES,
    SCRIPT_FOLDERS,
    SCRIPT_NAMES,
    SEVERITY_NAMES,
    SITES,
    USERS,
    abbreviation,
    mac,
    stamp,
)

__all__ = ["CURATORS", "AutomateDataset", "automate_dataset", "automate_schema"]

Record = dict[str, Any]
Rand = Callable[[], float]
Factory = Callable[[Rand], Any]

#: Records of a list endpoint without a count of its own.
DEFAULT_COUNT: Final = 20
#: Records of one parent's sub-collection (`Computers/{id}/Software`): 1 to this many.
MAX_CHILDREN: Final = 4
#: How often a top-level array of objects holds one element (it is empty otherwise).
OBJECT_ARRAY_CHANCE: Final = 0.25
#: Values in each field's pool.
POOL_SIZE: Final = 16
#: The most elements a generated array holds.
MAX_ARRAY: Final = 3
#: One client per this many computers (at least `MIN_CLIENTS`), two locations per client.
COMPUTERS_PER_CLIENT: Final = 50
MIN_CLIENTS: Final = 3
LOCATIONS_PER_CLIENT: Final = 2
#: Sub-collections and single objects kept per parent before the oldest are dropped.
CACHED_PARENTS: Final = 256
#: Seconds back from the data's epoch that generated date-times reach.
DATE_SPAN: Final = 400 * 86400

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


# --------------------------------------------------------------------------- value pools


def _pick(pool: tuple[Any, ...]) -> Factory:
    size = len(pool)
    return lambda rand: pool[int(rand() * size)]


def _typed_id(info: FieldInfo, number: int) -> Any:
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


def _scalar_pool(info: FieldInfo, name: str, rng: random.Random, word: str) -> tuple[Any, ...] | None:
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
            offset = (int(ids[0]) if ids and ids[0].isdigit() else 0) * MAX_CHILDREN
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

    def find(self, endpoint: str, raw_id: str) -> Record | None:
        """The record of list endpoint `endpoint` whose id is `raw_id`, or `None`."""
        if not raw_id.isdigit():
            return None
        records = self.collection(endpoint)
        index = int(raw_id) - 1
        if 0 <= index < len(records) and str(records[index][self.id_field[endpoint]]) == raw_id.lstrip("0"):
            return records[index]
        return None

    def reference(self, endpoint: str, rand: Rand) -> tuple[int, str | None]:
        """A random existing record of `endpoint`: its id and name (`None` while it is being made)."""
        count = self.count(endpoint)
        index = int(rand() * count)
        if endpoint in self._building:
            return index + 1, None
        record = self.collection(endpoint)[index]
        name = record.get("Name", record.get("ComputerName"))
        return index + 1, name if isinstance(name, str) else None

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
                record[id_field] = _typed_id(id_info, number)
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
        pool = _scalar_pool(info, node.name, rng, word)
        if pool is None:
            return lambda rand: None
        pick = _pick(pool)
        if info.array:
            return lambda rand: [pick(rand) for _ in range(int(rand() * (MAX_ARRAY + 1)))]
        return pick

    def _object_factory(self, node: _Node, depth: int, rng: random.Random, word: str) -> Factory:
        members = {child.name: child for child in node.children}
        target = self._by_singular.get(node.name.lower())
        id_node = members.get("Id")
        if target is not None and id_node is not None and id_node.info.type in ("integer", "id", "string"):
            id_info = id_node.info
            has_name = "Name" in members

            def reference(rand: Rand) -> Any:
                number, name = self.reference(target, rand)
                out: Record = {"Id": _typed_id(id_info, number)}
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
        return _pick(tuple({name: maker(rand) for name, maker in makers} for _ in range(POOL_SIZE)))

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
                if not isinstance(number, int | str) or not 0 < int(number) <= len(targets):
                    continue
                parent = targets[int(number) - 1]
                links: dict[str, Any] = {"Id": number}
                name = parent.get("Name", parent.get("ComputerName"))
                if isinstance(name, str):
                    links["Name"] = name
                _link(record, owner, links)
                client = parent.get("Client")
                if isinstance(client, dict) and owner != "Client":
                    _link(record, "Client", client)
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
            if not value.isdigit():
                continue
            field = segment.strip("{}")
            field = field[:1].upper() + field[1:]  # computerId -> ComputerId
            owner = field.removesuffix("Id")
            parent_endpoint = self._by_singular.get(owner.lower())
            parent = self.find(parent_endpoint, value) if parent_endpoint and index else None
            links: dict[str, Any] = {"Id": value}
            name = parent.get("Name", parent.get("ComputerName")) if parent is not None else None
            if isinstance(name, str):
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
    if isinstance(old, int) and not isinstance(old, bool) and str(new).isdigit():
        return int(new)
    return str(new) if isinstance(old, str) else new


# --------------------------------------------------------------------------- curated endpoints


def _client_name(index: int) -> str:
    base = COMPANIES[index % len(COMPANIES)]
    return base if index < len(COMPANIES) else f"{base} {index // len(COMPANIES) + 1}"


def _site_name(location_id: int, clients: int) -> str:
    return SITES[((location_id - 1) // clients) % len(SITES)]


Curator = Callable[[AutomateDataset, random.Random, int], Record]


def _curate_clients(data: AutomateDataset, rng: random.Random, index: int) -> Record:
    name = _client_name(index)
    city = rng.randrange(len(CITIES))
    clients = data.count("Clients")
    locations = [index + 1 + k * clients for k in range(LOCATIONS_PER_CLIENT)]
    return {
        "Name": name,
        "Company": name,
        "City": CITIES[city],
        "Country": COUNTRIES[city],
        "ExternalId": str(1000 + index + 1),
        "Comment": COMMENTS[rng.randrange(len(COMMENTS))],
        "Locations": [{"Id": number, "Name": _site_name(number, clients)} for number in locations],
    }


def _curate_locations(data: AutomateDataset, rng: random.Random, index: int) -> Record:
    clients = data.count("Clients")
    client = index % clients
    return {
        "LocationId": index + 1,
        "Name": _site_name(index + 1, clients),
        "Client": {"Id": str(client + 1), "Name": _client_name(client)},
        "City": CITIES[(client + index) % len(CITIES)],
    }


def _curate_computers(data: AutomateDataset, rng: random.Random, index: int) -> Record:
    rand = rng.random
    clients = data.count("Clients")
    location = int(rand() * data.count("Locations"))
    client = location % clients
    prefix = abbreviation(COMPANIES[client % len(COMPANIES)])
    computer_id = index + 1
    os_name, os_version, kind = OS[int(rand() * len(OS))]
    role = "SRV" if kind == "Server" and rand() < 0.5 else ROLES[int(rand() * len(ROLES))]
    name = f"{prefix}-{role}{computer_id:04d}"
    if computer_id % NON_ASCII_EVERY == 0:
        name = f"MÜNCHEN-{role}{computer_id:04d}"
    status = "Online" if rand() < ONLINE_SHARE else "Offline"
    memory = MEMORY_SIZES[int(rand() * len(MEMORY_SIZES))]
    contact = int(rand() * CONTACT_SPAN)
    users = [
        {"LoggedInUserName": USERS[int(rand() * len(USERS))], "ConsoleId": console}
        for console in range(int(rand() * 3) if status == "Online" else 0)
    ]
    antivirus = int(rand() * len(ANTIVIRUS))
    return {
        "Location": {"Id": location + 1, "Name": _site_name(location + 1, clients)},
        "Client": {"Id": str(client + 1), "Name": _client_name(client)},
        "IsMaintenanceModeEnabled": rand() < 0.05,
        "IsVirtualMachine": rand() < 1 / 3,
        "ComputerName": name,
        "OperatingSystemName": os_name,
        "OperatingSystemVersion": os_version,
        "DomainName": f"{prefix.lower()}.local",
        "OpenPortsTCP": sorted({PORTS[int(rand() * len(PORTS))] for _ in range(int(rand() * 5))}),
        "OpenPortsUDP": [53, 123] if kind == "Server" else [],
        "Comment": COMMENTS[int(rand() * len(COMMENTS))],
        "RemoteAgentVersion": f"2023.{1 + int(rand() * 12)}.{int(rand() * 100)}",
        "RemoteAgentLastContact": stamp(contact),
        "LastHeartbeat": stamp(contact + int(rand() * 600)),
        "TotalMemory": memory,
        "FreeMemory": int(memory * rand()),
        "CpuUsage": int(rand() * 101),
        "LocalIPAddress": f"10.{(client + 1) % 256}.{(location + 1) % 256}.{computer_id % 250 + 2}",
        "SystemUptime": int(rand() * 40 * DAY),
        "MACAddress": mac(rng.getrandbits(48)),
        "DateAdded": stamp(DAY * (60 + int(rand() * 900))),
        "LoggedInUsers": users,
        "LastUserName": USERS[int(rand() * len(USERS))],
        "Type": kind,
        "Status": status,
        "VirusScanner": {"Id": str(antivirus + 1), "Name": ANTIVIRUS[antivirus]},
        "FriendlyName": name.lower(),
        "IsRebootNeeded": rand() < 0.2,
        "SerialNumber": f"SN{int(rand() * 10**8):08d}",
        "UserAccounts": sorted({USERS[int(rand() * len(USERS))] for _ in range(1 + int(rand() * 3))}),
    }


def _curate_alerts(data: AutomateDataset, rng: random.Random, index: int) -> Record:
    rand = rng.random
    computers = data.collection("Computers")
    computer = computers[int(rand() * len(computers))]
    severity = (1, 2, 2, 3, 3, 3, 4, 4, 5)[int(rand() * 9)]
    message = ALERT_MESSAGES[int(rand() * len(ALERT_MESSAGES))]
    return {
        "Client": {"Id": int(computer["Client"]["Id"]), "Name": computer["Client"]["Name"]},
        "Computer": {"Id": int(computer["Id"]), "Name": computer["ComputerName"], "ComputerStatus": computer["Status"]},
        "Location": dict(computer["Location"]),
        "Monitor": {"Id": 100 + int(rand() * 40), "Name": message.split(" ")[0] + " monitor"},
        "AlertDate": stamp(int(rand() * 30 * DAY)),
        "Severity": {"Id": severity, "Name": SEVERITY_NAMES[severity]},
        "Source": ALERT_SOURCES[int(rand() * len(ALERT_SOURCES))],
        "Message": message,
        "FieldName": "",
    }


def _curate_scripts(data: AutomateDataset, rng: random.Random, index: int) -> Record:
    name = SCRIPT_NAMES[index % len(SCRIPT_NAMES)]
    folder = SCRIPT_FOLDERS[index % len(SCRIPT_FOLDERS)]
    return {
        "Name": name,
        "Folder": {"Id": str(1 + index % len(SCRIPT_FOLDERS)), "Name": folder},
        "FullFolderPath": f"Scripts\\{folder}",
        "Comments": f"{name} ({folder})",
        "IsComputerScript": True,
        "IsOffline": index % 7 == 0,
        "Version": 1 + rng.randrange(9),
        "UpdateDate": stamp(DAY * rng.randrange(700)),
        "UpdatedBy": USERS[index % len(USERS)],
    }


def _curate_named(names: tuple[str, ...]) -> Curator:
    def curate(data: AutomateDataset, rng: random.Random, index: int) -> Record:
        return {"Name": names[index % len(names)]}

    return curate


def _curated(curator: Curator, *keys: str) -> tuple[Curator, frozenset[str]]:
    return curator, frozenset(keys)


#: The curator of each curated endpoint and the fields it sets (every one a field of the
#: document: a test holds them to the catalogue; the generic maker skips them).
CURATORS: Final[dict[str, tuple[Curator, frozenset[str]]]] = {
    "Clients": _curated(_curate_clients, "Name", "Company", "City", "Country", "ExternalId", "Comment", "Locations"),
    "Locations": _curated(_curate_locations, "LocationId", "Name", "Client", "City"),
    "Computers": _curated(
        _curate_computers,
        "Location",
        "Client",
        "IsMaintenanceModeEnabled",
        "IsVirtualMachine",
        "ComputerName",
        "OperatingSystemName",
        "OperatingSystemVersion",
        "DomainName",
        "OpenPortsTCP",
        "OpenPortsUDP",
        "Comment",
        "RemoteAgentVersion",
        "RemoteAgentLastContact",
        "LastHeartbeat",
        "TotalMemory",
        "FreeMemory",
        "CpuUsage",
        "LocalIPAddress",
        "SystemUptime",
        "MACAddress",
        "DateAdded",
        "LoggedInUsers",
        "LastUserName",
        "Type",
        "Status",
        "VirusScanner",
        "FriendlyName",
        "IsRebootNeeded",
        "SerialNumber",
        "UserAccounts",
    ),
    "Alerts": _curated(
        _curate_alerts,
        "Client",
        "Computer",
        "Location",
        "Monitor",
        "AlertDate",
        "Severity",
        "Source",
        "Message",
        "FieldName",
    ),
    "Scripts": _curated(
        _curate_scripts,
        "Name",
        "Folder",
        "FullFolderPath",
        "Comments",
        "IsComputerScript",
        "IsOffline",
        "Version",
        "UpdateDate",
        "UpdatedBy",
    ),
    "ScriptFolders": _curated(_curate_named(SCRIPT_FOLDERS), "Name"),
    "VirusScannerDefs": _curated(_curate_named(ANTIVIRUS), "Name"),
}


@functools.lru_cache(maxsize=8)
def automate_dataset(records: int = 1000, seed: int = 0) -> AutomateDataset:
    """The automate dataset for (records, seed); equal arguments give the same object."""
    return AutomateDataset(records, seed)

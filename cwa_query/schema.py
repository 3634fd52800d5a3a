"""Field catalogues: which fields each endpoint has, their types and known values.

A [`Schema`][cwa_query.Schema] maps endpoint names (`Computers`, `Alerts`, ...) to their
fields; a field is a dotted path (`Client.Id`) with a [`FieldInfo`][cwa_query.schema.FieldInfo].
The linter reads it to find unknown fields, type mismatches and unknown values.

Catalogues are built in, one per dialect that has one:

* `seed`: the endpoints and fields of the seed document (Computers, Clients, Alerts,
  Scripts), completed by hand where it is silent (the file says which fields);
* `automate`: generated from the public Automate OpenAPI document by
  `scripts/gen_automate_schema.py`: every list endpoint, every property, nested objects as
  dotted paths, arrays marked. Field names match case-insensitively, as on the real server.

(and `manage`, from the Manage OpenAPI document by `scripts/gen_manage_schema.py`). Beside
each lies its name index (`automate_schema.names.txt`, written from it by
`scripts/gen_catalogue_index.py`): its endpoints and field names, which answer whether it
knows a field and what to suggest over all its endpoints without reading its entries.

A schema file (JSON) has the same shape as the built-in ones:

```json
{
  "name": "my-server",
  "case_sensitive": false,
  "endpoints": {
    "Computers": {
      "fields": {
        "Id": "id",
        "Status": {"type": "string", "values": ["Online", "Offline"]},
        "OpenPortsTCP": "integer[]",
        "Client": "object",
        "Client.Name": "string"
      }
    }
  }
}
```

Types: `string`, `integer`, `decimal`, `boolean`, `datetime`, `id` (an integer-like
identifier: `5` or `'5'`, a JSON string on the wire), `object`, `any`; a `[]` suffix marks
an array. Keys other than these are ignored (`provenance`, `format`, notes), except that a
top-level `resources` object is kept as `Schema.resources` (the built-in automate catalogue
lists there what the sandbox serves beyond the list endpoints).

>>> from cwa_query import load_schema
>>> schema = load_schema(dialect="automate")
>>> schema.lookup("client.id", "Computers")
FieldInfo(path='Client.Id', type='id', array=False, values=None)
>>> schema.suggest("ComputerNme", "Computers")
'ComputerName'
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Union

from ._defaults import DEFAULT_DIALECT
from ._json import loads
from .dialects import DialectLike, catalogue_file
from .dialects.condition import CONDITION
from .errors import SchemaError

__all__ = ["FIELD_TYPES", "FieldInfo", "Schema", "builtin_schema", "load_schema"]

FIELD_TYPES = ("string", "integer", "decimal", "boolean", "datetime", "id", "object", "any")
#: the deepest nesting a schema file may have (the built-in catalogues nest 8 levels)
MAX_SCHEMA_DEPTH = 32
# os.path, not pathlib: pathlib (with urllib.parse and ipaddress) is 3 ms of a lint's start-up
_DATA = os.path.join(os.path.dirname(os.path.realpath(__file__)), "data")
_API_PREFIX = re.compile(r"^/?(?:cwa/)?(?:api/v1/)?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """One field of an endpoint.

    `path` is the canonical spelling, `type` one of `FIELD_TYPES`, `array` whether the
    field holds a list of `type` (so `contains` tests membership), `values` the known
    allowed values (or `None` when any value of the type may appear).
    """

    path: str
    type: str
    array: bool = False
    values: tuple[str, ...] | None = None

    @property
    def type_name(self) -> str:
        """The type as a schema file spells it: `integer`, `string[]`."""
        return self.type + ("[]" if self.array else "")


def _find_endpoint(index: Mapping[str, str], name: str) -> str | None:
    """The endpoint of `index` (lower-cased name -> name) that `name` means (any case, an
    `/cwa/api/v1/` prefix allowed, a concrete path for its template), or `None`."""
    key = _API_PREFIX.sub("", name.strip()).strip("/").lower()
    found = index.get(key)
    if found is not None:
        return found
    # the templated endpoint (`Computers/{computerId}/Software`) a concrete path matches
    segments = key.split("/")
    for lower, endpoint in index.items():
        parts = lower.split("/")
        if (
            "{" in lower
            and len(parts) == len(segments)
            and all(
                p == s or (p.startswith("{") and p.endswith("}") and s) for p, s in zip(parts, segments, strict=True)
            )
        ):
            return endpoint
    return None


_ANY = "any"
#: Held while a trusted catalogue's endpoint is parsed on first use (the sandbox looks fields
#: up from many threads at once).
_PARSING = threading.Lock()


class Schema:
    """A field catalogue: endpoints and their fields.

    Build one with [`load_schema`][cwa_query.load_schema] (a file, a mapping or a built-in
    catalogue). Lookups take an endpoint name, or `None` for "any endpoint": a field is then
    known if some endpoint has it, and typed only when all endpoints that have it agree.
    """

    __slots__ = (
        "_any_endpoint",
        "_endpoint_index",
        "_endpoints",
        "_index",
        "_merged",
        "_raw",
        "case_sensitive",
        "name",
        "provenance",
        "resources",
    )

    def __init__(
        self,
        endpoints: Mapping[str, Mapping[str, FieldInfo]],
        *,
        name: str = "custom",
        case_sensitive: bool = False,
        provenance: str | None = None,
    ) -> None:
        self.name = name
        self.case_sensitive = case_sensitive
        self.provenance = provenance
        #: What a catalogue holds beyond its list endpoints (the built-in automate one: the
        #: one-object answers, actions and query parameters the sandbox serves); `{}` if none.
        self.resources: Mapping[str, Any] = {}
        self._endpoints: dict[str, _Fields] = {
            endpoint: _Fields(fields, case_sensitive) for endpoint, fields in endpoints.items()
        }
        # Endpoints of a trusted catalogue, parsed on first use (the automate one is large).
        self._raw: dict[str, Mapping[str, Any]] = {}
        self._endpoint_index = {endpoint.lower(): endpoint for endpoint in self._endpoints}
        self._merged: _Fields | None = None
        self._any_endpoint: _AnyEndpoint | None = None
        #: A built-in catalogue's name index, which answers for it over all endpoints without
        #: reading every entry; `None` for any other schema.
        self._index: _NameIndex | None = None

    def __repr__(self) -> str:
        return f"<Schema {self.name!r}: {len(self.endpoint_names)} endpoints>"

    @property
    def endpoint_names(self) -> tuple[str, ...]:
        """The endpoint names, as the catalogue spells them."""
        return tuple(self._endpoint_index.values())

    # ----------------------------------------------------------------- endpoints

    def endpoint(self, name: str) -> str:
        """The canonical name of endpoint `name` (any case, `/cwa/api/v1/` prefix allowed).

        A concrete path finds its template: `Computers/7/Software` is
        `Computers/{computerId}/Software`.

        Raises [`SchemaError`][cwa_query.SchemaError] naming the closest endpoints when
        there is no such endpoint.
        """
        found = _find_endpoint(self._endpoint_index, name)
        if found is not None:
            return found
        key = _API_PREFIX.sub("", name.strip()).strip("/").lower()
        import difflib

        close = difflib.get_close_matches(key, list(self._endpoint_index), n=3, cutoff=0.6)
        hint = (
            "; did you mean " + " or ".join(repr(self._endpoint_index[c]) for c in close) + "?"
            if close
            else f"; known endpoints: {', '.join(sorted(self.endpoint_names)[:12])}"
            + (", ..." if len(self._endpoint_index) > 12 else "")
        )
        raise SchemaError(f"the {self.name} schema has no endpoint {name!r}{hint}")

    def fields(self, endpoint: str | None = None) -> Mapping[str, FieldInfo]:
        """The fields of `endpoint` (or of all endpoints merged, for `None`) by canonical path."""
        return self._fields(endpoint).by_path

    # ----------------------------------------------------------------- fields

    def lookup(self, path: str, endpoint: str | None = None) -> FieldInfo | None:
        """The field at `path`, or `None` when the catalogue does not know it.

        Case-insensitive unless the schema is case-sensitive. A path below an object whose
        members the catalogue does not list (the generator stops at a depth) gives a field
        of type `any`.
        """
        return self._lookups(endpoint).lookup(path)

    def lookup_any_case(self, path: str, endpoint: str | None = None) -> FieldInfo | None:
        """Like `lookup`, but ignoring case even in a case-sensitive schema."""
        return self._lookups(endpoint).lookup(path, ignore_case=True)

    def suggest(self, path: str, endpoint: str | None = None) -> str | None:
        """The known field most like `path` ("did you mean"), or `None` if none is close."""
        return self._lookups(endpoint).suggest(path)

    def _lookups(self, endpoint: str | None) -> _Lookups:
        """Where to look fields up: an endpoint's, or all endpoints' merged.

        Merging every endpoint (what `fields(None)` needs) parses the whole catalogue; a lint
        without `--endpoint` names a handful of its fields. Until something asks for the whole
        merge, lookups over all endpoints merge only the entries of the path they are asked,
        with the same answers.
        """
        if endpoint is not None or self._merged is not None:
            return self._fields(endpoint)
        index = self._any_endpoint
        if index is None:
            with _PARSING:
                index = self._any_endpoint
                if index is None:
                    paths = self._index.endpoint_paths() if self._index is not None else None
                    if self._index is None or paths is None:
                        index = _AnyEndpoint(self)
                    else:
                        index = _IndexedAnyEndpoint(self, self._index, paths)
                    self._any_endpoint = index
        return index

    def _info(self, endpoint: str, path: str) -> FieldInfo:
        """The entry for canonical `path` of `endpoint`, parsed or still raw."""
        raw = self._raw.get(endpoint)  # raw first: an endpoint is parsed before its raw entry goes
        if raw is not None:
            return _field_info(path, raw[path], endpoint, check=False)
        return self._endpoints[endpoint].by_path[path]

    def _paths(self, endpoint: str) -> list[str]:
        """The canonical paths of `endpoint`, in the catalogue's order, without parsing it."""
        raw = self._raw.get(endpoint)
        return list(raw if raw is not None else self._endpoints[endpoint].by_path)

    def _fields(self, endpoint: str | None) -> _Fields:
        if endpoint is None:
            if self._merged is None:
                self._merged = _merge([self._fields(name) for name in self.endpoint_names], self.case_sensitive)
            return self._merged
        name = self.endpoint(endpoint)
        fields = self._endpoints.get(name)
        if fields is None:
            with _PARSING:  # one thread parses an endpoint; the others find it parsed
                fields = self._endpoints.get(name)
                if fields is None:
                    raw = self._raw[name]
                    infos = {path: _field_info(path, spec, name, check=False) for path, spec in raw.items()}
                    fields = _Fields(infos, self.case_sensitive)
                    self._endpoints[name] = fields
                    del self._raw[name]
        return fields

    # ----------------------------------------------------------------- (de)serialising

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "schema", trusted: bool = False) -> Schema:
        """A schema from the JSON shape described in this module's docstring.

        Raises [`SchemaError`][cwa_query.SchemaError] saying where the data is malformed.
        `trusted` (the built-in catalogues) defers reading each endpoint to its first use.
        """
        if not isinstance(data, Mapping):
            raise SchemaError(f"{source}: expected a JSON object at the top, not {type(data).__name__}")
        endpoints = data.get("endpoints")
        if not isinstance(endpoints, Mapping) or not endpoints:
            raise SchemaError(f"{source}: 'endpoints' must be a non-empty object of endpoint name -> fields")
        case_sensitive = data.get("case_sensitive", False)
        if not isinstance(case_sensitive, bool):
            raise SchemaError(f"{source}: 'case_sensitive' must be true or false")
        name = data.get("name", "custom")
        if not isinstance(name, str):
            raise SchemaError(f"{source}: 'name' must be a string")
        provenance = data.get("provenance")
        parsed: dict[str, dict[str, FieldInfo]] = {}
        raw: dict[str, Mapping[str, Any]] = {}
        for endpoint, entry in endpoints.items():
            where = f"{source}: endpoints.{endpoint}"
            if not isinstance(entry, Mapping):
                raise SchemaError(f"{where}: expected an object of fields")
            fields = entry.get("fields", entry)
            if not isinstance(fields, Mapping):
                raise SchemaError(f"{where}.fields: expected an object of field path -> type")
            if trusted:
                raw[str(endpoint)] = fields
                continue
            parsed[str(endpoint)] = {
                path: _field_info(path, spec, f"{where}.fields.{path}") for path, spec in fields.items()
            }
        schema = cls(
            parsed,
            name=name,
            case_sensitive=case_sensitive,
            provenance=provenance if isinstance(provenance, str) else None,
        )
        schema._raw = raw
        resources = data.get("resources")
        if isinstance(resources, Mapping):
            schema.resources = resources
        schema._endpoint_index.update((endpoint.lower(), endpoint) for endpoint in raw)
        return schema

    def to_dict(self) -> dict[str, Any]:
        """The schema in its JSON shape (what `from_dict` reads)."""
        endpoints: dict[str, Any] = {}
        for endpoint in self.endpoint_names:
            out: dict[str, Any] = {}
            for path, info in self.fields(endpoint).items():
                spec: Any = info.type_name
                if info.values is not None:
                    spec = {"type": info.type_name, "values": list(info.values)}
                out[path] = spec
            endpoints[endpoint] = {"fields": out}
        data: dict[str, Any] = {"format": 1, "name": self.name, "case_sensitive": self.case_sensitive}
        if self.provenance:
            data["provenance"] = self.provenance
        data["endpoints"] = endpoints
        return data


_SIMPLE: dict[str, tuple[str, bool]] = {}
for _kind in FIELD_TYPES:
    _SIMPLE[_kind] = (_kind, False)
    _SIMPLE[_kind + "[]"] = (_kind, True)


def _field_info(path: Any, spec: Any, where: str, *, check: bool = True) -> FieldInfo:
    simple = _SIMPLE.get(spec) if isinstance(spec, str) else None
    if simple is not None and not check:
        return FieldInfo(path, simple[0], simple[1])
    if not isinstance(path, str) or not CONDITION.terminal("FIELD").fullmatch(path):
        raise SchemaError(f"{where}: {path!r} is not a field path (names joined by dots)")
    values: tuple[str, ...] | None = None
    if isinstance(spec, Mapping):
        raw_values = spec.get("values")
        if raw_values is not None:
            if not isinstance(raw_values, list) or not all(isinstance(v, (str, int)) for v in raw_values):
                raise SchemaError(f"{where}.values: expected a list of strings or integers")
            values = tuple(str(v) for v in raw_values)
        spec = spec.get("type")
    if not isinstance(spec, str):
        raise SchemaError(f'{where}: expected a type name such as "string" or {{"type": ...}}')
    array = spec.endswith("[]")
    kind = spec.removesuffix("[]")
    if kind == "date-time":
        kind = "datetime"
    if kind not in FIELD_TYPES:
        raise SchemaError(f"{where}: unknown type {spec!r}; choose from {', '.join(FIELD_TYPES)} (add [] for arrays)")
    return FieldInfo(path, kind, array, values)


class _Lookups:
    """Lookups and suggestions over fields; subclasses say where the fields are."""

    __slots__ = ("_by_depth", "_suggestions", "case_sensitive")

    def __init__(self, case_sensitive: bool) -> None:
        self.case_sensitive = case_sensitive
        self._by_depth: dict[int, dict[str, str]] = {}
        self._suggestions: dict[str, str | None] = {}

    def direct(self, path: str, *, ignore_case: bool) -> FieldInfo | None:
        """The field at exactly `path` (in any case unless case-sensitive), or `None`."""
        raise NotImplementedError

    def first(self, lower: str) -> FieldInfo | None:
        """The field whose path is `lower` ignoring case (the first spelling), or `None`."""
        raise NotImplementedError

    def leaf_bound(self) -> int:
        """No object whose members are not listed has a longer path than this."""
        raise NotImplementedError

    def is_leaf(self, lower: str) -> bool:
        """Whether `lower` is an object whose members are not listed."""
        raise NotImplementedError

    def candidates(self, dots: int) -> dict[str, str]:
        """Lower-cased path -> path of every field with `dots` dots that is not an object."""
        raise NotImplementedError

    def lookup(self, path: str, *, ignore_case: bool = False) -> FieldInfo | None:
        info = self.direct(path, ignore_case=ignore_case)
        if info is not None:
            return info
        # a path below a leaf object: look for its prefixes among the leaves, only as long as
        # the longest leaf (not one copy of the whole path per dot: a long path stays linear)
        head = path[: self.leaf_bound() + 1].lower()
        end = head.find(".")
        while end > 0:
            if self.is_leaf(head[:end]):
                return FieldInfo(path, _ANY)
            end = head.find(".", end + 1)
        return None

    def suggest(self, path: str) -> str | None:
        lower = path.lower()
        info = self.first(lower)
        if info is not None:
            return info.path
        if lower in self._suggestions:  # the linter asks again when it checks its fixes
            return self._suggestions[lower]
        import difflib

        dots = lower.count(".")
        candidates = self._by_depth.get(dots)
        if candidates is None:
            # An object is never a suggestion: a condition compares one of its fields, and
            # `LastContact` must not become `Contact`.
            candidates = self._by_depth[dots] = self.candidates(dots)
        close = difflib.get_close_matches(lower, list(candidates), n=1, cutoff=0.75)
        found = candidates[close[0]] if close else None
        if len(self._suggestions) >= 4096:
            self._suggestions.clear()
        self._suggestions[lower] = found
        return found


class _Fields(_Lookups):
    """The fields of one endpoint with their lookup indexes."""

    __slots__ = ("_leaf_length", "by_lower", "by_path", "leaves")

    def __init__(self, fields: Mapping[str, FieldInfo], case_sensitive: bool) -> None:
        super().__init__(case_sensitive)
        self.by_path = dict(fields)
        self.by_lower: dict[str, FieldInfo] = {}
        parents: set[str] = set()
        for path, info in self.by_path.items():
            self.by_lower.setdefault(path.lower(), info)
            if "." in path:
                parents.add(path.rsplit(".", 1)[0].lower())
        # Objects whose members are not listed: anything below them is accepted, untyped.
        self.leaves = frozenset(
            lower for lower, info in self.by_lower.items() if info.type == "object" and lower not in parents
        )
        self._leaf_length = max(map(len, self.leaves), default=0)  # no longer prefix can be a leaf

    def direct(self, path: str, *, ignore_case: bool) -> FieldInfo | None:
        if self.case_sensitive and not ignore_case:
            return self.by_path.get(path)
        return self.by_lower.get(path.lower())

    def first(self, lower: str) -> FieldInfo | None:
        return self.by_lower.get(lower)

    def leaf_bound(self) -> int:
        return self._leaf_length

    def is_leaf(self, lower: str) -> bool:
        return lower in self.leaves

    def candidates(self, dots: int) -> dict[str, str]:
        return {
            key: info.path for key, info in self.by_lower.items() if key.count(".") == dots and info.type != "object"
        }


def _merge(endpoints: Iterable[_Fields], case_sensitive: bool) -> _Fields:
    merged: dict[str, FieldInfo] = {}
    for fields in endpoints:
        for path, info in fields.by_path.items():
            key = path if case_sensitive else path.lower()
            seen = merged.get(key)
            merged[key] = info if seen is None else _merge_one(seen, info)
    return _Fields({info.path: info for info in merged.values()}, case_sensitive)


def _merge_one(seen: FieldInfo, info: FieldInfo) -> FieldInfo:
    """One field as two endpoints describe it: `any` where they disagree on its type."""
    if seen == info:
        return seen
    same_type = seen.type == info.type and seen.array == info.array
    values = None
    if same_type and seen.values is not None and info.values is not None:
        values = tuple(dict.fromkeys(seen.values + info.values))
    kind = seen.type if same_type else _ANY
    return FieldInfo(seen.path, kind, seen.array and same_type, values)


class _AnyEndpoint(_Lookups):
    """The fields of all endpoints merged (what `_merge` gives), one path at a time.

    Built from each endpoint's paths (lower-cased at C speed), without parsing an entry; a
    lookup merges only the entries of the path it is asked (a lint without `--endpoint` asks
    a handful of the thousands of the automate catalogue).
    """

    __slots__ = ("_by_endpoint", "_found", "_keys", "_longest", "_parents", "_schema")

    def __init__(self, schema: Schema) -> None:
        super().__init__(schema.case_sensitive)
        self._schema = schema
        self._by_endpoint = self._endpoint_keys(schema)
        self._keys: dict[str, None] | None = None  # every lower-cased path, in the merge's order
        self._longest = -1
        self._parents: set[str] | None = None
        self._found: dict[tuple[str, bool], FieldInfo | None] = {}

    @staticmethod
    def _endpoint_keys(schema: Schema) -> list[tuple[str, dict[str, str], dict[str, list[str]] | None]]:
        """Per endpoint, in the merge's order: lower-cased path -> the first spelling, and
        lower-cased path -> every spelling when some paths differ only in case (else None)."""
        by_endpoint = []
        for endpoint in schema.endpoint_names:
            paths = schema._paths(endpoint)
            first = dict(zip(map(str.lower, paths), paths, strict=True))
            every: dict[str, list[str]] | None = None
            if len(first) < len(paths):
                every = {}
                for path in paths:
                    every.setdefault(path.lower(), []).append(path)
                first = {lower: spellings[0] for lower, spellings in every.items()}
            by_endpoint.append((endpoint, first, every))
        return by_endpoint

    def direct(self, path: str, *, ignore_case: bool) -> FieldInfo | None:
        key = (path, ignore_case or not self.case_sensitive)
        if key in self._found:
            return self._found[key]
        found = self._merged(path, ignore_case=key[1])
        if len(self._found) >= 4096:
            self._found.clear()
        self._found[key] = found
        return found

    def first(self, lower: str) -> FieldInfo | None:
        return self.direct(lower, ignore_case=True)

    def leaf_bound(self) -> int:
        if self._longest < 0:
            self._longest = max(map(len, self._all_keys()), default=0)
        return self._longest

    def is_leaf(self, lower: str) -> bool:
        info = self.first(lower)
        if info is None or info.type != "object":
            return False
        if self._parents is None:
            self._parents = {key.rsplit(".", 1)[0] for key in self._all_keys() if "." in key}
        return lower not in self._parents

    def candidates(self, dots: int) -> dict[str, str]:
        index = self._schema._index
        if index is not None:  # the same answer, computed when the index was written
            return index.candidates(dots)
        found = {}
        for key in self._all_keys():
            if key.count(".") == dots:
                info = self.first(key)
                if info is not None and info.type != "object":
                    found[key] = info.path
        return found

    def _all_keys(self) -> dict[str, None]:
        if self._keys is None:
            keys: dict[str, None] = {}
            for _, first, _ in self._by_endpoint:
                keys.update(dict.fromkeys(first))
            self._keys = keys
        return self._keys

    def _places(self, lower: str) -> list[tuple[str, str]]:
        """Where a path spelt `lower` in any case occurs: (endpoint, canonical path), in order."""
        places = []
        for endpoint, first, every in self._by_endpoint:
            path = first.get(lower)
            if path is not None:
                if every is None:
                    places.append((endpoint, path))
                else:
                    places.extend((endpoint, spelling) for spelling in every[lower])
        return places

    def _merged(self, path: str, *, ignore_case: bool) -> FieldInfo | None:
        places = self._places(path.lower())
        if not places:
            return None
        if self.case_sensitive:
            # the merge keys exact spellings; ignoring case finds the first spelling merged
            spelling = places[0][1] if ignore_case else path
            places = [place for place in places if place[1] == spelling]
            if not places:
                return None
        merged: FieldInfo | None = None
        for endpoint, canonical in places:
            info = self._schema._info(endpoint, canonical)
            merged = info if merged is None else _merge_one(merged, info)
        return merged


class _IndexedAnyEndpoint(_AnyEndpoint):
    """`_AnyEndpoint` over a built-in catalogue, from its name index: each endpoint's paths
    are a line of text (`paths_text`), lower-cased once and searched for the path asked, and
    only the endpoints that have it are decoded (a lint without `--endpoint` reads a few of
    the 93 endpoints of the automate catalogue, not all of them)."""

    __slots__ = ("_leaves", "_lines")

    def __init__(self, schema: Schema, index: _NameIndex, paths: list[str]) -> None:
        super().__init__(schema)
        # (endpoint, its paths between spaces, the same lower-cased: ASCII, so one position)
        self._lines = [
            (endpoint, line, line.lower()) for endpoint, line in zip(schema.endpoint_names, paths, strict=True)
        ]
        self._leaves = index._leaves

    @staticmethod
    def _endpoint_keys(schema: Schema) -> list[tuple[str, dict[str, str], dict[str, list[str]] | None]]:
        return []  # the lines answer

    def leaf_bound(self) -> int:  # the longest leaf (not the longest path): the same prefixes found
        if self._longest < 0:
            self._longest = max(map(len, self._leaves), default=0)
        return self._longest

    def is_leaf(self, lower: str) -> bool:  # the index's leaves are the paths `_AnyEndpoint.is_leaf` holds for
        return lower in self._leaves

    def _places(self, lower: str) -> list[tuple[str, str]]:
        if lower.split() != [lower]:  # a path is not empty and has no space
            return []
        needle = f" {lower} "
        places = []
        for endpoint, line, lowered in self._lines:
            at = lowered.find(needle)
            while at >= 0:
                places.append((endpoint, line[at + 1 : at + len(needle) - 1]))
                at = lowered.find(needle, at + len(needle) - 1)
        return places


def names_file(schema_file: str) -> str:
    """The name index written beside a built-in catalogue: `automate_schema.names.txt`."""
    return schema_file.removesuffix(".json") + ".names.txt"


class _NameIndex:
    """What a built-in catalogue's fields are called, over all its endpoints merged: enough
    to say whether it knows a field (with no endpoint named) and to suggest one, without
    reading its entries (the manage catalogue is 400 KB; a lint with an unknown field asks
    it whether it knows the field, once per file in a pre-commit hook).

    Written by `scripts/gen_catalogue_index.py` beside the catalogue (`index_text`: a line a
    section, its name, a tab and its names separated by spaces);
    `tests/schema/test_name_index.py` checks that writing it again gives the shipped file,
    and that it answers what the catalogue does. Read as text: a section is split only when
    asked, and a name is found by searching the text.
    """

    __slots__ = ("_case_sensitive", "_known", "_leaves", "_paths", "_sections")

    def __init__(self, text: str, paths: Callable[[], str] | None = None) -> None:
        self._paths = paths  # what reads the paths of each endpoint (`paths_text`), if any
        self._sections = dict(line.partition("\t")[::2] for line in text.splitlines() if line[:1] != "#")
        self._case_sensitive = self._sections["case-sensitive"] == "yes"
        self._leaves = frozenset(map(str.lower, self._names("leaves")))
        self._known: str | None = None

    def _names(self, section: str) -> list[str]:
        names = self._sections.get(section)
        return names.split(" ") if names else []

    def catalogue(self, text: str) -> dict[str, Any] | None:
        """The catalogue's top-level object read from its `text`, but for its objects (each
        endpoint's fields, the automate `resources`), decoded on first use at the offsets the
        index gives: a lint reads one endpoint, or the paths of all. `None` when the index is
        not of this text (another size) or has no layout."""
        layout = self._names("layout")
        if not layout or int(layout[0]) != (len(text) if text.isascii() else len(text.encode("utf-8"))):
            return None
        data: dict[str, Any] = {}
        for member in layout[1:]:
            key, _, offset = member.rpartition(":")
            at = int(offset)
            if key == "endpoints":
                offsets = map(int, self._names("fields at"))
                data[key] = {
                    endpoint: {"fields": _JsonAt(text, at)}
                    for endpoint, at in zip(self._names("endpoints"), offsets, strict=True)
                }
            else:
                data[key] = _JsonAt(text, at) if text[at] == "{" else _DECODE(text, at)[0]
        return data

    def describes(self, schema_file: str) -> bool:
        """Whether the catalogue `schema_file` has the size the index was written for (a
        catalogue written again without its index is read, not answered for by the index)."""
        layout = self._names("layout")
        try:
            return bool(layout) and os.stat(os.path.join(_DATA, schema_file)).st_size == int(layout[0])
        except OSError:
            return False

    def endpoint_paths(self) -> list[str] | None:
        """Each endpoint's paths in the catalogue's order, between spaces (`" Id Name "`), in
        the order of the endpoints; `None` without them."""
        if self._paths is None:
            return None
        endpoints = self._names("endpoints")
        lines = [line.partition("\t") for line in self._paths().splitlines() if line[:1] != "#"]
        if [endpoint for endpoint, _, _ in lines] != endpoints:
            return None  # not of these endpoints
        return [f" {paths} " for _, _, paths in lines]

    def endpoints(self) -> dict[str, str]:
        """Lower-cased endpoint name -> endpoint name."""
        return {endpoint.lower(): endpoint for endpoint in self._names("endpoints")}

    def candidates(self, dots: int) -> dict[str, str]:
        """`_AnyEndpoint.candidates`: lower-cased path -> path of every field with `dots`
        dots that is not an object."""
        return {path.lower(): path for path in self._names(f"fields {dots}")}

    def knows(self, path: str) -> bool:
        """Whether `lookup(path)` over all endpoints finds a field."""
        if self._known is None:  # every spelling between spaces (lower-cased unless case-sensitive)
            names = (text for name, text in self._sections.items() if text and name not in _NOT_NAMES)
            known = f" {' '.join(names)} "
            self._known = known if self._case_sensitive else known.lower()
        key = path if self._case_sensitive else path.lower()
        if key.split() == [key] and f" {key} " in self._known:  # (a name is not empty, has no space)
            return True
        lower = path.lower()  # or a path below an object whose members are not listed
        end = lower.find(".")
        while end > 0:
            if lower[:end] in self._leaves:
                return True
            end = lower.find(".", end + 1)
        return False


#: the index's sections that are not field names
_NOT_NAMES = ("case-sensitive", "endpoints", "layout", "fields at")
_DECODE = json.JSONDecoder().raw_decode


class _JsonAt(Mapping[str, Any]):
    """The JSON object at offset `at` of `text` (a built-in catalogue's), decoded on first use."""

    __slots__ = ("_at", "_text", "_value")

    def __init__(self, text: str, at: int) -> None:
        self._text = text
        self._at = at
        self._value: dict[str, Any] | None = None

    def _decoded(self) -> dict[str, Any]:
        value = self._value
        if value is None:  # two threads may both decode it: the same value
            value = self._value = _DECODE(self._text, self._at)[0]
        return value

    def __getitem__(self, key: str) -> Any:
        return self._decoded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._decoded())

    def __len__(self) -> int:
        return len(self._decoded())

    def __contains__(self, key: object) -> bool:
        return key in self._decoded()

    def items(self) -> ItemsView[str, Any]:
        return self._decoded().items()


def _members(text: str, at: int) -> Iterator[tuple[str, int]]:
    """The members of the JSON object at offset `at` of `text`: (key, offset of its value)."""
    at = _blank(text, at)
    if text[at] != "{":
        raise ValueError(f"no JSON object at offset {at}")
    at = _blank(text, at + 1)
    while text[at] != "}":
        key, at = _DECODE(text, at)
        at = _blank(text, _blank(text, at) + 1)  # past the ':'
        yield key, at
        at = _blank(text, _DECODE(text, at)[1])
        if text[at] == ",":
            at = _blank(text, at + 1)


def _blank(text: str, at: int) -> int:
    """The offset past the JSON white space at `at`."""
    while text[at : at + 1] in (" ", "\t", "\n", "\r"):
        at += 1
    return at


def index_data(schema: Schema) -> dict[str, list[str]]:
    """The name index of `schema` (read without its index), by section: its endpoints, and
    its fields merged over all endpoints, in their first spelling, by kind: `fields <dots>`,
    those that are not objects with `dots` dots (the suggestions); `objects` whose members
    are listed; `leaves`, objects whose members are not (a path below one is known); in a
    case-sensitive catalogue, the other `spellings`."""
    merged = _AnyEndpoint(schema)
    fields: list[list[str]] = []
    objects, leaves = [], []
    for key in merged._all_keys():
        info = merged.first(key)
        assert info is not None
        assert info.path.lower() == key
        if merged.is_leaf(key):
            leaves.append(info.path)
        elif info.type == "object":
            objects.append(info.path)
        else:
            dots = key.count(".")
            fields.extend([] for _ in range(dots + 1 - len(fields)))
            fields[dots].append(info.path)
    first = {*objects, *leaves, *(path for level in fields for path in level)}
    every = (path for endpoint in schema.endpoint_names for path in schema._paths(endpoint))
    spellings = list(dict.fromkeys(path for path in every if path not in first)) if schema.case_sensitive else []
    return {
        "case-sensitive": ["yes" if schema.case_sensitive else "no"],
        "endpoints": list(schema.endpoint_names),
        **{f"fields {dots}": level for dots, level in enumerate(fields)},
        "objects": objects,
        "leaves": leaves,
        "spellings": spellings,
    }


def layout(text: str) -> dict[str, list[str]]:
    """Where a catalogue's parts stand in its `text`: `layout`, its size in bytes (UTF-8) and
    each top-level member as `key:offset` (in characters); `fields at`, the offset of each
    endpoint's fields."""
    top = dict(_members(text, 0))
    fields = []
    for _, at in _members(text, top["endpoints"]):
        fields.append(next((start for key, start in _members(text, at) if key == "fields"), at))
    return {
        "layout": [str(len(text.encode("utf-8"))), *(f"{key}:{at}" for key, at in top.items())],
        "fields at": [str(at) for at in fields],
    }


def index_text(schema: Schema, source: str, text: str | None = None) -> str:
    """The name index of `schema` (read without its index) as a file holds it; `source` is the
    catalogue's file name (the built-in `automate_schema.json`), `text` its contents (for
    the layout)."""
    out = [f"# cwa_query name index of {source}, written by scripts/gen_catalogue_index.py; do not edit\n"]
    sections = index_data(schema) | (layout(text) if text is not None else {})
    for section, names in sections.items():
        if any(name.split() != [name] for name in names):
            raise ValueError(f"{source}: a name in {section} is empty or has white space")
        out.append(f"{section}\t{' '.join(names)}\n")
    return "".join(out)


_indexes: dict[str, _NameIndex | None] = {}


def paths_text(schema: Schema, source: str) -> str:
    """Each endpoint's paths, a line an endpoint (its name, a tab, its paths between spaces),
    as the file beside the name index holds them (`automate_schema.paths.txt`)."""
    out = [f"# cwa_query paths of each endpoint of {source}, written by scripts/gen_catalogue_index.py; do not edit\n"]
    for endpoint in schema.endpoint_names:
        paths = schema._paths(endpoint)
        if any(not name.isascii() or name.split() != [name] for name in [endpoint, *paths]):
            raise ValueError(f"{source}: a name of {endpoint} is empty, has white space or is not ASCII")
        out.append(f"{endpoint}\t{' '.join(paths)}\n")
    return "".join(out)


def paths_file(schema_file: str) -> str:
    """The paths of each endpoint written beside a built-in catalogue: `automate_schema.paths.txt`."""
    return schema_file.removesuffix(".json") + ".paths.txt"


def _read_data(file: str) -> str:
    """The text of a file of the package's data."""
    with open(os.path.join(_DATA, file), "rb") as opened:  # decoded at once, no newline translation
        return opened.read().decode("utf-8")


def read_catalogue(schema_file: str) -> Schema:
    """The built-in catalogue `schema_file` as read from its file, without its name index."""
    return _load_file(os.path.join(_DATA, schema_file), trusted=True)


def catalogue_text(schema_file: str) -> str:
    """The contents of the built-in catalogue `schema_file`, as `_load_file` reads them."""
    return _read_data(schema_file)


def _name_index(schema_file: str) -> _NameIndex | None:
    """The name index of the built-in catalogue `schema_file`, read once; `None` without one."""
    if schema_file not in _indexes:
        try:
            text = _read_data(names_file(schema_file))
        except FileNotFoundError:  # a dialect outside the package naming one of its catalogues
            _indexes[schema_file] = None
        else:
            _indexes[schema_file] = _NameIndex(text, lambda: _read_data(paths_file(schema_file)))
    return _indexes[schema_file]


def builtin_knows(dialect: DialectLike, path: str, endpoint: str | None = None) -> bool:
    """Whether the built-in catalogue of `dialect` knows `path` at `endpoint` (at any, for
    `None`): `builtin_schema(dialect).lookup(path, endpoint) is not None`, and `False`
    where there is no catalogue or it has no such endpoint.

    Until the catalogue is loaded its name index answers (if it is of this catalogue: of
    its size): over all endpoints, or that the endpoint is not there; only a field of an
    endpoint it has reads the catalogue.
    """
    name, schema_file = catalogue_file(dialect)
    if schema_file is None:
        return False
    schema = _builtin.get(name)
    if schema is None:
        index = _name_index(schema_file)
        if index is not None and index.describes(schema_file):
            if endpoint is None:
                return index.knows(path)
            if _find_endpoint(index.endpoints(), endpoint) is None:
                return False
        schema = builtin_schema(dialect)
    if endpoint is not None and _find_endpoint(schema._endpoint_index, endpoint) is None:
        return False
    return schema.lookup(path, endpoint) is not None


_builtin: dict[str, Schema] = {}


def builtin_schema(dialect: DialectLike) -> Schema:
    """The built-in catalogue of `dialect` (its `schema_file`), loaded once.

    A dialect without one gets an empty
    schema, which knows no endpoint, so the linter checks no field against it. Raises
    [`UnknownDialectError`][cwa_query.UnknownDialectError] for an unknown name.
    """
    name, schema_file = catalogue_file(dialect)  # a built-in dialect's module need not be loaded
    schema = _builtin.get(name)
    if schema is None:
        if schema_file is None:
            schema = Schema({}, name=f"{name} (no built-in catalogue)")
        else:
            index = _name_index(schema_file)
            schema = _load_file(os.path.join(_DATA, schema_file), trusted=True, index=index)
        _builtin[name] = schema
    return schema


SchemaSource = Union["Schema", Mapping[str, Any], str, "os.PathLike[str]", None]


def load_schema(source: SchemaSource = None, *, dialect: DialectLike = DEFAULT_DIALECT) -> Schema:
    """A [`Schema`][cwa_query.Schema] from a JSON file path, a mapping, or the built-in one.

    With no `source`, the built-in catalogue of `dialect`. Raises
    [`SchemaError`][cwa_query.SchemaError] for an unreadable or malformed file.

    >>> load_schema().endpoint("computers")
    'Computers'
    >>> load_schema({"endpoints": {"Things": {"fields": {"Size": "integer"}}}}).lookup("size")
    FieldInfo(path='Size', type='integer', array=False, values=None)
    """
    if source is None:
        return builtin_schema(dialect)
    if isinstance(source, Schema):
        return source
    if isinstance(source, Mapping):
        return Schema.from_dict(source)
    if isinstance(source, (str, os.PathLike)):
        from pathlib import Path  # a user's file: its path as pathlib spells it in messages

        return _load_file(Path(source))
    raise TypeError(f"load_schema() takes a path, a mapping or a Schema, not {type(source).__name__}")


def _load_file(path: str | os.PathLike[str], *, trusted: bool = False, index: _NameIndex | None = None) -> Schema:
    """The schema in a file; `trusted`, a built-in catalogue, whose name `index` says where
    its endpoints stand (they are then decoded on first use)."""
    try:
        if trusted:  # decoded at once, without the text mode's newline translation: a lint reads 500 KB
            with open(path, "rb") as binary:
                text = binary.read().decode("utf-8")
        else:
            with open(path, encoding="utf-8") as file:
                text = file.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"cannot read schema file {str(path)!r}: {exc}") from exc
    try:
        # a built-in catalogue is ours: no bounds to check, and half a megabyte to read per lint
        data = index.catalogue(text) if index is not None else None
        if data is None:  # (an index whose layout is not of this text is not used)
            index = None
            data = json.loads(text) if trusted else loads(text, max_depth=MAX_SCHEMA_DEPTH)
    except json.JSONDecodeError as exc:
        raise SchemaError(
            f"schema file {str(path)!r} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from exc
    except ValueError as exc:  # nested too deep, an integer too long, a lone surrogate
        raise SchemaError(f"schema file {str(path)!r} cannot be read: {exc}") from exc
    schema = Schema.from_dict(data, source=f"schema file {os.path.basename(path)}", trusted=trusted)
    schema._index = index
    return schema

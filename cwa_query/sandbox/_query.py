"""List requests: their parameters, the condition, ordering, projection and paging.

Parameter names match ignoring case. Both spellings are read: the plain names real clients
send (`condition`, `page`, `pageSize` (PowerShell sends `pagesize`), `orderBy=Name desc`,
`includeFields`, `excludeFields`, `ids`, `expand`) and, for the automate profile, the
OpenAPI document's `options.*` names (`options.condition`, `options.pageSize`,
`options.orderBy.name` with `options.orderBy.type=Descending`, `options.includedFields`
repeated, ...). A name neither knows gets a 400 naming it, unless the sandbox is told to
ignore unknown parameters as the real server does. A parameter that takes one value
(`page`, `condition`, ...) given twice, in either spelling, is a 400 (see `SINGLE_VALUED`).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qsl

from .._ordering import order_key
from ..errors import ConditionSyntaxError, CwaQueryError
from ..language import ast
from ..language._evaluate import compile_predicate
from ..language._parser import parse
from ._config import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from ._http import HttpError, parse_integer

__all__ = [
    "CACHED_QUERIES",
    "MAX_QUERY_FIELDS",
    "PLAIN_PARAMETERS",
    "FieldResolver",
    "ListQuery",
    "Lister",
    "Refusal",
    "parse_query",
]

#: Distinct (endpoint, condition, order, ids) results kept for paging through them.
CACHED_QUERIES: Final = 64
#: Query parameters read from one request at most.
MAX_QUERY_FIELDS: Final = 200
#: How much of a condition an error body quotes.
QUOTED_CONDITION: Final = 500
#: The plain parameter names (lower-cased) both profiles read.
PLAIN_PARAMETERS: Final = frozenset(
    {"condition", "page", "pagesize", "orderby", "includefields", "excludefields", "ids", "expand"}
)
#: The OpenAPI document's `options.*` names (lower-cased) -> the plain name they stand for.
OPTION_PARAMETERS: Final = {
    "options.condition": "condition",
    "options.page": "page",
    "options.pagesize": "pagesize",
    "options.orderby.name": "orderby",
    "options.orderby.type": "orderby.type",
    "options.includedfields": "includefields",
    "options.excludedfields": "excludefields",
    "options.ids": "ids",
    "options.expands": "expand",
    "options.timeout": "timeout",
}
#: Parameters that take one value (lower-cased, plain names): given twice, which one counts is
#: a guess (ASP.NET's model binding takes the first, most other servers the last), so the
#: sandbox refuses the request with a 400 naming the parameter rather than pick one silently.
#: `includeFields`, `excludeFields`, `ids` and `expand` may repeat (their values add up).
SINGLE_VALUED: Final = ("condition", "page", "pagesize", "orderby", "orderby.type", "timeout")
_SPELLED: Final = {"pagesize": "pageSize", "orderby": "orderBy", "orderby.type": "options.orderBy.type"}
_DIRECTIONS: Final = {"undefined": "asc", "ascending": "asc", "descending": "desc", "asc": "asc", "desc": "desc"}

#: `(endpoint, path) -> canonical path or None`: how a profile names its fields.
FieldResolver = Callable[[str, str], str | None]
#: `(endpoint, condition text, tree) -> None`, raising the server's error for what it refuses.
Refusal = Callable[[str, str, ast.Node], None]


def parse_query(target: str) -> dict[str, list[str]]:
    """The query string of `target`: lower-cased names -> every value, in order."""
    _, _, query = target.partition("?")
    try:
        pairs = parse_qsl(
            query, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=MAX_QUERY_FIELDS
        )
    except UnicodeDecodeError:
        raise HttpError(400, "The query string is not UTF-8 after percent-decoding (encode '%' as %25)") from None
    except ValueError as exc:
        raise HttpError(400, f"Malformed query string: {exc}") from None
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key.lower(), []).append(value)
    return out


@dataclass(frozen=True)
class ListQuery:
    """A list request's parameters, whichever spelling they came in."""

    condition: str = ""
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    order: str = ""
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    ids: str = ""

    @classmethod
    def read(
        cls, query: Mapping[str, list[str]], *, options: bool, extra: Iterable[str] = (), ignore_unknown: bool = False
    ) -> ListQuery:
        """The parameters of `query` (from `parse_query`); `options` reads the `options.*` names too."""
        plain: dict[str, list[str]] = {}
        known = {name.lower() for name in extra}
        for key, values in query.items():
            name = key if key in PLAIN_PARAMETERS else OPTION_PARAMETERS.get(key) if options else None
            if name is None:
                if key in known or ignore_unknown:
                    continue
                names = "condition, page, pageSize, orderBy, includeFields, excludeFields, ids, expand"
                if options:
                    names += (
                        " or their options.* forms (options.condition, options.pageSize, options.orderBy.name, ...)"
                    )
                raise HttpError(
                    400,
                    f"Unknown query parameter {key[:80]!r}: this endpoint reads {names}",
                    {"field": key[:80]},
                )
            plain.setdefault(name, []).extend(values)
        for name in SINGLE_VALUED:
            if len(plain.get(name, ())) > 1:
                spelled = _SPELLED.get(name, name)
                raise HttpError(
                    400,
                    f"The {spelled} parameter is given {len(plain[name])} times; give it once",
                    {"field": spelled},
                )
        page = parse_integer("page", plain["page"][-1]) if "page" in plain else 1
        size = parse_integer("pageSize", plain["pagesize"][-1]) if "pagesize" in plain else DEFAULT_PAGE_SIZE
        if page < 1:
            raise HttpError(400, f"page must be 1 or more, got {page}", {"field": "page", "value": page})
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise HttpError(
                400, f"pageSize must be between 1 and {MAX_PAGE_SIZE}, got {size}", {"field": "pageSize", "value": size}
            )
        if "timeout" in plain:
            parse_integer("options.timeout", plain["timeout"][-1])
        order = plain.get("orderby", [""])[-1]
        if "orderby.type" in plain:
            kind = plain["orderby.type"][-1].strip()
            direction = _DIRECTIONS.get(kind.lower())
            if direction is None:
                raise HttpError(
                    400,
                    f"options.orderBy.type must be Ascending, Descending or Undefined, got {kind[:40]!r}",
                    {"field": "options.orderBy.type"},
                )
            if order.strip():
                order = f"{order.strip()} {direction}"
        return cls(
            condition=plain.get("condition", [""])[-1],
            page=page,
            page_size=size,
            order=order,
            include=tuple(_names(plain.get("includefields", []))),
            exclude=tuple(_names(plain.get("excludefields", []))),
            ids=",".join(plain.get("ids", [])),
        )


def _names(values: Iterable[str]) -> Iterable[str]:
    return (part.strip() for value in values for part in value.split(",") if part.strip())


# --------------------------------------------------------------------------- helpers


def _get_path(record: Any, parts: Sequence[str]) -> Any:
    """The value at a dotted path (the first element's for a list of objects)."""
    value = record
    for part in parts:
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


_Tree = dict[str, "_Tree"]


def _path_tree(paths: Iterable[str]) -> _Tree:
    tree: _Tree = {}
    for path in paths:
        node = tree
        for part in path.split("."):
            node = node.setdefault(part, {})
    return tree


def _include(value: Any, tree: _Tree) -> Any:
    if isinstance(value, list):
        return [_include(item, tree) for item in value]
    if not isinstance(value, Mapping):
        return value
    return {key: (_include(item, tree[key]) if tree[key] else item) for key, item in value.items() if key in tree}


def _exclude(value: Any, tree: _Tree) -> Any:
    if isinstance(value, list):
        return [_exclude(item, tree) for item in value]
    if not isinstance(value, Mapping):
        return value
    out = {}
    for key, item in value.items():
        if key in tree:
            if not tree[key]:
                continue
            item = _exclude(item, tree[key])
        out[key] = item
    return out


# --------------------------------------------------------------------------- the lister


class Lister:
    """Filters, orders, pages and projects records; results are cached for paging (thread-safe).

    `resolve(endpoint, path)` spells a field as the data does (or `None`: unknown field);
    `refuse(endpoint, text, tree)` raises what the server answers to conditions it refuses.
    """

    def __init__(
        self, resolve: FieldResolver, refuse: Refusal | None = None, *, reader: Callable[[str], ast.Node] = parse
    ) -> None:
        self._resolve = resolve
        self._refuse = refuse
        self._reader = reader  # condition text -> tree, in the profile's dialect
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[Any, ...], list[dict[str, Any]]] = OrderedDict()
        # (endpoint, id field) -> (the records, their number, id -> position or None: not indexable)
        self._indexes: dict[tuple[str, str], tuple[list[dict[str, Any]], int, dict[int, int] | None]] = {}

    def matching(
        self,
        endpoint: str,
        records: list[dict[str, Any]],
        query: ListQuery,
        id_field: str,
        scope: tuple[str, ...] = (),
    ) -> list[dict[str, Any]]:
        """The records of `endpoint` that `query` selects, in its order (cached per question)."""
        key = (endpoint, scope, query.condition, query.order, query.ids)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        condition = query.condition
        if condition.strip():
            node = self._tree(endpoint, condition, "condition")
            predicate = compile_predicate(node)
            candidates = None if scope else self._by_id(endpoint, records, node, id_field)
            try:
                records = [record for record in (records if candidates is None else candidates) if predicate(record)]
            except CwaQueryError as exc:
                raise HttpError(400, f"The condition cannot be evaluated: {exc}", {"field": "condition"}) from None
        if query.ids.strip():
            wanted = {parse_integer("ids", part) for part in query.ids.split(",") if part.strip()}
            records = [record for record in records if _as_int(record.get(id_field)) in wanted]
        if query.order.strip():
            records = self._ordered(endpoint, records, query.order)
        with self._lock:
            self._cache[key] = records
            while len(self._cache) > CACHED_QUERIES:
                self._cache.popitem(last=False)
        return records

    def predicate(
        self, endpoint: str, condition: str, *, parameter: str = "condition"
    ) -> Callable[[Mapping[str, Any]], bool]:
        """`condition` (of query parameter `parameter`) as a test of a record; a 400 for a bad one."""
        return compile_predicate(self._tree(endpoint, condition, parameter))

    def _tree(self, endpoint: str, condition: str, parameter: str) -> ast.Node:
        """`condition` read, its fields spelled as the data does, and checked as the server checks it."""
        try:
            node = self._reader(condition)
        except ConditionSyntaxError as exc:
            first_line = str(exc).splitlines()[0]
            raise HttpError(
                400,
                f"Invalid filter syntax in {parameter} parameter: {first_line}",
                {
                    "field": parameter,
                    "value": condition[:QUOTED_CONDITION],
                    "line": exc.line,
                    "column": exc.column,
                    "expected": list(exc.expected),
                    "hint": exc.hint,
                },
            ) from None
        node = self._canonical(endpoint, node)
        if self._refuse is not None:
            self._refuse(endpoint, condition, node)
        return node

    def _by_id(
        self, endpoint: str, records: list[dict[str, Any]], node: ast.Node, id_field: str
    ) -> list[dict[str, Any]] | None:
        """The only records `node` can select, in their order, when it is (or has as a conjunct)
        `id_field in (...integers...)`: those with a listed id, found by an id -> position index
        as a real server answers from its primary key; `None`: every record must be tested.

        The caller still tests each candidate with the whole condition, so the answer is the
        full scan's. A tree with an `Expression` is scanned: its evaluation may fail on a
        record that the index would skip."""
        wanted = _listed_ids(node, id_field)
        if wanted is None:
            return None
        positions = self._positions(endpoint, records, id_field)
        if positions is None:
            return None
        return [records[at] for at in sorted({positions[i] for i in wanted if i in positions})]

    def _positions(self, endpoint: str, records: list[dict[str, Any]], id_field: str) -> dict[int, int] | None:
        """Id -> position of `records` (built once per list), or `None` when some record's id is
        missing, duplicated or not an integer (or its canonical decimal text)."""
        key = (endpoint, id_field)
        with self._lock:
            entry = self._indexes.get(key)
        if entry is not None and entry[0] is records and entry[1] == len(records):
            return entry[2]
        positions = _id_positions(records, id_field)
        with self._lock:
            self._indexes[key] = (records, len(records), positions)
        return positions

    def _canonical(self, endpoint: str, node: ast.Node) -> ast.Node:
        """`node` with every field spelled as the data spells it; an unknown field is a 400."""
        if isinstance(node, ast.Compare | ast.InList):
            canonical = self._resolve(endpoint, node.field.name)
            if canonical is None:
                span = node.field.span
                raise HttpError(
                    400,
                    f"Invalid field '{node.field.name}' in the condition",
                    {"field": "condition", "name": node.field.name, "column": span.column if span else None},
                )
            if canonical == node.field.name:
                return node
            return ast.replace(node, field=ast.replace(node.field, name=canonical))
        if isinstance(node, ast.And | ast.Or):
            return ast.replace(node, items=tuple(self._canonical(endpoint, item) for item in node.items))
        assert isinstance(node, ast.Not)
        return ast.replace(node, operand=self._canonical(endpoint, node.operand))

    def _ordered(self, endpoint: str, records: list[dict[str, Any]], order: str) -> list[dict[str, Any]]:
        keys: list[tuple[list[str], bool]] = []
        for raw in order.split(","):
            words = raw.split()
            if not words or len(words) > 2:
                raise HttpError(400, f"orderBy must look like 'Field asc' or 'Field desc', got {raw.strip()[:80]!r}")
            canonical = self._resolve(endpoint, words[0])
            if canonical is None:
                raise HttpError(
                    400, f"Invalid field '{words[0][:80]}' in orderBy", {"field": "orderBy", "name": words[0][:80]}
                )
            direction = words[1].lower() if len(words) == 2 else "asc"
            if direction not in ("asc", "desc"):
                raise HttpError(
                    400, f"orderBy direction must be asc or desc, got {words[1][:20]!r}", {"field": "orderBy"}
                )
            keys.append((canonical.split("."), direction == "desc"))
        out = list(records)
        for parts, descending in reversed(keys):
            out.sort(key=lambda record, parts=parts: order_key(_get_path(record, parts)), reverse=descending)  # type: ignore[misc]
        return out

    def project(self, endpoint: str, items: list[dict[str, Any]], query: ListQuery) -> list[dict[str, Any]]:
        """`items` cut to `includeFields` / without `excludeFields` (the same list when neither is given)."""
        for name, raw, apply in (
            ("includeFields", query.include, _include),
            ("excludeFields", query.exclude, _exclude),
        ):
            if not raw:
                continue
            paths = []
            for path in raw:
                canonical = self._resolve(endpoint, path)
                if canonical is None:
                    raise HttpError(400, f"Invalid field '{path[:80]}' in {name}", {"field": name})
                paths.append(canonical)
            tree = _path_tree(paths)
            items = [apply(item, tree) for item in items]
        return items


#: An id text the condition language compares with an integer literal as that integer
#: (`text_number` reads it exactly); shorter than an instant text, which is read otherwise.
_ID_TEXT: Final = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")


def _id_key(value: Any) -> int | None:
    """The integer an id value equals in a condition's `id in (...)` test (`None`: not indexed)."""
    if type(value) is int:
        return value
    if type(value) is str and _ID_TEXT.fullmatch(value):
        return int(value)
    return None


def _id_positions(records: list[dict[str, Any]], id_field: str) -> dict[int, int] | None:
    positions: dict[int, int] = {}
    for at, record in enumerate(records):
        found = _id_key(record.get(id_field))
        if found is None or found in positions:
            return None
        positions[found] = at
    return positions


def _listed_ids(node: ast.Node, id_field: str) -> set[int] | None:
    """The ids of `node`'s `id_field in (...)`, itself or a conjunct of its top `and`, when
    every listed value is an integer literal and no part is an `Expression`; else `None`."""
    if any(isinstance(item, ast.Expression) for item in ast.walk(node)):
        return None
    for item in node.items if isinstance(node, ast.And) else (node,):
        if (
            isinstance(item, ast.InList)
            and not item.negated
            and item.field.name == id_field
            and all(type(value) is ast.Integer for value in item.values)
        ):
            return {value.value for value in item.values if isinstance(value, ast.Integer)}
    return None


def _as_int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    return None

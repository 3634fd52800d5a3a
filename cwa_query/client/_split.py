"""Long `in` lists, split under the server's query-string budget, and the pages merged back.

A filter over many ids (`Status = 'Online' and Id in (...)` with 5,000 ids, as sync jobs
write them) makes a query string no server takes: IIS refuses one longer than 2,048 bytes
(`404.15`). When the whole query string of a list request (paging, the condition and every
other parameter, percent-encoded as sent) would pass the profile's budget, and the long list
is a top-level conjunct, the records are exactly the union of the records of the same
request with the list cut into pieces: `split_condition` cuts it (pure, no I/O), each piece
under the budget, and the clients send the pieces together, within the same limits as any
request, and merge their records:

* each record once (pieces are disjoint on a one-valued field; a record that comes twice
  through a list-valued field is kept once, by its `Id`);
* in the server's order when an order was asked (`order_by`): a merge of sorted streams, the
  values compared as the sandbox compares them (numbers and digit-only text as numbers, text
  without regard to case, nulls last), ties in `Id` order (the order the server returns them
  in); without an order, in `Id` order;
* `limit` respected.

Only the list is split, never the rest of the condition: a list under `or` or `not`, a
`not in` list, or a query that is still too long without its list is refused with a
[`QueryTooLongError`][cwa_query.errors.QueryTooLongError] that says why and what to do.

>>> from cwa_query import parse
>>> split = split_condition(parse("Status = 'Online' and Id in (1, 2, 3, 4, 5, 6)"), "seed", budget=104)
>>> split.field, [len(piece.values) for piece in split.lists]
('Id', [3, 3])
"""

from __future__ import annotations

import heapq
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .._ordering import order_key
from .._query_budget import query_string_size
from ..dialects import DialectLike, get_dialect
from ..errors import QueryTooLongError
from ..language import ast
from ..language._render import encode, quote_literal
from ._pagination import Page, PagePlan, Record
from ._requests import ListQuery

__all__ = [
    "ListRequest",
    "Progress",
    "Split",
    "merge_records",
    "order_key",
    "pages_of",
    "split_condition",
    "with_merge_fields",
]

#: `progress(done, total)`: called as the requests of a split query complete (`done` of `total`)
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Split:
    """A condition cut into pieces: `conditions[i]` is the condition with `lists[i]` as its list."""

    field: str
    lists: tuple[ast.InList, ...]
    conditions: tuple[ast.Node, ...]
    size: int  # bytes of the query string unsplit


@dataclass(slots=True)
class ListRequest:
    """A list request ready to send: one part, or (split) one part per piece of its `in` list.

    `strip` names the fields the merge needed but the caller did not ask for (removed from
    the merged records); `progress` hears of each part as it completes.
    """

    parts: list[tuple[ListQuery, PagePlan]]
    page_size: int
    limit: int | None
    split: Split | None = None
    order_by: str | None = None
    strip: tuple[str, ...] = ()
    id_field: str = "Id"
    progress: Progress | None = None

    def merged(self, streams: Iterable[Iterable[Record]]) -> Iterator[Page]:
        """The parts' records (`streams`, in the parts' order) merged, as pages of `page_size`."""
        records = merge_records(streams, order_by=self.order_by, limit=self.limit, id_field=self.id_field)
        if self.strip:
            records = (_stripped(record, self.strip) for record in records)
        return pages_of(records, self.page_size)

    def done(self, count: int) -> None:
        """Tell `progress` that `count` parts of all are complete."""
        if self.progress is not None:
            self.progress(count, len(self.parts))


def _conjuncts(node: ast.Node) -> tuple[ast.Node, ...]:
    return node.items if isinstance(node, ast.And) else (node,)


def _with_list(node: ast.Node, old: ast.InList, new: ast.InList) -> ast.Node:
    if node is old:
        return new
    assert isinstance(node, ast.And)
    return ast.And(tuple(new if item is old else item for item in node.items), node.span)


def _nested_lists(node: ast.Node, inside: str | None = None) -> Iterator[tuple[ast.InList, str | None]]:
    """Every `in` list of `node`, with the word it is under (`or`, `not`), top-level conjuncts first."""
    if isinstance(node, ast.InList):
        yield node, "not" if node.negated and inside is None else inside
    elif isinstance(node, ast.And):
        for item in node.items:
            yield from _nested_lists(item, inside)
    elif isinstance(node, ast.Or):
        for item in node.items:
            yield from _nested_lists(item, inside or "or")
    elif isinstance(node, ast.Not):
        yield from _nested_lists(node.operand, inside or "not")


def _value_key(literal: ast.Literal) -> tuple[int, Any]:
    value = getattr(literal, "value", None)
    return order_key(value if isinstance(value, int | str) and not isinstance(value, bool) else str(value))


def split_condition(
    node: ast.Node,
    dialect: DialectLike,
    *,
    budget: int,
    parameter: str = "condition",
    others: str = "",
) -> Split | None:
    """`node` cut into pieces whose query strings fit `budget`, or `None` when it fits whole.

    `others` are the request's other parameters, encoded (`orderBy=...&includeFields=...`).
    Raises `QueryTooLongError` when no exact split fits.
    """
    chosen = get_dialect(dialect)

    def size_of(condition: ast.Node) -> int:
        return query_string_size(encode(condition, chosen), parameter=parameter, others=others)

    total = size_of(node)
    if total <= budget:
        return None
    candidates = [item for item in _conjuncts(node) if isinstance(item, ast.InList) and not item.negated]
    if not candidates:
        raise QueryTooLongError(_no_list_reason(node), size=total, budget=budget)
    # the longest list is the one to split
    target = max(candidates, key=lambda item: len(item.values))
    values = sorted(dict.fromkeys(target.values), key=_value_key)  # each value once, in order
    one = size_of(_with_list(node, target, ast.InList(target.field, (values[0],), False, target.span)))
    if one > budget:
        raise QueryTooLongError(_rest_reason(node, target, one), size=total, budget=budget)
    two = size_of(_with_list(node, target, ast.InList(target.field, (values[0], values[0]), False, target.span)))
    step = two - one  # one more value: its text and a separator
    cost = [len(urllib.parse.quote(quote_literal(value, chosen), safe="")) for value in values]
    pieces: list[list[ast.Literal]] = []
    current: list[ast.Literal] = []
    size = one - cost[0] - step  # the size with no value at all, had the list no values
    for value, width in zip(values, cost, strict=True):
        more = width + step - cost[0]
        if current and size + more > budget:
            pieces.append(current)
            current, size = [], one - cost[0] - step
        current.append(value)
        size += more
    pieces.append(current)
    lists: list[ast.InList] = []
    conditions: list[ast.Node] = []
    for piece in pieces:
        _fit(node, target, piece, size_of, budget, lists, conditions)
    return Split(target.field.name, tuple(lists), tuple(conditions), total)


def _fit(
    node: ast.Node,
    target: ast.InList,
    piece: list[ast.Literal],
    size_of: Callable[[ast.Node], int],
    budget: int,
    lists: list[ast.InList],
    conditions: list[ast.Node],
) -> None:
    """Append `piece` as one request, or as halves if the estimate was short (checked by rendering)."""
    listed = ast.InList(target.field, tuple(piece), False, target.span)
    condition = _with_list(node, target, listed)
    if size_of(condition) <= budget or len(piece) == 1:
        lists.append(listed)
        conditions.append(condition)
        return
    half = len(piece) // 2
    _fit(node, target, piece[:half], size_of, budget, lists, conditions)
    _fit(node, target, piece[half:], size_of, budget, lists, conditions)


def _where(node: ast.Node) -> str:
    span = getattr(node, "span", None)
    return f" at column {span.column}" if span is not None else ""


def _no_list_reason(node: ast.Node) -> str:
    nested = [(item, word) for item, word in _nested_lists(node) if word is not None]
    if nested:
        item, word = max(nested, key=lambda pair: len(pair[0].values))
        listed = f"`{item.field.name} {'not in' if item.negated else 'in'} (...)` of {len(item.values):,} values"
        if word == "not":
            return (
                f"the list {listed}{_where(item)} is negated: the records of its pieces would each "
                "exclude only their own values, so no union of them is the answer. Fetch without it "
                "and drop those records yourself, or filter on what the records are rather than are not"
            )
        return (
            f"the list {listed}{_where(item)} is under `or`: split, each piece would also bring every "
            "record the other side of the `or` selects, once per piece, and a piece's limit would cut "
            "the wrong records. Make the list a top-level conjunct (`A and Id in (...)`), or send the "
            "`or`'s sides as separate queries"
        )
    return "it holds no `in` list to split; shorten the condition or the other parameters"


def _rest_reason(node: ast.Node, target: ast.InList, one: int) -> str:
    others = [item for item, _ in _nested_lists(node) if item is not target and len(item.values) > 1]
    rest = f"even with one value in `{target.field.name} in (...)` it is {one:,} bytes"
    if others:
        longest = max(others, key=lambda item: len(item.values))
        return (
            f"{rest}: `{longest.field.name} in (...)` ({len(longest.values):,} values) is long too, and "
            "only one list is split (two would mean a request per pair of pieces). Query by one list "
            "and filter by the other on the records, or fetch in several queries"
        )
    return f"{rest}: shorten the rest of the condition or the other parameters (fields, order)"


# --------------------------------------------------------------------------- merging


class _Descending:
    """A key that sorts the other way round."""

    __slots__ = ("key",)

    def __init__(self, key: tuple[int, Any]) -> None:
        self.key = key

    def __lt__(self, other: _Descending) -> bool:
        return other.key < self.key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and other.key == self.key

    __hash__ = None  # type: ignore[assignment]


def _path_value(record: Any, parts: Sequence[str]) -> Any:
    """The value at a dotted path, keys matched without regard to case (the first element of a list)."""
    value = record
    for part in parts:
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, dict):
            return None
        if part in value:
            value = value[part]
            continue
        lowered = part.lower()
        value = next((item for key, item in value.items() if str(key).lower() == lowered), None)
    return value


def _order_terms(order_by: str | None) -> list[tuple[list[str], bool]]:
    terms: list[tuple[list[str], bool]] = []
    for raw in (order_by or "").split(","):
        words = raw.split()
        if not words:
            continue
        descending = len(words) > 1 and words[1].lower() in ("desc", "descending")
        terms.append((words[0].replace("/", ".").split("."), descending))
    return terms


def merge_records(
    streams: Iterable[Iterable[Record]], *, order_by: str | None, limit: int | None, id_field: str = "Id"
) -> Iterator[Record]:
    """The records of `streams` (each in the server's order for `order_by`) as one stream in that
    order, each record once (by `Id`), at most `limit` of them."""
    terms = _order_terms(order_by)

    def key(record: Record) -> tuple[Any, ...]:
        parts: list[Any] = []
        for path, descending in terms:
            value = order_key(_path_value(record, path))
            parts.append(_Descending(value) if descending else value)
        parts.append(order_key(record.get(id_field)))
        return tuple(parts)

    seen: set[Any] = set()
    handed = 0
    if limit == 0:
        return
    for record in heapq.merge(*streams, key=key):
        identity = record.get(id_field)
        if isinstance(identity, int | str):
            marker = (type(identity).__name__, identity)
            if marker in seen:
                continue
            seen.add(marker)
        yield record
        handed += 1
        if limit is not None and handed >= limit:
            return


def with_merge_fields(
    fields: dict[str, str | None],
    order_by: str | None,
    id_field: str,
    *,
    include: str | None = "includeFields",
    exclude: str | None = "excludeFields",
) -> tuple[dict[str, str | None], tuple[str, ...]]:
    """`fields` (the field-list parameters as sent, by the profile's names `include` and
    `exclude`) with what the merge reads (the order's fields and the id) asked for too, and the
    fields to strip from the merged records."""
    needed = [".".join(path) for path, _ in _order_terms(order_by)] + [id_field]
    out = dict(fields)
    strip: list[str] = []
    chosen_text = fields.get(include) if include is not None else None
    if include is not None and chosen_text is not None:
        chosen = [name.lower().replace("/", ".") for name in chosen_text.split(",")]
        for path in needed:
            lowered = path.lower()
            if not any(lowered == name or lowered.startswith(name + ".") for name in chosen):
                chosen_text += "," + path
                strip.append(path)
        out[include] = chosen_text
    excluded = fields.get(exclude) if exclude is not None else None
    if exclude is not None and excluded is not None:
        wanted = {path.lower() for path in needed}
        kept = [name for name in excluded.split(",") if name.lower() not in wanted]
        strip.extend(name for name in excluded.split(",") if name.lower() in wanted)
        out[exclude] = ",".join(kept) or None
    return out, tuple(dict.fromkeys(strip))


def _stripped(record: Record, paths: Sequence[str]) -> Record:
    """`record` without the fields `paths` (dotted), and without objects they leave empty."""
    out = dict(record)
    for path in paths:
        _pop(out, path.split("."))
    return out


def _pop(record: dict[str, Any], parts: Sequence[str]) -> None:
    key = next((name for name in record if name.lower() == parts[0].lower()), None)
    if key is None:
        return
    if len(parts) == 1:
        del record[key]
        return
    inner = record[key]
    if isinstance(inner, dict):
        inner = record[key] = dict(inner)
        _pop(inner, parts[1:])
        if not inner:
            del record[key]


def pages_of(records: Iterable[Record], page_size: int) -> Iterator[Page]:
    """`records` as pages of `page_size` (numbered from 1; a first page even when there are none)."""
    number = 0
    batch: list[Record] = []
    for record in records:
        batch.append(record)
        if len(batch) == page_size:
            number += 1
            yield Page(number, batch)
            batch = []
    if batch or number == 0:
        yield Page(number + 1, batch)

"""The sandbox answers `id in (...)` (alone or as a conjunct of `and`) from an id index, exactly
as the full scan does: the same records in the same order, the same 400s; and it really takes
that path (fewer records tested), while anything else is scanned as before."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cwa_query import ast, render
from cwa_query.errors import CwaQueryError
from cwa_query.sandbox import Sandbox, _query
from cwa_query.sandbox._http import HttpError
from cwa_query.sandbox._query import Lister, ListQuery
from cwa_query.strategies import conditions

RECORDS = 300
PROFILES = {"seed": "Computers", "automate": "Computers", "manage": "company/companies"}
SANDBOXES = {profile: Sandbox(profile, RECORDS, seed=3) for profile in PROFILES}


def _setup(profile: str) -> tuple[Lister, str, list[dict[str, Any]], str]:
    resources = SANDBOXES[profile].app.resources
    endpoint = PROFILES[profile]
    return resources.lister, endpoint, resources.data.collection(endpoint), resources.data.id_field[endpoint]


def _answer(run: Any) -> Any:
    """What `run()` gives, or the 400 it raises (status, message, details)."""
    try:
        return run()
    except HttpError as exc:
        return ("error", exc.status, exc.message, exc.details)


def _full_scan(lister: Lister, endpoint: str, records: list[dict[str, Any]], text: str) -> Any:
    def run() -> list[dict[str, Any]]:
        predicate = lister.predicate(endpoint, text)
        try:
            return [record for record in records if predicate(record)]
        except CwaQueryError as exc:
            raise HttpError(400, f"The condition cannot be evaluated: {exc}", {"field": "condition"}) from None

    return _answer(run)


def _indexed(lister: Lister, endpoint: str, records: list[dict[str, Any]], text: str, id_field: str) -> Any:
    return _answer(lambda: lister.matching(endpoint, records, ListQuery(condition=text), id_field))


# present ids, absent ones (past the last record, zero), negative ones; duplicates come from the list
ID_VALUES = st.one_of(st.integers(1, RECORDS), st.integers(RECORDS + 1, 10**12), st.integers(-(10**6), 0))


@pytest.mark.slow
@pytest.mark.parametrize("profile", list(PROFILES))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_indexed_answer_is_the_full_scan_answer(profile: str, data: st.DataObject) -> None:
    lister, endpoint, records, id_field = _setup(profile)
    ids = data.draw(st.lists(ID_VALUES, min_size=1, max_size=30), label="ids")
    negated = data.draw(st.booleans(), label="not in") if profile != "seed" else False  # seed has no `not in`
    membership = ast.InList(ast.Field(id_field), tuple(ast.Integer(i) for i in ids), negated=negated)
    others = data.draw(
        st.lists(conditions(dialect=profile, endpoint=endpoint, max_leaves=3), max_size=2), label="others"
    )
    at = data.draw(st.integers(0, len(others)), label="position")
    items = [*others[:at], membership, *others[at:]]
    joined = data.draw(st.sampled_from([ast.And, ast.Or]), label="joined by")  # `or`: scanned
    tree = joined(tuple(items)) if len(items) > 1 else membership
    text = render(tree, profile)
    assert _indexed(lister, endpoint, records, text, id_field) == _full_scan(lister, endpoint, records, text)


class _Counting:
    """Counts the records the compiled conditions test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tested = 0
        compile_predicate = _query.compile_predicate

        def counting(node: ast.Node) -> Any:
            predicate = compile_predicate(node)

            def test(record: Any) -> bool:
                self.tested += 1
                return predicate(record)

            return test

        monkeypatch.setattr(_query, "compile_predicate", counting)


SPELLED = {
    "seed": ("ComputerID", "Status = 'Online'"),
    "automate": ("Id", "Status = 'Online'"),
    "manage": ("id", "deletedFlag = false"),
}


@pytest.mark.parametrize("profile", list(PROFILES))
def test_an_id_list_tests_only_the_listed_records(profile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    lister, endpoint, records, id_field = _setup(profile)
    counting = _Counting(monkeypatch)
    name, other = SPELLED[profile]
    fresh = Lister(lister._resolve, lister._refuse, reader=lister._reader)  # no cached answers
    for text, tested in [
        (f"{name} in (7, 3, 3, 5, 99999, -2)", 3),
        (f"{other} and {name} in (9, 2, 4)", 3),
        (f"{name} in (12, 10) and {other}", 2),
    ]:
        counting.tested = 0
        found = fresh.matching(endpoint, records, ListQuery(condition=text), id_field)
        assert counting.tested == tested, text
        assert found == _full_scan(lister, endpoint, records, text)
    assert [
        int(record[id_field])
        for record in fresh.matching(endpoint, records, ListQuery(condition=f"{name} in (7, 3, 5)"), id_field)
    ] == [3, 5, 7]


@pytest.mark.parametrize("profile", list(PROFILES))
def test_anything_else_is_scanned(profile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    lister, endpoint, records, id_field = _setup(profile)
    counting = _Counting(monkeypatch)
    name, other = SPELLED[profile]
    fresh = Lister(lister._resolve, lister._refuse, reader=lister._reader)
    for text in [
        f"{name} in (1, 2) or {other}",  # `or` at the top
        f"{name} not in (1, 2)",
        f"{name} in ('1', '2')",  # text values
        f"{name} in (1, 2.5)",  # a decimal value
        f"{name} = 1",  # no list
    ]:
        counting.tested = 0
        found = _answer(lambda text=text: fresh.matching(endpoint, records, ListQuery(condition=text), id_field))
        refused = isinstance(found, tuple)  # the profile refuses it before evaluating (automate: a decimal id)
        assert counting.tested == (0 if refused else len(records)), text
        assert found == _full_scan(lister, endpoint, records, text)
    # a scoped list (a sub-collection's, or manage's childConditions' records) is scanned too
    counting.tested = 0
    fresh.matching(endpoint, records, ListQuery(condition=f"{name} in (1, 2)"), id_field, scope=("1",))
    assert counting.tested == len(records)


@pytest.mark.parametrize(
    "ids",
    [
        [{"Id": 1}, {"Id": "x"}, {"Id": 3}],  # an id that is not a number
        [{"Id": 1}, {"Name": "a"}, {"Id": 3}],  # a record without one
        [{"Id": 1}, {"Id": 1}, {"Id": 3}],  # the same id twice
        [{"Id": 1}, {"Id": "02"}, {"Id": 3}],  # text that is not the number's own spelling
        [{"Id": 1}, {"Id": True}, {"Id": 3}],  # a boolean
    ],
)
def test_records_without_plain_unique_ids_are_scanned(
    ids: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [{**record, "Name": f"n{at}"} for at, record in enumerate(ids)]
    fresh = Lister(lambda endpoint, path: path if path in ("Id", "Name") else None)
    counting = _Counting(monkeypatch)
    found = fresh.matching("Things", records, ListQuery(condition="Id in (1, 2, 3)"), "Id")
    assert counting.tested == len(records)
    assert found == [record for record in records if fresh.predicate("Things", "Id in (1, 2, 3)")(record)]


def test_bad_conditions_fail_as_before() -> None:
    lister, endpoint, records, id_field = _setup("automate")
    for text in ["Id in (1, 2) and NoSuchField = 1", "Id in (1, 2) and (", "Id in (1,"]:
        indexed = _indexed(lister, endpoint, records, text, id_field)
        assert indexed[0] == "error"
        assert indexed == _full_scan(lister, endpoint, records, text)

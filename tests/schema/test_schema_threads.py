"""A built-in catalogue parses each endpoint once, on first use, even from many threads at once
(the sandbox looks fields up from the threads of its in-process transport)."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import cwa_query
from cwa_query.schema import Schema

CATALOGUE = Path(cwa_query.__file__).resolve().parent / "data" / "automate_schema.json"
THREADS = 8


@pytest.fixture
def fast_switching() -> Iterator[None]:
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show at once
    yield
    sys.setswitchinterval(interval)


def first_lookups(schema: Schema) -> tuple[list[BaseException], list[object]]:
    """`THREADS` threads released at once, each making the first lookup of an endpoint."""
    errors: list[BaseException] = []
    found: list[object] = []
    start = threading.Barrier(THREADS)

    def work() -> None:
        start.wait()
        try:
            found.append(schema.lookup("Client.Id", "Computers"))
        except Exception as exc:  # the race this test is about: a KeyError from a second parse
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors, found


@pytest.mark.usefixtures("fast_switching")
def test_first_lookups_from_many_threads_at_once() -> None:
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    for _ in range(10):
        errors, found = first_lookups(Schema.from_dict(data, trusted=True))
        assert errors == []
        assert len(found) == THREADS and len({id(info) for info in found}) == 1  # one parse, one FieldInfo

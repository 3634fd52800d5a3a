"""Evaluation speed: compiled predicates beside hand-written Python filters, in one run.

    python bench/evaluate.py [--records N] [--rounds N]

The sandbox filters up to 50,000 records per request with
[`compile_predicate`][cwa_query.compile_predicate]. For each case this compiles the
condition once, then filters N generated records (50,000 by default) with it, and filters
the same records with a plain Python function written by hand for the case (what a
programmer would write without the library, ignoring most of the semantics the library
keeps: case folding, unknown, conversions). Prints, per case, the best of `--rounds`
runs in CPU milliseconds for each, and the ratio cwa_query / plain Python; then the geometric
mean of the ratios for each family:

* condition-language trees (`compile_predicate(text)`),
* OData `$filter` trees (`compile_odata(parse_odata(text))`, OData's own tree),
* the same OData text through the one tree (`compile_predicate(parse(text, dialect="odata"))`:
  `Compare`/`InList` where the condition language means the same, an `Expression` where not).

The ratios are machine-independent enough to compare commits (`git stash`, run, pop, run).
The two runs are interleaved round by round so load on the machine hits both alike.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cwa_query import compile_predicate, parse
from cwa_query.odata import compile_odata, parse_odata

Record = Mapping[str, Any]


def records(count: int) -> list[dict[str, Any]]:
    rng = random.Random(18)
    statuses = ["Online", "online", "Offline", "Maintenance", None]
    tags = [[], ["db"], ["web", "DB"], ["web"], ["db", "cache", "web"]]
    out = []
    for i in range(count):
        record: dict[str, Any] = {
            "Id": i,
            "Name": f"{rng.choice(['SRV', 'srv', 'web', 'DC'])}-{i:05d}",
            "Status": rng.choice(statuses),
            "Memory": rng.choice([1024, 2048, 4096, 8192, 16384.0]),
            "Tags": rng.choice(tags),
            "Client": {"Id": rng.randrange(10), "Name": rng.choice(["Acme", "Initech"])},
        }
        if rng.random() < 0.9:
            record["LastContact"] = f"202{rng.randrange(2, 5)}-0{rng.randrange(1, 10)}-1{rng.randrange(10)}T10:00:00Z"
        out.append(record)
    return out


def _text(value: Any) -> str | None:
    return value.lower() if isinstance(value, str) else None


CONDITIONS: list[tuple[str, Callable[[Record], bool]]] = [
    ("Status = 'online'", lambda r: _text(r.get("Status")) == "online"),
    (
        "Memory >= 4096 and Name like 'srv%'",
        lambda r: r.get("Memory", 0) >= 4096 and (_text(r.get("Name")) or "").startswith("srv"),
    ),
    ("Tags contains 'db'", lambda r: "db" in [t.lower() for t in r.get("Tags") or ()]),
    ("Client.Id in (1, 2, 3, 5, 8)", lambda r: (r.get("Client") or {}).get("Id") in {1, 2, 3, 5, 8}),
    ("LastContact < 2024-01-01", lambda r: (r.get("LastContact") or "9") < "2024-01-01"),
    (
        "not (Status = 'offline') or Memory < 1024",
        lambda r: _text(r.get("Status")) not in (None, "offline") or r.get("Memory", 0) < 1024,
    ),
]

ODATA: list[tuple[str, Callable[[Record], bool]]] = [
    ("Name eq 'SRV-00001'", lambda r: r.get("Name") == "SRV-00001"),
    (
        "contains(Name,'SRV') and Client/Id eq 5",
        lambda r: "SRV" in (r.get("Name") or "") and (r.get("Client") or {}).get("Id") == 5,
    ),
    ("Tags/any(t: t eq 'db')", lambda r: any(t == "db" for t in r.get("Tags") or ())),
    ("Memory mul 2 gt 8192", lambda r: r.get("Memory", 0) * 2 > 8192),
    ("tolower(Status) eq 'online'", lambda r: _text(r.get("Status")) == "online"),
    ("LastContact lt 2024-01-01T00:00:00Z", lambda r: (r.get("LastContact") or "9") < "2024-01-01"),
    ("Status ne 'Offline' and Memory ge 4096", lambda r: r.get("Status") != "Offline" and r.get("Memory", 0) >= 4096),
]


def best(function: Callable[[Record], Any], batch: list[dict[str, Any]]) -> float:
    """CPU seconds of one pass (the process's own time: steadier than the wall clock when
    other processes share the machine)."""
    started = time.process_time()
    for record in batch:
        function(record)
    return time.process_time() - started


def measure(
    title: str,
    cases: list[tuple[str, Callable[[Record], bool]]],
    compile_: Callable[[str], Callable[[Record], Any]],
    batch: list[dict[str, Any]],
    rounds: int,
) -> float:
    print(f"\n{title}")
    print(f"  {'case':44} {'cwa_query ms':>12} {'python ms':>10} {'ratio':>7}")
    ratios = []
    for text, plain in cases:
        compiled = compile_(text)
        ours, theirs = math.inf, math.inf
        for _ in range(rounds):
            ours = min(ours, best(compiled, batch))
            theirs = min(theirs, best(plain, batch))
        ratios.append(ours / theirs)
        print(f"  {text:44} {ours * 1000:12.1f} {theirs * 1000:10.1f} {ours / theirs:7.2f}")
    mean = math.exp(sum(map(math.log, ratios)) / len(ratios))
    print(f"  {'geometric mean of the ratios':44} {'':12} {'':10} {mean:7.2f}")
    return mean


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    batch = records(args.records)
    print(f"{args.records:,} records, best of {args.rounds} rounds")
    measure("condition language: compile_predicate(text)", CONDITIONS, compile_predicate, batch, args.rounds)
    measure(
        "OData: compile_odata(parse_odata(text))", ODATA, lambda t: compile_odata(parse_odata(t)), batch, args.rounds
    )
    measure(
        'OData through the one tree: compile_predicate(parse(text, dialect="odata"))',
        ODATA,
        lambda t: compile_predicate(parse(t, dialect="odata")),
        batch,
        args.rounds,
    )


if __name__ == "__main__":
    main()

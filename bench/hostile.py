"""Hostile input: the worst time per operation against a budget (issue 21, red-team items 2-6, 9).

    python bench/hostile.py [--budget SECONDS]

Each row is one of the red team's reproducers (and a few of their kin), run once in this
process: the seconds it took, the budget, their ratio, and how it ended (a result, or the
name of the project's own error it raised). Before the fixes, the same rows took from 2 s
to minutes, or gigabytes (the "before" column is issue 21's figure). No test times these:
tests/hostile/test_hostile_limits.py and test_hostile_property.py check how each ends.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cwa_query import CwaQueryError, parse, render, to_sql, translate
from cwa_query.odata import compile_odata, evaluate_odata, parse_odata
from tests.hostile.test_hostile_limits import _doubling_record as _doubling  # the reproducers, one copy
from tests.hostile.test_hostile_limits import _nested_any

IDS_4000 = "Id in (" + ",".join(map(str, range(4000))) + ")"
IDS_5000_ODATA = "Id in (" + ",".join(map(str, range(5000))) + ")"
ROWS: list[tuple[str, str, Callable[[], Any]]] = [
    ("2 evaluate substring(Name,1e999999999)", "killed",
     lambda: evaluate_odata(parse_odata("substring(Name,1e999999999) eq 'a'"), {"Name": "abc"})),
    ("2 to_sql Price eq 1e999999999", "1.97 GB, killed at 30 s",
     lambda: to_sql(translate("Price eq 1e999999999", "odata", "automate"))),
    ("2 to_sql Price eq 1e-999999999", "2.3 s, 1.97 GB",
     lambda: to_sql(translate("Price eq 1e-999999999", "odata", "automate"))),
    ("2 parse_odata 1e99999999999999999999", "decimal.InvalidOperation",
     lambda: parse_odata("Price eq 1e99999999999999999999")),
    ("3 matchesPattern ^(a+)+$ on a*30+!", "> 30 s",
     lambda: evaluate_odata(parse_odata("matchesPattern(Name,'^(a+)+$')"), {"Name": "a" * 30 + "!"})),
    ("3 matchesPattern ^(a|a)*$ on a*40+!", "(not in the issue)",
     lambda: evaluate_odata(parse_odata("matchesPattern(Name,'^(a|a)*$')"), {"Name": "a" * 40 + "!"})),
    ("4 nested any(), 22 levels", "10.8 s",
     lambda: compile_odata(parse_odata(_nested_any(22)))(_doubling(22))),
    ("4 nested any(), 40 levels", "never ends",
     lambda: compile_odata(parse_odata(_nested_any(40)))(_doubling(40))),
    ("5 manage parse 'a'*20000+' ='", "28 s", lambda: parse("a" * 20_000 + " =", dialect="manage")),
    ("5 manage null in a 20,000-value list", "(not in the issue)",
     lambda: parse("x in (" + ",".join(["1"] * 20_000) + ",null)", dialect="manage")),
    ("6 translate Id in (0..3999) automate->odata", "18.5 s", lambda: translate(IDS_4000, "automate", "odata")),
    ("6 render 3,000 ids as odata", "5.6 s",
     lambda: render(parse("Id in (" + ",".join(map(str, range(3000))) + ")"), "odata")),
    ("6 translate 5,000-value OData in -> automate", "18.6 s",
     lambda: translate(IDS_5000_ODATA, "odata", "automate")),
    ("6 translate a 40k-segment path", "28 s",
     lambda: translate("/".join(["a"] * 40_000) + " eq 1", "odata", "automate")),
    ("9 to_sql Id = 9*400", "OverflowError", lambda: to_sql(parse("Id = " + "9" * 400))),
]


def run(budget: float) -> int:
    width = max(len(name) for name, _, _ in ROWS)
    print(f"{'case':<{width}}  {'seconds':>8}  {'budget':>6}  {'ratio':>6}  {'ended as':<29}  before (issue 21)")
    worst = 0.0
    for name, before, call in ROWS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = time.perf_counter()
            try:
                call()
                ended = "a result"
            except CwaQueryError as exc:
                ended = type(exc).__name__
            seconds = time.perf_counter() - start
        worst = max(worst, seconds)
        print(f"{name:<{width}}  {seconds:8.3f}  {budget:6.2f}  {seconds / budget:6.2f}  {ended:<29}  {before}")
    print(f"worst: {worst:.3f} s against a budget of {budget:.2f} s per operation (ratio {worst / budget:.2f})")
    return 0 if worst <= budget else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=1.0, help="seconds one operation may take (default 1.0)")
    return run(parser.parse_args().budget)


if __name__ == "__main__":
    raise SystemExit(main())

"""Shared test settings: hypothesis profiles.

A red run of the test command must mean a real, reproducible failure, so every profile a
test command picks by itself is deterministic (`derandomize=True`: the same examples on
every run and machine; `database=None`: nothing remembered from earlier runs):

* `dev` (default, `python -m pytest`): a moderate search, for the edit-test loop;
* `quick`: 10 examples, for the quick loop `pytest -m "not slow"` (chosen by that
  marker expression when no profile is named);
* `ci`: more examples, no deadline (CI machines are shared and noisy); chosen by
  `CI=true` in the environment (as `.ci/run` sets it) or `HYPOTHESIS_PROFILE=ci`.

The search that keeps finding new bugs is a separate, explicit step:

* `explore` (`HYPOTHESIS_PROFILE=explore`): random, many examples, and the example database
  in `.hypothesis/` (a failure found once is tried first on every later run until fixed).
  Run it before closing an issue; keep what it finds as an `@example` of the test.
"""

from __future__ import annotations

import gc
import os

import pytest
from hypothesis import HealthCheck, settings

# Deterministic: the same examples on every run, nothing read from or written to a database.
settings.register_profile("dev", max_examples=60, deadline=None, derandomize=True, database=None)
settings.register_profile("quick", max_examples=10, deadline=None, derandomize=True, database=None)
settings.register_profile(
    "ci",
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
# Exploring: random, and the example database (hypothesis' default, .hypothesis/examples).
settings.register_profile(
    "explore",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)


def _profile(markexpr: str) -> str:
    if os.environ.get("HYPOTHESIS_PROFILE"):
        return os.environ["HYPOTHESIS_PROFILE"]
    if os.environ.get("CI"):
        return "ci"
    return "quick" if markexpr.replace(" ", "") == "notslow" else "dev"


def pytest_configure(config: pytest.Config) -> None:
    settings.load_profile(_profile(config.getoption("markexpr") or ""))
    # A run holds about a million objects (catalogues, sandbox datasets, hypothesis' state,
    # pydantic models): with Python's default thresholds the collector walks all of them in a
    # full collection a few dozen times (a tenth of the quick loop's CPU time). Collecting
    # less often keeps what each test allocates young and cheap to collect.
    gc.set_threshold(10_000, 20, 20)

"""Shared test settings: hypothesis profiles.

* `dev` (default): quick, for the edit-test loop;
* `quick`: 10 examples, for the quick loop `pytest -m "not slow"` (chosen by that
  marker expression when no profile is named);
* `ci`: more examples, no deadline (CI machines are shared and noisy); chosen by
  `CI=true` in the environment or `HYPOTHESIS_PROFILE=ci`.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("quick", max_examples=10, deadline=None)
settings.register_profile(
    "ci",
    max_examples=400,
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

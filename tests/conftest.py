"""Shared test settings: hypothesis profiles.

* `dev` (default): quick, for the edit-test loop;
* `ci`: more examples, no deadline (CI machines are shared and noisy); chosen by
  `CI=true` in the environment or `HYPOTHESIS_PROFILE=ci`.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci",
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

"""pytest fixtures for testing your own Automate integrations against the sandbox.

Installed with cwa_query (a `pytest11` entry point), so there is nothing to configure:

* `cwa_sandbox`: a running `Sandbox` (real HTTP on 127.0.0.1) for one test. Configure it
  with the `cwa_sandbox` marker, whose keyword arguments are `Sandbox`'s options:

  ```python
  @pytest.mark.cwa_sandbox(profile="automate", records=50, faults="500=0.2", fault_seed=1)
  def test_my_sync(cwa_sandbox):
      creds = cwa_sandbox.credentials
      sync_computers(base_url=cwa_sandbox.api_url, user=creds.username, password=creds.password)
      assert cwa_sandbox.stats()["responses_by_status"]["200"] > 0
  ```

  Without the marker: the `automate` profile (as the real server), 100 computers, no faults.
* `cwa_sandbox_url`: the same sandbox's base URL (`http://127.0.0.1:PORT`).
* `cwa_sandbox_module` and `cwa_sandbox_session`: one running sandbox shared by a module's
  tests, or by the whole run. Use them in hypothesis `@given` tests: a function-scoped
  fixture such as `cwa_sandbox` fails hypothesis' `function_scoped_fixture` health check,
  because it is set up once for all the examples of a test. The module one is configured
  by a module-level marker, the session one by overriding `cwa_sandbox_session_options`:

  ```python
  pytestmark = pytest.mark.cwa_sandbox(profile="automate", records=50)

  @given(st.integers(1, 50))
  def test_each_computer(cwa_sandbox_module, number):
      ...
  ```

  Examples share the sandbox: its counters and any tokens it issued carry over from one
  example to the next (`reset_stats()` between them when that matters).
* `cwa_sandbox_factory`: a function taking `Sandbox`'s options and returning a started
  sandbox; every sandbox it made is stopped after the test:

  ```python
  def test_both_profiles(cwa_sandbox_factory):
      seed = cwa_sandbox_factory(profile="seed", records=10)
      real = cwa_sandbox_factory(profile="automate", records=10, two_factor_code="123456")
  ```

Generated data is cached per (profile, records, seed), so many sandboxes stay cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from .._defaults import DEFAULT_PROFILE

if TYPE_CHECKING:
    from . import Sandbox

__all__ = [
    "cwa_sandbox",
    "cwa_sandbox_factory",
    "cwa_sandbox_module",
    "cwa_sandbox_session",
    "cwa_sandbox_session_options",
    "cwa_sandbox_url",
]

#: The options `cwa_sandbox` uses when no marker says otherwise.
DEFAULTS: dict[str, Any] = {"profile": DEFAULT_PROFILE, "records": 100}


def pytest_configure(config: pytest.Config) -> None:
    """Register the `cwa_sandbox` marker (so `--strict-markers` accepts it)."""
    config.addinivalue_line(
        "markers",
        "cwa_sandbox(**options): options of cwa_query.sandbox.Sandbox for the cwa_sandbox fixture "
        "(profile, records, seed, latency_ms, max_concurrent, rate_limit, faults, ...)",
    )


@pytest.fixture
def cwa_sandbox_factory() -> Iterator[Callable[..., Sandbox]]:
    """A function `(**options) -> Sandbox` that starts sandboxes; all are stopped after the test."""
    from . import Sandbox

    started: list[Sandbox] = []

    def make(**options: Any) -> Sandbox:
        sandbox = Sandbox(**options).start()
        started.append(sandbox)
        return sandbox

    yield make
    for sandbox in reversed(started):
        sandbox.stop()


def _options(node: pytest.Item | pytest.Collector) -> dict[str, Any]:
    options = dict(DEFAULTS)
    marker = node.get_closest_marker("cwa_sandbox")
    if marker is not None:
        if marker.args:
            raise pytest.UsageError("@pytest.mark.cwa_sandbox takes keyword arguments only (Sandbox's options)")
        options.update(marker.kwargs)
    return options


@pytest.fixture
def cwa_sandbox(request: pytest.FixtureRequest, cwa_sandbox_factory: Callable[..., Sandbox]) -> Sandbox:
    """A running sandbox, configured by the nearest `@pytest.mark.cwa_sandbox(...)` marker."""
    return cwa_sandbox_factory(**_options(request.node))


@pytest.fixture(scope="module")
def cwa_sandbox_module(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A running sandbox shared by the module's tests (usable in `@given` tests), configured by
    a module-level `pytestmark = pytest.mark.cwa_sandbox(...)`."""
    from . import Sandbox

    with Sandbox(**_options(request.node)) as sandbox:
        yield sandbox


@pytest.fixture(scope="session")
def cwa_sandbox_session_options() -> dict[str, Any]:
    """The options of `cwa_sandbox_session`; override this fixture in a conftest.py to change them."""
    return dict(DEFAULTS)


@pytest.fixture(scope="session")
def cwa_sandbox_session(cwa_sandbox_session_options: dict[str, Any]) -> Iterator[Sandbox]:
    """A running sandbox shared by the whole test run (usable in `@given` tests)."""
    from . import Sandbox

    with Sandbox(**cwa_sandbox_session_options) as sandbox:
        yield sandbox


@pytest.fixture
def cwa_sandbox_url(cwa_sandbox: Sandbox) -> str:
    """The base URL of `cwa_sandbox`, `http://127.0.0.1:PORT`."""
    return cwa_sandbox.url

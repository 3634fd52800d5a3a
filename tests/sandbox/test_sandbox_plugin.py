"""The pytest fixtures, loaded through the `pytest11` entry point, exercised with pytester."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]  # here rather than in conftest.py: pytest refuses it in a non-root conftest


def test_fixtures_in_a_fresh_pytest_run(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import httpx
        import pytest

        made = []

        @pytest.mark.cwa_sandbox(profile="automate", records=12, seed=3)
        def test_marker_options(cwa_sandbox, cwa_sandbox_url):
            assert cwa_sandbox_url == cwa_sandbox.url
            assert cwa_sandbox_url.startswith("http://127.0.0.1:")
            creds = cwa_sandbox.credentials
            answer = httpx.post(
                cwa_sandbox.api_url + "/apitoken",
                json={"UserName": creds.username, "Password": creds.password},
                headers={"ClientId": creds.client_id},
                trust_env=False,
            )
            assert answer.status_code == 200
            assert cwa_sandbox.config.records == 12
            made.append(cwa_sandbox)

        def test_defaults(cwa_sandbox):
            assert (cwa_sandbox.config.profile, cwa_sandbox.config.records) == ("seed", 100)
            made.append(cwa_sandbox)

        def test_factory(cwa_sandbox_factory):
            a = cwa_sandbox_factory(records=5)
            b = cwa_sandbox_factory(profile="automate", records=5, faults="500=1")
            assert a.url != b.url
            made.extend([a, b])

        def test_everything_was_stopped():
            assert len(made) == 4
            assert not any(sandbox.running for sandbox in made)

        @pytest.mark.cwa_sandbox("automate")
        def test_positional_marker_arguments_are_refused(cwa_sandbox):
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--strict-markers")
    result.assert_outcomes(passed=4, errors=1)
    result.stdout.fnmatch_lines(["*takes keyword arguments only*"])


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.cwa_sandbox(**options)*"])

"""The pytest fixtures, loaded through the `pytest11` entry point, exercised with pytester."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]  # here rather than in conftest.py: pytest refuses it in a non-root conftest


@pytest.mark.slow  # a pytest subprocess starting several sandboxes: about 5 s
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
            assert (cwa_sandbox.config.profile, cwa_sandbox.config.records) == ("automate", 100)
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
    write_shared_fixture_tests(pytester)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--strict-markers")
    result.assert_outcomes(passed=4 + 3, errors=1, failed=1)
    result.stdout.fnmatch_lines(["*takes keyword arguments only*"])
    result.stdout.fnmatch_lines(["*test_the_function_scoped_one_is_refused_by_hypothesis*"])
    result.stdout.fnmatch_lines(["*function_scoped_fixture*"])


def write_shared_fixture_tests(pytester: pytest.Pytester) -> None:
    """A second module: the module and session fixtures inside @given (run with the first, one process)."""
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture(scope="session")
        def cwa_sandbox_session_options():
            return {"profile": "automate", "records": 7}
        """
    )
    pytester.makepyfile(
        test_shared="""
        import pytest
        from hypothesis import given, settings, strategies as st

        pytestmark = pytest.mark.cwa_sandbox(profile="automate", records=9, seed=2)
        seen = set()

        @settings(max_examples=15)
        @given(st.integers(1, 9))
        def test_module_sandbox_in_given(cwa_sandbox_module, number):
            assert cwa_sandbox_module.config.records == 9 and cwa_sandbox_module.running
            seen.add(id(cwa_sandbox_module))

        @settings(max_examples=5)
        @given(st.booleans())
        def test_session_sandbox_in_given(cwa_sandbox_session, flag):
            assert (cwa_sandbox_session.config.profile, cwa_sandbox_session.config.records) == ("automate", 7)

        def test_one_sandbox_for_the_module(cwa_sandbox_module):
            seen.add(id(cwa_sandbox_module))
            assert len(seen) == 1

        @given(st.integers())
        def test_the_function_scoped_one_is_refused_by_hypothesis(cwa_sandbox, number):
            pass
        """
    )


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.cwa_sandbox(**options)*"])

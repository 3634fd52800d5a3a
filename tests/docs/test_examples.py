"""Every ```python example in the docs and the README runs, as a doctest.

Blocks of one page share a namespace, in order, as a reader would run them. A block
without `>>>` prompts is executed as a script (it must not raise), unless its first
line is a `# not run` comment saying why (e.g. it needs a real Automate server).
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
FENCE = re.compile(r"^```python[^\n]*\n(.*?)^```", re.M | re.S)


def _blocks(page: Path) -> list[tuple[int, str]]:
    text = page.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in FENCE.finditer(text)]


PAGES_WITH_CODE = [page for page in PAGES if _blocks(page)]
# Pages whose examples take a second or more (a hypothesis search, waits for a retry or a
# sandbox's `Retry-After`): the full suite runs them; the quick loop runs the other pages.
SLOW_PAGES = {"docs/property-testing.md", "docs/executor.md", "docs/sandbox.md"}
PAGE_PARAMS = [
    pytest.param(page, id=name, marks=pytest.mark.slow if name in SLOW_PAGES else ())
    for page in PAGES_WITH_CODE
    for name in [page.relative_to(ROOT).as_posix()]
]


def test_the_slow_pages_exist() -> None:
    assert {param.id for param in PAGE_PARAMS} >= SLOW_PAGES


@pytest.mark.parametrize("page", PAGE_PARAMS)
def test_page_examples_run(page: Path) -> None:
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    ran = 0
    failures: list[str] = []
    # Failures are collected, not raised at once: later examples still run, so a page that
    # starts a sandbox in one block and stops it in another cleans up after a failure too.
    for line, code in _blocks(page):
        name = f"{page.relative_to(ROOT)}:{line}"
        if code.startswith("# not run"):
            continue
        if ">>>" in code:
            test = parser.get_doctest(code, namespace, name, str(page), line)
            result = runner.run(test, out=failures.append, clear_globs=False)
            namespace.update(test.globs)
            ran += result.attempted
        else:
            try:
                exec(compile(code, name, "exec"), namespace)
            except Exception as exc:  # reported with the others below
                failures.append(f"{name}: {type(exc).__name__}: {exc}")
            ran += 1
    if failures:
        pytest.fail("docs examples failed:\n" + "\n".join(failures), pytrace=False)
    assert ran > 0

"""A griffe extension: show the doctest examples of docstrings as code blocks.

The docstrings of cwa_query hold plain doctests (`>>>` lines and their output), which
pytest runs. Markdown would read them as nested block quotes; this extension wraps each
run of doctest lines (up to the next blank line) in a ```` ```pycon ```` fence before
mkdocstrings renders the docstring. Lines already inside a fence are left alone.
Doctest directives (`# doctest: +ELLIPSIS`) are for the test runner, not the reader: they
are dropped from the code shown (a `...` line that held only a directive goes with it).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_FENCE = re.compile(r"^\s*(```|~~~)")
_PROMPT = re.compile(r"^(\s*)>>>")
_DIRECTIVE = re.compile(r"\s*#\s*doctest:\s*[+-][A-Z_]+(\s*,?\s*[+-][A-Z_]+)*\s*$")
_SOURCE = re.compile(r"^\s*(>>>|\.\.\.)( |$)")


def _shown(line: str) -> str | None:
    """A doctest line as the page shows it: without a directive comment; None to drop it."""
    if not _SOURCE.match(line):
        return line  # expected output: as it is
    bare = _DIRECTIVE.sub("", line)
    if bare != line and bare.strip() == "...":
        return None
    return bare


def fence_doctests(text: str) -> str:
    """`text` with every doctest run wrapped in a `pycon` fence, at the run's indentation."""
    out: list[str] = []
    lines = text.split("\n")
    in_fence = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            in_fence = not in_fence
        prompt = None if in_fence else _PROMPT.match(line)
        if prompt is None:
            out.append(line)
            i += 1
            continue
        indent = prompt.group(1)
        out.append(f"{indent}```pycon")
        while i < len(lines) and lines[i].strip() and not _FENCE.match(lines[i]):
            shown = _shown(lines[i])
            if shown is not None:
                out.append(shown)
            i += 1
        out.append(f"{indent}```")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Fence the doctests of every docstring griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite `obj`'s docstring in place (called once per loaded object)."""
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)

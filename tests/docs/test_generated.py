"""The generated parts of the docs (docs/hooks/): they expand, cover everything, and fail loudly.

`mkdocs build --strict` runs the same hooks; these tests catch drift without a docs build.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shlex
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("mkdocs")
pytest.importorskip("griffe")

from mkdocs.exceptions import PluginError

from cwa_query.cli import build_parser
from cwa_query.linter import list_rules

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / "docs" / "hooks"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"docs_hooks_{name}", HOOKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _load("generate")
griffe_doctests = _load("griffe_doctests")

PAGES_WITH_DIRECTIVES = sorted(p for p in (ROOT / "docs").rglob("*.md") if generate.DIRECTIVE.search(p.read_text()))


@pytest.fixture(scope="module")
def expanded() -> dict[str, str]:
    """Every page with directives, expanded once (this runs every CLI sample of the docs)."""
    return {p.name: generate.expand(p.read_text(encoding="utf-8"), p.name) for p in PAGES_WITH_DIRECTIVES}


def test_pages_use_the_generators() -> None:
    names = {p.name for p in PAGES_WITH_DIRECTIVES}
    assert {"linter.md", "cli.md"} <= names


def test_no_directive_left_after_expansion(expanded: dict[str, str]) -> None:
    for name, text in expanded.items():
        assert "<!-- cwa:" not in text, name


def test_every_rule_is_documented_with_its_example_and_fix(expanded: dict[str, str]) -> None:
    page = expanded["linter.md"]
    for info in list_rules():
        anchor = f"{info.code}-{info.name}".lower()  # what the site and the repository host derive
        assert f"| [{info.code}](#{anchor}) | `{info.name}` | {info.severity} |" in page
        assert f"### {info.code} `{info.name}`\n" in page
        assert generate.plain_markdown(info.description) in page
        if info.example.fix is not None:
            assert f"```text\n{info.example.fix}\n```" in page


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    return generate._subparsers(build_parser())


def test_every_subcommand_and_option_is_in_the_cli_reference(expanded: dict[str, str]) -> None:
    page = expanded["cli.md"]
    subcommands = _subcommands()
    assert set(subcommands) == {"fetch", "lint", "fmt", "translate", "parse", "fields", "sandbox", "mcp"}
    for name, parser in subcommands.items():
        section = page.split(f"### `cwa-query {name}`", 1)[1].split("\n### ", 1)[0]
        for action in parser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert f"`{option}`" in section, (name, option)


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("<!-- cwa:nonsense -->", "unknown directive cwa:nonsense"),
        ("<!-- cwa:run lint \"Status == 'x'\" -->", "exit status 1, the page expects 0"),
        ("<!-- cwa:run exit=1 fmt \"Status = 'x'\" -->", "exit status 0, the page expects 1"),
        ("<!-- cwa:help nosuchcommand -->", "exit status 2"),
    ],
)
def test_bad_directives_fail_the_build(markdown: str, message: str) -> None:
    with pytest.raises(PluginError, match=re.escape(message)):
        generate.expand(markdown)


PAGES = sorted((ROOT / "docs").rglob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_examples_are_written_out_in_the_page_and_fresh(page: Path) -> None:
    """What a page shows as it is (on the repository host) is what the site shows."""
    text = page.read_text(encoding="utf-8")
    assert "--8<--" not in text, f"{page.name}: an include the repository host cannot show; use cwa:include"
    assert generate.write_out(text, page.name) == text, (
        f"{page.name}: its written-out examples are stale or missing: run `python docs/hooks/generate.py --write`"
    )


def test_write_out_writes_a_directive_out_and_refreshes_it() -> None:
    page = '!!! note\n\n    <!-- cwa:run fmt "a=1  AND b=2" -->\n\nAfter.\n'
    written = generate.write_out(page)
    assert written == (
        '!!! note\n\n    <!-- cwa:run fmt "a=1  AND b=2" -->\n    ```console\n    $ cwa-query fmt "a=1  AND b=2"\n'
        "    a = 1 and b = 2\n    ```\n    <!-- /cwa:run -->\n\nAfter.\n"
    )
    stale = written.replace("a = 1 and b = 2", "a = 1 AND b = 2")
    assert generate.write_out(stale) == written
    assert generate.write_out(written) == written
    # for the site: the fresh output, without the comments
    assert generate.expand(stale) == (
        '!!! note\n\n    ```console\n    $ cwa-query fmt "a=1  AND b=2"\n    a = 1 and b = 2\n    ```\n\nAfter.\n'
    )


def test_include_shows_the_file() -> None:
    grammar = (ROOT / "grammar" / "condition.lark").read_text(encoding="utf-8").rstrip("\n")
    assert generate.expand("<!-- cwa:include grammar/condition.lark lark -->") == f"```lark\n{grammar}\n```"
    with pytest.raises(PluginError, match=re.escape("no file grammar/nope.lark")):
        generate.expand("<!-- cwa:include grammar/nope.lark -->")


def test_run_shows_the_command_and_its_output_at_the_directive_indent() -> None:
    text = generate.expand('!!! note\n\n    <!-- cwa:run fmt "a=1  AND b=2" -->\n')
    assert text == '!!! note\n\n    ```console\n    $ cwa-query fmt "a=1  AND b=2"\n    a = 1 and b = 2\n    ```\n'


@pytest.mark.parametrize(
    ("docstring", "fenced"),
    [
        ("No examples.", "No examples."),
        ("Intro.\n\n>>> 1 + 1\n2\n\nAfter.", "Intro.\n\n```pycon\n>>> 1 + 1\n2\n```\n\nAfter."),
        (
            "Indented:\n\n    >>> f(\n    ...     1)\n    3",
            "Indented:\n\n    ```pycon\n    >>> f(\n    ...     1)\n    3\n    ```",
        ),
        ("Already fenced:\n\n```python\n>>> x\n```", "Already fenced:\n\n```python\n>>> x\n```"),
        (">>> a\n1\n```\ncode\n```", "```pycon\n>>> a\n1\n```\n```\ncode\n```"),
        (">>> f()  # doctest: +ELLIPSIS\nF(...)", "```pycon\n>>> f()\nF(...)\n```"),
        (
            ">>> f(1,\n...   2)  # doctest: +NORMALIZE_WHITESPACE\n3",
            "```pycon\n>>> f(1,\n...   2)\n3\n```",
        ),
        (">>> f()\n... # doctest: +NORMALIZE_WHITESPACE\n3", "```pycon\n>>> f()\n3\n```"),
        (">>> '# doctest: +SKIP'\n'# doctest: +SKIP'", "```pycon\n>>> '# doctest: +SKIP'\n'# doctest: +SKIP'\n```"),
    ],
)
def test_doctests_in_docstrings_become_code_blocks(docstring: str, fenced: str) -> None:
    assert griffe_doctests.fence_doctests(docstring) == fenced


# --------------------------------------------------------------------------- hand-written transcripts

CONSOLE = re.compile(r"^```console\n(.*?)^```", re.M | re.S)
OFFLINE = ("lint", "fmt", "translate", "parse")  # commands whose output depends on nothing but their input


def _transcripts() -> list[tuple[str, str, str]]:
    """`(where, command, output)` of every `$ cwa-query ...` line with output in a console block."""
    found = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for block in CONSOLE.findall(page.read_text(encoding="utf-8")):
            for chunk in re.split(r"^(?=\$ )", block, flags=re.M):
                command, _, output = chunk.partition("\n")
                words = command.split()
                if command.startswith("$ cwa-query ") and len(words) > 2 and words[2] in OFFLINE and output.strip():
                    found.append((page.name, command[len("$ cwa-query ") :], output.rstrip("\n")))
    return found


TRANSCRIPTS = _transcripts()


def test_the_readme_has_a_transcript() -> None:
    assert any(where == "README.md" for where, _, _ in TRANSCRIPTS)


@pytest.mark.parametrize(("where", "command", "output"), TRANSCRIPTS, ids=[t[1][:40] for t in TRANSCRIPTS])
def test_hand_written_transcripts_match_the_command(where: str, command: str, output: str) -> None:
    """A console sample typed into a page (not generated) still shows what the command prints."""
    _, printed = generate.run_cli(shlex.split(command))
    assert printed == output, f"{where}: `cwa-query {command}` now prints:\n{printed}"


# --------------------------------------------------------------------------- reading whole on the repository host

FENCED = re.compile(r"^(`{3,}|~{3,}).*?^\1", re.M | re.S)


def _prose(page: Path) -> str:
    """A page without its fenced code blocks: what the repository host renders as Markdown."""
    return FENCED.sub("", page.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", [ROOT / "README.md", *PAGES], ids=["README.md", *(p.name for p in PAGES)])
def test_pages_use_only_markdown_the_repository_host_renders(page: Path) -> None:
    prose = _prose(page)
    # cross-references only the site resolves (mkdocstrings' autorefs): a plain link reads everywhere
    assert not re.findall(r"\]\[cwa_query[\w.]*\]", prose), f"{page.name}: write [x](reference/page.md#id)"
    # admonitions (`!!!`, `???`) show as their marker followed by an indented code block
    assert not re.findall(r"^ *(?:!!!|\?\?\?\+?) ", prose, re.M), f"{page.name}: use <details markdown> or a paragraph"
    # `{#anchor}` attribute lists show literally: anchors come from the heading text
    assert not re.findall(r"^#+ .*\{#[\w-]+\}\s*$", prose, re.M), f"{page.name}: drop the {{#...}} of the heading"
    # a directive whose output is not written into the page shows nothing there
    for name in re.findall(r"<!-- cwa:([a-z-]+)", prose):
        assert name in generate.WRITTEN_OUT, f"{page.name}: cwa:{name} is not written out"

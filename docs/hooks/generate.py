"""An mkdocs hook: generate the parts of the docs that the code defines, at build time.

A page asks for generated Markdown with a comment on a line of its own; the hook replaces
the line (keeping its indentation, so it works inside admonitions):

* `<!-- cwa:rules-table -->`: one row per lint rule, from `cwa_query.linter.list_rules()`;
* `<!-- cwa:rules -->`: a section per rule: code, name, severity, documentation, and its
  example really linted (the build fails if the rule no longer reports it, or offers
  another fix than the registry says);
* `<!-- cwa:cli-reference -->`: a section per subcommand of `cwa_query.cli.build_parser()`:
  usage, description and a table of every argument;
* `<!-- cwa:help [SUBCOMMAND] -->`: the `--help` text;
* `<!-- cwa:run [exit=N] ARGS -->`: `cwa-query ARGS` really run (in process), shown with
  its output; the build fails if the exit status is not N (default 0);
* `<!-- cwa:include PATH [LANGUAGE] -->`: the file at PATH (from the repository's root) in a
  code block.

So the rule list and the command-line reference cannot drift from the code: they are read
from it on every build, and `mkdocs build --strict` runs in CI.

Every directive's output is also written out in the page itself, between the directive and
a closing `<!-- /cwa:run -->` (`<!-- /cwa:rules -->`, ...), so that the Markdown reads whole
where it is shown as it is (the repository host): plain Markdown only, anchors that the
repository host and the site both derive from the heading text. The build replaces what is
written there with a fresh run; tests/docs fails when the two differ, and

    python docs/hooks/generate.py --write

rewrites every page's written-out examples (`--check` only lists the stale pages).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shlex
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)<!-- cwa:(?P<name>[a-z-]+)(?P<args>.*?)-->[ \t]*$", re.M)
# the directives whose output is also written in the page (every one: the page reads whole
# where it is shown as it is)
WRITTEN_OUT = ("run", "include", "help", "rules-table", "rules", "cli-reference")
# a written-out directive: the opening comment, what was generated, the closing comment
WRITTEN = re.compile(
    r"^(?P<indent>[ \t]*)<!-- cwa:(?P<name>run|include|help|rules-table|rules|cli-reference)"
    r"(?P<args>[^\n]*?)-->[ \t]*\n"
    r"(?P<body>.*?)^[ \t]*<!-- /cwa:(?P=name) -->[ \t]*$",
    re.M | re.S,
)
HELP_COLUMNS = "88"
LONG_EXAMPLE = 160  # example conditions longer than this are shown shortened


# --------------------------------------------------------------------------- running the CLI


@contextlib.contextmanager
def _columns() -> Iterator[None]:
    """Fix the terminal width argparse wraps help text to, so the output is stable."""
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_COLUMNS
    try:
        yield
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved


def run_cli(argv: list[str]) -> tuple[int, str]:
    """Run `cwa-query argv` in this process; the exit status and what it printed (both streams)."""
    from cwa_query.cli import main

    out = io.StringIO()
    with _columns(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's --help and usage errors
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue().rstrip("\n")


def run_block(args: str) -> str:
    """The `cwa:run` directive: `[exit=N] ARGS` run, as a console block."""
    expected = 0
    match = re.match(r"\s*exit=(\d+)\s+", args)
    if match:
        expected = int(match.group(1))
        args = args[match.end() :]
    args = args.strip()
    code, output = run_cli(shlex.split(args))
    if code != expected:
        raise PluginError(f"cwa:run {args!r}: exit status {code}, the page expects {expected}:\n{output}")
    lines = ["```console", f"$ cwa-query {args}", *([output] if output else []), "```"]
    return "\n".join(lines)


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def help_block(args: str) -> str:
    """The `cwa:help` directive: `cwa-query [SUBCOMMAND] --help` and what it prints, as a console block."""
    argv = [*shlex.split(args), "--help"]
    code, output = run_cli(argv)
    if code != 0:
        raise PluginError(f"cwa:help {args.strip()!r}: exit status {code}:\n{output}")
    return "\n".join(["```console", "$ " + shlex.join(["cwa-query", *argv]), output, "```"])


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _argument_row(action: argparse.Action) -> str | None:
    if isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS:
        return None
    if action.option_strings:
        names = ", ".join(f"`{option}`" for option in action.option_strings)
        takes_value = action.nargs != 0
        metavar = action.metavar or (action.dest.upper() if takes_value else None)
        if action.choices is not None and takes_value and action.metavar is None:
            metavar = "{" + ",".join(str(c) for c in action.choices) + "}"
        if metavar:
            names += f" `{metavar}`"
    else:
        names = f"`{action.metavar or action.dest}`"
        if action.nargs in ("*", "?"):
            names += " (optional" + (", repeatable" if action.nargs == "*" else "") + ")"
    help_text = (action.help or "") % {"default": action.default, "prog": "cwa-query"}
    required = " **(required)**" if action.required and action.option_strings else ""
    return f"| {names}{required} | {_cell(help_text)} |"


def cli_reference() -> str:
    """The `cwa:cli-reference` directive: a section per subcommand, read from the parsers."""
    from cwa_query.cli import build_parser

    parser = build_parser()
    out: list[str] = []
    with _columns():
        for name, sub in _subparsers(parser).items():
            out += [f"### `cwa-query {name}`", "", "```text", sub.format_usage().strip(), "```", ""]
            if sub.description:
                out += [sub.description, ""]
            rows = [row for row in map(_argument_row, sub._actions) if row is not None]
            if rows:
                out += ["| argument | meaning |", "|---|---|", *rows, ""]
    return "\n".join(out).rstrip("\n")


# --------------------------------------------------------------------------- the rules


def _shorten(text: str) -> str:
    if len(text) <= LONG_EXAMPLE:
        return text
    return f"{text[:100]} … {text[-40:]}"


def rules_table() -> str:
    """The `cwa:rules-table` directive: code, name, severity and summary of every rule."""
    from cwa_query.linter import list_rules

    rows = ["| code | name | severity | what it finds | fix |", "|---|---|---|---|:-:|"]
    for info in list_rules():
        fix = "yes" if info.example.fix is not None else "no"
        rows.append(
            f"| [{info.code}](#{rule_anchor(info.code, info.name)}) | `{info.name}` | {info.severity} "
            f"| {_cell(info.summary)} | {fix} |"
        )
    return "\n".join(rows)


def rule_anchor(code: str, name: str) -> str:
    """The anchor of a rule's section `### CODE `name``, as the site (Python-Markdown's toc)
    and the repository host both derive it from the heading text: `cwq101-syntax-error`."""
    return f"{code}-{name}".lower()


REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[cwa_query[\w.]*\]")


def plain_markdown(text: str) -> str:
    """Docstring text as plain Markdown: a cross-reference `[x][cwa_query.y]` (which only
    the site's autorefs plugin resolves) becomes its text `x`."""
    return REFERENCE_LINK.sub(r"\1", text)


def rules_sections() -> str:
    """The `cwa:rules` directive: a section per rule, its example linted for real."""
    from cwa_query import lint
    from cwa_query.linter import list_rules
    from cwa_query.linter.formats import format_text

    out: list[str] = []
    for info in list_rules():
        ex = info.example
        linted = lint(ex.condition, dialect=ex.dialect, endpoint=ex.endpoint, parameter=ex.parameter)
        found = [d for d in linted if d.code == info.code]
        if not found:
            raise PluginError(f"{info.code} {info.name}: its example no longer fires: {ex.condition!r}")
        if found[0].fix != ex.fix:
            raise PluginError(f"{info.code} {info.name}: the example's fix is {found[0].fix!r}, not {ex.fix!r}")
        target = f"`--dialect {ex.dialect}`" + (f", `--endpoint {ex.endpoint}`" if ex.endpoint else "")
        target += f", `--parameter {ex.parameter}`" if ex.parameter else ""
        out += [
            f"### {info.code} `{info.name}`",
            "",
            f"**{info.severity}**: {info.summary}",
            "",
            plain_markdown(info.description),
            "",
            f"Example ({target}):",
            "",
            "```text",
        ]
        if len(ex.condition) > LONG_EXAMPLE:
            out += [_shorten(ex.condition), "", *(f"{d.code} [{d.name}] {d.severity}: {d.message}" for d in found)]
        else:
            out.append(format_text([(ex.condition, found)]))
        out += ["```", ""]
        if ex.fix is None:
            out += ["No automatic fix.", ""]
        else:
            out += ["Fixed:", "", "```text", ex.fix, "```", ""]
    return "\n".join(out).rstrip("\n")


def include_block(args: str) -> str:
    """The `cwa:include` directive: `PATH [LANGUAGE]`, the file in a code block."""
    words = shlex.split(args)
    if not 1 <= len(words) <= 2:
        raise PluginError(f"cwa:include {args.strip()!r}: expected PATH [LANGUAGE]")
    path = ROOT / words[0]
    if not path.is_file():
        raise PluginError(f"cwa:include {args.strip()!r}: no file {words[0]}")
    text = path.read_text(encoding="utf-8").rstrip("\n")
    return "\n".join([f"```{words[1] if len(words) == 2 else ''}", text, "```"])


# --------------------------------------------------------------------------- the hook

GENERATORS: dict[str, Callable[[str], str]] = {
    "rules-table": lambda args: rules_table(),
    "rules": lambda args: rules_sections(),
    "cli-reference": lambda args: cli_reference(),
    "help": help_block,
    "run": run_block,
    "include": include_block,
}


def _generate(name: str, args: str, indent: str, where: str) -> str:
    generator = GENERATORS.get(name)
    if generator is None:
        raise PluginError(f"{where}: unknown directive cwa:{name} (known: {', '.join(GENERATORS)})")
    text = generator(args)
    return "\n".join(indent + line if line else line for line in text.split("\n"))


def expand(markdown: str, where: str = "page") -> str:
    """`markdown` with every directive replaced by what it generates (for the site): a
    written-out one with what it generates now, its comments dropped."""
    markdown = WRITTEN.sub(lambda m: _generate(m.group("name"), m.group("args"), m.group("indent"), where), markdown)
    return DIRECTIVE.sub(lambda m: _generate(m.group("name"), m.group("args"), m.group("indent"), where), markdown)


def write_out(markdown: str, where: str = "page") -> str:
    """`markdown` with every directive written out afresh between its comments (the page as it
    should be kept in the repository)."""

    def fresh(m: re.Match[str]) -> str:
        indent, name, args = m.group("indent"), m.group("name"), m.group("args")
        if name not in WRITTEN_OUT:
            return m.group(0)
        body = _generate(name, args, indent, where)
        return f"{indent}<!-- cwa:{name}{args}-->\n{body}\n{indent}<!-- /cwa:{name} -->"

    pieces: list[str] = []
    last = 0
    for m in WRITTEN.finditer(markdown):  # written out already: refresh
        pieces += [DIRECTIVE.sub(fresh, markdown[last : m.start()]), fresh(m)]
        last = m.end()
    pieces.append(DIRECTIVE.sub(fresh, markdown[last:]))
    return "".join(pieces)


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """mkdocs event: expand the directives of one page."""
    return expand(markdown, page.file.src_path)


def main(argv: list[str] | None = None) -> int:
    """`python docs/hooks/generate.py [--write | --check] [PAGE ...]`: the written-out examples."""
    parser = argparse.ArgumentParser(description="Write out (or check) the run and include examples of the docs.")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="rewrite the pages whose examples are stale")
    action.add_argument("--check", action="store_true", help="list the stale pages; exit 1 if there are any")
    parser.add_argument("pages", nargs="*", type=Path, help="default: every page of docs/")
    args = parser.parse_args(argv)
    pages = args.pages or sorted((ROOT / "docs").rglob("*.md"))
    stale = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        fresh = write_out(text, str(page))
        if fresh != text:
            stale.append(page)
            if args.write:
                page.write_text(fresh, encoding="utf-8")
    for page in stale:
        print(f"{'rewrote' if args.write else 'stale'}: {page}")
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())

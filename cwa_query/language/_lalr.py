"""Table building: a grammar file under `grammar/` compiled by Lark into plain LALR(1) data.

This is the only module that imports lark, and only when a stored table is missing or
stale. The data of grammar `NAME` (`grammar/NAME.lark`) is stored beside the package as
`cwa_query/language/tables/NAME.json`, keyed by the grammar's SHA-256, so the command line
starts without importing Lark; a grammar edit is picked up at once (the stale file is
ignored) and

    python -m cwa_query.language._lalr [NAME ...]

rewrites the stored files (all grammars when no name is given).

Conventions a grammar follows to be driven by [`_driver`][cwa_query.language._driver]:

* rules are plain BNF (no EBNF repetition); each rule alias names a builder callback;
* keywords are case-insensitive string terminals that the identifier terminal (default
  `FIELD`) also matches; an exact keyword match is re-typed as the keyword;
* the nesting terminals (default `LPAR` and `NOT`) count towards the `max_depth` limit,
  and a rule releases as many levels as it holds of them.

A grammar names other terminals for these roles in comment lines of its own:

    //! identifier: NAME
    //! nesting: LPAR NOT LBRACKET
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "END",
    "REDUCE",
    "SHIFT_COMMA",
    "SHIFT_NESTING",
    "UNIT",
    "TABLES_DIR",
    "Action",
    "Tables",
    "build_table_data",
    "grammar_options",
    "grammar_names",
    "grammar_path",
    "grammar_text",
    "load_table_data",
    "tables_path",
    "write_tables",
]

# os.path, not pathlib, on the way a parse takes: pathlib (with urllib.parse and ipaddress) is
# 3 ms of `cwa-query lint`'s start-up; the functions that hand out paths import it themselves.
_HERE = os.path.dirname(os.path.realpath(__file__))
TABLES_DIR = os.path.join(_HERE, "tables")
"""Where the stored tables live: `tables/NAME.json` per grammar."""

_PACKAGED = os.path.join(os.path.dirname(_HERE), "_grammar")
_SOURCE = os.path.join(os.path.dirname(os.path.dirname(_HERE)), "grammar")


def _grammar_dir() -> str:
    return _PACKAGED if os.path.isdir(_PACKAGED) else _SOURCE


def grammar_path(name: str = "condition") -> Path:
    """The path of `NAME.lark`: inside the installed package, else the source tree."""
    from pathlib import Path

    return Path(_grammar_dir(), f"{name}.lark")


def grammar_text(name: str = "condition") -> str:
    """The text of grammar `name`, the source of truth of its syntax."""
    with open(os.path.join(_grammar_dir(), f"{name}.lark"), encoding="utf-8") as file:
        return file.read()


def grammar_names() -> tuple[str, ...]:
    """The names of every grammar file, sorted."""
    return tuple(
        sorted(
            name.removesuffix(".lark")
            for name in os.listdir(_grammar_dir())
            if name.endswith(".lark") and not name.startswith(".")
        )
    )


def tables_path(name: str = "condition") -> Path:
    """Where the stored tables of grammar `name` live."""
    from pathlib import Path

    return Path(TABLES_DIR, f"{name}.json")


_OPTION_RE = re.compile(r"^//!\s*(identifier|nesting)\s*:\s*(.*?)\s*$", re.MULTILINE)


def grammar_options(grammar: str) -> tuple[str, tuple[str, ...]]:
    """The identifier terminal and the nesting terminals a grammar text declares (or the defaults).

    >>> grammar_options("//! identifier: NAME\\n//! nesting: LPAR\\nstart: NAME")
    ('NAME', ('LPAR',))
    """
    options = dict(_OPTION_RE.findall(grammar))
    identifier = options.get("identifier", "FIELD")
    nesting = tuple(options["nesting"].split()) if "nesting" in options else ("LPAR", "NOT")
    return identifier, nesting


def build_table_data(grammar: str) -> dict[str, Any]:
    """Compile `grammar` (its text) with Lark into plain data: the LALR table, lexer and rules."""
    from lark import Lark
    from lark.lexer import PatternStr

    identifier, nesting = grammar_options(grammar)
    lark_parser = Lark(grammar, parser="lalr")
    table = lark_parser.parser.parser.parser.parse_table
    names = {t.name for t in lark_parser.terminals}
    ident_re = (
        next(t for t in lark_parser.terminals if t.name == identifier).pattern.to_regexp()
        if identifier in names
        else None
    )
    keywords: dict[str, str] = {}
    groups: list[list[str]] = []
    terminals = sorted(
        lark_parser.terminals,
        key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name),
    )
    for term in terminals:
        if ident_re is not None and isinstance(term.pattern, PatternStr) and re.fullmatch(ident_re, term.pattern.value):
            keywords[term.pattern.value.lower()] = term.name
            continue
        groups.append([term.name, term.pattern.to_regexp()])
    rules = list(lark_parser.rules)
    rule_rows = []
    for rule in rules:
        symbols = [sym.name for sym in rule.expansion]
        released = sum(s in nesting for s in symbols)
        rule_rows.append([str(rule.alias or rule.origin.name), len(symbols), rule.origin.name, released])
    states: dict[str, dict[str, list[Any]]] = {}
    for state, actions in table.states.items():
        states[str(state)] = {
            symbol: [True, arg] if action.name == "Shift" else [False, rules.index(arg)]
            for symbol, (action, arg) in actions.items()
        }
    return {
        "grammar_sha256": hashlib.sha256(grammar.encode("utf-8")).hexdigest(),
        "identifier": identifier,
        "nesting": list(nesting),
        "start_state": table.start_states["start"],
        "end_state": table.end_states["start"],
        "keywords": keywords,
        "ignore": sorted(lark_parser.lexer_conf.ignore),
        "lexer": groups,
        "rules": rule_rows,
        "states": states,
    }


def load_table_data(name: str = "condition") -> dict[str, Any]:
    """The tables of grammar `name`: the stored file when it matches the grammar, else built now."""
    grammar = grammar_text(name)
    digest = hashlib.sha256(grammar.encode("utf-8")).hexdigest()
    try:
        with open(os.path.join(TABLES_DIR, f"{name}.json"), encoding="utf-8") as file:
            data: dict[str, Any] = json.loads(file.read())
    except (OSError, ValueError):
        data = {}
    if data.get("grammar_sha256") != digest:
        data = build_table_data(grammar)
    return data


def write_tables(name: str = "condition") -> Path:
    """Build the tables of grammar `name` and store them (a maintenance step)."""
    data = build_table_data(grammar_text(name))
    os.makedirs(TABLES_DIR, exist_ok=True)
    path = tables_path(name)
    path.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    return path


END = "_END"
"""The lexer's name for the end of the text; the table's rows hold it beside Lark's `$END`."""

Action = tuple[bool, Any]
"""`(True, next_state)` to shift, `(False, (builder, size, origin, released))` to reduce."""


SHIFT_NESTING = 1
SHIFT_COMMA = 2
UNIT = 3
REDUCE = 4


class Tables:
    """The LALR table, the lexer and the per-rule builders of one grammar, ready to drive.

    `builders` maps a rule alias to its callback; a rule without one must be a unit rule
    (one symbol), which only changes the state.
    """

    def __init__(self, data: Mapping[str, Any], builders: Mapping[str, Callable[..., Any]]) -> None:
        self.start_state: int = data["start_state"]
        self.end_state: int = data["end_state"]
        # A catch-all group makes every position produce a match, so errors are seen. The
        # driver's lexer also has an empty match at the very end: the `$END` token (spelled
        # `_END`, a group name), so its loop needs no second pass for the end.
        pattern = "|".join(f"(?P<{name}>{regexp})" for name, regexp in data["lexer"]) + r"|(?P<_ERROR>.)"
        self.lexer = re.compile(pattern, re.DOTALL)
        self.patterns: dict[str, str] = dict(data["lexer"])
        self.keywords: dict[str, str] = dict(data["keywords"])
        self.ignore = frozenset(data["ignore"])
        # The driver's lexer takes what the grammar ignores (spaces) after each token in the
        # same match, possessively, so that the loop sees tokens only; `first_token` skips it
        # at the start of the text. Each alternative ends in an empty group that says which
        # terminal matched (the match's `lastindex`) and where the token ends (the group's
        # start); a group around each alternative would keep the engine from rejecting an
        # alternative by its first character, and the lexer runs about half as long so.
        ignored = "|".join(f"(?:{self.patterns[name]})" for name in sorted(self.ignore))
        tail = f"(?:{ignored})*+" if ignored else ""
        kept = [(name, regexp) for name, regexp in data["lexer"] if name not in self.ignore]
        alternatives = "|".join(f"(?:{regexp})(?P<{name}>)" for name, regexp in kept)
        alternatives += f"|.(?P<_ERROR>)|\\Z(?P<{END}>)"
        self.driver_lexer = re.compile(f"(?:{alternatives}){tail}", re.DOTALL)
        self._skip = re.compile(tail, re.DOTALL)
        # Group number -> terminal (a regexp's own groups, none in the grammars, have none).
        group_kinds = [""] * (self.driver_lexer.groups + 1)
        for name, index in self.driver_lexer.groupindex.items():
            group_kinds[index] = name
        self.group_kinds = tuple(group_kinds)
        self.identifier: str = data.get("identifier", "FIELD")
        self.nesting = frozenset(data.get("nesting", ("LPAR", "NOT")))

        rules: list[tuple[Callable[..., Any] | None, int, str, int]] = []
        for name, size, origin, released in data["rules"]:
            builder = builders.get(name)
            if builder is None and size != 1:  # pragma: no cover - grammar drift
                raise RuntimeError(f"no builder for grammar rule {name!r}")
            rules.append((builder, size, origin, released))

        # states[state][symbol] = (is_shift, next_state | rule)
        self.states: dict[int, dict[str, Action]] = {
            int(state): {
                symbol: (True, arg) if is_shift else (False, rules[arg]) for symbol, (is_shift, arg) in actions.items()
            }
            for state, actions in data["states"].items()
        }
        for row in self.states.values():
            if "$END" in row:
                row[END] = row["$END"]

        # The driver's own encoding of the same table, by state number: a plain shift (and a
        # goto) is the next state, an `int`; the rest are tuples tagged by their first item:
        # a shift that opens a nesting level (`SHIFT_NESTING`) or counts a list value
        # (`SHIFT_COMMA`), a reduction with a builder (`REDUCE`), and a unit rule without one
        # (`UNIT`), which only replaces the top state. Unit rules come in chains (`value` ->
        # `primary` -> `unary` -> `expr`) that end in the same state for the same state below
        # and lookahead, so a `UNIT` action holds that end state and the action there by state
        # below, filled in on first use (`unit_goto`).
        count = max(self.states) + 1
        self.actions: list[dict[str, Any]] = [{} for _ in range(count)]
        for state, row in self.states.items():
            out = self.actions[state]
            for symbol, (is_shift, arg) in row.items():
                if is_shift and symbol in self.nesting:
                    out[symbol] = (SHIFT_NESTING, arg)
                elif is_shift:
                    out[symbol] = (SHIFT_COMMA, arg) if symbol == "COMMA" else arg
                elif arg[0] is None:
                    out[symbol] = (UNIT, {}, arg[2])
                else:
                    out[symbol] = (REDUCE, *arg)

    def first_token(self, text: str) -> int:
        """Where the first token of `text` starts (after what the grammar ignores)."""
        match = self._skip.match(text)
        return match.end() if match is not None else 0

    def unit_goto(self, below: int, top: int, kind: str) -> tuple[int, Any]:
        """The top state after the chain of unit rules that `kind` calls for in state `top`
        over state `below`, and the action there (stored in the `UNIT` action for the next time)."""
        actions = self.actions
        action = first = actions[top][kind]
        state = top
        while isinstance(action, tuple) and action[0] == UNIT:
            state = actions[below][action[2]]
            action = actions[state].get(kind)
        first[1][below] = after = (state, action)
        return after

    def kind(self, name: str | None, raw: str) -> str:
        """The terminal a lexer match stands for: an identifier that spells a keyword is the keyword."""
        assert name is not None
        if name == self.identifier:
            return self.keywords.get(raw.lower(), name)
        return name


def _main(argv: list[str]) -> None:  # pragma: no cover - a maintenance command
    for name in argv or grammar_names():
        path = write_tables(name)
        print(f"wrote {path} for grammar {name}")


if __name__ == "__main__":  # pragma: no cover
    import sys

    _main(sys.argv[1:])

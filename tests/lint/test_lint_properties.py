"""Property tests: the linter never crashes, its fixes hold, LIKE conversions keep meaning."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from cwa_query import ast, escape_like, lint, parse
from cwa_query.linter.convert import like_pattern

FRAGMENTS = [
    "Status", "status", "ComputerNme", "TotalMemory", "LastContact", "Name", "ClientID", "IsMaster", "Client.Id",
    "OpenPortsTCP", "LastHeartbeat", " = ", "==", " != ", " <> ", " < ", " >= ", " like ", " not like ", " contains ",
    " startswith ", " in ", " not in ", " eq ", " and ", " or ", " && ", " || ", "not ", "(", ")", ", ",
    "'Online'", "'Onlien'", '"Offline"', "'4096'", "4096", "1.5", "true", "2024-02-14", "'2024-02-14'", "'x%'",
    "'%DC%'", "'A_B%'", "Online", "O'Brien'", "\u2018x\u2019", "`x`", "'", "\n",
]

conditions = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), min_size=1, max_size=12).map("".join)
dialects = st.sampled_from(["seed", "automate"])
endpoints = st.sampled_from([None, "Computers"])


@given(conditions, dialects, endpoints)
def test_lint_never_crashes_and_every_fix_holds(text: str, dialect: str, endpoint: str | None) -> None:
    found = lint(text, dialect=dialect, endpoint=endpoint)
    lines = text.split("\n")
    for d in found:
        assert d.severity in ("error", "warning")
        assert 1 <= d.line <= d.end_line <= len(lines) + 1
        assert d.column >= 1 and d.end_column >= 1
        if d.fix is None:
            continue
        parse(d.fix)
        after = lint(d.fix, dialect=dialect, endpoint=endpoint)
        assert sum(x.code == d.code for x in after) < sum(x.code == d.code for x in found)


def like_matches(pattern: str, subject: str) -> bool:
    """MySQL LIKE: % any run, _ one character, backslash escapes; ASCII-case-insensitive."""
    out = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            out.append(re.escape(pattern[index + 1]))
            index += 2
            continue
        out.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        index += 1
    return re.fullmatch("".join(out), subject, re.DOTALL | re.IGNORECASE) is not None


def op_matches(op: ast.Op, value: str, subject: str) -> bool:
    value, subject = value.lower(), subject.lower()
    return {
        ast.Op.EQ: subject == value,
        ast.Op.STARTSWITH: subject.startswith(value),
        ast.Op.ENDSWITH: subject.endswith(value),
        ast.Op.CONTAINS: value in subject,
    }[op]


alphabet = st.sampled_from(list("ab%_\\'x"))
texts = st.text(alphabet, max_size=6)


@given(texts, st.booleans(), st.booleans())
def test_escaped_values_convert_back_exactly(value: str, leading: bool, trailing: bool) -> None:
    pattern = ("%" if leading else "") + escape_like(value) + ("%" if trailing else "")
    meaning = like_pattern(pattern)
    if not value:
        assert meaning is None
        return
    expected = {
        (True, True): ast.Op.CONTAINS,
        (False, True): ast.Op.STARTSWITH,
        (True, False): ast.Op.ENDSWITH,
        (False, False): ast.Op.EQ,
    }[(leading, trailing)]
    assert meaning == (expected, value)


@given(texts, st.lists(texts, min_size=1, max_size=8))
def test_a_converted_pattern_matches_what_like_matches(pattern: str, subjects: list[str]) -> None:
    meaning = like_pattern(pattern)
    if meaning is None:
        return
    op, value = meaning
    for subject in [*subjects, value, value + "x", "x" + value]:
        assert op_matches(op, value, subject) == like_matches(pattern, subject), (pattern, subject)

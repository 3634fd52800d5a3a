"""Long inputs: positions found by search, long lines cut in the text output (the costs stay
linear: bench/lint.py shows the times)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cwa_query import lint
from cwa_query.linter import MAX_CHECKED_FIXES, _Lines
from cwa_query.linter.formats import EXCERPT, format_text


def _counted(text: str, offset: int) -> tuple[int, int]:
    """Line and column counted from the start of the text: what _Lines must agree with."""
    if offset > len(text):
        return text.count("\n") + 1, offset - (text.rfind("\n") + 1) + 1
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


@given(st.text(alphabet="ab\n\r", max_size=40), st.data())
def test_positions_agree_with_counting_from_the_start(text: str, data: st.DataObject) -> None:
    lines = _Lines(text)
    for offset in data.draw(st.lists(st.integers(0, len(text) + 3), max_size=10)):
        assert lines.position(offset) == _counted(text, offset)


def test_findings_on_later_lines_of_a_long_condition() -> None:
    text = "\nand ".join(["Status = 'Online'"] * 2000 + ["Nmae = 'x'"])
    (finding,) = lint(text, endpoint="Computers", select=["unknown-field"])
    assert (finding.name, finding.line, finding.column) == ("unknown-field", 2001, 5)


def test_text_output_cuts_a_long_line_around_each_finding() -> None:
    text = " and ".join(["Status = 'Online'"] * 500 + ["Nmae = 'x'"] + ["Status = 'Online'"] * 500)
    out = format_text([(text, lint(text, endpoint="Computers", select=["unknown-field"]))]).splitlines()
    _, shown, carets, *_ = out
    assert len(shown) <= 2 + EXCERPT + 6  # the indent, the excerpt, '...' at both ends
    assert shown.startswith("  ...") and shown.endswith("...")
    column = carets.index("^")
    assert shown[column : column + 4] == "Nmae" and carets.strip() == "^^^^"


def test_short_lines_are_shown_whole() -> None:
    out = format_text([("Nmae = 'x'", lint("Nmae = 'x'", endpoint="Computers"))]).splitlines()
    assert out[1:3] == ["  Nmae = 'x'", "  ^^^^"]


def test_fixes_of_many_findings_are_built_only_for_the_checked_ones() -> None:
    text = " and ".join(["Status = 'Onlien'"] * 200)
    found = lint(text, dialect="seed", endpoint="Computers", select=["unknown-value"])
    assert len(found) == 200
    fixed = [d for d in found if d.fix is not None]
    assert len(fixed) == MAX_CHECKED_FIXES  # the first ones, checked; the rest unchecked, not offered
    for d in fixed:  # each fix is the whole text with this finding's value corrected, and nothing else
        start = d.column - 1
        assert d.fix == text[:start] + "'Online'" + text[start + len("'Onlien'") :]

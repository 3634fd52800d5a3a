"""The 2,000-condition benchmark corpus as a test: every condition parses, and rendering is
canonical (render -> parse gives the same tree; rendering twice changes nothing)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cwa_query import UnrepresentableConditionError, parse, render

CORPUS = Path(__file__).resolve().parents[2] / "bench" / "data" / "conditions-corpus.jsonl"


def _corpus() -> list[str]:
    return [json.loads(line)["cw"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


# The round trip of the text, not of the meaning: the corpus's fields are of no one catalogue,
# so automate's `not (a < 1)` as `a >= 1` warns (a list would differ); tests/translate checks it.
@pytest.mark.filterwarnings("ignore::cwa_query.errors.TranslationWarning")
def test_corpus_round_trips_in_both_dialects() -> None:
    texts = _corpus()
    assert len(texts) == 2000
    unrepresentable = 0
    for text in texts:
        tree = parse(text)
        seed = render(tree, "seed")
        assert parse(seed) == tree, text
        assert render(parse(seed), "seed") == seed
        try:
            automate = render(tree, "automate")
        except UnrepresentableConditionError:
            unrepresentable += 1
            continue
        assert render(parse(automate), "automate") == automate
        assert "startswith" not in automate and "endswith" not in automate
    # The corpus has a handful of strings with both quote kinds; no more than that.
    assert unrepresentable < 20


@pytest.mark.parametrize("text", _corpus()[:50])
def test_corpus_canonical_form_is_stable(text: str) -> None:
    once = render(parse(text), "seed")  # the shared tree as written
    assert render(once, "seed") == once

"""The OData ABNF test suite's $filter cases: how many cwa_query and odata-query agree with.

    bench/.venv/bin/python bench/odata_conformance.py

Reads the 187 `filter` / `boolCommonExpr` / `commonExpr` cases the tests copy
(tests/parse/data/odata_abnf_testcases.json), percent-decodes each input, and counts
the valid ones each parser accepts and the invalid ones it rejects. odata-query reads
`$filter` values only, so for the `filter` rule both get the value after `$filter=`
(cwa_query's own test also checks the option syntax with parse_filter_option).
"""

from __future__ import annotations

import json
import sys
import urllib.parse
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main() -> None:
    from cwa_query.odata import parse_expression

    data = json.loads((HERE.parent / "tests" / "parse" / "data" / "odata_abnf_testcases.json").read_text("utf-8"))
    cases = data["cases"]
    parsers: dict[str, Callable[[str], object]] = {"cwa_query": parse_expression}
    try:
        from odata_query.grammar import ODataLexer, ODataParser
    except ImportError:
        print("odata-query is not installed here: its column is skipped (see bench/parse.py)")
    else:
        lexer, peer = ODataLexer(), ODataParser()
        parsers["odata-query"] = lambda text: peer.parse(lexer.tokenize(text))
    valid = [c for c in cases if "fail_at" not in c]
    invalid = [c for c in cases if "fail_at" in c]
    print(f"{len(cases)} cases: {len(valid)} valid, {len(invalid)} invalid")
    for name, parse in parsers.items():
        accepted = rejected = 0
        for case in cases:
            text = urllib.parse.unquote(case["input"])
            if case["rule"] == "filter":
                if not text.startswith(("$filter=", "filter=")) or text.split("=", 1)[1][:1].isspace():
                    ok = False  # the option's own syntax (no space around '=')
                else:
                    text = text.split("=", 1)[1]
                    ok = None
            else:
                ok = None
            if ok is None:
                try:
                    parse(text)
                    ok = True
                except Exception:  # any refusal counts as a rejection
                    ok = False
            if "fail_at" in case:
                rejected += not ok
            else:
                accepted += ok
        print(f"{name:<12} accepts {accepted}/{len(valid)} valid, rejects {rejected}/{len(invalid)} invalid")


if __name__ == "__main__":
    main()

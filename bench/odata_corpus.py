"""Write bench/data/odata-corpus.jsonl: 1,000 OData `$filter` values for bench/parse.py.

    python bench/odata_corpus.py

Deterministic (seeded). The filters are the shapes real clients send: comparisons of
properties and navigation paths with strings, numbers, dates, date-times, booleans, GUIDs
and null; `and`/`or`/`not` and parentheses; `contains`/`startswith`/`endswith`/`tolower`;
`in` lists; `any` lambdas; a little arithmetic. Each line is `{"filter": ...}`. A filter is
kept only if cwa_query and plain Lark (both grammars) parse it and, when the `odata-query` package is
installed (bench/.venv), odata-query parses it too, so every parser times the same work.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

NAMES = ["Name", "Status", "ComputerName", "Client/Name", "Location/Id", "Company/Identifier", "OS", "Domain",
         "LastContact", "Price", "Quantity", "Id", "IsActive", "Priority", "Summary", "Owner/Email"]  # fmt: skip
WORDS = ["Online", "Offline", "SRV", "acme", "O''Brien", "Windows 10", "Main Office", "DC01", "x"]


def _value(rng: random.Random, name: str) -> str:
    if name in ("Price", "Quantity", "Id", "Location/Id", "Priority"):
        return rng.choice([str(rng.randint(-5, 5000)), f"{rng.uniform(0, 999):.2f}"])
    if name == "LastContact":
        return rng.choice(["2024-01-15", "2023-12-31T23:59:59Z", "2024-06-01T08:30:00+02:00"])
    if name == "IsActive":
        return rng.choice(["true", "false"])
    if rng.random() < 0.05:
        return "null"
    return "'" + rng.choice(WORDS) + "'"


def _leaf(rng: random.Random) -> str:
    name = rng.choice(NAMES)
    kind = rng.random()
    if kind < 0.45:
        return f"{name} {rng.choice(['eq', 'ne', 'gt', 'ge', 'lt', 'le'])} {_value(rng, name)}"
    if kind < 0.65:
        fn = rng.choice(["contains", "startswith", "endswith"])
        subject = f"tolower({name})" if rng.random() < 0.3 else name
        return f"{fn}({subject},'{rng.choice(WORDS).lower()}')"
    if kind < 0.8:
        values = ",".join(_value(rng, name) for _ in range(rng.randint(1, 6)))
        return f"{name} in ({values})"
    if kind < 0.9:
        return f"Tags/any(t: t eq '{rng.choice(WORDS)}')"
    return f"{rng.choice(['Price', 'Quantity'])} {rng.choice(['add', 'sub', 'mul'])} {rng.randint(1, 9)} gt 10"


def _filter(rng: random.Random, depth: int = 0) -> str:
    if depth > 2 or rng.random() < 0.35:
        return _leaf(rng)
    op = rng.choice([" and ", " or "])
    items = [_filter(rng, depth + 1) for _ in range(rng.randint(2, 4))]
    text = op.join(f"({item})" if " or " in item and op == " and " else item for item in items)
    if rng.random() < 0.15:
        text = f"not ({text})"
    return text


def main() -> None:
    import lark

    from cwa_query.dialects.odata import parse_odata
    from cwa_query.language._odata import odata_grammar_text

    baseline = lark.Lark((HERE / "data" / "odata-baseline.lark").read_text(encoding="utf-8"), parser="lalr")
    same_grammar = lark.Lark(odata_grammar_text(), parser="lalr")
    try:
        from odata_query.grammar import ODataLexer, ODataParser

        peer = (ODataLexer(), ODataParser())
    except ImportError:
        peer = None
        print("odata-query is not installed: the corpus is not checked against it", file=sys.stderr)
    rng = random.Random(2026)
    kept: list[str] = []
    while len(kept) < 1000:
        text = _filter(rng)
        parse_odata(text)
        baseline.parse(text)
        same_grammar.parse(text)
        if peer is not None:
            try:
                peer[1].parse(peer[0].tokenize(text))
            except Exception:  # a filter the peer cannot read is left out
                continue
        kept.append(text)
    out = HERE / "data" / "odata-corpus.jsonl"
    out.write_text("".join(json.dumps({"filter": text}) + "\n" for text in kept), encoding="utf-8")
    print(f"wrote {len(kept)} filters to {out}")


if __name__ == "__main__":
    main()

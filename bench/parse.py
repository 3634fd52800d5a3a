"""Parse speed: cwa_query.parse beside a plain Lark LALR parse, in one run.

    python bench/parse.py [--rounds N]

Prints the median microseconds per condition of each parser over the corpus
(bench/data/conditions-corpus.jsonl, 2,000 conditions), measured interleaved in the
same process, and their ratio (target: cwa_query / lark <= 0.60). cwa_query keeps no
parse cache, so every parse is of uncached input. Also prints the import and
first-parse time of a fresh interpreter, beside `import lark` alone.

Then the same for OData `$filter` (bench/data/odata-corpus.jsonl, 1,000 filters, made by
bench/odata_corpus.py): cwa_query's OData parser (the whole OData tree) beside plain Lark
LALR with a plain grammar for the language (bench/data/odata-baseline.lark: one rule per
precedence level), beside plain Lark running cwa_query's own grammar file
(grammar/odata.lark, whose flat operator list also helps Lark), and beside the
`odata-query` package (target: cwa_query / lark baseline <= 0.60). odata-query is not a dependency of cwa_query: install
it in the bench's own environment, `python3 -m venv bench/.venv && bench/.venv/bin/pip
install -e . odata-query`, and run `bench/.venv/bin/python bench/parse.py`; without it
its column is skipped with a message.

Then ConnectWise Manage `conditions`: the condition corpus written as Manage text (those
conditions Manage can say), cwa_query's manage parse (the same driver, its second grammar)
beside plain Lark LALR on grammar/manage.lark itself.
"""

from __future__ import annotations

import argparse
import compileall
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def load_corpus() -> list[str]:
    lines = (HERE / "data" / "conditions-corpus.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["cw"] for line in lines if line.strip()]


def per_item_median(fn, corpus: list[str], rounds: int) -> float:  # type: ignore[no-untyped-def]
    """Median over rounds of the mean microseconds per condition."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for text in corpus:
            fn(text)
        samples.append((time.perf_counter() - start) / len(corpus) * 1e6)
    return statistics.median(samples)


def cold_start(code: str, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=HERE.parent)
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    import lark

    import cwa_query

    corpus = load_corpus()
    baseline = lark.Lark((HERE / "data" / "baseline.lark").read_text(encoding="utf-8"), parser="lalr")
    # Every corpus string must parse with both, or the comparison means nothing.
    for text in corpus:
        baseline.parse(text)
        cwa_query.parse(text)

    ours_samples, lark_samples = [], []
    for _ in range(args.rounds):  # interleaved, so both see the same machine noise
        ours_samples.append(per_item_median(cwa_query.parse, corpus, 1))
        lark_samples.append(per_item_median(baseline.parse, corpus, 1))
    ours = statistics.median(ours_samples)
    base = statistics.median(lark_samples)
    print(f"corpus: {len(corpus)} conditions, {args.rounds} interleaved rounds")
    print(f"{'parser':<34}{'us/condition':>14}")
    print(f"{'plain Lark LALR (baseline.lark)':<34}{base:>14.1f}")
    print(f"{'cwa_query.parse':<34}{ours:>14.1f}")
    print(f"ratio cwa_query / lark: {ours / base:.2f}   (target <= 0.60)")

    odata_bench(args.rounds)
    odata_entry_bench(corpus, baseline, args.rounds)
    manage_bench(corpus, args.rounds)

    # Installed packages (lark) come with compiled bytecode; make sure ours has it too,
    # even where PYTHONDONTWRITEBYTECODE is set, so the cold starts compare like with like.
    compileall.compile_dir(str(HERE.parent / "cwa_query"), quiet=1)
    lark_only = cold_start("import lark")
    ours_cold = cold_start("import cwa_query; cwa_query.parse(\"Status = 'Online'\")")
    bare = cold_start("pass")
    print()
    print(f"{'cold start (median of 7 processes)':<44}{'ms':>8}")
    print(f"{'python -c pass':<44}{bare:>8.1f}")
    print(f"{'python -c import lark':<44}{lark_only:>8.1f}")
    print(f"{'import cwa_query + first parse':<44}{ours_cold:>8.1f}")


def odata_bench(rounds: int) -> None:
    """OData `$filter`: cwa_query beside plain Lark on the same grammar and beside odata-query."""
    import warnings

    import lark

    from cwa_query.dialects.odata import parse_odata
    from cwa_query.language._odata import odata_grammar_text

    lines = (HERE / "data" / "odata-corpus.jsonl").read_text(encoding="utf-8").splitlines()
    corpus = [json.loads(line)["filter"] for line in lines if line.strip()]
    baseline = lark.Lark((HERE / "data" / "odata-baseline.lark").read_text(encoding="utf-8"), parser="lalr")
    same_grammar = lark.Lark(odata_grammar_text(), parser="lalr")
    parsers = {
        "plain Lark (odata-baseline.lark)": baseline.parse,
        "plain Lark (grammar/odata.lark)": same_grammar.parse,
        "cwa_query OData parse": parse_odata,
        "cwa_query parse(dialect=odata)": _odata_entry_point(),
    }
    try:
        from odata_query.grammar import ODataLexer, ODataParser
    except ImportError:
        print(
            "\nodata-query is not installed here: its column is skipped "
            "(install it in bench/.venv, see this script's docstring)"
        )
    else:
        lexer, peer = ODataLexer(), ODataParser()
        parsers["odata-query (ODataParser)"] = lambda text: peer.parse(lexer.tokenize(text))
    for parse in parsers.values():  # every filter must parse with every parser
        for text in corpus:
            parse(text)
    samples: dict[str, list[float]] = {name: [] for name in parsers}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(rounds):  # interleaved
            for name, parse in parsers.items():
                samples[name].append(per_item_median(parse, corpus, 1))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    base = medians["plain Lark (odata-baseline.lark)"]
    print()
    print(f"OData corpus: {len(corpus)} filters, {rounds} interleaved rounds")
    print(f"{'parser':<34}{'us/filter':>14}{'ratio to baseline':>20}")
    for name, value in medians.items():
        print(f"{name:<34}{value:>14.1f}{value / base:>20.2f}")
    ours = medians["cwa_query OData parse"]
    print(f"ratio cwa_query / lark baseline: {ours / base:.2f}   (target <= 0.60)")
    print(f"ratio cwa_query / lark on grammar/odata.lark: {ours / medians['plain Lark (grammar/odata.lark)']:.2f}")


def _odata_entry_point():  # type: ignore[no-untyped-def]
    """`cwa_query.parse(text, dialect="odata")`, the one tree with meanings. (It warns about
    nothing: what has no exact shared form is kept as an `ast.Expression`. The benches that
    call it run inside `warnings.catch_warnings()` all the same, once, not per filter: the
    context manager alone took about 4 us a call, more than a tenth of a short filter.)"""
    import functools

    from cwa_query import parse

    return functools.partial(parse, dialect="odata")


def load_odata_pairs() -> list[tuple[str, str]]:
    """(condition form, OData form) of every line of the corpus: its own `cw` and `odata` keys."""
    lines = (HERE / "data" / "conditions-corpus.jsonl").read_text(encoding="utf-8").splitlines()
    return [(row["cw"], row["odata"]) for row in map(json.loads, filter(str.strip, lines))]


def odata_entry_bench(conditions: list[str], baseline, rounds: int) -> None:  # type: ignore[no-untyped-def]
    """The corpus's own OData form of each of its 2,000 filters (its `odata` key), through
    `parse(text, dialect="odata")`, beside plain Lark on the same filters in condition-language
    form (its `cw` key) with bench/data/baseline.lark (target <= 0.60)."""
    import warnings

    pairs = load_odata_pairs()
    entry = _odata_entry_point()
    plain = [text for text, _ in pairs]
    filters = [odata for _, odata in pairs]
    for odata in filters:
        entry(odata)
    ours_samples, lark_samples = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(rounds):  # interleaved
            ours_samples.append(per_item_median(entry, filters, 1))
            lark_samples.append(per_item_median(baseline.parse, plain, 1))
    ours, base = statistics.median(ours_samples), statistics.median(lark_samples)
    print()
    print(f"Condition corpus as OData: {len(pairs)} of {len(conditions)} conditions, {rounds} rounds")
    print(f"{'parser':<44}{'us/condition':>14}")
    print(f"{'plain Lark (baseline.lark, condition form)':<44}{base:>14.1f}")
    print(f"{'cwa_query parse(dialect=odata), OData form':<44}{ours:>14.1f}")
    print(f"ratio cwa_query / lark: {ours / base:.2f}   (target <= 0.60)")


def manage_bench(conditions: list[str], rounds: int) -> None:
    """Manage `conditions`: cwa_query's manage parse beside plain Lark on grammar/manage.lark."""
    import functools
    import warnings

    import lark

    from cwa_query import UnrepresentableConditionError, parse, render
    from cwa_query.language._lalr import grammar_text

    corpus = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for text in conditions:
            try:
                corpus.append(render(parse(text), "manage"))
            except UnrepresentableConditionError:
                continue
    same_grammar = lark.Lark(grammar_text("manage"), parser="lalr")
    ours_parse = functools.partial(parse, dialect="manage")
    for text in corpus:  # every condition must parse with both
        same_grammar.parse(text)
        ours_parse(text)
    ours_samples, lark_samples = [], []
    for _ in range(rounds):  # interleaved
        ours_samples.append(per_item_median(ours_parse, corpus, 1))
        lark_samples.append(per_item_median(same_grammar.parse, corpus, 1))
    ours, base = statistics.median(ours_samples), statistics.median(lark_samples)
    print()
    print(f"Manage corpus: {len(corpus)} of {len(conditions)} conditions written as Manage text, {rounds} rounds")
    print(f"{'parser':<34}{'us/condition':>14}")
    print(f"{'plain Lark (grammar/manage.lark)':<34}{base:>14.1f}")
    print(f"{'cwa_query manage parse':<34}{ours:>14.1f}")
    print(f"ratio cwa_query / lark: {ours / base:.2f}")


if __name__ == "__main__":
    main()

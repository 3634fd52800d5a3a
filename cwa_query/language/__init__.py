"""The condition language: grammar driver, syntax tree, rendering, builder, evaluation and SQL.

The public names are re-exported from `cwa_query`; this wing holds no I/O.
"""

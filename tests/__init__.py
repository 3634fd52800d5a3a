"""The test suite, grouped by capability (parse, render, translate, evaluate, sql, lint,
client, sandbox, cli, mcp, ...), whatever the dialect."""

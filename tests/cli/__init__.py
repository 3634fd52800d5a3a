"""Tests of the command line (cwa_query.cli) across its subcommands."""

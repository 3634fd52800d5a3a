"""Tests of `to_sql`: SQLite selects what `evaluate` accepts."""

"""Tests of evaluating conditions on records, with each dialect's meaning."""

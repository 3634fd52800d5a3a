"""Tests of writing trees as text in every dialect, and of the round trips through that text."""

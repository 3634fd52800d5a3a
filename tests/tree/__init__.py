"""Tests of the one condition tree: its node classes and building it from Python (`F`)."""

"""Tests of hostile input through every capability: bounded, and the project's own typed errors."""

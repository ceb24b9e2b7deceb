"""Tests with no subprocess, no build and no external checker: they run in seconds."""

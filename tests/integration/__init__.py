"""Tests that build guides, start the command line or run the real checkers."""

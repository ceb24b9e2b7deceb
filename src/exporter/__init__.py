"""Compile a certification study guide (YAML) into an Anki deck, a cheat sheet and an EPUB book."""

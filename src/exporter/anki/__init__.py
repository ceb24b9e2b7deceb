"""The Anki exporter: note types, the plan of every note, releases, inert text, the package."""

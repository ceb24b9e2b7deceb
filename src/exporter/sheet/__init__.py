"""The cheat-sheet exporter: ranking, the fill, templates, the layout check."""

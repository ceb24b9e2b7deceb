"""The exporters' templates, shipped inside the package as `exporter.templates`
(read with importlib.resources; see `exporter.output.TEMPLATES_DIR`)."""

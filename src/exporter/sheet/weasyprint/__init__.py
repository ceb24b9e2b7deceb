"""The only code that knows WeasyPrint's internals, and the vendored column layout."""

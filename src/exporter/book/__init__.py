"""The EPUB exporter: pages, cover, the ebooklib writer."""

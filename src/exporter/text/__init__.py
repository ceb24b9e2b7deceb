"""Text for every format: labels and locale, direction, which fonts draw which characters."""

"""Running a build: the exporter registry, workers, signals, staged writes and the clock."""

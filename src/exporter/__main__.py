from exporter.cli.entry import command  # first: the signal handlers come before any heavy import

raise SystemExit(command())

"""The console command `studyguide` and `python -m exporter`: the signal handlers
come first (`build/signals.py`, standard library only), the command line's heavy
imports after them, so a Ctrl-C at any moment unwinds the same way."""

from __future__ import annotations

from exporter.build import signals


def command() -> int:
    return signals.run_stoppable(_main)


def _main() -> int:
    from exporter.cli.main import main

    return main()

"""The console command `studyguide` and `python -m exporter`: the signal handlers
come first (`build/signals.py`, standard library only), the command line's heavy
imports after them, so a Ctrl-C at any moment unwinds the same way."""

from __future__ import annotations

import gc

from exporter.build import signals

# A command makes many objects that live until it ends (the model) or die young by
# reference counting (layout boxes); the cycle collector, run every 700 allocations
# by default, mostly walks the former. Run less often, it saves some 3% of a build's
# CPU time and changes no byte.
COLLECTOR_THRESHOLDS = (100_000, 50, 100)


def command() -> int:
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    return signals.run_stoppable(_main)


def _main() -> int:
    from exporter.cli.main import main

    return main()

"""`studyguide lint`: item-writing and coverage checks on a loaded guide.

The rules read only the typed model (and, to point at lines, the field
positions the loader gives). Each rule has an id, a name, a one-line reason
the learner is hurt, and thresholds in `LintThresholds` (model/guide.py), which a
guide tunes under `lint: thresholds:`; `lint: exceptions:` switches a rule off
for listed items, each with a reason.
"""

from __future__ import annotations

from exporter.lint import answers, coverage, figures, form  # noqa: F401  (they register their rules)
from exporter.lint.core import RULES, Finding, Rule, run

__all__ = ["RULES", "Finding", "Rule", "run"]

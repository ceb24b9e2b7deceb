"""`studyguide release SOURCE`: record a release in the ledger and say what changed.

The author edits the source, bumps `version:` and `updated:`, and runs this.
It compares the notes the source makes with the ledger's last state, prints
the notes added, changed (with a short word-level diff) and retired, and
appends the release to `sources/<id>.releases.json`. It refuses, writing
nothing and exiting 1, when the version or the date was not bumped, when the
version goes backwards, or when an id now names something other than what
learners have under it (ids are never reused). See `releases/ledgers.py`.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from exporter.anki.plan import current_notes
from exporter.build.output import atomic_output
from exporter.model.clock import future_date_problem
from exporter.model.guide import Guide
from exporter.model.problems import FieldProblem
from exporter.model.walk import items
from exporter.releases import ledgers
from exporter.source.loader import Problem, SourceMap
from exporter.text.characters import unfit_character_problem


def run(guide: Guide, source_map: SourceMap, source: Path, reason_args: list[str], summary: str | None,
        dry_run: bool) -> int:
    ledger = guide.ledger
    notes = [note.content() for note in current_notes(guide).notes]
    changes = ledgers.pending_changes(ledger, notes)
    locate = _Locator(source_map, guide)
    problems = _refusals(guide, ledger, notes, locate)
    reasons, reason_problems = _reasons(reason_args, changes, str(source))
    problems += reason_problems
    if summary is not None and (problem := unfit_character_problem(summary)):
        problems.append(Problem(str(source), 0, 0, "--summary", problem))
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print("release refused; nothing was written.", file=sys.stderr)
        return 1
    updated = ledgers.format_updated(guide.updated)
    recorded = ledgers.record(ledger, guide.id, guide.version, updated, changes, reasons, summary)
    _report(guide, ledger, updated, changes, reasons)
    path = ledgers.ledger_path(source)
    if dry_run:
        print(f"dry run: {path} was not written.")
        return 0
    with atomic_output(path) as temp:
        temp.write_text(recorded.to_json(), encoding="utf-8")
    print(f"recorded in {path}; now build and publish the artifacts.")
    return 0


def _refusals(guide: Guide, ledger: ledgers.Ledger | None, notes: list[ledgers.Note],
              locate: _Locator) -> list[Problem]:
    problems = []
    latest = ledger.latest if ledger else None
    if latest is not None:
        new, old = ledgers.version_key(guide.version), ledgers.version_key(latest.version)
        if new == old:
            problems.append(locate.key("version", f"{guide.version} is the version of the last release "
                                                  f"({latest.updated}); bump `version:` for a new release"))
        elif new < old:
            problems.append(locate.key("version", f"{guide.version} is lower than {latest.version}, the last "
                                                  f"release's; versions only go forward"))
        if guide.updated_datetime <= latest.time:
            problems.append(locate.key(
                "updated", f"{ledgers.format_updated(guide.updated)} is not later than {latest.updated}, the "
                           f"date of the last release ({latest.version}); bump `updated:` (with a time of day "
                           f"for a second release on one day), or Anki keeps the old notes"))
    if problem := future_date_problem(guide.updated_datetime, dt.datetime.now(dt.timezone.utc)):
        problems.append(locate.key("updated", problem))
    for key, message in ledgers.reuse_problems(ledger, notes):
        problems.append(locate.item(key, message))
    return problems


def _reasons(arguments: list[str], changes: ledgers.Changes, name: str) -> tuple[dict[str, str], list[Problem]]:
    reasons, problems = {}, []
    for argument in arguments:
        item_id, separator, reason = argument.partition("=")
        item_id, reason = item_id.strip(), reason.strip()
        keys = [key for key in changes.retired if key == item_id or key.split("/")[-1] == item_id]
        if not separator or not reason:
            problems.append(Problem(name, 0, 0, "--reason", f"{argument!r} should be ID=TEXT"))
        elif problem := unfit_character_problem(reason):
            problems.append(Problem(name, 0, 0, "--reason", f"{item_id!r}: {problem}"))
        elif not keys:
            retired = ", ".join(sorted(changes.retired)) or "none"
            problems.append(Problem(name, 0, 0, "--reason",
                                    f"{item_id!r} is not retired by this release (retired: {retired})"))
        else:
            reasons[keys[0]] = reason
    return reasons, problems


def _report(guide: Guide, ledger: ledgers.Ledger | None, updated: str, changes: ledgers.Changes,
            reasons: dict[str, str]) -> None:
    latest = ledger.latest if ledger else None
    after = f", after {latest.version} ({latest.updated})" if latest else ", the first release"
    print(f"{guide.id} {guide.version} ({updated}){after}")
    if latest is None:
        print(f"  {len(changes.added)} notes recorded")
        return
    if changes.empty:
        print("  no note changed")
    if changes.added:
        print(f"added ({len(changes.added)}):")
        for key, note in sorted(changes.added.items()):
            print(f"  + {key} ({note.kind}): {note.entry().label}")
    if changes.changed:
        print(f"changed ({len(changes.changed)}):")
        state = ledger.state()
        for key, (old, note) in sorted(changes.changed.items()):
            restored = " (restored)" if state[key].retired else ""
            print(f"  ~ {key} ({note.kind}){restored}: {note.entry().label}")
            for line in ledgers.entry_diff(old, note.entry()):
                print(f"      {line}")
    if changes.retired:
        print(f"retired ({len(changes.retired)}):")
        for key, entry in sorted(changes.retired.items()):
            why = f" (why: {reasons[key]})" if key in reasons else ""
            print(f"  - {key} ({entry.kind}): {entry.label}{why}")


class _Locator:
    """Problems at a top-level field, or at the id of an item, through the source map."""

    def __init__(self, source_map: SourceMap, guide: Guide):
        self.source_map = source_map
        self.id_paths = {item.id: (*path, "id") for path, item in items(guide)}

    def key(self, field: str, message: str) -> Problem:
        return self.source_map.problem(FieldProblem((field,), message))

    def item(self, key: str, message: str) -> Problem:
        item_id = key.split("/")[-1]
        path = self.id_paths.get(item_id, ())
        return self.source_map.problem(FieldProblem(path, f"{item_id!r} {message}", label="" if path else "id"))

"""Command line: build, validate, lint, stats, schema, release, serve.

Exit status: 0 on success, 1 when a source has problems, a build fails or
lint has findings, 2 on bad usage. Problems are printed one per line as
`file:line:col: field: message`, never as a traceback (unless --debug).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
import json
import os
import sys
import textwrap
import time
from pathlib import Path

from exporter.build import registry, workers
from exporter.build.output import (
    build_lock,
    note_stale_release_date,
    put_in_place,
    remove_staged,
    remove_stale_temp_files,
    staged_output,
)
from exporter.model.clock import future_date_warning
from exporter.model.guide import Guide
from exporter.model.problems import GuideProblems
from exporter.source.loader import Loaded, SourceError, SourceMap, load_guide_located, load_guides
from exporter.text import i18n


def main(argv: list[str] | None = None) -> int:
    """Run one command. Ctrl-C and SIGTERM are handled around it, in `cli/entry.py`."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except SourceError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; {_what_was_written(error)}.", file=sys.stderr)
        return 1
    except ExportFailed as error:
        print(error, file=sys.stderr)
        if getattr(error, "placed", ()):
            print(f"{_what_was_written(error)}.", file=sys.stderr)
        return 1
    except Exception as error:  # a bug, not an author's mistake: say so briefly
        if getattr(args, "debug", False):
            raise
        print(f"error: {type(error).__name__}: {error} (run with --debug for the traceback)", file=sys.stderr)
        return 1


def _what_was_written(error: Exception) -> str:
    """What a build that stopped at `error` left written: the guides it had put in place before."""
    placed = getattr(error, "placed", ())  # set where the build stopped
    return f"nothing more was written ({', '.join(placed)} in place)" if placed else "nothing was written"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studyguide",
        description="Compile a study guide (YAML) into an Anki deck, a printable cheat sheet and an EPUB book.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    # Also after the command (`studyguide build --debug …`), where the error's hint puts it.
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    commands = parser.add_subparsers(required=True, metavar="COMMAND", parser_class=functools.partial(
        argparse.ArgumentParser, parents=[debug]))

    build = commands.add_parser("build", help="build artifacts from guide sources")
    build.add_argument("sources", nargs="+", type=Path, metavar="SOURCE")
    build.add_argument("--out", type=_output_folder, default=Path("dist"), help="output folder (default: dist)")
    build.add_argument(
        "--format",
        type=_formats,
        default=list(registry.EXPORTERS),
        help=f"comma-separated formats (default: {','.join(registry.EXPORTERS)})",
    )
    build.set_defaults(run=_build)

    validate = commands.add_parser("validate", help="check sources without building")
    validate.add_argument("sources", nargs="+", type=Path, metavar="SOURCE")
    validate.set_defaults(run=_validate)

    lint = commands.add_parser("lint", help="check questions and coverage for item-writing flaws")
    lint.add_argument("sources", nargs="+", type=Path, metavar="SOURCE")
    lint.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    lint.set_defaults(run=_lint)

    stats = commands.add_parser("stats", help="count items per domain")
    stats.add_argument("source", type=Path, metavar="SOURCE")
    stats.set_defaults(run=_stats)

    release = commands.add_parser(
        "release", help="record a release in the ledger beside the source and print what changed",
        description="Record the source's version as a release in sources/<id>.releases.json, after "
                    "bumping `version:` and `updated:`, and print the notes it adds, changes and retires.")
    release.add_argument("source", type=Path, metavar="SOURCE")
    release.add_argument("--reason", action="append", default=[], metavar="ID=TEXT",
                         help="why an item is retired, shown on its card (repeat for several)")
    release.add_argument("--summary", metavar="TEXT", help="a sentence on this release, for the deck and the book")
    release.add_argument("--dry-run", action="store_true", help="print what would be recorded; write nothing")
    release.set_defaults(run=_release)

    serve = commands.add_parser(
        "serve", help="preview a guide's cards, book and cheat sheet in the browser, updated on each save",
        description="Build the guide into a temporary folder and serve a live preview on 127.0.0.1 "
                    "(nothing is written into dist/); each save rebuilds it and updates the open page.")
    serve.add_argument("source", type=Path, metavar="SOURCE")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000; 0: any free one)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this computer only)")
    serve.add_argument("--open", action="store_true", help="open the page in the default browser")
    serve.set_defaults(run=_serve)

    schema = commands.add_parser("schema", help="print the JSON Schema of guide sources")
    schema.set_defaults(run=_schema)

    rules = commands.add_parser("make-rules", help="print Makefile rules for the given sources")
    rules.add_argument("sources", nargs="*", type=Path, metavar="SOURCE")
    rules.add_argument("--out", default="dist")
    rules.set_defaults(run=_make_rules)
    return parser


def _output_folder(value: str) -> Path:
    folder = Path(value)
    if folder.exists() and not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{value} exists and is not a folder")
    return folder


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0 to 65535)")
    return int(value)


def _formats(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in registry.EXPORTERS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(registry.EXPORTERS)}"
        )
    return names


def _build(args) -> int:
    loaded = _load(args.sources)
    guides = [guide for guide, _ in loaded]
    _warn_missing_catalogs(guides)
    for guide in guides:
        i18n.prepare(guide)
    with build_lock(args.out):  # a second build into the same folder waits for this one
        return _build_locked(args, loaded)


def _build_locked(args, loaded: list[Loaded]) -> int:
    guides = [guide for guide, _ in loaded]
    remove_stale_temp_files(args.out)
    # One job per artifact, all in one pool of workers. What several jobs need is
    # imported here, once, before the workers fork; the rest is imported in its job,
    # so those imports run side by side.
    jobs = registry.plan(guides, args.format)
    for load in registry.shared_imports(jobs):
        load()
    # All or nothing, guide by guide: the jobs stage their artifacts, and a guide's go
    # into place together once every one of them is complete. A failure or a stop
    # leaves each guide not yet in place with its whole previous set.
    owner = os.getpid()
    results = workers.results_of([functools.partial(_export, job, args.out, owner, args.debug) for job in jobs])
    placed: list[str] = []
    try:
        for guide in guides:
            own = [job for job in jobs if job.guide is guide]
            staged, notes, written = [], [], []
            for _ in own:
                try:
                    temp, final, elapsed, note = next(results)
                except GuideProblems as error:  # found by an exporter, named by field: located here
                    located = _source_map_of(loaded, guide).source_error(error)
                    located.placed = tuple(placed)
                    raise located from None
                staged.append((temp, final, elapsed))
                notes += [note] if note else []
                written.append(f"{final}  {_human_size(temp.stat().st_size)}  {elapsed:.2f} s")
            try:
                put_in_place([(temp, final) for temp, final, _ in staged])
            except OSError as error:  # the system refused the rename: say which artifact, in one line
                # The results come in the order they finished: find the job by its artifact's path.
                refused = [job for job in own if str(job.target(args.out)) in (str(error.filename), str(error.filename2))]
                name = (refused or own)[0].exporter.name
                raise ExportFailed(guide.id, name, " ".join(f"{type(error).__name__}: {error}".split()),
                                   bug=False) from None
            for line in written:  # only once in place: a later failure of the guide writes none of them
                print(line)
            placed.append(guide.id)
            print(f"{guide.id}: {_counts(guide)}", flush=True)
            for note in notes:  # what an artifact left out (the cheat sheet's must-know items)
                print(note)
            if "anki" in args.format:
                warning = note_stale_release_date(guide, args.out)
                if warning:
                    print(warning, file=sys.stderr)
    except ExportFailed as error:
        error.placed = tuple(placed)  # the guides of the build already in place before it stopped
        raise
    finally:
        results.close()  # the workers stop first, so none stages anything after the next line
        remove_staged(args.out, owner)  # staged for a guide that did not go into place
    return 0


class ExportFailed(Exception):
    """An exporter failed on a guide that validated: the system refused a file
    (disk full, no permission), or else a bug in the compiler, never the author's mistake."""

    def __init__(self, guide_id: str, format_name: str, cause: str, bug: bool):
        super().__init__(guide_id, format_name, cause, bug)
        self.guide_id, self.format_name, self.cause, self.bug = guide_id, format_name, cause, bug

    def __str__(self) -> str:
        if not self.bug:
            return f"error: writing the {self.format_name} artifacts of {self.guide_id} failed: {self.cause}"
        return (f"error: building the {self.format_name} artifacts of {self.guide_id} failed: {self.cause}. "
                "The guide is valid, so this is a bug in the compiler: please report it with this line "
                "(run with --debug for the traceback)")


def _export(job: registry.Job, out: Path, owner: int, debug: bool = False) -> tuple[Path, Path, float, str | None]:
    """One artifact, staged for the build `owner` to put in place: (staged, final path,
    seconds it took, its exporter's import included, its note for the author)."""
    started = time.perf_counter()
    final = job.target(out)
    try:
        with staged_output(final, owner) as temp:
            note = job.exporter.write(job.guide, job.artifact, temp)
    except GuideProblems:
        raise  # a problem of the guide's text that only the exporter can see (a glyph no font has)
    except Exception as error:
        if debug:
            raise
        cause = " ".join(f"{type(error).__name__}: {error}".split())
        raise ExportFailed(job.guide.id, job.exporter.name, cause[:300], bug=not isinstance(error, OSError)) from None
    return temp, final, time.perf_counter() - started, note


def _load(sources: list[Path]) -> list[Loaded]:
    """The sources, checked by their rules and by every exporter's checks of what its format cannot carry."""
    return load_guides(sources, registry.source_checks())


def _source_map_of(loaded: list[Loaded], guide: Guide) -> SourceMap:
    return next(source_map for each, source_map in loaded if each is guide)


def _warn_missing_catalogs(guides: list[Guide]) -> None:
    """One warning per guide whose language has no catalog (it builds with English labels),
    and one for a release time in the future (its artifacts do not depend on the clock)."""
    now = dt.datetime.now(dt.timezone.utc)
    for guide in guides:
        for warning in (i18n.missing_catalog_warning(guide), future_date_warning(guide, now)):
            if warning:
                print(warning, file=sys.stderr)


def _validate(args) -> int:
    loaded = _load(args.sources)
    guides = [guide for guide, _ in loaded]
    _warn_missing_catalogs(guides)
    # What the build would refuse on this machine: a text of the cover no installed font draws.
    # (A character no installed font has at all is refused with the sheet's source checks.)
    from exporter.book.cover import require_cover_fonts  # imported here: the other commands start without Pillow

    problems = []
    for guide, source_map in loaded:
        try:
            require_cover_fonts(guide)
        except GuideProblems as error:
            problems += source_map.source_error(error).problems
    if problems:
        raise SourceError(sorted(problems))
    for guide in guides:
        print(f"{guide.id}: valid ({_counts(guide)})")
    return 0


def _lint(args) -> int:
    """Findings on stdout, one per line (or one JSON document); exit 1 if any."""
    from exporter import lint

    located, problems = [], []
    for source in args.sources:
        try:
            located.append((source, *load_guide_located(source, root=source.parent, checks=registry.source_checks())))
        except SourceError as error:
            problems.extend(error.problems)
    if problems and args.format == "json":  # editors read problems in the same shape as findings
        print(json.dumps({"problems": [dataclasses.asdict(p) for p in problems], "findings": [], "skipped": {}},
                         indent=2, ensure_ascii=False))
        return 1
    if problems:
        raise SourceError(problems)
    findings, skipped = [], {}
    for source, guide, source_map in located:
        found, skipped_rules = lint.run(guide, source_map.marks, str(source))
        findings += found
        if skipped_rules:
            skipped[str(source)] = skipped_rules
    if args.format == "json":
        print(json.dumps({"findings": [f.as_json() for f in findings], "skipped": skipped},
                         indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            print(finding)
        for source, rule_ids in skipped.items():
            print(f"{source}: note: skipped {', '.join(rule_ids)}: they need word or phrase lists its language "
                  "does not have", file=sys.stderr)
        count = len(findings)
        print(f"{count or 'no'} finding{'s' if count != 1 else ''} in {len(located)} "
              f"guide{'s' if len(located) != 1 else ''}.", file=sys.stderr)
    return 1 if findings else 0


def _stats(args) -> int:
    """Items and cards per domain; the cards add up to what a fresh import of the deck holds."""
    ((guide, _),) = _load([args.source])
    counting = [exporter for exporter in registry.EXPORTERS.values() if exporter.counts_cards]
    cards = counting[0].cards_by_domain(guide) if counting else {}
    module = counting[0].load() if counting else None
    header = ("domain", "weight", "concepts", "traps", "quick checks", "exam questions", "pairs", "cards")
    rows = []
    for domain in guide.domains:
        exam_questions = sum(1 for q in guide.practice_exam if q.domain == domain.id)
        rows.append((
            f"{domain.number}. {domain.title}", f"{domain.weight}%", len(domain.concepts), len(domain.traps),
            len(domain.questions), exam_questions, len(guide.pairs_for(domain)), cards.get(domain.id, 0),
        ))
    totals = ("total", f"{sum(d.weight for d in guide.domains)}%",
              *(sum(row[k] for row in rows) for k in range(2, 6)), len(guide.pairs), sum(cards.values()))
    if module is not None:  # the cards of no domain, so the total is the deck's
        from exporter.anki.text import tag  # the deck's own tag, as its notes carry it

        rows.append(("general: exam facts", "", "", "", "", "", "", cards[module.GENERAL_CARDS]))
        if cards[module.RETIRED_CARDS]:
            retired = tag(guide.exam_code.plain, "retired")
            rows.append((f"retired: tag:{retired}", "", "", "", "", "", "", cards[module.RETIRED_CARDS]))
    rows.append(totals)
    widths = [max(len(str(row[k])) for row in [header, *rows]) for k in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(widths[0]) if k == 0 else str(cell).rjust(widths[k])
                        for k, cell in enumerate(row)))
    if any(len(pair.domains) > 1 for pair in guide.pairs):
        print("A pair listed in several domains counts in each one's pairs, and its cards in its first "
              "domain's, whose deck holds them.")
    if missing := i18n.labels_left_in_english(guide):
        print(f"Labels left in English, with no catalog for '{guide.language}' ({len(missing)}; "
              "translate them under `labels:`):")
        print(textwrap.fill(", ".join(missing), width=100, initial_indent="  ", subsequent_indent="  ",
                            break_on_hyphens=False))
    sheets = [exporter for exporter in registry.EXPORTERS.values() if exporter.lists_left_out]
    for exporter in sheets:  # lays the sheets out, as the build would: a second or two
        for artifact in exporter.outputs:
            print(exporter.left_out_line(guide, artifact))
    return 0


def _release(args) -> int:
    from exporter.cli import release as release_command  # imports the Anki exporter, which only this command needs

    ((guide, source_map),) = _load([args.source])
    return release_command.run(guide, source_map, args.source, args.reason, args.summary, args.dry_run)


def _serve(args) -> int:
    from exporter.preview.server import serve  # imports the web server, which only this command needs

    return serve(args.source, args.host, args.port, args.open)


def _schema(args) -> int:
    schema = Guide.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Certification study guide"
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0


def _make_rules(args) -> int:
    """Rules for make: one rule per guide, its artifacts named by the registry.

    One `build` process per guide, not per format: it builds the artifacts in
    parallel workers itself, and starting Python and loading the guide once
    instead of three times made a cold `make all` about 0.2 s faster. A change
    to one format's templates rebuilds the guide's other formats too.
    """
    from exporter.releases import ledgers

    out = args.out.rstrip("/")
    targets = []
    templates = " ".join(f"templates/{name}/*" for name in registry.EXPORTERS)
    for source in args.sources:
        artifacts = [f"{out}/{artifact}" for exporter in registry.EXPORTERS.values()
                     for artifact in exporter.artifact_names(source.stem)]
        targets.extend(artifacts)
        ledger = ledgers.ledger_path(source)  # a recorded release changes what the build makes
        print(f"{' '.join(artifacts)} &: {source} $(wildcard {ledger}) $(CODE) $(wildcard {templates})")
        print(f"\t$(STUDYGUIDE) build {source} --out {out}\n")
    print(f"ARTIFACTS := {' '.join(targets)}")
    return 0


def _counts(guide: Guide) -> str:
    concepts = sum(len(d.concepts) for d in guide.domains)
    traps = sum(len(d.traps) for d in guide.domains)
    quick = sum(len(d.questions) for d in guide.domains)
    counts = [(len(guide.domains), "domain"), (concepts, "concept"), (traps, "trap"), (len(guide.pairs), "pair"),
              (quick, "quick check"), (len(guide.practice_exam), "exam question")]
    return ", ".join(f"{count} {noun}{'' if count == 1 else 's'}" for count, noun in counts)


def _human_size(size: int) -> str:
    return f"{size / 1024:.0f} KiB" if size >= 1024 else f"{size} B"

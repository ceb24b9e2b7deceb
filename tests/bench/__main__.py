"""`make bench`: build speed, growth and memory; writes docs/benchmarks.md.

Every figure is the median of several cold runs in a fresh process, with the
spread (min–max) and the peak resident memory of the child process.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from exporter.build.registry import EXPORTERS

from ..helpers import export
from . import preview
from .synthetic import write_scaled_guide

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "docs" / "benchmarks.md"
HEADER = "| build | median (wall) | spread | exporting | peak memory |\n|---|---|---|---|---|"
NOTES = "## Notes"


@dataclass
class Timing:
    label: str
    seconds: list[float]  # wall time of the whole command
    export_seconds: list[float]  # the exporters' own time, as `build` reports it
    peak_mib: float

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def export_median(self) -> float:
        return statistics.median(self.export_seconds) if self.export_seconds else float("nan")

    def row(self) -> str:
        exporting = f"{self.export_median:.2f} s" if self.export_seconds else "–"
        return (f"| {self.label} | {self.median:.2f} s | {min(self.seconds):.2f}–{max(self.seconds):.2f} s "
                f"| {exporting} | {self.peak_mib:.0f} MiB |")


# `build` prints "<artifact>  <size>  <seconds> s" per artifact, each its own job;
# a format's time is that of its slowest artifact (they run side by side).
_ARTIFACT_TIME = re.compile(r"^(?P<path>\S+)  .+  (?P<seconds>[0-9.]+) s$")


def run_once(command: list[str], cwd: Path = ROOT) -> tuple[float, float | None, float]:
    """Wall time, exporter time (if the command reports it) and peak RSS (MiB) of one child."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    output = child.stdout.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{child.stderr.read().decode()}")
    per_format: dict[str, float] = {}
    for line in output.splitlines():
        match = _ARTIFACT_TIME.match(line)
        if match:
            name = _format_of(Path(match["path"]).name)
            per_format[name] = max(per_format.get(name, 0.0), float(match["seconds"]))
    exporting = sum(per_format.values()) if per_format else None
    return elapsed, exporting, usage.ru_maxrss / 1024


def _format_of(artifact: str) -> str:
    return next(name for name, exporter in EXPORTERS.items()
                if any(artifact.endswith(pattern.replace("{id}", "")) for pattern in exporter.artifacts))


def measure(label: str, command: list[str], runs: int, cwd: Path = ROOT) -> Timing:
    results = [run_once(command, cwd) for _ in range(runs)]
    timing = Timing(label, [wall for wall, _, _ in results],
                    [exporting for _, exporting, _ in results if exporting is not None],
                    max(peak for _, _, peak in results))
    print(timing.row(), flush=True)
    return timing


def build_command(source: Path, out: Path, formats: str | None = None) -> list[str]:
    command = [sys.executable, "-m", "exporter", "build", str(source), "--out", str(out)]
    return command + (["--format", formats] if formats else [])


def stressed_guides(folder: Path) -> list[tuple[str, Path]]:
    """Guides that once made the sheet slow or broke it: generated ones at the limits
    and with 100 domains, and the first guide with a 5,000-character labs note."""
    import yaml

    from exporter.source.loader import load_guide

    from ..generated import DIMENSIONS, generated_guide, stretch_for

    folder.mkdir(parents=True, exist_ok=True)
    found = []
    for dimension in ("limits", "domains", "unbreakable"):
        seed = next(seed for seed in range(DIMENSIONS.index(dimension), 1000, len(DIMENSIONS))
                    if dimension != "domains" or stretch_for(seed).domains == 100)
        data = generated_guide(seed)
        path = folder / f"{data['id']}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        found.append((f"generated {seed} ({dimension})", path))
    base = sorted((ROOT / "sources").glob("*.yaml"))[0]
    data = load_guide(base).model_dump(mode="json", exclude_none=True)
    data["id"] = f"{base.stem}-long-labs"
    data["exam"]["labs"] = ("Each lab has tasks you complete in a live environment, each scored on its own. " * 70)[:5000]
    path = folder / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found.append(("a 5,000-character labs note", path))
    return found


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def own_code_share(source: Path, out: Path) -> list[tuple[str, float, float]]:
    """Per format: total seconds and the share spent in our own code (self time
    in src/exporter/ and in the compiled templates).

    Runs on one CPU, so the cheat sheet is built in this process, where the
    profiler sees it, rather than in forked workers.
    """
    from exporter.source.loader import load_guide

    ours = (str(ROOT / "src" / "exporter"), str(ROOT / "templates"))
    cpus = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cpus)})
    try:
        return [_profile(name, exporter, load_guide(source), out, ours) for name, exporter in EXPORTERS.items()]
    finally:
        os.sched_setaffinity(0, cpus)


def _profile(name, exporter, guide, out: Path, ours: tuple[str, ...]) -> tuple[str, float, float]:
    exporter.load()  # imported before the profile, as a build does before its jobs
    profile = cProfile.Profile()
    profile.enable()
    export(guide, name, out)
    profile.disable()
    stats = pstats.Stats(profile).stats
    total = sum(entry[2] for entry in stats.values())
    own = sum(entry[2] for (filename, _, _), entry in stats.items() if filename.startswith(ours))
    return name, total, own / total if total else 0.0


def sheet_check_cost(source: Path, out: Path) -> list[tuple[str, float, float, float]]:
    """Per paper: the build's check of the laid-out sheet, the whole sheet (selection, layouts,
    check, PDF, glyph check) and the PDF writing alone, in seconds (medians, in this process)."""
    from exporter.build import output
    from exporter.model.clock import build_time
    from exporter.sheet import check as sheet_check
    from exporter.sheet import pdf
    from exporter.source.loader import load_guide

    guide = load_guide(source)
    out.mkdir(parents=True, exist_ok=True)
    costs = []
    for paper in pdf.PAPERS:
        started = time.perf_counter()
        sheet = pdf.CheatSheet(guide, paper)
        sheet.write(out / f"{paper}.pdf")
        whole = time.perf_counter() - started
        document = sheet._documents[sheet.chosen]  # the layout the sheet was written from
        checks, writes = [], []
        for _ in range(5):
            started = time.perf_counter()
            sheet_check.require_fit(document, sheet.promised_pages(*sheet.chosen), guide, paper)
            checks.append(time.perf_counter() - started)
            started = time.perf_counter()
            with output.pinned_font_clock(build_time(guide)):
                document.write_pdf(out / f"{paper}-again.pdf", **pdf.PDF_OPTIONS)
            writes.append(time.perf_counter() - started)
        costs.append((paper, statistics.median(checks), whole, statistics.median(writes)))
    return costs


def cpu_seconds(command: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Wall and CPU time (user and system, the child's workers included) of one run."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{child.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def against_the_floor(source: Path, scratch: Path, runs: int) -> tuple[list[str], list[tuple[str, bool, str]]]:
    """A cold build of `source` against the library floor (`tests/bench/floor.py`), run for run
    in turns, so that both meet the same load: medians of wall and CPU time, and their ratios."""
    build, floor = [], []
    for run in range(runs):
        out = scratch / f"floor-build-{run}"
        build.append(cpu_seconds(build_command(source, out)))
        floor.append(cpu_seconds([sys.executable, "-m", "tests.bench.floor", str(source), str(scratch / f"floor-{run}")]))
    wall = [statistics.median(w for w, _ in times) for times in (build, floor)]
    cpu = [statistics.median(c for _, c in times) for times in (build, floor)]
    lines = [f"| {source.stem}: all artifacts, against the library floor | {wall[0]:.2f} s | "
             f"{min(w for w, _ in build):.2f}–{max(w for w, _ in build):.2f} s | {cpu[0]:.2f} s CPU | – |",
             f"| library floor for {source.stem} (tests/bench/floor.py) | {wall[1]:.2f} s | "
             f"{min(w for w, _ in floor):.2f}–{max(w for w, _ in floor):.2f} s | {cpu[1]:.2f} s CPU | – |"]
    for line in lines:
        print(line, flush=True)
    goals = [(f"cold build of {source.stem} ≤ 1.5× the library floor (wall)", wall[0] <= 1.5 * wall[1],
              f"{wall[0] / wall[1]:.2f}× ({wall[0]:.2f} s against {wall[1]:.2f} s, medians of {runs} paired runs)"),
             (f"cold build of {source.stem} ≤ 2× the library floor (CPU)", cpu[0] <= 2 * cpu[1],
              f"{cpu[0] / cpu[1]:.2f}× ({cpu[0]:.2f} s against {cpu[1]:.2f} s of CPU)")]
    for goal, met, value in goals:
        print(f"{goal}: {'yes' if met else 'no'}, {value}", flush=True)
    return lines, goals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--factors", default="1,10,50")
    parser.add_argument("--floor-only", action="store_true",
                        help="only the build against the library floor; print, write no report")
    parser.add_argument("--preview-only", action="store_true",
                        help="only the preview's save-to-page latency; print, write no report")
    args = parser.parse_args()
    if args.floor_only:
        with tempfile.TemporaryDirectory() as scratch:
            for source in sorted((ROOT / "sources").glob("*.yaml")):
                against_the_floor(source, Path(scratch), args.runs)
        return 0
    if args.preview_only:
        with tempfile.TemporaryDirectory() as scratch:
            base = sorted((ROOT / "sources").glob("*.yaml"))[0]
            sheet_alone = measure(f"{base.stem}: pdf alone, for the preview's ratio",
                                  build_command(base, Path(scratch) / "out-preview", "pdf"), args.runs)
            for goal, met, figure in preview.report(base, Path(scratch) / "preview", args.runs, sheet_alone.median)[1]:
                print(f"{goal}: {'yes' if met else 'NO'}, {figure}")
        return 0
    sources = sorted((ROOT / "sources").glob("*.yaml"))
    lines: list[str] = []
    goals: list[tuple[str, bool, str]] = []

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        print(HEADER)
        for source in sources:
            out = scratch / f"out-{source.stem}"
            full = measure(f"{source.stem}: all artifacts, one process", build_command(source, out), args.runs)
            lines.append(full.row())
            goals.append((f"cold build of {source.stem} ≤ 2 s", full.median <= 2.0, f"{full.median:.2f} s"))
            for name in EXPORTERS:
                lines.append(measure(f"{source.stem}: {name} alone", build_command(source, out, name), args.runs).row())
            floor_lines, floor_goals = against_the_floor(source, scratch, max(args.runs, 7))
            lines += floor_lines
            goals += floor_goals

        # The preview: from a save to the page. Measured before anything in this process imports
        # WeasyPrint (the sheet's check cost, the profile), since it checks that the preview does not.
        base = sources[0]
        sheet_alone = measure(f"{base.stem}: pdf alone, for the preview's ratio",
                              build_command(base, scratch / "out-preview", "pdf"), args.runs)
        preview_lines, preview_goals = preview.report(base, scratch / "preview", args.runs, sheet_alone.median)
        lines.extend(preview_lines)
        goals.extend(preview_goals)

        # `make all` runs one build per guide (guides side by side), each with its formats in parallel.
        cold_make = measure("`make all` after removing dist/",
                            ["sh", "-c", "rm -rf dist && make all"], args.runs)
        lines.append(cold_make.row())
        goals.append(("cold `make all` ≤ 2 s", cold_make.median <= 2.0, f"{cold_make.median:.2f} s"))

        # No-op: everything is up to date, so make must do nothing at all.
        subprocess.run(["make", "all"], cwd=ROOT, check=True, capture_output=True)
        noop = measure("`make all` with nothing changed", ["make", "all"], args.runs)
        lines.append(noop.row())
        goals.append(("no-op `make all` ≤ 0.2 s", noop.median <= 0.2, f"{noop.median:.2f} s"))

        scaled: dict[int, dict[str, Timing]] = {}
        for factor in map(int, args.factors.split(",")):
            guide_path = write_scaled_guide(base, factor, scratch / "synthetic")
            out = scratch / f"out-x{factor}"
            runs = max(2, args.runs // 2) if factor >= 10 else args.runs
            scaled[factor] = {
                name: measure(f"{base.stem} ×{factor}: {name}", build_command(guide_path, out, name), runs)
                for name in EXPORTERS
            }
            lines.extend(timing.row() for timing in scaled[factor].values())
            sheets = [out / artifact for artifact in EXPORTERS["pdf"].artifact_names(guide_path.stem)]
            page_counts = [pages(sheet) for sheet in sheets]
            if factor == 50:
                goals.append(("cheat sheet at ×50 is exactly 2 pages", page_counts == [2, 2], str(page_counts)))
        if 50 in scaled:
            at50 = scaled[50]
            goals.append(("deck at ×50 ≤ 10 s", at50["anki"].median <= 10, f"{at50['anki'].median:.2f} s"))
            goals.append(("book at ×50 ≤ 20 s", at50["epub"].median <= 20, f"{at50['epub'].median:.2f} s"))
            sheet = at50["pdf"]
            goals.append(("cheat sheet at ×50 ≤ 3 s (exporting)", sheet.export_median <= 3,
                          f"{sheet.export_median:.2f} s exporting, {sheet.median:.2f} s with start-up and loading"))
            peak = max(timing.peak_mib for timing in at50.values())
            goals.append(("peak memory at ×50 < 1 GB", peak < 1024, f"{peak:.0f} MiB"))
        if 10 in scaled and 50 in scaled:
            for name in EXPORTERS:
                ratio = scaled[50][name].median / scaled[10][name].median
                goals.append((f"{name}: time ×50 / time ×10 ≤ 6", ratio <= 6, f"{ratio:.1f}"))

        for paper, check, sheet, pdf_write in sheet_check_cost(base, scratch / "check"):
            goals.append((f"sheet check ≤ 5% of the {paper} sheet", check <= 0.05 * sheet,
                          f"{check * 1000:.1f} ms: {check / sheet:.1%} of the sheet's {sheet:.2f} s, "
                          f"{check / pdf_write:.1%} of writing its PDF"))
        # Stressed guides: the sheet within 5 s whatever the section lengths and domain counts.
        stressed = []
        for label, guide_path in stressed_guides(scratch / "stressed"):
            timing = measure(f"stressed, {label}: pdf", build_command(guide_path, scratch / "out-stressed", "pdf"),
                             max(2, args.runs // 2))
            lines.append(timing.row())
            stressed.append(timing)
        slowest = max(stressed, key=lambda timing: timing.export_median)
        goals.append(("every stressed cheat sheet ≤ 5 s (exporting)", slowest.export_median <= 5,
                      f"slowest {slowest.export_median:.2f} s ({slowest.label})"))

        shares = own_code_share(base, scratch / "profile")
        for name, total, share in shares:
            goals.append((f"{name}: our own code ≤ 15% of the build", share <= 0.15,
                           f"{share:.1%} of {total:.2f} s (profiled)"))

    write_report(lines, goals)
    print(f"\nwrote {REPORT.relative_to(ROOT)}")
    return 0


def write_report(lines: list[str], goals: list[tuple[str, bool, str]]) -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    today = dt.date.today().isoformat()
    text = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on {today} ({machine}). Each figure is the median of several",
        "cold runs in a fresh process; the spread is min–max of the wall time; *exporting* is the",
        "time `build` reports for the exporters (their imports included, not start-up or loading;",
        "for all artifacts at once it is the sum, though the formats run side by side); memory is",
        "the peak RSS of the largest process.",
        "Synthetic guides repeat the first guide's items ×N with new ids and reworded text.",
        "",
        HEADER,
        *lines,
        "",
        "## Goals",
        "",
        "| goal | met | measured |",
        "|---|---|---|",
        *(f"| {goal} | {'yes' if met else '**no**'} | {value} |" for goal, met, value in goals),
        "",
    ]
    # The hand-written analysis below the figures survives a re-run.
    previous = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    notes = previous[previous.find(NOTES):] if NOTES in previous else NOTES + "\n"
    REPORT.write_text("\n".join(text) + "\n" + notes, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())

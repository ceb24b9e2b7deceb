"""Figures as the model holds them: each one's rendered bytes, where they are, their numbers.

The loader (`exporter.source.figures`) checks every figure and renders it
once; what it renders (`RenderedFigure`) belongs to the loaded guide, so the
deck, the sheet and the book place the same bytes, under the same name (their
content hash) and the same number (`figure_numbers`). A raster copy, for
readers that cannot be trusted with SVG, is made when first asked for: `dot
-Tpng` for a diagram, CairoSVG for an author's SVG (fetching nothing). Every
rendering gives the same bytes for the same input.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from exporter.text import scripts

# What `dot` may take; a diagram that takes longer is a mistake, not a figure.
DOT_SECONDS = 20
MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png", "jpeg": "image/jpeg"}
EXTENSIONS = {"svg": "svg", "png": "png", "jpeg": "jpg"}
RASTER_DPI = 144  # of a raster copy: sharp on an e-reader, small in the book
SVG_NS = "http://www.w3.org/2000/svg"


@dataclass(frozen=True)
class RenderedFigure:
    """A figure's bytes as every format shows it, and how to get a raster copy."""

    figure_id: str
    kind: str  # "svg", "png" or "jpeg"
    data: bytes
    width: float  # natural size, in CSS pixels (96 per inch)
    height: float
    dot: str | None = None  # the DOT source of a diagram, for its raster copy
    font: str = ""  # the face a diagram is set in

    @functools.cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.kind]

    @property
    def file_name(self) -> str:
        """Named by content: the same picture has the same name in every guide and every build."""
        return f"fig-{self.digest[:32]}.{EXTENSIONS[self.kind]}"

    @property
    def vector(self) -> bool:
        return self.kind == "svg"

    @functools.cached_property
    def raster(self) -> bytes:
        """PNG or JPEG bytes of the figure: itself if it is a raster already."""
        if not self.vector:
            return self.data
        if self.dot is not None:
            return run_dot(self.dot, "png", self.font)[0]
        return rasterise_svg(self.data)

    @property
    def raster_kind(self) -> str:
        return self.kind if not self.vector else "png"

    @property
    def raster_file_name(self) -> str:
        return f"fig-{hashlib.sha256(self.raster).hexdigest()[:32]}.{EXTENSIONS[self.raster_kind]}"


# --- where the figures are ------------------------------------------------------------


def figure_paths(guide) -> Iterator[tuple[tuple, object]]:
    """(path, figure) of every figure, in the book's reading order: a domain's own figures,
    its concepts' by tier, its quick checks'; then the practice exam's."""
    for d, domain in enumerate(guide.domains):
        for f, figure in enumerate(domain.figures):
            yield ("domains", d, "figures", f), figure
        concepts = sorted(enumerate(domain.concepts), key=lambda entry: entry[1].tier)
        for c, concept in concepts:
            if concept.figure is not None:
                yield ("domains", d, "concepts", c, "figure"), concept.figure
        for q, question in enumerate(domain.questions):
            if question.figure is not None:
                yield ("domains", d, "questions", q, "figure"), question.figure
    for q, question in enumerate(guide.practice_exam):
        if question.figure is not None:
            yield ("practice_exam", q, "figure"), question.figure


def figure_numbers(guide) -> dict[str, str]:
    """Each figure's number, "2.3": its domain's number (the practice exam's is the one after
    the last domain's, as its subdeck's) and its place in that chapter. Card, sheet and book all use it."""
    practice = max((d.number for d in guide.domains), default=0) + 1
    numbers: dict[str, str] = {}
    counts: dict[int, int] = {}
    for path, figure in figure_paths(guide):
        chapter = guide.domains[path[1]].number if path[0] == "domains" else practice
        counts[chapter] = counts.get(chapter, 0) + 1
        numbers[figure.id] = f"{chapter}.{counts[chapter]}"
    return numbers


# --- rendering ---------------------------------------------------------------------------


def parse_svg(data: bytes):
    from defusedxml import DefusedXmlException, ElementTree

    try:
        return ElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True), None
    except DefusedXmlException:
        return None, ("declares a DTD or entities, which could make a reader fetch or expand "
                      "anything; remove the <!DOCTYPE …> and <!ENTITY …> declarations")
    except ElementTree.ParseError as error:
        return None, f"is not well-formed SVG: {error}"


_UNITS = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}


def svg_size(data: bytes) -> tuple[float, float]:
    """An SVG's natural size in CSS pixels: its width and height, else its viewBox, else 300 × 150."""
    root, _ = parse_svg(data)
    box = [float(n) for n in re.split(r"[\s,]+", (root.get("viewBox") or "").strip()) if n] if root is not None else []
    sizes = []
    for name, fallback in (("width", box[2] if len(box) == 4 else 300.0), ("height", box[3] if len(box) == 4 else 150.0)):
        match = re.fullmatch(r"\s*([0-9.]+)\s*([a-z]*)\s*", (root.get(name) or "") if root is not None else "")
        sizes.append(float(match.group(1)) * _UNITS[match.group(2)] if match and match.group(2) in _UNITS else fallback)
    return sizes[0], sizes[1]


def svg_text_px(data: bytes) -> float | None:
    """The smallest font size an SVG sets text in, in CSS pixels at its natural size; None without text."""
    sizes = [float(size) for size in re.findall(rb'font-size\s*[=:]\s*["\']?\s*([0-9.]+)', data)]
    if not sizes or b"<text" not in data:
        return None
    root, _ = parse_svg(data)
    box = [float(n) for n in re.split(r"[\s,]+", (root.get("viewBox") or "").strip()) if n] if root is not None else []
    width, _ = svg_size(data)
    per_unit = width / box[2] if len(box) == 4 and box[2] else 1.0
    return min(sizes) * per_unit


def rasterise_svg(data: bytes) -> bytes:
    """An author's (checked) SVG as PNG, fetching nothing, at RASTER_DPI."""
    from cairosvg.surface import PNGSurface

    def refuse(url, *args, **kwargs):
        raise ValueError(f"a figure may not fetch {url}")

    return PNGSurface.convert(bytestring=data, url_fetcher=refuse, unsafe=False, dpi=RASTER_DPI,
                              scale=RASTER_DPI / 96)


def diagram_font(language: str) -> str:
    """The faces diagrams are set in, as a family list (Pango's and CSS's)."""
    return ",".join(scripts.diagram_families(language))


def run_dot(source: str, output: str, font: str) -> tuple[bytes, tuple[str, int] | None]:
    """`dot` on `source`, with nothing to read around it: an empty folder to run in and,
    Graphviz's safe mode, an empty folder as the only place images may come from."""
    with tempfile.TemporaryDirectory(prefix="figure-") as empty:
        # SERVER_NAME turns on Graphviz's safe mode (as under a web server): files only from GV_FILE_PATH.
        environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "GV_FILE_PATH": empty + os.sep,
                       "SERVER_NAME": "studyguide",
                       "HOME": empty, "LC_ALL": "C.UTF-8", "SOURCE_DATE_EPOCH": "315532800"}
        for name in ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "XDG_DATA_DIRS"):
            if name in os.environ:
                environment[name] = os.environ[name]
        arguments = ["dot", f"-T{output}", f"-Gfontname={font}", f"-Nfontname={font}", f"-Efontname={font}"]
        if output == "png":
            arguments.append(f"-Gdpi={RASTER_DPI}")
        try:
            run = subprocess.run(arguments, input=source.encode("utf-8"), capture_output=True, cwd=empty,
                                 env=environment, timeout=DOT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            return b"", (f"took Graphviz more than {DOT_SECONDS} s to draw; make the diagram smaller", 0)
    errors = [line for line in run.stderr.decode("utf-8", "replace").splitlines() if line.startswith("Error")]
    if run.returncode != 0 or errors or not run.stdout:
        text = " ".join(errors) or run.stderr.decode("utf-8", "replace").strip() or f"dot exited with {run.returncode}"
        match = re.search(r"\bline (\d+)", text)
        message = re.sub(r"^Error:\s*(<stdin>:\s*)?", "", text).strip()
        return b"", (f"Graphviz cannot draw it: {message}", int(match.group(1)) if match else 0)
    data = run.stdout
    if output == "svg":
        # Comments name the Graphviz version and the graph: the same diagram gives the same bytes anywhere.
        data = re.sub(rb"<!--.*?-->\n?", b"", data, flags=re.DOTALL)
        # Its DOCTYPE names the SVG 1.1 DTD, which readers need not fetch: SVG is read without DTDs.
        data = re.sub(rb"<!DOCTYPE[^>]*>\n?", b"", data)
    return data, None

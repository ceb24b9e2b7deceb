"""Figures: checked when the guide is loaded, rendered once, shared by every exporter.

A figure is a file beside the guide (SVG, PNG or JPEG) or a Graphviz diagram
drawn by `dot` at load time. Loading checks each one and reports every
problem with file:line:col: a missing file, a path out of the guide's folder
(`..`, absolute, or a symbolic link leading out), content that is not what
the name says, more than MAX_FIGURE_BYTES or MAX_MEGAPIXELS, SVG that could
run code or fetch anything (scripts, event handlers, references outside the
file, entities), and DOT that Graphviz rejects, at the line inside the block.

What it renders (`RenderedFigure`) belongs to the loaded guide: the deck, the
sheet and the book place the same bytes, under the same name (its content
hash) and the same number (`figure_numbers`). A raster copy, for readers that
cannot be trusted with SVG, is made when first asked for: `dot -Tpng` for a
diagram, cairosvg for an author's SVG (fetching nothing).
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import re
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .problems import Marks, Path_, Problem, _locate, format_path

MAX_FIGURE_BYTES = 5 * 1024 * 1024
MAX_MEGAPIXELS = 40
# What `dot` may take; a diagram that takes longer is a mistake, not a figure.
DOT_SECONDS = 20
# File name endings and the formats they promise.
FORMATS = {".svg": "svg", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}
MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png", "jpeg": "image/jpeg"}
EXTENSIONS = {"svg": "svg", "png": "png", "jpeg": "jpg"}
RASTER_DPI = 144  # of a diagram's raster copy: sharp on an e-reader, small in the book

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Elements that run code or embed another document.
_ACTIVE_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}
# DOT attributes that make Graphviz read files or write links: refused in the source.
_DOT_FILE_ATTRIBUTES = re.compile(
    r"\b(image|shapefile|imagepath|fontpath|stylesheet|(?:head|tail|label|edge)?(?:URL|href))\s*=", re.IGNORECASE)
_CSS_URL = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import", re.IGNORECASE)


@dataclass(frozen=True, eq=False)
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
            return _run_dot(self.dot, "png", self.font)[0]
        return _rasterise_svg(self.data)

    @property
    def raster_kind(self) -> str:
        return self.kind if not self.vector else "png"

    @property
    def raster_file_name(self) -> str:
        return f"fig-{hashlib.sha256(self.raster).hexdigest()[:32]}.{EXTENSIONS[self.raster_kind]}"


# --- where the figures are ------------------------------------------------------------


def figure_paths(guide) -> Iterator[tuple[Path_, object]]:
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


# --- loading ---------------------------------------------------------------------------


def load_figures(part, marks: Marks, name: str, source_text: str,
                 folder: Path) -> tuple[dict[str, RenderedFigure], list[Problem]]:
    """Check and render every figure of the part of a guide the schema accepted
    (`accepted_part.AcceptedPart`): the renderings by id, and every problem."""
    rendered: dict[str, RenderedFigure] = {}
    problems: list[Problem] = []
    lines = source_text.split("\n")
    font = diagram_font(getattr(part.guide, "language", "en"))
    for accepted_path, figure in figure_paths(part.guide):
        path = part.source_path(accepted_path)

        def report(field: str, message: str, where: tuple[int, int] | None = None, path=path) -> None:
            located = path + (field,)
            problems.append(Problem(name, *(where or _locate(located, marks)), format_path(located), message))

        if figure.graphviz is not None:
            result = _diagram(figure, font, lambda message, line, path=path, report=report: report(
                "graphviz", message, _block_line(marks, path + ("graphviz",), lines, line)))
        else:
            result = _file(figure, folder, lambda message: report("file", message))
        if result is not None:
            rendered[figure.id] = result
    return rendered, problems


def _file(figure, folder: Path, report) -> RenderedFigure | None:
    relative = figure.file
    if os.path.isabs(relative) or re.match(r"^[A-Za-z]:[\\/]", relative) or relative.startswith("\\"):
        report("must be a path relative to the guide's folder, such as figures/rollout.svg")
        return None
    kind = FORMATS.get(Path(relative).suffix.lower())
    if kind is None:
        report(f"must name an SVG, PNG or JPEG file (.svg, .png, .jpg or .jpeg), got '{Path(relative).suffix or relative}'")
        return None
    root = folder.resolve()
    target = (folder / relative)
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError):
        report("cannot be resolved (a loop of symbolic links?)")
        return None
    if not resolved.is_relative_to(root):
        how = "is a symbolic link leading" if _through_link(folder, relative) else "leads"
        report(f"{how} outside the guide's folder; keep figures in the guide's folder or below it")
        return None
    data = _read(resolved, report)
    if data is None:
        return None
    found = sniff(data)
    if found != kind:
        what = {"svg": "an SVG image", "png": "a PNG image", "jpeg": "a JPEG image"}.get(found, "not an image we know")
        report(f"is named .{Path(relative).suffix.lower().lstrip('.')} but its content is {what}; "
               "give the file the ending of its format (SVG, PNG or JPEG)")
        return None
    if kind == "svg":
        problem = svg_problem(data)
        if problem:
            report(problem)
            return None
        width, height = svg_size(data)
    else:
        try:
            width, height = raster_size(data)
        except ValueError as error:
            report(str(error))
            return None
    if width * height > MAX_MEGAPIXELS * 1_000_000:
        report(f"is {width:.0f} × {height:.0f} pixels ({width * height / 1e6:.0f} megapixels); "
               f"a figure may have at most {MAX_MEGAPIXELS} megapixels")
        return None
    return RenderedFigure(figure.id, kind, data, float(width), float(height))


def _through_link(folder: Path, relative: str) -> bool:
    path = folder
    for part in Path(relative).parts:
        path = path / part
        if path.is_symlink():
            return True
    return False


def _read(path: Path, report) -> bytes | None:
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        report("no such file; the path is relative to the guide's folder")
        return None
    except OSError as error:
        report(f"cannot be read: {error.strerror or error}")
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            report("is not a regular file; give the path of an SVG, PNG or JPEG file")
            return None
        if info.st_size > MAX_FIGURE_BYTES:
            report(f"is {info.st_size / 2**20:.1f} MiB; a figure may be at most {MAX_FIGURE_BYTES // 2**20} MiB")
            return None
        with open(descriptor, "rb", closefd=False) as file:
            data = file.read(MAX_FIGURE_BYTES + 1)
    finally:
        os.close(descriptor)
    if len(data) > MAX_FIGURE_BYTES:
        report(f"is larger than {MAX_FIGURE_BYTES // 2**20} MiB, the most a figure may be")
        return None
    return data


def sniff(data: bytes) -> str | None:
    """The format the bytes are in, whatever the file is called."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE")) and b"<svg" in data[:65536]:
        return "svg"
    return None


def raster_size(data: bytes) -> tuple[int, int]:
    """A PNG's or JPEG's size in pixels, read from its header (nothing decoded)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValueError(f"is not a readable image ({error})") from None


# --- SVG --------------------------------------------------------------------------------


def _parse_svg(data: bytes):
    from defusedxml import DefusedXmlException, ElementTree

    try:
        return ElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True), None
    except DefusedXmlException:
        return None, ("declares a DTD or entities, which could make a reader fetch or expand "
                      "anything; remove the <!DOCTYPE …> and <!ENTITY …> declarations")
    except ElementTree.ParseError as error:
        return None, f"is not well-formed SVG: {error}"


def svg_problem(data: bytes) -> str | None:
    """Why an SVG cannot be shown safely, if it cannot: it must draw, not run or fetch."""
    root, problem = _parse_svg(data)
    if problem:
        return problem
    if root.tag != f"{{{SVG_NS}}}svg":
        return "is not an SVG image: its root element is not <svg> in the SVG namespace"
    for element in root.iter():
        tag = element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""
        if tag in _ACTIVE_ELEMENTS:
            return f"holds a <{tag}> element, which could run code; a figure may only draw"
        if tag == "style" and element.text and _CSS_URL.search(element.text):
            return "has a stylesheet that refers to another file (url() or @import); a figure must be self-contained"
        for attribute, value in element.attrib.items():
            local = attribute.rpartition("}")[2]
            if local.lower().startswith("on"):
                return f"has an event handler ({local}= on <{tag}>), which could run code; a figure may only draw"
            if local == "href" and not value.strip().startswith("#"):
                return (f"refers to another file or address ({_short(value)} on <{tag}>); "
                        "a figure must be self-contained: embed the picture instead")
            if local == "style" and _CSS_URL.search(value):
                return f"has a style that refers to another file (on <{tag}>); a figure must be self-contained"
            if "url(" in value and not re.fullmatch(r"\s*url\(\s*#[^)]*\)\s*", value):
                return f"refers to another file ({local}={_short(value)} on <{tag}>); a figure must be self-contained"
    return None


def _short(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "…")


_UNITS = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}


def svg_size(data: bytes) -> tuple[float, float]:
    """An SVG's natural size in CSS pixels: its width and height, else its viewBox, else 300 × 150."""
    root, _ = _parse_svg(data)
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
    root, _ = _parse_svg(data)
    box = [float(n) for n in re.split(r"[\s,]+", (root.get("viewBox") or "").strip()) if n] if root is not None else []
    width, _ = svg_size(data)
    per_unit = width / box[2] if len(box) == 4 and box[2] else 1.0
    return min(sizes) * per_unit


def _rasterise_svg(data: bytes) -> bytes:
    """An author's (checked) SVG as PNG, fetching nothing, at RASTER_DPI."""
    from cairosvg.surface import PNGSurface

    def refuse(url, *args, **kwargs):
        raise ValueError(f"a figure may not fetch {url}")

    return PNGSurface.convert(bytestring=data, url_fetcher=refuse, unsafe=False, dpi=RASTER_DPI,
                              scale=RASTER_DPI / 96)


# --- Graphviz ----------------------------------------------------------------------------


def diagram_font(language: str) -> str:
    """The face diagrams are set in, for the guide's language (the book's and the sheet's text face)."""
    from .cover_fonts import CJK_FAMILIES, DEFAULT_CJK_FAMILY

    tag = language.lower()
    base = tag.split("-")[0]
    if base in ("zh", "ja", "ko"):
        return CJK_FAMILIES.get(tag) or CJK_FAMILIES.get(base) or DEFAULT_CJK_FAMILY
    return "DejaVu Sans"


def _diagram(figure, font: str, report) -> RenderedFigure | None:
    for number, line in enumerate(figure.graphviz.split("\n"), 1):
        if match := _DOT_FILE_ATTRIBUTES.search(line):
            report(f"uses the attribute {match.group(1)}, which makes Graphviz read a file or write a link; "
                   "a diagram must be drawn from its own text", number)
            return None
    if shutil.which("dot") is None:
        report("needs Graphviz's dot program to be drawn; install graphviz (Debian and Ubuntu: apt-get install graphviz)", 0)
        return None
    svg, error = _run_dot(figure.graphviz, "svg", font)
    if error is not None:
        message, line = error
        report(message, line)
        return None
    problem = svg_problem(svg)
    if problem:
        report(f"draws a picture that {problem}", 0)
        return None
    width, height = svg_size(svg)
    return RenderedFigure(figure.id, "svg", svg, width, height, dot=figure.graphviz, font=font)


def _run_dot(source: str, output: str, font: str) -> tuple[bytes, tuple[str, int] | None]:
    """`dot` on `source`, with nothing to read around it: an empty folder to run in and,
    Graphviz's safe mode, an empty folder as the only place images may come from."""
    with tempfile.TemporaryDirectory(prefix="figure-") as empty:
        environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "GV_FILE_PATH": empty + os.sep,
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


def _block_line(marks: Marks, path: Path_, lines: list[str], line: int) -> tuple[int, int]:
    """Where line `line` of a `graphviz: |` block is in the source (the key, if the
    block is not a literal one or the line is unknown)."""
    key_line, key_column = _locate(path, marks)
    if line <= 0 or key_line - 1 >= len(lines):
        return key_line, key_column
    after_key = lines[key_line - 1][key_column - 1:].partition(":")[2].strip()
    if not after_key.startswith("|"):
        return key_line, key_column
    index = key_line - 1 + line
    if index >= len(lines):
        return key_line, key_column
    text = lines[index]
    return index + 1, len(text) - len(text.lstrip(" ")) + 1

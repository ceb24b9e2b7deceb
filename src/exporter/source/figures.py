"""Figures, checked when the guide is loaded, and rendered once.

A figure is a file beside the guide (SVG, PNG or JPEG) or a Graphviz diagram
drawn by `dot`. Loading checks each one and reports every problem with
file:line:col: a missing file, a path out of the guide's folder (`..`,
absolute, or a symbolic link leading out), content that is not what the name
says, more than MAX_FIGURE_BYTES or MAX_MEGAPIXELS, SVG that could run code or
fetch anything (scripts, event handlers, references outside the file,
entities), and DOT that Graphviz rejects, at the line inside the block. What it
renders goes into the model (`exporter.model.figures`).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.etree.ElementTree import TreeBuilder

from exporter.model.figures import SVG_NS, RenderedFigure, diagram_font, figure_paths, parse_svg, run_dot, svg_size
from exporter.model.problems import format_path
from exporter.source.problems import Marks, Path_, Problem, _locate

MAX_FIGURE_BYTES = 5 * 1024 * 1024
MAX_MEGAPIXELS = 40
# File name endings and the formats they promise.
FORMATS = {".svg": "svg", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}
# Elements that run code or embed another document.
_ACTIVE_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}
# DOT attributes that make Graphviz read files or write links: refused in the source.
_DOT_FILE_ATTRIBUTES = re.compile(
    r"\b(image|shapefile|imagepath|fontpath|stylesheet|(?:head|tail|label|edge)?(?:URL|href))\s*=", re.IGNORECASE)
# CSS functions that name a picture by a string, as url() does (any vendor's prefix too).
_CSS_IMAGE_FUNCTIONS = ("url", "src", "image", "image-set", "cross-fade")


def load_figures(part, marks: Marks, name: str, source_text: str,
                 folder: Path) -> tuple[dict[str, RenderedFigure], list[Problem]]:
    """Check and render every figure of the part of a guide the schema accepted
    (`accepted_part.AcceptedPart`): the renderings by id, and every problem."""
    rendered: dict[str, RenderedFigure] = {}
    problems: list[Problem] = []
    lines = source_text.split("\n")
    font = diagram_font(getattr(part.guide, "language", "en"))
    drawn = _draw_side_by_side([figure for _, figure in figure_paths(part.guide)], font)
    for accepted_path, figure in figure_paths(part.guide):
        path = part.source_path(accepted_path)

        def report(field: str, message: str, where: tuple[int, int] | None = None, path=path) -> None:
            located = path + (field,)
            problems.append(Problem(name, *(where or _locate(located, marks)), format_path(located), message))

        if figure.graphviz is not None:
            result = _diagram(figure, font, lambda message, line, path=path, report=report: report(
                "graphviz", message, _block_line(marks, path + ("graphviz",), lines, line)), drawn.get(figure.graphviz))
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
    rendered = RenderedFigure(figure.id, kind, data, float(width), float(height))
    if kind == "svg":
        # Its raster copy is drawn now, once (the book needs it), so that a picture the
        # rasteriser cannot draw is a problem of the source, not a failed build.
        try:
            rendered.raster  # noqa: B018  (cached on the figure)
        except Exception as error:  # CairoSVG raises many kinds on odd SVG
            report(f"cannot be drawn as a picture: {error}")
            return None
    return rendered


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


def svg_problem(data: bytes) -> str | None:
    """Why an SVG cannot be shown safely, if it cannot: it must draw, not run or fetch."""
    root, problem = parse_svg(data)
    if problem:
        return problem
    if root.tag != f"{{{SVG_NS}}}svg":
        return "is not an SVG image: its root element is not <svg> in the SVG namespace"
    if instruction := _processing_instruction(data):
        return (f"holds a processing instruction (<?{instruction} …?>), which could make a reader fetch a "
                "stylesheet; a figure must be self-contained")
    for element in root.iter():
        tag = element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""
        if tag in _ACTIVE_ELEMENTS:
            return f"holds a <{tag}> element, which could run code; a figure may only draw"
        if tag in ("set", "animate") and element.get("attributeName", "").rpartition(":")[2].lower() == "href":
            return f"has a <{tag}> that changes a link, which could make a reader fetch a file; a figure may only draw"
        # The whole sheet: text after a child element inside <style> is part of it too (the child's tail).
        if tag == "style" and _css_refers_outside("".join(element.itertext()), stylesheet=True):
            return "has a stylesheet that refers to another file (url(), @import or @font-face); a figure must be self-contained"
        for attribute, value in element.attrib.items():
            local = attribute.rpartition("}")[2]
            if local.lower().startswith("on"):
                return f"has an event handler ({local}= on <{tag}>), which could run code; a figure may only draw"
            if local == "href" and not value.strip().startswith("#"):
                return (f"refers to another file or address ({_short(value)} on <{tag}>); a figure must be "
                        "self-contained: draw it in the SVG, or make the picture a PNG or JPEG figure of its own")
            if _css_refers_outside(value, stylesheet=False):
                return f"refers to another file ({local}={_short(value)} on <{tag}>); a figure must be self-contained"
    return None


def _processing_instruction(data: bytes) -> str | None:
    """The target of the first processing instruction (such as xml-stylesheet), if the SVG has one."""
    from defusedxml.ElementTree import DefusedXMLParser

    targets: list[str] = []

    class Instructions(TreeBuilder):
        def pi(self, target, text=None):
            targets.append(target)
            return super().pi(target, text)

    parser = DefusedXMLParser(target=Instructions(), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.feed(data)
    parser.close()
    return targets[0] if targets else None


def _css_refers_outside(css: str, stylesheet: bool) -> bool:
    """Whether CSS (a <style> sheet, or a style or presentation attribute's value) names anything
    but an element of the figure itself: read as CSS reads it, whatever its case or escapes."""
    import tinycss2

    if "(" not in css and "@" not in css and "\\" not in css:
        return False  # no function, at-rule or escape: nothing could name a file (most attribute values)
    nodes = tinycss2.parse_stylesheet(css) if stylesheet else tinycss2.parse_component_value_list(css)

    def outside(node) -> bool:
        if node.type == "url":
            return not node.value.strip().startswith("#")
        if node.type == "at-rule" and node.lower_at_keyword in ("import", "font-face"):
            return True
        if node.type == "function" and re.sub(r"^-[a-z]+-", "", node.lower_name) in _CSS_IMAGE_FUNCTIONS:
            named = [token.value for token in node.arguments if token.type in ("string", "url", "ident")]
            if node.lower_name in ("url", "src"):
                return not all(value.strip().startswith("#") for value in named if value) or not named
            if any(token.type in ("string", "url") for token in node.arguments):
                return True
        children = []
        for part in ("prelude", "content", "arguments"):
            children += getattr(node, part, None) or []
        if node.type == "qualified-rule" or node.type == "at-rule":
            children = [*(node.prelude or []), *tinycss2.parse_blocks_contents(node.content or [])]
        elif node.type == "declaration":
            children = node.value
        return any(outside(child) for child in children)

    return any(outside(node) for node in nodes)


def _short(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "…")


def _file_attribute(source: str) -> tuple[str, int] | None:
    """The first attribute that makes Graphviz read a file or write a link, and its line."""
    for number, line in enumerate(source.split("\n"), 1):
        if match := _DOT_FILE_ATTRIBUTES.search(line):
            return match.group(1), number
    return None


def _drawable(figure) -> bool:
    return shutil.which("dot") is not None and _file_attribute(figure.graphviz) is None


def _draw_side_by_side(figures: list, font: str) -> dict[str, tuple[bytes, tuple[str, int] | None]]:
    """`dot`'s SVG of each diagram that may be drawn, by its DOT source: the runs side by side
    (each waits on a process of its own), since a guide may have dozens."""
    sources = list(dict.fromkeys(figure.graphviz for figure in figures
                                 if figure.graphviz is not None and _drawable(figure)))
    if len(sources) < 2:
        return {}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(zip(sources, pool.map(lambda source: run_dot(source, "svg", font), sources), strict=True))


def _diagram(figure, font: str, report, drawn: tuple[bytes, tuple[str, int] | None] | None) -> RenderedFigure | None:
    if found := _file_attribute(figure.graphviz):
        attribute, number = found
        report(f"uses the attribute {attribute}, which makes Graphviz read a file or write a link; "
               "a diagram must be drawn from its own text", number)
        return None
    if shutil.which("dot") is None:
        report("needs Graphviz's dot program to be drawn; install graphviz (Debian and Ubuntu: apt-get install graphviz)", 0)
        return None
    svg, error = drawn or run_dot(figure.graphviz, "svg", font)
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

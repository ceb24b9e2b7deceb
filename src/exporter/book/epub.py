"""EPUB 3 exporter: the whole guide as a study book with a linked answer key.

Documents are rendered from `templates/epub/` (autoescaped XHTML), then put
together with ebooklib: the package document, the NCX and the zip. See
`epub_pages` for what the book contains and `epub_writer` for how it is
written byte-reproducibly.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import jinja2
from ebooklib import epub

from exporter.book.cover import cover_alt_text, cover_png
from exporter.book.pages import PRACTICE_ANSWERS, Links, Page, domain_title, plan_pages, section_titles
from exporter.book.writer import Document, ReproducibleWriter, well_formed
from exporter.build.templates import TEMPLATES_DIR, template_environment
from exporter.model.anchors import anchor, heading_anchor
from exporter.model.clock import build_time
from exporter.model.figures import figure_paths
from exporter.model.guide import Guide
from exporter.model.numbering import figure_numbers
from exporter.text import bidi, scripts
from exporter.text.i18n import Labels, labels_for

TEXT_DIR = "text"
CSS_FILE = "css/book.css"
COVER_FILE = "images/cover.png"
IMAGES_DIR = "images"
# Seeds the book's identifier: the same guide id gives the same UUID on every build.
IDENTIFIER_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://studyguide-exporter.invalid/epub")
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
# The landmarks (`pages.plan_pages`) the EPUB 2 guide repeats, by their type there.
EPUB2_GUIDE_TYPES = {"cover": "cover", "toc": "toc", "bodymatter": "text"}


def write(guide: Guide, target: Path, variant: str = "") -> None:
    """The book, written to `target` (the registry names the file)."""
    ReproducibleWriter(target, build_book(guide), build_time(guide)).write()


def book_identifier(guide: Guide) -> str:
    return f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, guide.id)}"


def build_book(guide: Guide) -> epub.EpubBook:
    labels = labels_for(guide)
    env = _environment(labels)
    env.globals["direction"] = guide.direction  # read by the `md` filter, in macros too
    env.globals["section_titles"] = section_titles(guide)  # for the `section` macro
    links = Links(guide)
    pages = plan_pages(guide, links)
    built = build_time(guide)
    common = {"guide": guide, "links": links, "pages": pages, "css": f"../{CSS_FILE}",
              "cover_src": f"../{COVER_FILE}", "cover_alt": cover_alt_text(guide),
              "date_label": labels.date(built), "lang": guide.language,
              "glossary": guide.glossary_by_id,
              "domain_title": lambda domain: domain_title(guide, domain)}

    book = epub.EpubBook()
    _describe(book, guide, built, labels)

    cover = epub.EpubCover(uid="cover-image", file_name=COVER_FILE)
    cover.media_type = "image/png"
    cover.content = cover_png(guide, common["date_label"])
    book.add_item(cover)
    book.add_item(epub.EpubItem(uid="css", file_name=CSS_FILE, media_type="text/css",
                                content=_stylesheet(guide).encode("utf-8")))
    # Globals, as the `figure` macro (imported without context) reads them.
    env.globals["figure_images"] = _add_figures(book, guide)
    env.globals["figure_numbers"] = figure_numbers(guide)

    documents = {}
    for page in pages:
        xhtml = env.get_template(page.template).render(common, page=page, **page.context)
        document = Document(page.uid, f"{TEXT_DIR}/{page.file_name}", page.title,
                            well_formed(xhtml.encode("utf-8")),
                            properties=("nav",) if page.uid == "nav" else ())
        book.add_item(document)
        documents[page.uid] = document
    book.add_item(epub.EpubNcx())
    book.spine = list(documents.values())
    book.toc = [_toc_entry(page) for page in pages if page.uid not in ("cover", "nav")]
    # The EPUB 2 guide, from the pages' landmarks: Kindle's converter takes the cover and the start page from it.
    book.guide = [{"type": EPUB2_GUIDE_TYPES[page.landmark[0]], "title": page.landmark[1],
                   "href": f"{TEXT_DIR}/{page.file_name}"}
                  for page in pages if page.landmark and page.landmark[0] in EPUB2_GUIDE_TYPES]
    return book


def _add_figures(book: epub.EpubBook, guide: Guide) -> dict[str, dict]:
    """Each figure's image in the book, named by its content; an SVG also as PNG, which the
    page offers to readers that cannot show SVG (KOReader, Kindle's conversion). By figure id:
    {"src": the image, "fallback": the PNG or None}, hrefs relative to the text folder."""
    images: dict[str, dict] = {}
    added: set[str] = set()

    def add(name: str, media_type: str, content: bytes) -> str:
        if name not in added:
            added.add(name)
            book.add_item(epub.EpubItem(uid=name.replace(".", "-"), file_name=f"{IMAGES_DIR}/{name}",
                                        media_type=media_type, content=content))
        return f"../{IMAGES_DIR}/{name}"

    for _, figure in figure_paths(guide):
        rendered = guide.rendered(figure)
        src = add(rendered.file_name, rendered.media_type, rendered.data)
        fallback = None
        if rendered.vector:
            fallback = add(rendered.raster_file_name, f"image/{rendered.raster_kind}", rendered.raster)
        images[figure.id] = {"src": src, "fallback": fallback}
    return images
def _stylesheet(guide: Guide) -> str:
    """The book's stylesheet, then the fonts and typesetting of the guide's script."""
    css = (TEMPLATES_DIR / "epub" / "book.css").read_text(encoding="utf-8")
    return css + "\n" + scripts.stylesheet(guide.language, "book", css)


def _describe(book: epub.EpubBook, guide: Guide, built, labels: Labels) -> None:
    """Package metadata: bibliographic, then accessibility (EPUB Accessibility 1.1)."""
    book.set_identifier(book_identifier(guide))
    book.set_language(guide.language)
    if guide.direction == "rtl":
        book.set_direction("rtl")  # the spine's page-progression-direction
    book.title = guide.title.plain
    book.add_metadata("DC", "title", guide.title.plain, {"id": "title"})
    book.add_metadata(None, "meta", "main", {"refines": "#title", "property": "title-type"})
    for number, author in enumerate(guide.authors, 1):
        book.add_author(author.plain, uid=f"creator-{number}")
    book.add_metadata("DC", "publisher", guide.publisher.plain)
    book.add_metadata("DC", "date", built.date().isoformat())
    book.add_metadata("DC", "rights", guide.license.plain)
    book.add_metadata("DC", "description", guide.summary.plain)
    for subject in (guide.exam_code.plain, guide.certification.plain, guide.vendor.plain):
        book.add_metadata("DC", "subject", subject)
    book.add_metadata(None, "meta", guide.version, {"property": "schema:version"})
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})

    accessibility = [
        ("schema:accessMode", "textual"),
        ("schema:accessMode", "visual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityFeature", "alternativeText"),
        ("schema:accessibilityFeature", "displayTransformability"),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", labels.gettext("book.accessibility-summary")),
        ("dcterms:conformsTo", CONFORMANCE),
        ("a11y:certifiedBy", guide.publisher.plain),
    ]
    for prop, value in accessibility:
        book.add_metadata(None, "meta", value, {"property": prop})


def _toc_entry(page: Page):
    # Dotted, as the anchors are: a page uid and an anchor never run together into another's.
    link = epub.Link(f"{TEXT_DIR}/{page.file_name}", page.title, anchor("toc", page.uid))
    if not page.sections:
        return link
    children = [epub.Link(f"{TEXT_DIR}/{page.file_name}#{section}", title, anchor("toc", page.uid, section))
                for section, title in page.sections]
    return (link, children)


def _environment(labels: Labels) -> jinja2.Environment:
    environment = template_environment("epub", labels)
    environment.filters["md"] = bidi.html_filter()
    environment.filters["md_in_link"] = bidi.html_filter(in_link=True)
    environment.globals.update(anchor=anchor, heading_anchor=heading_anchor, practice_answers=PRACTICE_ANSWERS)
    return environment

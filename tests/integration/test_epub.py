"""The EPUB book: valid (EPUBCheck), accessible (Ace), linked, complete and reproducible.

Each guide's book is built once for the run (conftest.py); EPUBCheck and Ace run once per book.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import shutil
import subprocess
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from lxml import etree

from exporter.book import epub
from exporter.model.anchors import anchor
from exporter.model.clock import build_time
from exporter.model.guide import Guide
from exporter.source.loader import load_guide
from exporter.text.i18n import labels_for
from exporter.text.markup import Text
from tests.checkers import epub as checker
from tests.conftest import ALL_GUIDES, PYTHON, ROOT
from tests.helpers import export

NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'
OPF = "EPUB/content.opf"


@dataclass
class Book:
    guide: Guide
    path: Path
    files: dict[str, bytes]

    def xml(self, name: str):
        return etree.fromstring(self.files[name])

    @property
    def documents(self) -> dict[str, etree._Element]:
        """Every XHTML document, parsed, by its name in the zip."""
        return {name: self.xml(name) for name in self.files if name.endswith(".xhtml")}

    def ids(self, name: str) -> set[str]:
        return set(self.xml(name).xpath("//@id"))


@pytest.fixture(scope="module", params=ALL_GUIDES, ids=lambda path: path.stem)
def book(request, exported) -> Book:
    """Each guide's book, from the build of every guide that the tests share (conftest.py)."""
    guide = load_guide(request.param)
    (path,) = exported[guide.id]["epub"]
    with zipfile.ZipFile(path) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    return Book(guide, path, files)


# --- the real checkers ------------------------------------------------------------


@pytest.mark.slow
def test_epubcheck_finds_no_fatal_error_or_warning(book):
    assert checker.epubcheck(book.path) == []


# Ace and calibre read what the templates make of a guide, and take seconds a book: each reads
# every kind of book once, where EPUBCheck and the tests below read every book. Ace: the shipped
# guide, the small fixture (every kind of item), figures, Japanese and Arabic; not the large
# generated one (the small fixture's structure many times over), the German one (the English
# ones' structure) nor the Korean one (the Japanese one's). Calibre, whose Kindle conversion sees
# scripts, not structure: the shipped guide, and the Japanese, Korean and Arabic ones
# (test_figures.py converts the figures).
ACE_GUIDES = [path for path in ALL_GUIDES if path.stem not in ("hive-220", "ksr-210", "dan-k120")]
CALIBRE_GUIDES = [path for path in ALL_GUIDES if path.stem in ("ai-300", "cld-j100", "dan-k120", "dat-a150")]


@pytest.mark.slow
@pytest.mark.parametrize("book", ACE_GUIDES, ids=lambda path: path.stem, indirect=True)
def test_ace_finds_no_critical_or_serious_violation(book, tmp_path):
    report = checker.ace_report(book.path, tmp_path / "ace")
    blocking = [v for v in checker.ace_violations(report) if v[0] in checker.BLOCKING_IMPACTS]
    assert blocking == []
    # Ace read the accessibility metadata we declared.
    metadata = report["earl:testSubject"]["metadata"]
    assert metadata["dcterms:conformsTo"] == epub.CONFORMANCE
    assert "textual" in metadata["schema:accessModeSufficient"]


@pytest.mark.slow
def test_checkers_fail_a_broken_book(exported, tmp_path):
    """The checker is not a rubber stamp: a dead link and a missing alt text are caught."""
    (good,) = exported[ALL_GUIDES[-1].stem]["epub"]
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "EPUB/text/cover.xhtml":
                data = re.sub(rb' alt="[^"]*"', b"", data)
            if info.filename == "EPUB/text/exam.xhtml":
                data = data.replace(b'href="domain-', b'href="missing-', 1)
            target.writestr(info, data)
    problems = checker.epubcheck(broken) + checker.ace(broken)  # not Calibre: it has nothing to say here
    assert any("EPUBCheck ERROR" in problem for problem in problems), problems
    assert any("Ace critical" in problem or "Ace serious" in problem for problem in problems), problems


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("ebook-convert") is None, reason="Calibre is not installed (optional)")
@pytest.mark.parametrize("book", CALIBRE_GUIDES, ids=lambda path: path.stem, indirect=True)
def test_calibre_converts_to_azw3_with_a_cover(book):
    assert checker.calibre(book.path) == []


# --- links ---------------------------------------------------------------------------


def _internal_links(book: Book):
    """(document, element, target file, fragment) for every in-book reference of every document."""
    for name, root in book.documents.items():
        folder = posixpath.dirname(name)
        for element in root.xpath("//x:a[@href] | //x:link[@href] | //x:img[@src]", namespaces=NS):
            reference = element.get("href") or element.get("src")
            if re.match(r"^(https?|mailto):", reference):
                continue
            target, fragment = urldefrag(reference)
            yield name, element, posixpath.normpath(posixpath.join(folder, target)) if target else name, fragment


def test_every_internal_link_resolves(book):
    dead = []
    checked = 0
    for name, _element, target, fragment in _internal_links(book):
        checked += 1
        if target not in book.files:
            dead.append(f"{name} -> {target}")
        elif fragment and fragment not in book.ids(target):
            dead.append(f"{name} -> {target}#{fragment}")
    ncx = book.xml("EPUB/toc.ncx")
    for src in ncx.xpath("//ncx:content/@src", namespaces=NS):
        target, fragment = urldefrag(src)
        checked += 1
        if f"EPUB/{target}" not in book.files or (fragment and fragment not in book.ids(f"EPUB/{target}")):
            dead.append(f"toc.ncx -> {src}")
    assert dead == []
    assert checked > 3 * len(book.guide.all_questions)


def test_no_link_targets_a_body(book):
    for name, _element, target, fragment in _internal_links(book):
        if fragment:
            (found,) = book.xml(target).xpath("//*[@id=$id]", id=fragment)
            assert etree.QName(found).localname != "body", f"{name} links to the body of {target}"


def test_every_question_and_answer_is_there(book):
    guide = book.guide
    questions = {name: root.xpath("//x:section[@class='question']", namespaces=NS)
                 for name, root in book.documents.items()}
    answers = book.xml("EPUB/text/answers.xhtml").xpath("//x:section[@class='answer']", namespaces=NS)
    assert sum(len(found) for found in questions.values()) == len(guide.all_questions)
    assert len(questions["EPUB/text/practice-exam.xhtml"]) == len(guide.practice_exam)
    assert len(answers) == len(guide.all_questions)
    assert {a.get("id") for a in answers} == {anchor("answer", q.id) for q in guide.all_questions}


def test_each_question_links_to_its_answer_and_back(book):
    answers_root = book.xml("EPUB/text/answers.xhtml")
    for name, root in book.documents.items():
        for question in root.xpath("//x:section[@class='question']", namespaces=NS):
            question_id = question.get("id").removeprefix("question.")
            forward = question.xpath(".//x:a/@href", namespaces=NS)
            assert f"answers.xhtml#{anchor('answer', question_id)}" in forward
            (answer,) = answers_root.xpath("//x:section[@id=$id]", namespaces=NS, id=anchor("answer", question_id))
            back = answer.xpath(".//x:a[@role='doc-backlink']/@href", namespaces=NS)
            assert back == [f"{posixpath.basename(name)}#{anchor('question', question_id)}"]


def test_answers_give_the_key_and_the_explanation(book):
    root = book.xml("EPUB/text/answers.xhtml")
    for question in book.guide.all_questions:
        (answer,) = root.xpath("//x:section[@id=$id]", namespaces=NS, id=anchor("answer", question.id))
        text = "".join(answer.itertext())  # inline elements such as <code> split the text nodes
        key = labels_for(book.guide).item_list([option_id.upper() for option_id in question.answer])
        shown = answer.xpath("string(.//x:p[@class='key'])", namespaces=NS)
        assert shown.endswith(key), (shown, key)
        assert question.explanation.plain[:60] in " ".join(text.split())


def test_nav_has_every_domain_chapter_two_levels_deep(book):
    nav = book.xml("EPUB/text/nav.xhtml")
    (toc,) = nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)
    top = toc.xpath("x:ol/x:li/x:a", namespaces=NS)
    titles = {a.get("href"): " ".join(a.itertext()) for a in top}
    for domain in book.guide.domains:
        assert domain.title.plain in titles[f"domain-{domain.id}.xhtml"]
        sections = toc.xpath("x:ol/x:li[x:a/@href=$href]/x:ol/x:li/x:a/@href", namespaces=NS,
                             href=f"domain-{domain.id}.xhtml")
        assert f"domain-{domain.id}.xhtml#sec-concepts" in sections or not domain.concepts
    assert not toc.xpath("x:ol/x:li/x:ol/x:li/x:ol", namespaces=NS), "the TOC is two levels deep"
    ncx_sources = book.xml("EPUB/toc.ncx").xpath("//ncx:content/@src", namespaces=NS)
    assert all(f"text/domain-{d.id}.xhtml" in ncx_sources for d in book.guide.domains)


def test_landmarks(book):
    nav = book.xml("EPUB/text/nav.xhtml")
    types = set(nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS))
    expected = {"cover", "toc", "bodymatter", "backmatter"} | ({"glossary"} if book.guide.glossary else set())
    assert types == expected


def test_glossary_terms_are_linked_from_the_chapters(book):
    hrefs = {href for root in book.documents.values() for href in root.xpath("//x:a/@href", namespaces=NS)}
    used = {entry_id for domain in book.guide.domains for c in domain.concepts for entry_id in c.glossary}
    # Every link a concept asks for is there (the large fixture's concepts ask for none).
    assert {f"glossary.xhtml#{anchor('term', entry_id)}" for entry_id in used} <= hrefs


# --- reader safety and metadata -----------------------------------------------------


def test_every_xhtml_file_declares_utf8_and_its_language(book):
    for name, data in book.files.items():
        if name.endswith(".xhtml"):
            assert data.startswith(XML_DECLARATION + b"\n"), name
            html = etree.fromstring(data)
            assert html.get("lang") == html.get(XML_LANG) == book.guide.language, name


def test_reader_safe_markup_and_size(book):
    assert book.path.stat().st_size < 5 * 1024 * 1024
    css = b"".join(data for name, data in book.files.items() if name.endswith(".css")).decode()
    # The properties themselves, not `text-emphasis-position:`.
    assert not re.search(r"display\s*:\s*(inline-)?(flex|grid)|(?<![-\w])(position|float)\s*:", css)
    for name, root in book.documents.items():
        assert not root.xpath("//x:script | //@*[starts-with(name(), 'on')] | //x:aside", namespaces=NS), name
        assert not root.xpath("//x:body/@id", namespaces=NS), name
        for image in root.xpath("//x:img", namespaces=NS):
            assert image.get("alt", "").strip(), f"{name}: image without alt text"
    assert not any(name.endswith(".js") for name in book.files)


def test_cover_is_a_small_raster_image_with_alt_text(book):
    opf = book.xml(OPF)
    (item,) = opf.xpath("//opf:item[@properties='cover-image']", namespaces=NS)
    assert item.get("media-type") == "image/png"
    assert opf.xpath("//opf:meta[@name='cover']/@content", namespaces=NS) == [item.get("id")]
    image = book.files[f"EPUB/{item.get('href')}"]
    assert image.startswith(b"\x89PNG") and len(image) < 500_000
    (img,) = book.xml("EPUB/text/cover.xhtml").xpath("//x:img", namespaces=NS)
    assert book.guide.exam_code.plain in img.get("alt") and img.get("role") == "doc-cover"


def test_package_metadata(book):
    guide = book.guide
    opf = book.xml(OPF)
    assert opf.get(XML_LANG) == guide.language

    def meta(prop):
        return opf.xpath("//opf:meta[@property=$p]/text()", namespaces=NS, p=prop)

    identifier = opf.xpath("//dc:identifier/text()", namespaces=NS)
    assert identifier == [epub.book_identifier(guide)]
    assert uuid.UUID(identifier[0].removeprefix("urn:uuid:")).version == 5
    assert opf.xpath("//dc:title/text()", namespaces=NS) == [guide.title.plain]
    assert opf.xpath("//dc:language/text()", namespaces=NS) == [guide.language]
    assert guide.exam_code.plain in opf.xpath("//dc:subject/text()", namespaces=NS)
    assert opf.xpath("//dc:publisher/text()", namespaces=NS) == [guide.publisher.plain]
    assert meta("schema:version") == [guide.version]
    assert meta("dcterms:modified") == [build_time(guide).strftime("%Y-%m-%dT%H:%M:%SZ")]
    assert meta("dcterms:conformsTo") == [epub.CONFORMANCE]
    for prop in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                 "schema:accessibilityHazard", "schema:accessibilitySummary"):
        assert meta(prop), prop


def test_source_text_is_escaped_once(tmp_path):
    guide = load_guide(ALL_GUIDES[-1])
    guide = guide.model_copy(update={"summary": Text("Fish & <chips> with *vinegar*")})
    (path,) = export(guide, "epub", tmp_path)
    with zipfile.ZipFile(path) as archive:
        page = archive.read("EPUB/text/how-to-use.xhtml").decode()
    assert "Fish &amp; &lt;chips&gt; with <em>vinegar</em>" in page


# --- reproducibility ------------------------------------------------------------------


def test_a_rebuild_in_another_process_and_time_zone_is_byte_identical(book, tmp_path):
    source = next(path for path in ALL_GUIDES if load_guide(path).id == book.guide.id)
    env = dict(os.environ, TZ="America/Los_Angeles")
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run([PYTHON, "-m", "exporter", "build", str(source), "--format", "epub", "--out", str(tmp_path)],
                   check=True, env=env, cwd=ROOT, capture_output=True)
    assert (tmp_path / book.path.name).read_bytes() == book.path.read_bytes()


def test_zip_entries_are_pinned_and_mimetype_first(book):
    with zipfile.ZipFile(io.BytesIO(book.path.read_bytes())) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    stamp = build_time(book.guide)
    assert {info.date_time for info in infos} == {stamp.timetuple()[:6]}

"""ebooklib's writer, made reproducible and standard where it is not.

ebooklib stamps every zip entry with the clock, leaves `xml:lang` off
`<package>`, and renders XHTML itself. This writer pins the entry times,
adds the language, and writes our own rendered documents byte for byte.
"""

from __future__ import annotations

import datetime as dt
import zipfile

from ebooklib import epub
from lxml import etree

from exporter.build.zips import entry_time, pinned_entry

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class Document(epub.EpubHtml):
    """An XHTML document rendered by our templates, written exactly as rendered."""

    def __init__(self, uid: str, file_name: str, title: str, xhtml: bytes, properties: tuple[str, ...] = ()):
        super().__init__(uid=uid, file_name=file_name, title=title)
        self.content = xhtml
        self.properties = list(properties)

    def get_content(self, default=None) -> bytes:
        return self.content


class _PinnedZip(zipfile.ZipFile):
    """A zip whose entries all carry one fixed time and fixed permissions."""

    def __init__(self, path, date_time: tuple[int, ...], **kwargs):
        super().__init__(path, "w", zipfile.ZIP_DEFLATED, **kwargs)
        self._date_time = date_time

    def writestr(self, name, data, compress_type=None, compresslevel=None):
        if isinstance(name, str):
            name = pinned_entry(name, self._date_time, self.compression)
        super().writestr(name, data, compress_type=compress_type, compresslevel=compresslevel)


class ReproducibleWriter(epub.EpubWriter):
    """Writes `book` so that the same book and `modified` always give the same bytes."""

    def __init__(self, path, book: epub.EpubBook, modified: dt.datetime):
        self._date_time = entry_time(modified)
        # `mtime` becomes dcterms:modified, which ebooklib labels Z: hand it UTC.
        modified = dt.datetime(*self._date_time, tzinfo=dt.timezone.utc)
        super().__init__(str(path), book, {"mtime": modified, "epub3_landmark": False, "epub3_pages": False})

    def write(self) -> None:
        self.out = _PinnedZip(self.file_name, self._date_time, compresslevel=self.options["compresslevel"])
        try:
            self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
            self._write_container()
            self._write_opf()
            self._write_items()
        finally:
            self.out.close()

    def _write_opf_file(self, root) -> None:
        root.set(XML_LANG, self.book.language)
        super()._write_opf_file(root)

    def _get_ncx(self) -> bytes:
        # ebooklib always declares depth 0; readers expect the real depth of the navMap.
        ncx = etree.fromstring(super()._get_ncx())
        ns = {"ncx": "http://www.daisy.org/z3986/2005/ncx/"}
        depth = max((len(list(point.iterancestors(f"{{{ns['ncx']}}}navPoint"))) + 1
                     for point in ncx.iterfind(".//ncx:navPoint", ns)), default=1)
        ncx.find("ncx:head/ncx:meta[@name='dtb:depth']", ns).set("content", str(depth))
        return etree.tostring(ncx, xml_declaration=True, encoding="utf-8", pretty_print=True)

    def _get_nav(self, item) -> bytes:  # our nav is a Document, never ebooklib's
        raise AssertionError("the navigation document is rendered from templates")


def well_formed(xhtml: bytes) -> bytes:
    """Fail the build, not the reader, if a template produced broken XML."""
    etree.fromstring(xhtml)
    return xhtml

"""The preview's parts that need no server: Anki's template language, and which paths it serves."""

from __future__ import annotations

import pytest

from exporter.preview.anki_templates import TemplateError, render
from exporter.preview.app import served_file


def test_sections_and_clozes_as_anki_fills_them():
    fields = {"A": "x", "Empty": " <br> ", "Text": "a {{c1::b c}} {{c2::d::hint}}"}
    assert render("{{#A}}[{{A}}]{{/A}}{{^Empty}}none{{/Empty}}{{#Empty}}!{{/Empty}}", fields) == "[x]none"
    assert render("{{cloze:Text}}", fields, ordinal=2) == (
        'a <span class="cloze-inactive" data-ordinal="1">b c</span> '
        '<span class="cloze" data-cloze="d" data-ordinal="2">[hint]</span>')
    assert render("{{cloze:Text}}", fields, ordinal=1, question=False).startswith(
        'a <span class="cloze" data-ordinal="1">b c</span>')
    with pytest.raises(TemplateError):
        render("{{#A}}never closed", fields)
    with pytest.raises(TemplateError):
        render("{{Missing}}", fields)


def test_only_files_inside_the_preview_folder_are_served(tmp_path):
    folder = tmp_path / "preview"
    (folder / "build-1").mkdir(parents=True)
    (folder / "build-1" / "cards.json").write_text("{}")
    (tmp_path / "outside.txt").write_text("no")
    (folder / "build-1" / "link.txt").symlink_to(tmp_path / "outside.txt")
    assert served_file(folder, "build-1/cards.json") == (folder / "build-1" / "cards.json").resolve()
    for path in ["../outside.txt", "build-1/../../outside.txt", "build-1/link.txt", "/etc/passwd", "build-1",
                 "build-1//cards.json", "./build-1/cards.json", "build-1\\..\\..\\outside.txt", ""]:
        assert served_file(folder, path) is None, path
    assert served_file(folder, "build-1/cards.json", b"/files/build-1%2Fcards.json") is None

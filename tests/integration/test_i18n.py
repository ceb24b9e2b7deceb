"""Labels in the guide's language: complete catalogs, plural forms, CLDR formats,
`labels:` overrides, a language without a catalog, and the leak test: no English
label in the artifacts of a guide whose catalog translates it."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pdfplumber
import pytest
import yaml
from babel.messages.pofile import read_po
from lxml import etree
from pypdf import PdfReader

from exporter.anki import notes as anki_notes
from exporter.anki import plan as anki_plan
from exporter.model.guide import Guide, Money, Range
from exporter.source.loader import SourceError, load_guide
from exporter.text import i18n
from tests.checkers.anki import card_problems, fresh_collection, import_package, visible_text
from tests.conftest import FIXTURE_GUIDES, built_once
from tests.helpers import ROOT, run_cli

LANGUAGE_GUIDES = sorted((ROOT / "tests" / "fixtures" / "languages").glob("*.yaml"))
GERMAN_GUIDE = ROOT / "tests" / "fixtures" / "languages" / "obst-de.yaml"


def _language(source: Path) -> str:
    return yaml.safe_load(source.read_text(encoding="utf-8"))["language"]


# Every fixture guide in a language other than English that has a catalog.
TRANSLATED_GUIDES = [source for source in FIXTURE_GUIDES + LANGUAGE_GUIDES
                     if i18n.catalog_language(_language(source)) not in (None, i18n.SOURCE_LANGUAGE)]


def _catalog(language: str):
    with open(i18n.catalog_path(language), "rb") as source:
        return read_po(source, locale=language)


def _forms(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


# --- the catalogs ------------------------------------------------------------------------


# The catalogs the package ships, written out: a catalog lost or added by mistake fails here,
# and the leak test below must cover every one of them.
SHIPPED_CATALOGS = ["en", "de", "es", "fr", "it", "pt_BR", "id", "ja", "ko", "zh_Hans", "zh_Hant", "ar"]


def test_exactly_the_twelve_catalogs_are_shipped():
    assert sorted(i18n.shipped_languages()) == sorted(SHIPPED_CATALOGS)
    assert i18n.shipped_languages()[0] == "en"


@pytest.mark.parametrize("language", i18n.shipped_languages())
def test_every_catalog_translates_every_message_with_the_same_placeholders(language):
    catalog = _catalog(language)
    ids = set(i18n.message_ids())
    found = {message.id if isinstance(message.id, str) else message.id[0]: message for message in catalog if message.id}
    assert set(found) == ids, f"missing: {sorted(ids - set(found))}, not in the template: {sorted(set(found) - ids)}"
    problems = []
    for message_id, message in found.items():
        forms = _forms(message)
        allowed = i18n.placeholders(message_id)
        if message.fuzzy or not all(forms):
            problems.append(f"{message_id}: untranslated or fuzzy")
            continue
        if isinstance(message.id, tuple) and len(forms) != catalog.num_plurals:
            problems.append(f"{message_id}: {len(forms)} plural forms, {language} has {catalog.num_plurals}")
        for form in forms:
            used = set(i18n.PLACEHOLDER.findall(form))
            if used - allowed:
                problems.append(f"{message_id}: unknown placeholders {sorted(used - allowed)} in {form!r}")
            if not isinstance(message.id, tuple) and used != allowed:
                problems.append(f"{message_id}: drops placeholders {sorted(allowed - used)} in {form!r}")
            try:
                form % {name: "x" for name in allowed}
            except (ValueError, TypeError, KeyError) as error:
                problems.append(f"{message_id}: {form!r} is not a format string ({error}); write %% for a %")
    assert problems == []


def test_the_template_lists_exactly_the_messages_the_code_and_templates_use(tmp_path):
    """`make messages-template` extracts them again; the committed template must match."""
    fresh = tmp_path / "messages.pot"
    subprocess.run(["make", "--no-print-directory", "-s", "messages-template", f"POT={fresh}"], cwd=ROOT,
                   check=True, capture_output=True, text=True, timeout=300)
    with open(fresh, "rb") as source:
        extracted = {message.id if isinstance(message.id, str) else message.id[0]
                     for message in read_po(source) if message.id}
    assert extracted == set(i18n.message_ids()), "run `make messages`, translate, and commit"


# --- plural forms and formats ----------------------------------------------------------------


@pytest.mark.parametrize(("language", "count", "expected"), [
    ("en", 1, "Choose one answer."),
    ("en", 2, "Choose two answers."),
    ("de", 1, "Wähle eine Antwort."),
    ("de", 2, "Wähle zwei Antworten."),
    ("es", 3, "Elige tres respuestas."),
    ("fr", 2, "Choisissez deux réponses."),
])
def test_plural_forms_come_from_the_catalog(language, count, expected):
    labels = i18n.Labels(language)
    words = labels.gettext(f"number.{['', '', 'two', 'three'][count]}") if count > 1 else ""
    assert labels.ngettext("anki.choose-answers", "anki.choose-answers", count, words=words) == expected


def test_french_uses_its_plural_rule_for_zero_and_one():
    labels = i18n.Labels("fr")
    assert labels.ngettext("unit.minutes", "unit.minutes", 0) == "0 minute"
    assert labels.ngettext("unit.minutes", "unit.minutes", 2) == "2 minutes"
    assert i18n.Labels("en").ngettext("unit.minutes", "unit.minutes", 0) == "0 minutes"


@pytest.mark.parametrize(("language", "date", "money", "whole", "percent", "scale"), [
    ("en", "30 November 2026", "€25.49", "US$165", "25%", "100–1,000"),
    ("en-US", "November 30, 2026", "€25.49", "$165", "25%", "100–1,000"),
    ("de", "30. November 2026", "25,49\xa0€", "165\xa0$", "25\xa0%", "100–1.000"),
    ("es", "30 de noviembre de 2026", "25,49\xa0€", "165\xa0US$", "25\xa0%", "100–1.000"),
    ("fr", "30 novembre 2026", "25,49\xa0€", "165\xa0$US", "25\xa0%", "100–1\u202f000"),
    # CLDR's default numbering system: Latin digits for Arabic, Arabic-Indic ones in Egypt and Saudi Arabia.
    ("ar", "30 نوفمبر 2026", "\u200f25.49\xa0€", "\u200f165\xa0US$", "25%", "100–1,000"),
    ("ar-EG", "٣٠ نوفمبر ٢٠٢٦", "\u200f٢٥٫٤٩\xa0€", "\u200f١٦٥\xa0US$", "٢٥٪\u200f", "١٠٠–١٬٠٠٠"),
    ("ar-SA", "٣٠ نوفمبر ٢٠٢٦", "\u200f٢٥٫٤٩\xa0€", "\u200f١٦٥\xa0US$", "٢٥٪\u200f", "١٠٠–١٬٠٠٠"),
    ("fa", "۳۰ نوامبر ۲۰۲۶", "\u200e€\xa0۲۵٫۴۹", "\u200e$\xa0۱۶۵", "۲۵٪", "۱۰۰–۱٬۰۰۰"),
])
def test_dates_numbers_and_money_follow_the_locale(language, date, money, whole, percent, scale):
    labels = i18n.Labels(language)
    assert labels.date(dt.datetime(2026, 11, 30, 23, 0, tzinfo=dt.timezone.utc)) == date
    assert labels.money(Money(amount=25.49, currency="EUR")) == money
    assert labels.money(Money(amount=165, currency="USD")) == whole
    assert labels.percent(25) == percent
    assert labels.range(Range(min=100, max=1000)) == scale


def test_every_numbering_system_cldr_makes_a_default_is_written_in_its_own_ten_digits():
    """A locale whose default CLDR gives another system would fall back to Latin digits unseen."""
    from babel import Locale, localedata

    defaults = {Locale.parse(name).default_numbering_system for name in localedata.locale_identifiers()}
    assert defaults <= set(i18n.NUMBERING_SYSTEM_ZEROS), defaults - set(i18n.NUMBERING_SYSTEM_ZEROS)
    for system, zero in i18n.NUMBERING_SYSTEM_ZEROS.items():
        digits = [chr(ord(zero) + value) for value in range(10)]
        assert [unicodedata.decimal(digit) for digit in digits] == list(range(10)), system
    assert i18n.Labels("ar-EG").number(1234567) == "١٬٢٣٤٬٥٦٧" and i18n.Labels("ar").number(1234567) == "1,234,567"
    assert i18n.Labels("ar-SA").ngettext("unit.minutes", "unit.minutes", 120) == "١٢٠ دقيقة"


def test_a_regional_tag_uses_its_language_catalog_and_its_region_formats():
    labels = i18n.Labels("de-AT")
    assert labels.catalog == "de"
    assert labels.gettext("sheet.glance") == "Die Prüfung auf einen Blick"
    assert labels.date(dt.date(2026, 1, 5)) == "5. Jänner 2026"


def test_a_language_unknown_to_cldr_gets_english_labels_and_formats():
    labels = i18n.Labels("tlh")
    assert labels.catalog is None
    assert labels.gettext("sheet.glance") == "Exam at a glance"
    assert labels.date(dt.date(2026, 11, 30)) == "30 November 2026"


# --- labels: in the guide ---------------------------------------------------------------------


def _with_labels(tmp_path: Path, labels: dict, language: str | None = None, name: str = "labelled") -> Path:
    data = yaml.safe_load(GERMAN_GUIDE.read_text(encoding="utf-8"))
    data.update(id=name, labels=labels, **({"language": language} if language else {}))
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_an_unknown_label_id_is_a_problem_at_its_line(tmp_path):
    path = _with_labels(tmp_path, {"sheet.glance": "Alles auf einen Blick", "sheet.glanse": "Tippfehler"})
    line = next(number for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text.strip().startswith("sheet.glanse:"))
    with pytest.raises(SourceError) as raised:
        load_guide(path)
    assert [str(problem) for problem in raised.value.problems] == [
        f"{path}:{line}:3: labels.sheet.glanse: is not a known label id; did you mean 'sheet.glance'?"]


def test_a_label_may_not_use_a_placeholder_its_message_lacks(tmp_path):
    path = _with_labels(tmp_path, {"sheet.heading": "Lernzettel %(code)s %(exam)s"})
    with pytest.raises(SourceError) as raised:
        load_guide(path)
    (problem,) = raised.value.problems
    assert "labels" in str(problem) and "%(exam)s" in str(problem)


def test_labels_replace_the_catalog_everywhere_and_a_lone_percent_is_a_percent_sign():
    labels = i18n.Labels("de", {"sheet.glance": "100 % Prüfung", "anki.choose-answers": "Kreuze %(num)s an."})
    assert labels.gettext("sheet.glance") == "100 % Prüfung"
    assert labels.ngettext("anki.choose-answers", "anki.choose-answers", 3) == "Kreuze 3 an."
    assert labels.html("sheet.glance") == "100 % Prüfung"


def test_a_language_without_a_catalog_builds_in_english_with_one_warning_and_its_own_labels(tmp_path):
    source = _with_labels(tmp_path, {"sheet.glance": "Het examen in één oogopslag",
                                     "anki.trap.prompt": "Waar of niet waar?",
                                     "book.contents": "Inhoud"}, language="nl", name="nl-guide")
    out = tmp_path / "out"
    result = run_cli("build", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, result.stderr
    assert "'nl'" in warnings[0] and "labels:" in warnings[0] and "messages.po" in warnings[0]
    texts = artifact_texts(out, "nl-guide")
    assert "Het examen in één oogopslag" in texts["nl-guide-cheatsheet-a4.pdf"]
    assert "Exam at a glance" not in texts["nl-guide-cheatsheet-a4.pdf"]
    assert "Domain weights" in texts["nl-guide-cheatsheet-a4.pdf"]  # English, where the guide says nothing
    assert "Waar of niet waar?" in texts["nl-guide.apkg"] and "True or false?" not in texts["nl-guide.apkg"]
    assert "Inhoud" in texts["nl-guide.epub: EPUB/text/nav.xhtml"]


@pytest.mark.slow
def test_an_egyptian_arabic_guide_writes_its_numbers_in_arabic_indic_digits_everywhere(tmp_path):
    """The Arabic fixture as `ar-EG`: its exam's numbers, dates, shares, the sheet's page numbers
    and numbered mistakes in CLDR's digits for Egypt, and the sheet's fonts draw them (the build's
    glyph check); the same guide as plain `ar` writes Latin digits (tests/fixtures: dat-a150)."""
    source = tmp_path / "dat-a150.yaml"
    text = (ROOT / "tests" / "fixtures" / "guides" / "dat-a150.yaml").read_text(encoding="utf-8")
    assert re.search(r"^language: ar$", text, flags=re.M)
    source.write_text(re.sub(r"^language: ar$", "language: ar-EG", text, flags=re.M), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    texts = artifact_texts(out, "dat-a150")
    # 120 minutes, a pass mark of 700, a fee of 350, 60 % and 40 % weights; built in 2026.
    egyptian, latin = {"١٢٠", "٧٠٠", "٣٥٠", "٦٠", "٤٠"}, {"120", "700", "350", "60", "40"}
    for artifact, also in (("dat-a150-cheatsheet-a4.pdf", {"٢٠٢٦"}), ("dat-a150-cheatsheet-letter.pdf", {"٢٠٢٦"}),
                           ("dat-a150.epub: EPUB/text/exam.xhtml", set())):
        words = set(re.findall(r"\w+", texts[artifact]))
        assert egyptian | also <= words, (artifact, egyptian | also - words)
        assert not words & latin, (artifact, words & latin)
    assert "٢٠٢٦" in texts["dat-a150.epub: EPUB/text/title.xhtml"]
    # Section numbers ("1.2", which cards cite) and a catalog's own digits ("tier 1") too.
    section_numbers = re.compile(r"(?<![0-9.])[0-9]\.[0-9](?![0-9.])")  # not the version, "1.0.0"
    for artifact in ("dat-a150.epub: EPUB/text/nav.xhtml", "dat-a150.epub: EPUB/text/domain-tanzif.xhtml"):
        assert "١.٢" in texts[artifact] and not section_numbers.search(texts[artifact]), artifact
    cited = i18n.Labels("ar-EG").gettext("anki.book-section", number="١.٢")
    assert cited in texts["dat-a150.apkg"] and cited.replace("١.٢", "1.2") not in texts["dat-a150.apkg"]
    assert "المستوى ١ " in texts["dat-a150.epub: EPUB/text/how-to-use.xhtml"]
    with zipfile.ZipFile(out / "dat-a150.epub") as book:  # the book's numbered lists (mistakes, checklist)
        assert "ol { list-style-type: arabic-indic; }" in book.read("EPUB/css/book.css").decode("utf-8")
    assert "١٢٠" in texts["dat-a150.apkg"] and "120" not in re.findall(r"\w+", texts["dat-a150.apkg"])
    with pdfplumber.open(out / "dat-a150-cheatsheet-a4.pdf") as sheet:
        footers = [[w["text"] for w in page.extract_words() if w["top"] > page.height - 60] for page in sheet.pages]
        back = sheet.pages[-1].extract_text()
    assert [sorted({"١", "٢"} & set(words)) for words in footers] == [["١", "٢"], ["٢"]], footers  # "page 1 of 2"
    assert "١." in back or ".١" in back, "the numbered mistakes count in the guide's digits"
    assert not re.search(r"(^|\s)[12]\.(\s|$)|(^|\s)\.[12](\s|$)", back), "a mistake numbered in Latin digits"


def test_no_warning_when_the_labels_cover_every_message():
    guide = load_guide(GERMAN_GUIDE)
    dutch = guide.model_copy(update={"language": "nl"})
    assert "'nl'" in i18n.missing_catalog_warning(dutch)
    everything = {message_id: forms[0] for message_id, forms in i18n.english_forms().items()}
    assert i18n.missing_catalog_warning(dutch.model_copy(update={"labels": everything})) is None
    assert i18n.missing_catalog_warning(guide) is None


# --- the leak test --------------------------------------------------------------------------


def artifact_texts(out: Path, guide_id: str) -> dict[str, str]:
    """The text a learner can meet in each artifact, by where it comes from.

    Deck: every card rendered by Anki (front and back), deck names and
    descriptions, note type, field and card names. Sheets: the text of every
    page, the metadata and the bookmarks. Book: every XHTML file (with alt
    texts), the package document and the NCX.
    """
    texts: dict[str, str] = {}
    with fresh_collection() as col:
        import_package(col, out / f"{guide_id}.apkg")
        parts, deck_names, model_ids = [], set(), set()
        for card_id in sorted(col.find_cards("")):
            card = col.get_card(card_id)
            parts += [visible_text(card.question()), visible_text(card.answer())]
            name = col.decks.name(card.did)
            deck_names |= {"::".join(name.split("::")[:depth]) for depth in range(1, name.count("::") + 2)}
            model_ids.add(card.note().mid)
        # The deck's own decks and note types, not the ones every new collection has.
        for deck in col.decks.all():
            if deck["name"] in deck_names:
                parts += [deck["name"], visible_text(deck.get("desc", ""))]
        for model in col.models.all():
            if model["id"] in model_ids:
                parts += [model["name"], *(f["name"] for f in model["flds"]), *(t["name"] for t in model["tmpls"])]
        texts[f"{guide_id}.apkg"] = "\n".join(parts)
    for paper in ("a4", "letter"):
        name = f"{guide_id}-cheatsheet-{paper}.pdf"
        with pdfplumber.open(out / name) as document:
            pages = [page.extract_text() or "" for page in document.pages]
        reader = PdfReader(out / name)
        meta = reader.metadata
        texts[name] = "\n".join([*pages, meta.title or "", meta.subject or "", meta.get("/Keywords", ""),
                                 *_outline_titles(reader.outline)])
    with zipfile.ZipFile(out / f"{guide_id}.epub") as book:
        for entry in book.namelist():
            if entry.endswith((".xhtml", ".opf", ".ncx")):
                root = etree.fromstring(book.read(entry))
                attributes = [value for element in root.iter() if isinstance(element.tag, str)
                              for key, value in element.attrib.items() if key in ("alt", "title", "content")]
                texts[f"{guide_id}.epub: {entry}"] = "\n".join([*root.itertext(), *attributes])
    return texts


def _spaced(text: str) -> str:
    return re.sub("[\xa0\u202f]", " ", text)


def _outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        titles += _outline_titles(item) if isinstance(item, list) else [item.title]
    return titles


def english_leaks(texts: dict[str, str], language: str, own_text: str) -> list[str]:
    """English catalog wording found in the texts, where the language's catalog translates it.

    Each English message is cut at its placeholders; a piece with at least three
    letters counts unless the translation uses it too (a German "Version" is
    "Version") or the guide's own text does (an author may quote a word).
    """
    translated = " ".join(form for message in _catalog(language) if message.id for form in _forms(message))
    # Tags and searches ("tag:AI-300::changed::1.2") are identifiers, the same in every language.
    texts = {where: re.sub(r"\S*::\S*", " ", text) for where, text in texts.items()}
    leaks = []
    for message_id, forms in i18n.english_forms().items():
        for form in forms:
            for piece in i18n.PLACEHOLDER.split(form)[::2]:
                piece = piece.replace("%%", "%").strip(" .,:;·()?!–")
                if len(re.findall(r"[^\W\d_]", piece)) < 3:
                    continue
                pattern = re.compile(rf"(?<!\w){re.escape(piece)}(?!\w)")
                if pattern.search(translated) or pattern.search(own_text):
                    continue
                leaks += [f"{where}: {message_id}: {piece!r}" for where, text in texts.items() if pattern.search(text)]
    return sorted(set(leaks))


# Shipped languages with no fixture guide of their own: the small English fixture, its
# `language:` set to theirs, so the leak test covers every shipped catalog.
RELABELLED_LANGUAGES = sorted(set(i18n.shipped_languages()) - {i18n.SOURCE_LANGUAGE}
                              - {i18n.catalog_language(_language(source)) for source in TRANSLATED_GUIDES})
SMALL_FIXTURE = ROOT / "tests" / "fixtures" / "guides" / "orch-110.yaml"


def relabelled(language: str, folder: Path) -> Path:
    """A copy of the small English fixture (and its ledger) in `language`."""
    text = SMALL_FIXTURE.read_text(encoding="utf-8")
    copy = folder / SMALL_FIXTURE.name
    copy.write_text(re.sub(r"^language: .*$", f"language: {language.replace('_', '-')}", text, flags=re.M),
                    encoding="utf-8")
    ledger = SMALL_FIXTURE.with_name("orch-110.releases.json")
    (folder / ledger.name).write_bytes(ledger.read_bytes())
    return copy


# What the leak test builds: each fixture guide with a catalog, and the relabelled copies.
LEAK_TEST_BUILDS = TRANSLATED_GUIDES + RELABELLED_LANGUAGES


def test_every_shipped_language_is_covered_by_the_leak_test(tmp_path):
    """The guide each build of the leak test loads, and the catalog its language reads, against the
    written-out list: a catalog without a guide or relabelled copy of its own is missed."""
    checked = []
    for param in LEAK_TEST_BUILDS:
        if isinstance(param, str):
            (tmp_path / param).mkdir()
        source = relabelled(param, tmp_path / param) if isinstance(param, str) else param
        checked.append(i18n.catalog_language(load_guide(source).language))
    assert set(checked) == set(SHIPPED_CATALOGS) - {i18n.SOURCE_LANGUAGE}


def _build_id(param: Path | str) -> str:
    return param.stem if isinstance(param, Path) else f"orch-110-{param}"


# The translated guides whose artifacts only this module builds: the fixture guides are in the
# build of every guide that the tests share (conftest.py), which the real checkers read already
# (test_epub.py, test_anki.py, test_pdf.py).
OWN_BUILDS = [param for param in LEAK_TEST_BUILDS if param not in FIXTURE_GUIDES]


@pytest.fixture(scope="module", params=LEAK_TEST_BUILDS, ids=_build_id)
def translated_build(request, tmp_path_factory, reference_build):
    source = request.param
    if source in FIXTURE_GUIDES:  # built already, with every guide, by one `studyguide build`
        assert reference_build.returncode == 0, reference_build.stderr
        guide = load_guide(source)
        assert f"warning: {guide.id}" not in reference_build.stderr, reference_build.stderr
        return guide, source, artifact_texts(reference_build.out, guide.id), reference_build.out
    name = _build_id(source)
    if isinstance(source, str):
        source = relabelled(source, tmp_path_factory.mktemp(f"relabelled-{source}"))
    out, result = built_once(tmp_path_factory, source, name)  # test_stats.py reads the same build
    assert result["returncode"] == 0, result["stderr"]
    assert "warning" not in result["stderr"], result["stderr"]
    guide = load_guide(source)
    return guide, source, artifact_texts(out, guide.id), out


@pytest.mark.slow
def test_no_english_label_in_a_translated_guide(translated_build):
    guide, source, texts, _ = translated_build
    assert english_leaks(texts, i18n.catalog_language(guide.language), source.read_text(encoding="utf-8")) == []


@pytest.mark.slow
def test_every_artifact_of_a_translated_guide_shows_its_own_labels(translated_build):
    """The leak test reads real text: each artifact shows labels of the guide's catalog."""
    guide, _, texts, _ = translated_build
    labels = i18n.labels_for(guide)
    expected = {".apkg": labels.gettext("anki.deck.exam-facts"),
                "-cheatsheet-a4.pdf": labels.gettext("sheet.glance"),
                "-cheatsheet-letter.pdf": labels.gettext("common.domain-weights"),
                ".epub: EPUB/text/nav.xhtml": labels.gettext("book.contents"),
                ".epub: EPUB/content.opf": labels.gettext("book.accessibility-summary")}
    if guide.ledger and len(guide.ledger.releases) > 1:  # the release texts too
        expected[".epub: EPUB/text/whats-new.xhtml"] = labels.gettext("book.whats-new.intro")
        if any(release.retired for release in guide.ledger.releases):
            expected[".apkg"] = labels.gettext("anki.retired.notice")
    for suffix, label in expected.items():
        assert label in texts[guide.id + suffix], (suffix, label)


def test_the_leak_test_finds_english_labels():
    texts = {"sheet": "Die Prüfung auf einen Blick\nExam at a glance", "deck": "Wähle zwei Antworten.\nTrue or false?"}
    assert english_leaks(texts, "de", own_text="") == [
        "deck: anki.trap.prompt: 'True or false'", "sheet: sheet.glance: 'Exam at a glance'"]
    assert english_leaks(texts, "de", own_text="Exam at a glance, True or false") == []


@pytest.mark.slow
def test_dates_money_and_counted_labels_of_a_translated_guide_are_its_own(translated_build):
    guide, _, texts, _ = translated_build
    labels = i18n.labels_for(guide)
    sheet, deck = _spaced(texts[f"{guide.id}-cheatsheet-a4.pdf"]), _spaced(texts[f"{guide.id}.apkg"])
    date = _spaced(labels.date(guide.updated_datetime))  # PDF text reads a no-break space as a space
    assert _on_sheet(sheet, date, guide) and date in _spaced(texts[f"{guide.id}.epub: EPUB/text/title.xhtml"])
    fee = _spaced(labels.money(guide.exam.fee))
    assert _on_sheet(sheet, fee, guide) and fee in deck
    assert _on_sheet(sheet, _spaced(labels.gettext("sheet.page-of", page=1, pages=2)), guide)
    assert _spaced(labels.gettext("anki.trap.prompt")) in deck
    for question in guide.all_questions:
        if len(question.answer) == 2:
            words = labels.gettext("number.two")
            assert _spaced(labels.ngettext("anki.choose-answers", "anki.choose-answers", 2, words=words)) in deck


def _on_sheet(sheet: str, phrase: str, guide) -> bool:
    """The phrase in the sheet's text. PDF text readers give a right-to-left line in visual
    order, some with each word's letters reversed: there, every word of it, either way round."""
    if phrase in sheet:
        return True
    return guide.direction == "rtl" and all(word in sheet or word[::-1] in sheet for word in re.findall(r"\w+", phrase))


def test_the_german_guide_reads_german():
    """What the test above compares, spelt out for German."""
    labels = i18n.labels_for(load_guide(GERMAN_GUIDE))
    assert labels.date(dt.date(2026, 11, 30)) == "30. November 2026"
    assert labels.money(Money(amount=25.49, currency="EUR")) == "25,49\xa0€"
    assert labels.gettext("sheet.page-of", page=1, pages=2) == "Seite 1 von 2"
    assert labels.gettext("anki.trap.prompt") == "Richtig oder falsch?"
    assert labels.gettext("anki.deck.exam-facts") == "Prüfungsfakten"


@pytest.mark.slow
def test_braces_in_labels_are_shown_as_typed_never_read_by_anki(tmp_path):
    source = _with_labels(tmp_path, {"anki.trap.prompt": "{{Claim}} stimmt?", "anki.fact.fee": "{{c2::Preis}}: %(fee)s",
                                     "anki.verdict.right": "{{c1::ja}}"}, name="braces")
    out = tmp_path / "out"
    assert run_cli("build", str(source), "--out", str(out), "--format", "anki").returncode == 0
    with fresh_collection() as col:
        import_package(col, out / "braces.apkg")
        assert card_problems(col) == []
        shown = [visible_text(col.get_card(card_id).question()) for card_id in col.find_cards("")]
    assert any("{{Claim}} stimmt?" in text for text in shown)
    assert any("{{c2::Preis}}:" in text for text in shown)
    assert len(shown) == sum(note.card_count for note in anki_plan.current_notes(load_guide(GERMAN_GUIDE)).notes)  # no clozes added


def test_field_names_stay_distinct_and_legal_whatever_the_labels():
    labels = i18n.Labels("de", {"anki.field.name-a": "Name", "anki.field.name-b": "Name",
                                "anki.field.term": "{{Begriff}}: #1"})
    shown = [anki_notes.field_name(labels, name) for name in anki_notes.FIELD_LABELS]
    assert len({name.casefold() for name in shown}) == len(shown)
    assert all(not re.search(r'[:"{}]', name) and not name.startswith(("#", "/", "^")) for name in shown)
    assert anki_notes.field_name(labels, "Term") == "Begriff #1"


# Ace and calibre read the book's structure, which labels do not change, and take seconds a book:
# test_epub.py runs them on the shared build's Latin, Japanese, Korean and Arabic books; here they
# read the one script that build lacks (Chinese). EPUBCheck, Anki and the PDF checks read every book.
WHOLE_BOOK_CHECKS = {"zh_Hant"}


@pytest.mark.slow
@pytest.mark.parametrize("translated_build", OWN_BUILDS, ids=_build_id, indirect=True)
def test_a_translated_guide_passes_the_real_checkers(translated_build):
    """EPUBCheck and Ace on the book, Anki on the deck, the PDF checks on the sheets."""
    from tests.checkers import anki as anki_checker
    from tests.checkers import epub as epub_checker
    from tests.checkers import pdf as pdf_checker

    guide, _, _, out = translated_build
    book = out / f"{guide.id}.epub"
    if i18n.catalog_language(guide.language) in WHOLE_BOOK_CHECKS:
        assert epub_checker.check_artifacts([book]) == []
    else:
        assert epub_checker.epubcheck(book) == []
    assert anki_checker.check_artifacts([out / f"{guide.id}.apkg"]) == []
    assert pdf_checker.check_artifacts(sorted(out.glob(f"{guide.id}-cheatsheet-*.pdf"))) == []


def test_the_whole_book_checks_read_a_translated_build():
    built = {param if isinstance(param, str) else i18n.catalog_language(_language(param)) for param in OWN_BUILDS}
    assert WHOLE_BOOK_CHECKS <= built


# --- translator comments and counts in every language ------------------------------------------


def test_every_message_has_one_description_naming_its_placeholders_with_an_example():
    """Descriptions live in locale/descriptions.py only; `make messages` writes them into every catalog."""
    with open(i18n.TEMPLATE, "rb") as source:
        template = read_po(source)
    problems = []
    for message in template:
        if not message.id:
            continue
        message_id = message.id if isinstance(message.id, str) else message.id[0]
        comments = [comment for comment in message.auto_comments if comment.startswith("Translators:")]
        if len(comments) != 1:
            problems.append(f"{message_id}: {len(comments)} descriptions")
            continue
        description = " ".join(message.auto_comments)
        named = set(i18n.PLACEHOLDER.findall(description))
        shown = i18n.placeholders(message_id) - {"num"} if isinstance(message.id, tuple) else i18n.placeholders(
            message_id)
        if shown - named:
            problems.append(f"{message_id}: does not say what {sorted(shown - named)} hold")
        if "Example:" not in description:
            problems.append(f"{message_id}: no example")
    for language in i18n.shipped_languages():
        catalog = _catalog(language)
        described = sum(1 for message in catalog if message.id and message.auto_comments)
        if described != len(i18n.message_ids()):
            problems.append(f"{language}: {described} of {len(i18n.message_ids())} messages described")
    assert problems == []


def test_a_language_with_one_form_for_every_count_gets_a_number_word_for_one_too():
    """No "정답을 1 개 고르세요." beside "정답을 두 개 고르세요.": the count in words for every count."""
    data = yaml.safe_load((ROOT / "tests" / "fixtures" / "guides" / "orch-110.yaml").read_text(encoding="utf-8"))
    data["language"] = "ko"
    data["labels"] = {"anki.choose-answers": "정답을 %(words)s 고르세요.", "number.one": "하나", "number.two": "둘"}
    guide = Guide.model_validate(data)
    instructions = {note.fields["Instruction"] for note in anki_plan.plan(guide).notes if note.kind == "question"}
    assert instructions == {"정답을 하나 고르세요.", "정답을 둘 고르세요."}

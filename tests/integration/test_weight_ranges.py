"""A domain's published weight range reaches every place a learner reads a weight: the
cheat sheet (bars and domain headings), the book (exam table, domain pages, cover alt text)
and the deck's weight cards; the bars keep their one number."""

import zipfile

import pdfplumber
import pytest

from exporter.source.loader import load_guide
from exporter.text.i18n import labels_for
from tests.checkers.anki import fresh_collection, import_package, visible_text
from tests.conftest import ALL_GUIDES

GUIDE_ID = "ai-300"


@pytest.fixture(scope="module")
def guide():
    return load_guide(next(source for source in ALL_GUIDES if source.stem == GUIDE_ID))


@pytest.fixture(scope="module")
def ranges(guide):
    shown = [labels_for(guide).share(domain) for domain in guide.domains]
    assert all(domain.weight_range for domain in guide.domains)
    assert shown == ["15–20%", "25–30%", "20–25%", "10–15%", "10–15%"]
    return shown


def test_a_domain_without_a_range_shows_its_weight(guide):
    plain = guide.domains[0].model_copy(update={"weight_range": None})
    assert labels_for(guide).share(plain) == "18%"


def test_sheet_shows_each_range_in_the_chart_and_the_heading(exported, ranges):
    for pdf in exported[GUIDE_ID]["pdf"]:
        with pdfplumber.open(pdf) as document:
            front = document.pages[0].extract_text()
            both = "\n".join(page.extract_text() for page in document.pages)
        for shown in set(ranges):
            # Once in the weight chart, once beside each domain's heading (some on page 2).
            assert both.count(shown) >= 2 * ranges.count(shown), (pdf.name, shown)
        assert "25–30%" in front, pdf.name


def test_book_shows_each_range(exported, guide, ranges):
    (book,) = exported[GUIDE_ID]["epub"]
    with zipfile.ZipFile(book) as archive:
        exam = archive.read("EPUB/text/exam.xhtml").decode()
        cover = archive.read("EPUB/text/cover.xhtml").decode()
        for domain, shown in zip(guide.domains, ranges):
            assert shown in archive.read(f"EPUB/text/domain-{domain.id}.xhtml").decode(), domain.id
    for shown in set(ranges):
        assert shown in exam and shown in cover, shown


def test_deck_weight_cards_show_each_range(exported, guide, ranges):
    (deck,) = exported[GUIDE_ID]["anki"]
    with fresh_collection() as col:
        import_package(col, deck)
        for domain, shown in zip(guide.domains, ranges):
            (note_id,) = col.find_notes(f"tag:AI-300::id::weight-{domain.id}")
            card = col.get_note(note_id).cards()[0]
            assert shown in visible_text(card.answer()), domain.id

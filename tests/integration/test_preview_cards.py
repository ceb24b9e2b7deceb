"""The preview's cards are the deck's: each card as real Anki renders the built deck."""

from __future__ import annotations

import re

import pytest

from exporter.anki import deck as anki
from exporter.preview.cards import deck_cards
from exporter.source.loader import load_guide
from tests.checkers.anki import fresh_collection, import_package
from tests.conftest import FIXTURE_GUIDES, ROOT

_STYLE = re.compile(r"^<style>(?P<css>.*?)</style>", re.DOTALL)


@pytest.mark.slow
@pytest.mark.parametrize("source", [*FIXTURE_GUIDES, ROOT / "sources" / "ai-300.yaml"], ids=lambda path: path.stem)
def test_every_card_is_rendered_as_anki_renders_it(source, tmp_path):
    guide = load_guide(source)
    deck = tmp_path / f"{guide.id}.apkg"
    anki.write(guide, deck)
    cards, styles, media = deck_cards(guide)
    ours = {(card.guid, card.ord): card for card in cards}
    note_types = set()
    with fresh_collection() as col:
        import_package(col, deck)
        card_ids = col.find_cards("")
        assert len(card_ids) == len(cards)
        for card_id in card_ids:
            real = col.get_card(card_id)
            note = real.note()
            mine = ours[(note.guid, real.ord)]
            note_types.add(real.note_type()["name"])
            assert mine.note_type == real.note_type()["name"]
            assert mine.deck == col.decks.name(real.did)
            assert sorted(mine.tags) == sorted(note.tags)
            for side, shown in (("front", real.question()), ("back", real.answer())):
                styled = _STYLE.match(shown)
                assert styled and styled["css"] == styles[mine.style], side
                assert getattr(mine, side) == shown[styled.end():], (note.guid, real.ord, side)
    assert len(note_types) == 5  # every note type was compared


def test_the_cards_pictures_are_the_decks_media(tmp_path):
    """Every picture a previewed card shows is among the media the preview writes beside it."""
    guide = load_guide(ROOT / "tests" / "fixtures" / "guides" / "fig-120.yaml")
    cards, _, media = deck_cards(guide)
    shown = {name for card in cards for side in (card.front, card.back)
             for name in re.findall(r'<img[^>]* src="([^"]+)"', side)}
    assert shown, "the figure fixture's cards show pictures"
    assert shown <= set(media)

"""The book's cover for any guide: nothing drawn leaves the image or runs into the imprint.

Each case stretches one thing, the cover is drawn, and the pixels say where
ink fell: the side margins stay the background colour, and so does the band
between the weights and the imprint.
"""

from __future__ import annotations

import io

import pytest
import yaml
from PIL import Image

from exporter.book.cover import COVER_DOMAINS, HEIGHT, IMPRINT_TOP, MARGIN, WIDTH, cover_png
from exporter.source.loader import load_guide

from ..conftest import ROOT
from ..generated import generated_guide

MINIMAL = ROOT / "tests" / "invalid" / "valid-minimal.yaml"
LONG = "Supercalifragilisticexpialidocious" * 6  # one word, 204 characters
WORDS = " ".join(["certification"] * 15)  # 15 words, 209 characters


def long_labels(data: dict) -> dict:
    data.update(exam_code=LONG[:200], vendor=LONG[:200], title=WORDS[:200], certification=WORDS[:200],
                publisher=LONG[:200], version="123456789.123456789.123456789")
    return data


def many_domains(data: dict) -> dict:
    return long_labels(generated_guide(0) | {"id": data["id"]})


CASES = {
    "long-labels": long_labels,
    "many-domains": many_domains,
    "one-domain": lambda data: data,
}


def cover(case: str, tmp_path) -> tuple[Image.Image, object]:
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["id"] = case
    data = CASES[case](data)
    source = tmp_path / f"{case}.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    guide = load_guide(source)
    image = Image.open(io.BytesIO(cover_png(guide, "31 December 2107"))).convert("RGB")
    return image, guide


def ink(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Pixels inside `box` that differ from the background."""
    background = image.getpixel((5, HEIGHT // 2))
    region = image.crop(box)
    return sum(count for count, colour in region.getcolors(maxcolors=1 << 16) if colour != background)


@pytest.mark.parametrize("case", CASES)
def test_nothing_leaves_the_image_or_runs_into_the_imprint(case, tmp_path):
    image, _ = cover(case, tmp_path)
    assert image.size == (WIDTH, HEIGHT)
    below_band = 40  # the gold band across the top
    assert ink(image, (0, below_band, MARGIN - 4, HEIGHT)) == 0, "ink in the left margin"
    assert ink(image, (WIDTH - MARGIN + 4, below_band, WIDTH, HEIGHT)) == 0, "ink in the right margin"
    assert ink(image, (0, IMPRINT_TOP - 30, WIDTH, IMPRINT_TOP - 2)) == 0, "the weights run into the imprint"


def test_many_domains_show_the_heaviest_and_count_the_others(tmp_path):
    from exporter.book.cover import _shown_domains  # the cover's own choice, to compare with the alt text

    _, guide = cover("many-domains", tmp_path)
    shown = _shown_domains(guide)
    assert len(shown) == COVER_DOMAINS - 1
    lightest_shown = min(domain.weight for domain in shown)
    assert all(domain.weight <= lightest_shown for domain in guide.domains if domain not in shown)

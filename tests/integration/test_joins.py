"""A Japanese guide's pieces are joined the Japanese way in every artifact: lists with "、", no
space after a full-width "：" or "。", a full stop of its own where a sentence had none.

Built from the Japanese fixture, with a second glossary link, a term used by two concepts and a
paid resource added, so that every join has something to join. Read back as learners meet it:
the sheet's words from the PDF (poppler), the book's XHTML, the cards as Anki renders them.
"""

from __future__ import annotations

import re
import subprocess
import zipfile

import pytest
import yaml
from lxml import etree

from tests.checkers.anki import fresh_collection, import_package, visible_text
from tests.conftest import ROOT
from tests.helpers import run_cli

JAPANESE = ROOT / "tests" / "fixtures" / "guides" / "cld-j100.yaml"
CJK = "\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e"
# ", " between two items written in Japanese (or between option letters): an English join.
ENGLISH_LIST = re.compile(rf"(?:[{CJK}]|\b[A-F]), (?=[{CJK}]|[A-F]\b)")
# A space after a full-width mark, which carries its own: an English join.
SPACE_AFTER_FULL_WIDTH = re.compile(r"[。：、（] (?=\S)")
XHTML = {"x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def japanese_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("joins")
    data = yaml.safe_load(JAPANESE.read_text(encoding="utf-8"))
    data["glossary"].append({"id": "region", "term": "リージョン", "definition": "複数の AZ をまとめた地理的な単位。"})
    concepts = {concept["id"]: concept for concept in data["domains"][0]["concepts"]}
    concepts["multi-az"]["glossary"] = ["az", "region"]
    concepts["rpo-rto"]["glossary"] = ["az"]
    data["preparation"]["resources"].append({
        "id": "res-mondai", "name": "CLD-J100 問題集", "free": False, "url": "https://example.org/mondai",
        "note": "本番形式の問題を 300 問収録。"})
    source = folder / "cld-j100.yaml"
    source.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    out = folder / "dist"
    result = run_cli("build", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def _sheet_text(path) -> str:
    """The sheet's words in reading order, column by column; CJK lines joined as they read."""
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return re.sub(rf"(?<=[{CJK}])\n(?=[{CJK}])", "", raw)


def _book(out) -> dict[str, etree._Element]:
    with zipfile.ZipFile(out / "cld-j100.epub") as book:
        return {name.rsplit("/", 1)[-1]: etree.fromstring(book.read(name))
                for name in book.namelist() if name.endswith(".xhtml")}


def _texts(root, xpath: str) -> list[str]:
    return [element.xpath("string()") for element in root.xpath(xpath, namespaces=XHTML)]


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_japanese_sheet_joins_the_japanese_way(japanese_build, paper):
    text = _sheet_text(japanese_build / f"cld-j100-cheatsheet-{paper}.pdf")
    assert "単一選択、複数選択" in text  # question types
    assert "テストセンター、オンライン監督付き" in text  # delivery
    assert "全問に解答する" in text and "無回答は" in text  # the guessing line and the scoring note, each in its row
    assert "主なトピック：マルチ AZ 構成" in text and "マルチ AZ 構成：複数の" in text  # labels
    assert "ひっかけ：「P」" in text and "構築する。本番システム" in text  # pair trap, mistake title
    assert not ENGLISH_LIST.findall(text) and not SPACE_AFTER_FULL_WIDTH.findall(text)


@pytest.mark.slow
def test_the_japanese_book_joins_the_japanese_way(japanese_build):
    book = _book(japanese_build)
    assert _texts(book["title.xhtml"], "//x:dl[@class='imprint']/x:dd[2]") == ["山田 花子、佐藤 健"]
    sees = _texts(book["domain-kayousei.xhtml"], "//x:span[@class='see']")
    assert sees[0] == "用語集：アベイラビリティゾーン(AZ)、リージョン"
    assert _texts(book["domain-kayousei.xhtml"], "//x:span[@class='see']/x:a")[:2] == [
        "アベイラビリティゾーン(AZ)", "リージョン"]  # the links stay links
    assert _texts(book["glossary.xhtml"], "//x:span[@class='see']")[0] == "使用箇所：マルチ AZ 構成、RPO と RTO"
    assert "正解：A、B" in _texts(book["answers.xhtml"], "//x:p[@class='key']")
    resources = _texts(book["study-plans.xhtml"], "//x:ul[@class='resources']/x:li")
    assert resources == ["協会の公式学習ハンドブック。第 3 章(可用性)と第 5 章(IAM)を重点的に読むこと。",
                         "CLD-J100 問題集（有料）。本番形式の問題を 300 問収録。"]
    intro = _texts(book["practice-exam.xhtml"], "//x:h1/following-sibling::x:p[1]")[0]
    assert "2 問です。本番の試験" in intro and re.search(r"ください。\S", intro)  # three sentences, run on
    joined = {
        "answers.xhtml": "//x:ul[@class='why']/x:li | //x:p[@class='review'] | //x:p[@class='key']",
        "how-to-use.xhtml": "//x:ol[@class='steps']/x:li",
        "domain-iam.xhtml": "//x:p[@class='myth'] | //x:p[@class='truth'] | //x:p[@class='pair-trap']",
        "pairs.xhtml": "//x:p[@class='pair-trap']",
        "mistakes.xhtml": "//x:ol[@class='mistakes']/x:li",
        "glossary.xhtml": "//x:span[@class='see']",
        "study-plans.xhtml": "//x:ul[@class='resources']/x:li",
        "practice-exam.xhtml": "//x:p",
        "title.xhtml": "//x:dd",
    }
    for page, xpath in joined.items():
        texts = _texts(book[page], xpath)
        assert texts, page
        for text in texts:
            assert not ENGLISH_LIST.findall(text) and not SPACE_AFTER_FULL_WIDTH.findall(text), (page, text)
    for page, root in book.items():  # and nowhere else either
        text = "".join(root.itertext())
        assert not ENGLISH_LIST.findall(text) and not SPACE_AFTER_FULL_WIDTH.findall(text), page


@pytest.mark.slow
def test_the_japanese_deck_joins_the_japanese_way(japanese_build):
    with fresh_collection() as col:
        import_package(col, japanese_build / "cld-j100.apkg")
        answers = [col.get_card(card_id).answer() for card_id in sorted(col.find_cards("note:*"))]
        description = next(deck["desc"] for deck in col.decks.all() if deck["name"] == "CLD-J100")
    two_answers = next(html for html in answers if "アクセスキーの漏えいを防ぐ" in html)
    assert re.search(r'class="key"><span class="label">正解</span> A、B</div>', two_answers)
    # The verdict's "：" carries its own space.
    assert re.search(r'class="verdict-mark">✓ 正解：</span>サーバーに IAM ロール', two_answers)
    for html in answers:
        assert not re.search(r'class="verdict-mark">[^<]*</span> ', html)
        assert not ENGLISH_LIST.findall(visible_text(html)), visible_text(html)
    assert "山田 花子、佐藤 健" in description
    assert re.search(r"更新）。試験の分野ごと.*サブデッキがあります。タグで", description)
    assert not ENGLISH_LIST.findall(visible_text(description))

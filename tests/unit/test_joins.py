"""Joins in the guide's language: lists by CLDR's list patterns, sentences and labels by the script's spacing.

One test per join, each in English (the British English of the catalog, whose bytes
must not change), Japanese, Arabic and Brazilian Portuguese, and where it differs,
Chinese.
"""

from __future__ import annotations

import pytest
from markupsafe import Markup

from exporter.text.i18n import Labels

LANGUAGES = ("en", "ja", "ar", "pt-BR")


@pytest.mark.parametrize(("language", "two", "three"), [
    ("en", "Alice and Bob", "Alice, Bob and Carol"),
    ("ja", "山田 花子、佐藤 健", "山田 花子、佐藤 健、鈴木 一郎"),
    ("ar", "سارة وعمر", "سارة وعمر وليلى"),  # CLDR's Arabic list: "و" before each name
    ("pt-BR", "Ana e Bruno", "Ana, Bruno e Carla"),
    ("zh-Hans", "张伟和李娜", "张伟、李娜和王芳"),
])
def test_a_prose_list_joins_names_as_the_language_does(language, two, three):
    labels = Labels(language)
    names = {"en": ["Alice", "Bob", "Carol"], "ja": ["山田 花子", "佐藤 健", "鈴木 一郎"],
             "ar": ["سارة", "عمر", "ليلى"], "pt-BR": ["Ana", "Bruno", "Carla"], "zh-Hans": ["张伟", "李娜", "王芳"]}
    assert labels.prose_list(names[language][:2]) == two
    assert labels.prose_list(names[language]) == three
    assert labels.prose_list(names[language][:1]) == names[language][0]
    assert labels.prose_list([]) == ""


@pytest.mark.parametrize(("language", "two", "four"), [
    ("en", "A, C", "A, B, D, E"),  # no "and": English output stays as it was
    ("ja", "A、C", "A、B、D、E"),
    ("ar", "A وC", "A وB وD وE"),
    ("pt-BR", "A, C", "A, B, D, E"),
    ("zh-Hans", "A、C", "A、B、D、E"),  # CLDR's narrow Chinese list: "、" to the end, no "和"
])
def test_an_item_list_joins_letters_and_labels_without_prose(language, two, four):
    labels = Labels(language)
    assert labels.item_list(["A", "C"]) == two
    assert labels.item_list(["A", "B", "D", "E"]) == four


def test_a_list_keeps_its_markup_and_escapes_the_rest():
    """Links stay links; a plain item among them is escaped, and so is the pattern's own text."""
    links = [Markup('<a href="g.xhtml#t.a">A&amp;B</a>'), Markup('<a href="g.xhtml#t.c">C</a>')]
    assert Labels("ja").item_list(links) == Markup('<a href="g.xhtml#t.a">A&amp;B</a>、<a href="g.xhtml#t.c">C</a>')
    assert Labels("en").item_list([*links, "x < y"]) == Markup(
        '<a href="g.xhtml#t.a">A&amp;B</a>, <a href="g.xhtml#t.c">C</a>, x &lt; y')
    mixed = Labels("pt-BR").prose_list([links[1], "R&D"])
    assert isinstance(mixed, Markup) and mixed == Markup('<a href="g.xhtml#t.c">C</a> e R&amp;D')
    plain = Labels("en").item_list(["a < b", "c"])
    assert not isinstance(plain, Markup) and plain == "a < b, c"  # plain text stays plain, escaped where it is used


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "1–3, 5, 7, 8"),
    ("ja", "1〜3、5、7、8"),  # the catalog's range format and CLDR's list
    ("ar", "1–3 و5 و7 و8"),
    ("pt-BR", "1–3, 5, 7, 8"),
])
def test_number_ranges_use_the_catalogs_range_and_the_locales_list(language, expected):
    assert Labels(language).number_ranges([8, 7, 5, 3, 2, 1]) == expected
    assert Labels(language).number_ranges([4, 5]) == Labels(language).item_list(["4", "5"])


@pytest.mark.parametrize(("language", "first", "second", "joined"), [
    # A sentence without its full stop gets the script's: the sheet's guessing line and its note.
    ("en", "no penalty for guessing: answer every question", "A blank counts as wrong.",
     "no penalty for guessing: answer every question. A blank counts as wrong."),
    ("ja", "推測で答えても減点なし：全問に解答する", "無回答は不正解と同じ扱いです。",
     "推測で答えても減点なし：全問に解答する。無回答は不正解と同じ扱いです。"),
    ("zh-Hans", "猜错不扣分：每题都要作答", "空题按答错计。", "猜错不扣分：每题都要作答。空题按答错计。"),
    ("ar", "لا خصم على التخمين", "أجب عن كل سؤال.", "لا خصم على التخمين. أجب عن كل سؤال."),
    ("pt-BR", "sem desconto por chute", "Responda a todas.", "sem desconto por chute. Responda a todas."),
    # A sentence that ends in its own mark gets none added, and after "。" no space.
    ("en", "Version 1.2.0, updated 7 December 2026.", "One subdeck per domain.",
     "Version 1.2.0, updated 7 December 2026. One subdeck per domain."),
    ("ja", "全分野から出題した 2 問です。", "本番の試験では 50〜60 問を解きます。",
     "全分野から出題した 2 問です。本番の試験では 50〜60 問を解きます。"),
    ("ar", "هل أنت مستعد؟", "ابدأ الآن.", "هل أنت مستعد؟ ابدأ الآن."),
    ("pt-BR", "Você está pronto?", "Comece agora.", "Você está pronto? Comece agora."),
    ("en", 'It says "wait."', "Then go.", 'It says "wait." Then go.'),
    # Closing brackets do not end a sentence: "(paid)" gets its full stop before the note.
    ("en", "Exam Ref AI-300 (paid)", "Chapters 3 and 5.", "Exam Ref AI-300 (paid). Chapters 3 and 5."),
    ("ja", "公式ハンドブック（有料）", "第 3 章を読むこと。", "公式ハンドブック（有料）。第 3 章を読むこと。"),
])
def test_sentences_run_together_as_the_script_runs_them(language, first, second, joined):
    assert Labels(language).sentences(first, second) == joined


def test_sentences_read_the_text_of_markup_and_leave_out_empty_parts():
    labels = Labels("ja")
    guessing = Markup("推測で答えても<strong>減点なし</strong>：全問に解答する")
    assert labels.sentences(guessing, Markup("<em>必ず</em>選ぶ。")) == Markup(
        "推測で答えても<strong>減点なし</strong>：全問に解答する。<em>必ず</em>選ぶ。")
    assert labels.sentences(Markup("<a href='x'>解答</a>で確認しましょう。"), "a < b") == Markup(
        "<a href='x'>解答</a>で確認しましょう。a &lt; b")
    assert labels.sentences("Only one.", None, "") == "Only one."
    assert labels.sentences(None) == ""


@pytest.mark.parametrize(("language", "label", "space"), [
    ("en", "Key topics:", " "), ("en", "Right.", " "), ("en", "✓ Correct:", " "),
    ("ja", "主なトピック：", ""), ("ja", "正しい。", ""), ("ja", "✓ 正解：", ""), ("ja", "正解", " "),
    ("ar", "الموضوعات الرئيسية:", " "), ("ar", "صحيح.", " "),
    ("pt-BR", "Tópicos principais:", " "), ("pt-BR", "Certa.", " "),
])
def test_a_label_is_spaced_from_its_text_unless_it_ends_in_a_full_width_mark(language, label, space):
    labels = Labels(language)
    assert labels.space_between(label) == space
    assert labels.space_between(Markup("<strong>%s</strong>") % label) == space  # the label's text, not its tags
    assert labels.space_between(label + "\u200f\u2069") == space  # nor the invisible marks after it


@pytest.mark.parametrize(("language", "paid", "space"), [
    ("en", "(paid)", " "), ("ja", "（有料）", ""), ("ar", "(مدفوع)", " "), ("pt-BR", "(pago)", " "),
])
def test_paid_is_spaced_from_the_name_unless_it_opens_with_a_full_width_parenthesis(language, paid, space):
    name = Markup('<a href="https://example.org/">Handbook</a>')
    assert Labels(language).space_between(name, paid) == space


@pytest.mark.parametrize(("language", "full_stop"), [
    ("en", "."), ("ja", "。"), ("zh-Hans", "。"), ("zh-Hant", "。"), ("zh", "。"), ("ko", "."), ("ar", "."),
    ("pt-BR", "."), ("xx", "."),
])
def test_the_full_stop_follows_the_script_of_the_language(language, full_stop):
    assert Labels(language).full_stop == full_stop

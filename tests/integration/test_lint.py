"""`studyguide lint`: golden findings per rule, every guide, exit codes, JSON,
and a property: reordering a question's options changes no verdict but those
of the position rules.

Each case in `tests/lint/` is orch-110 with one change (`<rule-name>.yaml`
triggers that rule, `<rule-name>-clean.yaml` is a near miss that must not),
beside `<case>.expected`, the exact lines `lint` prints.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter import lint
from exporter.lint.stats import at_least_by_chance, chi_square_by_chance
from exporter.model.guide import Guide, LintThresholds
from exporter.source.loader import load_guide

from ..conftest import ALL_GUIDES
from ..helpers import ROOT, run_cli, run_main

CASES_DIR = ROOT / "tests" / "lint"
CASES = sorted(path.stem for path in CASES_DIR.glob("*.yaml"))
# Findings a guide is known to have, one file per guide; a guide without one must be lint-clean.
# A list is a to-do list of findings still to fix: the test fails when it changes, in either direction.
KNOWN = CASES_DIR / "guides"


def expected_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def rule_ids(lines: list[str]) -> set[str]:
    return {line.split(": ")[2].split()[0] for line in lines}


@pytest.mark.parametrize("case", CASES)
def test_case_gives_exactly_its_findings(case):
    result = run_main("lint", f"{case}.yaml", cwd=CASES_DIR)
    expected = expected_lines(CASES_DIR / f"{case}.expected")
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines() == expected
    assert result.returncode == (1 if expected else 0), result.stderr


def test_the_real_command_lints_as_main_does():
    """The cases above run `main()` in this process; the installed command says the same."""
    args = ("lint", "key-longest-option.yaml", "repeated-options.yaml")
    in_process, result = run_main(*args, cwd=CASES_DIR), run_cli(*args, cwd=CASES_DIR)
    assert result.stdout.splitlines() == expected_lines(CASES_DIR / "key-longest-option.expected") + expected_lines(
        CASES_DIR / "repeated-options.expected")
    assert (result.returncode, result.stdout, result.stderr) == (
        in_process.returncode, in_process.stdout, in_process.stderr)


def test_every_rule_has_a_case_that_triggers_it_and_a_near_miss():
    assert sorted(path.stem for path in CASES_DIR.glob("*.expected")) == CASES
    for rule in lint.RULES.values():
        assert rule_ids(expected_lines(CASES_DIR / f"{rule.name}.expected")) == {rule.id}, rule.name
        assert f"{rule.name}-clean" in CASES, rule.name
        assert expected_lines(CASES_DIR / f"{rule.name}-clean.expected") == [], rule.name


def unlocated(lines: list[str]) -> list[str]:
    """Findings without their line and column, so edits elsewhere in a guide do not count as a change."""
    return [re.sub(r"^([^:]+):\d+:\d+: ", r"\1: ", line) for line in lines]


@pytest.mark.parametrize("source", ALL_GUIDES, ids=lambda path: path.stem)
def test_every_guide_has_exactly_its_known_findings(source):
    """To refresh a list after fixing findings:
    `studyguide lint sources/<id>.yaml > tests/lint/guides/<id>.expected`."""
    relative = source.relative_to(ROOT)
    result = run_main("lint", str(relative))
    assert "Traceback" not in result.stderr
    assert unlocated(result.stdout.splitlines()) == unlocated(expected_lines(KNOWN / f"{source.stem}.expected")), (
        "lint findings changed; fix the guide (or add a lint: exception with its reason) and refresh "
        f"tests/lint/guides/{source.stem}.expected if it lists findings")


def test_readme_lists_every_rule_and_threshold():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in lint.RULES.values():
        assert f"| {rule.id} `{rule.name}` |" in readme, rule.id
    for name in LintThresholds.model_fields:
        assert f"`{name}`" in readme, name


def test_json_carries_the_same_findings():
    text = run_cli("lint", "key-longest-option.yaml", "repeated-options.yaml", cwd=CASES_DIR)
    result = run_cli("lint", "--format", "json", "key-longest-option.yaml", "repeated-options.yaml", cwd=CASES_DIR)
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    assert [f"{f['file']}:{f['line']}:{f['column']}: {f['field']}: {f['rule']} {f['name']}: "
            f"{f['message']}; {f['reason']}" for f in findings] == text.stdout.splitlines()
    assert {f["item"] for f in findings} == {"qc-vigour", "season-0", "season-1"}


def test_bad_usage_exits_2():
    assert run_cli("lint").returncode == 2
    assert run_cli("lint", "--format", "xml", "x.yaml", cwd=CASES_DIR).returncode == 2


def test_a_broken_source_is_reported_like_validate(tmp_path):
    (tmp_path / "broken.yaml").write_text("id: broken\n")
    result = run_cli("lint", "broken.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "broken.yaml:1:1: title: is required but missing" in result.stderr.splitlines()


def test_rules_without_word_lists_are_skipped_and_named(tmp_path):
    text = (CASES_DIR / "absolute-words-in-distractors.yaml").read_text(encoding="utf-8")
    (tmp_path / "absolute-words-in-distractors.yaml").write_text(text.replace("language: en", "language: ja"))
    result = run_cli("lint", "absolute-words-in-distractors.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "skipped SG107, SG108, SG109: " in result.stderr  # Japanese has phrase lists, not word lists
    (tmp_path / "absolute-words-in-distractors.yaml").write_text(text.replace("language: en", "language: nl"))
    result = run_cli("lint", "absolute-words-in-distractors.yaml", cwd=tmp_path)
    skipped = [rule.id for rule in lint.RULES.values() if rule.needs_words or rule.needs_phrases]
    assert f"skipped {', '.join(skipped)}: " in result.stderr
    assert skipped == ["SG106", "SG107", "SG108", "SG109", "SG302"]


def test_statistics_match_known_values():
    # Pearson's chi-square at the 5 % critical values for 1 to 5 degrees of freedom.
    for critical, cells in [(3.841, 2), (5.991, 3), (7.815, 4), (9.488, 5), (11.070, 6)]:
        observed = [100 + math.sqrt(critical * 100)] + [100] * (cells - 1)  # the statistic is `critical`
        assert chi_square_by_chance(observed, [100] * cells) == pytest.approx(0.05, abs=5e-4), cells
    assert at_least_by_chance([0.5] * 10, 10) == pytest.approx(0.5**10)
    assert at_least_by_chance([0.5] * 10, 0) == pytest.approx(1.0)
    assert at_least_by_chance([0.25] * 4, 2) == pytest.approx(1 - 0.75**4 - 4 * 0.25 * 0.75**3)


# --- property: the order of options matters only to the position rules --------------------

PROPERTY_GUIDES = ALL_GUIDES + [CASES_DIR / f"{name}.yaml" for name in
                                ("key-longest-option", "key-longest-share", "opposite-options", "single-key-positions-clean",
                                 "only-key-echoes-stem", "absolute-words-in-distractors", "empty-why")]
LOADED = {path.stem: load_guide(path) for path in PROPERTY_GUIDES}
POSITION_RULES = {rule.id for rule in lint.RULES.values() if rule.position}


def verdicts(guide: Guide) -> set[tuple[str, str]]:
    findings, _ = lint.run(guide)
    return {(f.rule, f.item) for f in findings if f.rule not in POSITION_RULES}


def shuffled(guide: Guide, which: int, order: list[int]) -> Guide:
    """The guide with one question's options in `order`, relabelled a, b… and its key following them."""
    # Unescaped: YAML reads a JSON surrogate-pair escape (an emoji) as two lone surrogates.
    data = yaml.safe_load(json.dumps(guide.model_dump(mode="json"), ensure_ascii=False))
    questions = [q for d in data["domains"] for q in d["questions"]] + data["practice_exam"]
    question = questions[which % len(questions)]
    options = [question["options"][i] for i in order[:len(question["options"])]]
    relabel = {option["id"]: "abcdef"[i] for i, option in enumerate(options)}
    for i, option in enumerate(options):
        option["id"] = "abcdef"[i]
    question["options"] = options
    question["answer"] = sorted(relabel[key] for key in question["answer"])
    return Guide.model_validate(data).with_figures(guide._figures)  # the figures as the loader rendered them


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(LOADED)), which=st.integers(0, 10_000),
       order=st.permutations(range(6)).map(lambda p: [i for i in p]))
def test_shuffling_options_changes_only_position_verdicts(name, which, order):
    guide = LOADED[name]
    count = len(guide.all_questions)
    questions = guide.all_questions
    n = len(questions[which % count].options)
    order = [i for i in order if i < n]
    assert verdicts(shuffled(guide, which, order)) == verdicts(guide)


def test_the_position_rules_do_see_the_order():
    """The property above is not empty: moving keys moves the position rules' verdicts."""
    guide = LOADED["single-key-positions-clean"]
    assert not {f.rule for f in lint.run(guide)[0]} & POSITION_RULES
    for which, question in enumerate(guide.all_questions):
        if question.kind == "single":
            key = "abcdef".index(question.answer[0])
            order = [key] + [i for i in range(len(question.options)) if i != key]
            guide = shuffled(guide, which, order)
    assert "SG103" in {f.rule for f in lint.run(guide)[0]}


# --- languages ------------------------------------------------------------------------------

BASE = yaml.safe_load((ROOT / "tests" / "fixtures" / "guides" / "orch-110.yaml").read_text(encoding="utf-8"))


def with_question(language: str, stem: str, options: list[str], answer: str) -> Guide:
    """orch-110 in `language`, its first quick check replaced."""
    data = yaml.safe_load(yaml.safe_dump(BASE))
    data["language"] = language
    question = data["domains"][0]["questions"][0]
    question["stem"] = stem
    question["options"] = [{"id": "abc"[i], "text": text, "why": f"Begründung {i}."} for i, text in enumerate(options)]
    question["answer"] = [answer]
    return Guide.model_validate(data)


@pytest.mark.parametrize("rule_id, stem, options, answer", [
    ("SG106", "Wann schneidet man?", ["Im Winter", "Im Sommer", "Keine der oben genannten"], "b"),
    ("SG107", "Wann schneidet man?", ["Nur im Winter", "Im Spätsommer", "Niemals, unter keinen Umständen"], "b"),
    ("SG108", "Wann beruhigt man einen jungen Baum?", ["Im Winter", "Den jungen Baum im Sommer", "Gar nicht"], "b"),
    ("SG109", "Was beruhigt den Baum?", ["Den Schnitt erhöhen", "Den Schnitt senken", "Düngen"], "b"),
])
def test_german_word_lists(rule_id, stem, options, answer):
    guide = with_question("de", stem, options, answer)
    assert rule_id in {f.rule for f in lint.run(guide)[0]}


def test_german_near_misses_are_quiet():
    guide = with_question("de", "Wann schneidet man einen jungen Baum?",
                          ["Im Winter", "Im späten Sommer", "Im Frühling, wenn er blüht"], "b")
    assert lint.run(guide)[0] == []


def test_words_are_counted_in_every_script():
    from exporter.lint.words import word_count
    assert word_count("Done while the tree is dormant.") == 6
    assert word_count("木が休眠している間に行う") == 6  # 12 characters, about two a word
    assert word_count("يتم التقليم في الشتاء") == 4


def test_an_exception_needs_a_reason(tmp_path):
    text = (CASES_DIR / "lint-exception-clean.yaml").read_text(encoding="utf-8")
    reason = next(line for line in text.splitlines() if "reason:" in line)
    (tmp_path / "lint-exception-clean.yaml").write_text(text.replace(reason + "\n", ""), encoding="utf-8")
    result = run_cli("validate", "lint-exception-clean.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert ": lint.exceptions[0].reason: is required but missing" in result.stderr


def test_korean_words_are_counted_by_spaces_and_chinese_by_characters():
    from exporter.lint.words import word_count
    assert word_count("모집단 전체를 조사하지 않고 일부를 뽑아 조사한다.") == 7  # 19 syllables, 7 words
    assert word_count("数据分析需要先清洗数据") == 6  # 11 characters, about two a word


# Each rule that reads words, in each language with word lists: (stem, options, key).
WORD_LIST_CASES = {
    "es": {"SG106": ("¿Cuándo se poda?", ["En invierno", "En verano", "Todas las anteriores"], "b"),
           "SG107": ("¿Cuándo se poda?", ["Solo en invierno", "En verano tardío", "Nunca, en ningún caso"], "b"),
           "SG108": ("¿Cuándo se calma un árbol joven?", ["En invierno", "El árbol joven en verano", "Jamás"], "b"),
           "SG109": ("¿Qué calma el árbol?", ["Aumentar la poda", "Reducir la poda", "Abonar"], "b")},
    "fr": {"SG106": ("Quand taille-t-on ?", ["En hiver", "En été", "Aucune des réponses ci-dessus"], "b"),
           "SG107": ("Quand taille-t-on ?", ["Seulement en hiver", "À la fin de l'été", "Jamais, en aucun cas"], "b"),
           "SG108": ("Quand calme-t-on un jeune arbre ?", ["En hiver", "Le jeune arbre en été", "Pas du tout"], "b"),
           "SG109": ("Qu'est-ce qui calme l'arbre ?", ["Augmenter la taille", "Diminuer la taille", "Fertiliser"], "b")},
    "pt": {"SG106": ("Quando se poda?", ["No inverno", "No verão", "Nenhuma das anteriores"], "b"),
           "SG107": ("Quando se poda?", ["Somente no inverno", "No fim do verão", "Nunca, em nenhum caso"], "b"),
           "SG108": ("Quando se acalma uma árvore jovem?", ["No inverno", "A árvore jovem no verão", "Nada"], "b"),
           "SG109": ("O que acalma a árvore?", ["Aumentar a poda", "Diminuir a poda", "Adubar"], "b")},
    "it": {"SG106": ("Quando si pota?", ["In inverno", "In estate", "Tutte le precedenti"], "b"),
           "SG107": ("Quando si pota?", ["Soltanto in inverno", "Alla fine dell'estate", "Mai, in nessun caso"], "b"),
           # "L'albero" is the word "albero": the key echoes two words of the stem.
           "SG108": ("Quando si calma un albero giovane?", ["In inverno", "L'albero giovane in estate", "Mai"], "b"),
           "SG109": ("Che cosa calma l'albero?", ["Aumentare la potatura", "Ridurre la potatura", "Concimare"], "b")},
    "id": {"SG106": ("Kapan pemangkasan dilakukan?", ["Musim hujan", "Musim kemarau", "Semua jawaban di atas"], "b"),
           "SG107": ("Kapan pemangkasan dilakukan?", ["Hanya pada musim hujan", "Akhir musim kemarau",
                                                     "Tidak pernah dilakukan"], "b"),
           "SG108": ("Kapan pohon muda ditenangkan?", ["Musim hujan", "Pohon muda pada musim kemarau", "Tidak perlu"],
                     "b"),
           "SG109": ("Apa yang menenangkan pohon?", ["Menambah pemangkasan", "Mengurangi pemangkasan", "Pemupukan"],
                     "b")},
}


@pytest.mark.parametrize("language, rule_id", [(language, rule_id) for language, rules in WORD_LIST_CASES.items()
                                               for rule_id in rules])
def test_word_lists_of_more_languages(language, rule_id):
    stem, options, answer = WORD_LIST_CASES[language][rule_id]
    assert rule_id in {f.rule for f in lint.run(with_question(language, stem, options, answer))[0]}


@pytest.mark.parametrize("language", ["es", "fr", "pt", "it", "id"])
def test_the_advice_rule_reads_more_languages(language):
    advice = {"es": "Debe saber que la poda se hace en invierno.", "fr": "Retenez que la taille se fait en hiver.",
              "pt": "Você deve saber que a poda é feita no inverno.", "it": "Ricorda che la potatura si fa in inverno.",
              "id": "Anda harus tahu bahwa pemangkasan dilakukan saat musim hujan."}[language]
    data = yaml.safe_load(yaml.safe_dump(BASE))
    data["language"] = language
    data["domains"][0]["concepts"][0]["text"] = advice
    assert "SG302" in {f.rule for f in lint.run(Guide.model_validate(data))[0]}


# Near misses of the same rules: each question is sound, and lint must stay quiet.
WORD_LIST_NEAR_MISSES = {
    # Every wrong option is sweeping, but so is the key.
    "pt": ("Quando se poda?", ["Somente no inverno", "Sempre no fim do verão", "Nunca"], "b"),
    # Two options echo the stem, the key and a wrong one, elided or not.
    "it": ("Quando si calma un albero giovane?", ["L'albero giovane in inverno", "L'albero giovane in estate",
                                                  "Mai"], "b"),
    # "tidak" alone is a plain "not", not "never": the wrong options are not sweeping.
    "id": ("Kapan pemangkasan dilakukan?", ["Hanya pada musim hujan", "Akhir musim kemarau",
                                           "Saat pohon tidak berbuah"], "b"),
    "fr": ("Quand calme-t-on l'arbre jeune ?", ["L'arbre jeune en hiver", "L'arbre jeune en été", "Jamais"], "b"),
}


@pytest.mark.parametrize("language", sorted(WORD_LIST_NEAR_MISSES))
def test_near_misses_of_the_word_list_rules_are_quiet(language):
    stem, options, answer = WORD_LIST_NEAR_MISSES[language]
    found = {f.rule for f in lint.run(with_question(language, stem, options, answer))[0]}
    assert not found & {"SG106", "SG107", "SG108", "SG109"}, found


def test_an_elided_article_is_apart_from_its_word():
    from exporter.lint.words import language
    assert language("it").content_words("L'albero giovane dell'orto") == {"albero", "giovane", "orto"}
    assert language("fr").content_words("L'arbre jusqu'à l'automne d'aujourd'hui") == {
        "arbre", "automne", "aujourd'hui"}
    assert language("en").content_words("The bark isn't thick") == {"bark", "isn't", "thick"}  # no elision in English


def test_hanja_in_a_korean_word_belong_to_it():
    from exporter.lint.words import word_count
    assert word_count("결측치(缺測値)는 값이 없다") == 3
    assert word_count("결측치 (缺測値)는 값이 없다") == 3
    assert word_count("韓國語는 어렵다") == 2
    assert word_count("数据（缺失值）需清洗") == 4  # Chinese, parentheses or not: about two characters a word


# The phrase rules in languages without word lists: options that refer to the others (SG106) and
# advice in place of a fact (SG302), each with sound texts that must stay quiet. A near miss holds
# the same characters as a phrase (以上 "or more", 모두 "all", 记住 "remembers") in a plain statement.
PHRASE_CASES = {
    "ja": {"above": ["上記のすべて", "以上すべて", "上記のいずれでもない", "すべて正しい", "上記の選択肢はすべて誤り"],
           "not above": ["5年以上の経験", "以上の設定を変更する", "すべての値を削除する", "上記の例と同じ設定"],
           "advice": ["この値は覚えておく必要がある。", "試験ではよく問われる。", "必ず覚えましょう。", "上限を知っておこう。"],
           "facts": ["キャッシュは結果を覚えておく。", "試験は年2回実施される。", "剪定は休眠期に行う必要がある。"]},
    "ko": {"above": ["위의 모든 것", "위의 것 모두", "위 보기 모두 정답", "위의 어느 것도 아니다", "모두 정답", "정답 없음"],
           "not above": ["데이터를 모두 삭제한다", "위험을 모두 제거한다", "위치 정보를 지운다", "정답을 기록한다"],
           "advice": ["이 값은 알아야 한다.", "기한을 기억하세요.", "시험에 자주 나온다.", "꼭 외워 두세요."],
           "facts": ["모델은 이전 입력을 기억한다.", "시험은 90분 동안 진행된다.", "사용자가 알아야 할 정보를 표시한다."]},
    "zh-Hans": {"above": ["以上皆是", "以上都是", "以上都不是", "上述选项均正确", "以上全部", "全部正确"],
                "not above": ["五年以上均可", "以上配置适用于生产环境", "全部节点重启"],
                "advice": ["你需要记住这个上限。", "请记住：日志保存90天。", "考试常考这个概念。", "日志保存90天！别忘了这一点。"],
                "facts": ["缓存会记住查询结果。", "考试时长为90分钟。", "系统必须知道用户的位置。"]},
    "zh-Hant": {"above": ["以上皆是", "以上都不是", "上述選項均正確", "以上皆非"],
                "not above": ["五年以上均可", "以上設定適用於生產環境", "全部節點重新啟動"],
                "advice": ["你需要記住這個上限。", "請記住：日誌保存90天。", "考試常考這個概念。"],
                "facts": ["快取會記住查詢結果。", "考試時長為90分鐘。"]},
    "ar": {"above": ["جميع ما سبق", "كل ما سبق", "لا شيء مما سبق", "جميع الإجابات السابقة", "كلُّ ما سبقَ"],
           "not above": ["جميع البيانات تحذف", "كل عقدة تعيد التشغيل", "ما سبق تخزينه يحذف"],
           "advice": ["يجب أن تعرف أن الحد الأقصى ثلاثة.", "تذكّر أن السجلات تحفظ تسعين يوما.",
                      "الامتحان يسأل عن هذا المفهوم."],
           "facts": ["يجب أن تعمل الخدمة على مدار الساعة.", "يتذكر النموذج السياق.", "الاختبار مدته تسعون دقيقة."]},
}


def _phrase_findings(language: str, option: str | None = None, concept: str | None = None) -> set[str]:
    data = yaml.safe_load(yaml.safe_dump(BASE))
    data["language"] = language
    if option is not None:
        data["domains"][0]["questions"][0]["options"][2]["text"] = option
    if concept is not None:
        data["domains"][0]["concepts"][0]["text"] = concept
    findings, skipped = lint.run(Guide.model_validate(data))
    assert not {"SG106", "SG302"} & set(skipped)
    return {f.rule for f in findings}


@pytest.mark.parametrize("language", sorted(PHRASE_CASES))
def test_the_phrase_rules_read_languages_without_word_lists(language):
    cases = PHRASE_CASES[language]
    assert [text for text in cases["above"] if "SG106" not in _phrase_findings(language, option=text)] == []
    assert [text for text in cases["not above"] if "SG106" in _phrase_findings(language, option=text)] == []
    assert [text for text in cases["advice"] if "SG302" not in _phrase_findings(language, concept=text)] == []
    assert [text for text in cases["facts"] if "SG302" in _phrase_findings(language, concept=text)] == []


def test_chinese_phrases_follow_the_script():
    from exporter.lint.words import PHRASES, phrases
    assert phrases("zh") is phrases("zh-CN") is PHRASES["zh-Hans"]
    assert phrases("zh-TW") is phrases("zh-HK") is PHRASES["zh-Hant"]
    assert phrases("nl") is None

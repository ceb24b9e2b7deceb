"""Words, and the few word and phrase lists that some rules need, by language.

Rules that read words in a language (absolute words, words echoed from the
stem, opposites) run only for the languages with word lists (LANGUAGES);
rules that look for phrases ("all of the above", advice) also for those with
phrase lists only (PHRASES), which need no segmenter. Elsewhere they are
skipped and `lint` says so, since a rule that guesses at a language it does
not know gives false alarms. Lengths and counts work in every script.
"""

from __future__ import annotations

import re
import typing
import unicodedata
from dataclasses import dataclass, field

from exporter.text import languages

# Scripts written without spaces between words (Han, kana, Thai): two characters
# count as one word. Korean puts spaces between words, so its words are counted
# like those of Latin scripts.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]")
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


def normalized(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def words(text: str) -> list[str]:
    return _WORD.findall(normalized(text))


_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Hanja in parentheses after a Korean word, `결측치(缺測値)`: a gloss of that word, not words of their own.
_HANJA_GLOSS = re.compile(f"(?<=[{_HANGUL}])\\s?[(（][{_HAN}\\s]+[)）]")
_KOREAN_WORD = re.compile(f"\\S*[{_HANGUL}]\\S*")


def word_count(text: str) -> int:
    """Words as a reader counts them: by spaces (Korean too, Hanja in a Korean word
    belonging to it), and in Chinese, Japanese or Thai text, which has none between
    words, about two characters to a word."""
    text = _HANJA_GLOSS.sub("", text)
    text = _KOREAN_WORD.sub(lambda word: re.sub(f"[{_HAN}]", "\uac00", word.group()), text)
    unspaced = len(_UNSPACED.findall(text))
    spaced = len(_WORD.findall(_UNSPACED.sub(" ", text)))
    return spaced + (unspaced + 1) // 2


def _unchanged(text: str) -> str:
    return text


@dataclass(frozen=True, kw_only=True)
class Phrases:
    """Phrases a rule looks for, which need no words of a text: they are matched as they are
    written, so they work in languages without spaces or with attached particles too."""

    above: re.Pattern  # "all of the above" and kin, in an option's words joined by spaces
    advice: re.Pattern  # text that tells the reader what to do instead of stating a fact
    # How a text is read before matching: Arabic drops its optional vowel marks.
    spelling: typing.Callable[[str], str] = _unchanged

    def refers_to_options(self, text: str) -> re.Match | None:
        return self.above.search(" ".join(words(self.spelling(text))))

    def advice_in(self, text: str) -> re.Match | None:
        return self.advice.search(normalized(self.spelling(text)))


@dataclass(frozen=True, kw_only=True)
class Language(Phrases):
    """A language with word lists, for the rules that compare the words of texts."""

    stopwords: frozenset[str]
    absolute: frozenset[str]  # words that make a statement sweeping, so usually false
    opposites: frozenset[frozenset[str]]  # pairs of words that turn a statement around
    negations: frozenset[str]
    plural_suffixes: tuple[str, ...] = field(default=())
    # Articles and prepositions elided onto the next word (`l'albero`, `d'accord`): split off.
    elisions: frozenset[str] = field(default=frozenset())

    def stem(self, word: str) -> str:
        for suffix in self.plural_suffixes:
            if len(word) > len(suffix) + 3 and word.endswith(suffix):
                return word[: -len(suffix)]
        return word

    def words(self, text: str) -> list[str]:
        """The words of a text, an elided article or preposition apart from its word."""
        found = []
        for word in words(text):
            head, apostrophe, tail = word.replace("’", "'").partition("'")
            found += [head + "'", tail] if apostrophe and head + "'" in self.elisions else [word]
        return found

    def content_words(self, text: str) -> set[str]:
        return {self.stem(w) for w in self.words(text)
                if len(w) > 3 and w not in self.stopwords and not w.isdigit() and not w.endswith("'")}

    def absolute_in(self, text: str) -> set[str]:
        """The sweeping words of a text, and its sweeping phrases (`tidak pernah`, never)."""
        found = self.words(text)
        joined = f" {' '.join(found)} "
        return {a for a in self.absolute if (f" {a} " in joined if " " in a else a in found)}


def _pairs(text: str) -> frozenset[frozenset[str]]:
    return frozenset(frozenset(pair.split("/")) for pair in text.split())


ENGLISH = Language(
    stopwords=frozenset("""
        a about above after again against all also an and any are as at be because been before being below
        between both but by can cannot could did do does doing down during each few for from further had has
        have having he her here hers him his how i if in into is it its itself just me more most my no nor not
        now of off on once only or other our ours out over own same she should so some such than that the
        their theirs them then there these they this those through to too under until up very was we were
        what when where which while who whom why will with would you your yours yourself yourselves
        which what whose able every many much must need needs use used uses using make makes made
        team teams want wants should would could into onto upon within without than them they their
        """.split()),
    absolute=frozenset("only always never none every all entirely completely impossible guaranteed".split()),
    above=re.compile(r"\b(all|none|both|neither) of (the )?(above|these|the above|the others|them)\b|\ball the above\b"),
    advice=re.compile(
        r"\b(you )?(must|should|need to|have to) (be able to|know|learn|remember|understand|memori[sz]e)\b"
        r"|(^|[.;:!?]\s+)(know|remember|learn|memori[sz]e|make sure|be sure|don't forget|do not forget)\b"
        r"|\bthe exam (expects|asks|checks|tests|wants|likes)\b"),
    opposites=_pairs("""raise/lower increase/decrease increase/reduce more/less more/fewer larger/smaller
        bigger/smaller higher/lower add/remove enable/disable with/without always/never before/after
        true/false can/cannot allow/deny allow/block include/exclude maximum/minimum shorter/longer
        faster/slower public/private manual/automatic manually/automatically"""),
    negations=frozenset("not no never cannot don't doesn't isn't aren't won't".split()),
    plural_suffixes=("ies", "s"),
)

GERMAN = Language(
    stopwords=frozenset("""
        aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei beim bin bis
        bist da damit dann das dass dein deine dem den denn der des dessen die dies diese diesem diesen dieser
        dieses doch dort du durch ein eine einem einen einer eines er es etwas euch euer für gegen hat haben
        hatte hier hin hinter ich ihm ihn ihnen ihr ihre im in ins ist jede jedem jeden jeder jedes jetzt kann
        kein keine können man mehr mein mit muss nach nicht noch nun nur ob oder ohne sehr sein seine sich
        sie sind so soll sollte sondern über um und uns unser unter vom von vor war waren was weil welche
        welchem welchen welcher welches wenn werden wie wir wird wo zu zum zur zwischen
        """.split()),
    absolute=frozenset("nur immer nie niemals alle jede jeder jedes keine kein ausschließlich garantiert".split()),
    above=re.compile(r"\b(alle|keine) (der )?(oben genannten|obigen|genannten)\b"),
    advice=re.compile(
        r"\b(sie |du )?(müssen|musst|sollten|solltest) (wissen|kennen|lernen|verstehen|beherrschen)\b"
        r"|(^|[.;:!?]\s+)(merken sie sich|merke dir|beachten sie|denken sie daran)\b"
        r"|\bdie prüfung (fragt|erwartet|prüft)\b"),
    opposites=_pairs("""erhöhen/senken erhöhen/verringern mehr/weniger größer/kleiner höher/niedriger
        hinzufügen/entfernen aktivieren/deaktivieren mit/ohne immer/nie vor/nach wahr/falsch
        öffentlich/privat manuell/automatisch"""),
    negations=frozenset("nicht kein keine keinen nie niemals".split()),
)

SPANISH = Language(
    stopwords=frozenset("""
        a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el él
        ella ellas ellos en entre era es esa ese eso esta está están este esto estos ha hace han hasta hay la
        las le les lo los más me mi mucho muy nada ni no nos o otra otro para pero poco por porque que qué se
        sea ser si sí sin sobre son su sus también tan te tiene tienen todo todos tu un una uno unos usted y ya
        puede pueden debe deben cada cuál cuáles
        """.split()),
    absolute=frozenset("solo sólo únicamente siempre nunca jamás ninguno ninguna todos todas todo completamente "
                       "garantizado imposible".split()),
    above=re.compile(r"\b(todas|todos|ninguna|ninguno) (las|los|de las|de los)? ?(anteriores|opciones anteriores|respuestas anteriores)\b"),
    advice=re.compile(
        r"\b(usted |tú )?(debe|debes|tiene que|tienes que|hay que) (saber|conocer|aprender|recordar|entender|memorizar)\b"
        r"|(^|[.;:!?]\s+)(recuerde|recuerda|aprenda|aprende|memorice|memoriza|no olvide|no olvides|asegúrese)\b"
        r"|\bel examen (pregunta|espera|evalúa|comprueba)\b"),
    opposites=_pairs("""aumentar/reducir aumentar/disminuir subir/bajar más/menos mayor/menor alto/bajo
        añadir/quitar añadir/eliminar activar/desactivar habilitar/deshabilitar con/sin siempre/nunca antes/después
        verdadero/falso permitir/denegar permitir/bloquear incluir/excluir máximo/mínimo público/privado
        manual/automático manualmente/automáticamente"""),
    negations=frozenset("no nunca jamás ningún ninguna ninguno".split()),
    plural_suffixes=("es", "s"),
)

FRENCH = Language(
    stopwords=frozenset("""
        à au aux avec ce ces cet cette dans de des du elle elles en est et été être eux il ils je la le les
        leur leurs lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa se ses
        si son sont sur ta te tes toi ton tu un une vos votre vous y a ont peut peuvent doit doivent chaque
        quel quelle quels quelles dont plus
        """.split()),
    absolute=frozenset("seulement uniquement toujours jamais aucun aucune tous toutes entièrement complètement "
                       "garanti impossible".split()),
    above=re.compile(r"\b(toutes|tous|aucune|aucun) (les |des )?(réponses |propositions |options )?(ci-dessus|précédentes|précédents)\b"),
    advice=re.compile(
        r"\b(vous |tu )?(devez|dois|il faut) (savoir|connaître|apprendre|retenir|comprendre|mémoriser)\b"
        r"|(^|[.;:!?]\s+)(retenez|retiens|sachez|apprenez|mémorisez|n'oubliez pas|pensez à|assurez-vous)\b"
        r"|\bl'examen (demande|attend|vérifie|évalue|teste)\b"),
    opposites=_pairs("""augmenter/diminuer augmenter/réduire hausser/baisser plus/moins supérieur/inférieur
        ajouter/supprimer ajouter/retirer activer/désactiver avec/sans toujours/jamais avant/après vrai/faux
        autoriser/refuser autoriser/bloquer inclure/exclure maximum/minimum public/privé manuel/automatique
        manuellement/automatiquement"""),
    negations=frozenset("ne pas non jamais aucun aucune".split()),
    plural_suffixes=("x", "s"),
    elisions=frozenset("l' d' j' m' n' s' t' c' qu' jusqu' lorsqu' puisqu' quoiqu'".split()),
)

PORTUGUESE = Language(
    stopwords=frozenset("""
        a ao aos as até com como da das de dela dele do dos e é ela elas ele eles em entre era essa esse esta
        está estão este eu foi há isso isto já lhe mais mas me mesmo muito na nas nem no nos não o os ou para
        pela pelas pelo pelos por qual quando que se sem ser seu seus sua suas também te tem têm um uma você
        pode podem deve devem cada
        """.split()),
    absolute=frozenset("só somente apenas unicamente sempre nunca jamais nenhum nenhuma todos todas "
                       "completamente garantido impossível".split()),
    above=re.compile(r"\b(todas|todos|nenhuma|nenhum) (as |os |das |dos )?(anteriores|alternativas anteriores|opções anteriores|acima)\b"),
    advice=re.compile(
        r"\b(você )?(deve|precisa|tem que|tem de) (saber|conhecer|aprender|lembrar|entender|memorizar|decorar)\b"
        r"|(^|[.;:!?]\s+)(lembre-se|lembre|aprenda|memorize|decore|não esqueça|certifique-se)\b"
        r"|\ba prova (pergunta|cobra|espera|avalia)\b|\bo exame (pergunta|cobra|espera|avalia)\b"),
    opposites=_pairs("""aumentar/diminuir aumentar/reduzir mais/menos maior/menor alto/baixo adicionar/remover
        ativar/desativar habilitar/desabilitar com/sem sempre/nunca antes/depois verdadeiro/falso permitir/negar
        permitir/bloquear incluir/excluir máximo/mínimo público/privado manual/automático
        manualmente/automaticamente"""),
    negations=frozenset("não nunca jamais nenhum nenhuma".split()),
    plural_suffixes=("es", "s"),
)

ITALIAN = Language(
    stopwords=frozenset("""
        a ad agli ai al alla alle allo anche che chi ci come con contro da dagli dai dal dalla dalle degli dei
        del della delle dello di dove e è ed era gli ha hanno i il in io la le lei li lo loro lui ma mi ne nei
        nel nella nelle nello noi non o per più quale quando quello questa questo se si sia sono su sua sue
        sul sulla suo suoi tra tu un una uno voi può possono deve devono ogni
        """.split()),
    absolute=frozenset("solo soltanto unicamente sempre mai nessuno nessuna tutti tutte completamente "
                       "garantito impossibile".split()),
    above=re.compile(r"\b(tutte|tutti|nessuna|nessuno) (le |i |delle |dei )?(precedenti|risposte precedenti|opzioni precedenti|sopra)\b"),
    advice=re.compile(
        r"\b(devi|deve|bisogna|occorre) (sapere|conoscere|imparare|ricordare|capire|memorizzare)\b"
        r"|(^|[.;:!?]\s+)(ricorda|ricordate|impara|memorizza|non dimenticare|assicurati)\b"
        r"|\bl'esame (chiede|richiede|verifica|valuta)\b"),
    opposites=_pairs("""aumentare/diminuire aumentare/ridurre più/meno maggiore/minore alto/basso
        aggiungere/rimuovere attivare/disattivare abilitare/disabilitare con/senza sempre/mai prima/dopo
        vero/falso consentire/negare consentire/bloccare includere/escludere massimo/minimo pubblico/privato
        manuale/automatico manualmente/automaticamente"""),
    negations=frozenset("non mai nessuno nessuna".split()),
    elisions=frozenset("l' un' d' c' s' m' t' v' n' dell' all' dall' nell' sull' coll' quest' quell' "
                       "nessun' anch' dev' tutt'".split()),
)

INDONESIAN = Language(
    stopwords=frozenset("""
        ada adalah agar akan atau bagi bahwa bisa dalam dan dapat dari dengan di ia ini itu jika juga kami
        kamu kan karena ke kepada lebih maka mereka oleh pada para saat saja sama sangat satu sebagai sebuah
        secara sedang setiap sudah tersebut untuk yang harus tidak bukan apa mana
        """.split()),
    # "tidak pernah" (never) as a phrase: "tidak" alone is a plain "not".
    absolute=frozenset(["tidak pernah", *"hanya selalu semua seluruh sepenuhnya dijamin mustahil".split()]),
    above=re.compile(r"\b(semua|tidak ada) (jawaban |pilihan )?(di atas|tersebut di atas)\b"),
    advice=re.compile(
        r"\b(anda |kamu )?(harus|perlu|wajib) (tahu|mengetahui|mengenal|belajar|mempelajari|mengingat|memahami|menghafal)\b"
        r"|(^|[.;:!?]\s+)(ingat|ingatlah|pelajari|hafalkan|jangan lupa|pastikan)\b"
        r"|\bujian (menanyakan|mengharapkan|menguji|memeriksa)\b"),
    opposites=_pairs("""menaikkan/menurunkan menambah/mengurangi meningkatkan/menurunkan lebih/kurang
        besar/kecil tinggi/rendah menambahkan/menghapus mengaktifkan/menonaktifkan dengan/tanpa selalu/tidak
        sebelum/sesudah sebelum/setelah benar/salah mengizinkan/menolak mengizinkan/memblokir maksimum/minimum
        publik/privat manual/otomatis"""),
    negations=frozenset("tidak bukan tak jangan".split()),
)

# Languages with word lists. Japanese and Chinese have none: they put no spaces
# between words, so "the words of a text" needs a dictionary-based segmenter.
# Nor do Korean and Arabic: particles and clitics attach to the word (`데이터를`,
# `والبيانات`), so the same word rarely appears in the same form twice and the
# echo, opposite and word-list rules would miss or misfire without a morphological
# analyser. The phrase rules need no words: those languages have PHRASES below.
LANGUAGES = {"en": ENGLISH, "de": GERMAN, "es": SPANISH, "fr": FRENCH, "pt": PORTUGUESE, "it": ITALIAN,
             "id": INDONESIAN}


def _arabic_spelling(text: str) -> str:
    """Arabic as the phrases are written: without the optional vowel marks and the tatweel,
    and alef with hamza or madda as a plain alef (`أن`, `إن` and `ان` alike)."""
    text = re.sub("[\u0610-\u061a\u064b-\u065f\u0670\u0640]", "", text)
    return re.sub("[\u0622\u0623\u0625\u0671]", "\u0627", text)


def _chinese(options: str, remember: str, must: str, forget: str, exam: str, often: str) -> Phrases:
    """The phrases of simplified or traditional Chinese, from the characters each writes."""
    return Phrases(
        # 以上皆是, 以上都是, 以上皆非, 以上都不是, 上述选项均正确, 以上全部; anchored: 五年以上均可 is no option.
        above=re.compile(f"^(以上|上述|上面)的?({options})?(皆|都|均|全|全部|没有|沒有|无|無)|^(全部|都)(正确|正確|对|對)$"),
        advice=re.compile(
            f"(你|您|考生|学员|學員)({must})({remember}|知道|掌握|理解)"
            f"|(^|[。;!?]\\s*)(请|請)?({must})?({remember}|{forget})"  # NFKC makes ；！？ half-width
            f"|{exam}(中|里|裡|时|時)?({often})(问|問|考|考察|考查)"),
    )


PHRASES = {
    "ja": Phrases(
        # 上記のすべて, 以上すべて, 上記のいずれでもない, すべて正しい; anchored: 5年以上 is no option.
        above=re.compile("^(上記|以上|前記)の?(選択肢|回答|答え)?(の|は)?(すべて|全て|全部|いずれ|どれ)"
                         "|^(すべて|全て)が?(正しい|正解)$"
                         "|^(上記|以上)に(該当する|当てはまる)(もの|選択肢)は(ない|なし|ありません)"),
        advice=re.compile(
            "(覚え|理解し|知っ|押さえ|暗記し)て(おく|おか)(必要|べき|なければ|ねば)"
            "|(覚え|理解す|知|押さえ|暗記す)る(必要|べき)が?(ある|あります)"
            "|(覚え|暗記し|理解し)(ましょう|よう|なさい)|(覚え|理解し|知っ|押さえ|暗記し)て(おこう|おきましょう|ください)"
            "|忘れない(で|ように)"
            "|試験(では|で|に)は?(よく|必ず|頻繁に)?(問われ|出題され|出る|出ます|聞かれ)"),
    ),
    "ko": Phrases(
        # 위의 모든 것, 위의 것 모두, 위 보기 모두 정답, 위의 어느 것도 아니다, 모두 정답, 정답 없음.
        above=re.compile("^(위|상기|앞)의? ?(보기|것|항목|내용|선택지)? ?(모두|전부)"
                         "|^(위|상기)의? ?모든 ?(것|보기|항목|내용|선택지)"
                         "|^(위|상기)의? ?(어느|어떤|아무) ?(것|보기|항목)?도"
                         "|^(모두|전부|다) ?(정답|맞다|맞음|옳다|옳음|해당)|^(정답|해당) ?(없음|없다)$"),
        advice=re.compile(
            "(알아|기억해|외워|이해해|암기해|숙지해)(야 ?(한다|합니다|함|해요)| ?(두어야|둬야|두세요|두자|둘 것))"
            "|(기억하|암기하|숙지하|외우|알아두|알아 두)(세요|십시오|자)(?![가-힣])"
            "|잊지 (마세요|말 것|말자|말아야)"
            "|시험(에|에서)는? ?(자주 |반드시 |꼭 )?(나온다|나옵니다|출제된다|출제됩니다|묻는다|물어본다|묻습니다)"),
    ),
    "zh-Hans": _chinese(options="选项|答案|各项|说法|几项", remember="记住|记得|熟记|牢记|背熟|背诵",
                        must="需要|必须|一定要|务必|应当|应该|要|得", forget="别忘了|不要忘记|不要忘了",
                        exam="考试", often="会|常|经常|常常|总是|一定会|必"),
    "zh-Hant": _chinese(options="選項|答案|各項|說法|幾項", remember="記住|記得|熟記|牢記|背熟|背誦",
                        must="需要|必須|一定要|務必|應當|應該|要|得", forget="別忘了|不要忘記|不要忘了",
                        exam="考試", often="會|常|經常|常常|總是|一定會|必"),
    "ar": Phrases(
        # جميع ما سبق, كل ما سبق, لا شيء مما سبق, جميع الإجابات السابقة (read without hamza: الاجابات).
        above=re.compile("(جميع|كل) (ما|مما) (سبق|ذكر|تقدم)"
                         "|(لا شيء|لا شي|ولا واحد|لا واحد|ليس اي|لا اي) (من|مما) (ما )?(سبق|ذكر|تقدم|الاجابات|الخيارات)"
                         "|(جميع|كل) (الاجابات|الخيارات|الاختيارات|البدائل) (السابقة|اعلاه|المذكورة)"),
        advice=re.compile(
            "(يجب|ينبغي|عليك|لا بد|لابد) (ان|من ان) (تعرف|تعلم|تتذكر|تحفظ|تفهم|تدرك|تتقن)"
            "|(يجب|ينبغي) (عليك )?(معرفة|تذكر|حفظ|فهم|اتقان)"
            "|(^|[.؛:!؟]\\s+)(تذكر|احفظ|اعلم|لا تنس|تاكد)(?!\\w)"
            "|(الامتحان|الاختبار) (يسال|يختبر|يتوقع|يركز على|يطلب)"),
        spelling=_arabic_spelling,
    ),
}


def language(tag: str) -> Language | None:
    return LANGUAGES.get(languages.primary(tag))


def phrases(tag: str) -> Phrases | None:
    """The phrase lists of a language: its word lists' own, else those of PHRASES (Chinese by script)."""
    primary = languages.primary(tag)
    if primary in LANGUAGES:
        return LANGUAGES[primary]
    return PHRASES.get(f"zh-{languages.script(tag)}" if primary == "zh" else primary)

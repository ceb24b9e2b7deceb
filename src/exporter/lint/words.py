"""Words, and the few word lists that some rules need, by language.

Rules that read words in a language (absolute words, "all of the above",
words echoed from the stem, advice phrasing, opposites) run only for the
languages listed here; elsewhere they are skipped and `lint` says so, since
a rule that guesses at a language it does not know gives false alarms.
Lengths and counts work in every script.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .. import languages

# Scripts written without spaces between words: two characters count as one word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\uac00-\ud7af]")
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


def normalized(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def words(text: str) -> list[str]:
    return _WORD.findall(normalized(text))


def word_count(text: str) -> int:
    """Words as a reader counts them; in Chinese, Japanese, Korean or Thai
    text, about two characters make a word."""
    unspaced = len(_UNSPACED.findall(text))
    spaced = len(_WORD.findall(_UNSPACED.sub(" ", text)))
    return spaced + (unspaced + 1) // 2


@dataclass(frozen=True)
class Language:
    stopwords: frozenset[str]
    absolute: frozenset[str]  # words that make a statement sweeping, so usually false
    above: re.Pattern  # "all of the above" and kin
    advice: re.Pattern  # text that tells the reader what to do instead of stating a fact
    opposites: frozenset[frozenset[str]]  # pairs of words that turn a statement around
    negations: frozenset[str]
    plural_suffixes: tuple[str, ...] = field(default=())

    def stem(self, word: str) -> str:
        for suffix in self.plural_suffixes:
            if len(word) > len(suffix) + 3 and word.endswith(suffix):
                return word[: -len(suffix)]
        return word

    def content_words(self, text: str) -> set[str]:
        return {self.stem(w) for w in words(text) if len(w) > 3 and w not in self.stopwords and not w.isdigit()}


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

LANGUAGES = {"en": ENGLISH, "de": GERMAN}


def language(tag: str) -> Language | None:
    return LANGUAGES.get(languages.primary(tag))

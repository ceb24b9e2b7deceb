"""The typed model of a certification study guide.

One YAML file in `sources/` becomes one `Guide`. Exporters read only this
model. Every item that becomes a card, an anchor or a heading carries an
explicit `id`, so editing its text never changes its identity.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from exporter.model.fields import (
    MAX_TEXT_LENGTH,
    AltText,
    DomainRef,
    ItemId,
    Label,
    LabelId,
    LabelText,
    OptionId,
    RichText,
    Strict,
    Tier,
    Version,
    WebAddress,
    date_or_datetime,
    label_placeholders,
    labels_schema,
    pattern,
    releasable,
)
from exporter.text import i18n, languages
from exporter.text.languages import TAG_SHAPE, known_language, well_formed_language_tag, written_as_a_tag
from exporter.text.times import as_utc

if TYPE_CHECKING:
    from exporter.model.figures import RenderedFigure

# Upper bounds of the numbers a guide gives, far above any real exam's, so that every
# format (a deck name, the locale's number format, a zip date) can carry them.
MAX_NUMBER = 1_000_000
MAX_DOMAIN_NUMBER = 999
MAX_MINUTES = 10_000
MAX_FEE = 1_000_000_000


class Range(Strict):
    min: int = Field(ge=0, le=MAX_NUMBER)
    max: int = Field(ge=0, le=MAX_NUMBER)

    @field_validator("max")
    @classmethod
    def _ordered(cls, value: int, info) -> int:
        if "min" in info.data and value < info.data["min"]:
            raise ValueError("must not be less than min")
        return value

    def __str__(self) -> str:
        return f"{self.min}–{self.max}" if self.min != self.max else str(self.min)


class QuestionCount(Range):
    """How many questions the exam has: at least one (the book paces the practice exam by it)."""

    min: int = Field(ge=1, le=MAX_NUMBER)
    max: int = Field(ge=1, le=MAX_NUMBER)


class Money(Strict):
    amount: float = Field(gt=0, le=MAX_FEE, allow_inf_nan=False)
    currency: Annotated[str, pattern(r"^[A-Z]{3}$", "must be a three-letter currency code such as EUR or USD")]

    @model_validator(mode="wrap")
    @classmethod
    def _printable(cls, data: Any, handler) -> Money:
        """An amount the currency can write: reported at `amount`, whose check needs the currency."""
        money = handler(data)
        if problem := i18n.smallest_unit_problem(money.amount, money.currency):
            raise ValidationError.from_exception_data(cls.__name__, [
                {"type": PydanticCustomError("currency_unit", problem), "loc": ("amount",), "input": money.amount}])
        return money

    def __str__(self) -> str:
        amount = int(self.amount) if self.amount == int(self.amount) else self.amount
        return f"{amount} {self.currency}"


class Exam(Strict):
    """The exam itself: format, scoring and registration."""

    question_count: QuestionCount
    duration_minutes: int = Field(gt=0, le=MAX_MINUTES)
    question_types: list[Label] = Field(min_length=1)
    labs: RichText | None = None
    score_scale: Range
    pass_mark: int = Field(gt=0, le=MAX_NUMBER)
    guessing_penalty: bool
    scoring_note: RichText | None = None
    fee: Money
    delivery: list[Label] = Field(min_length=1)
    replaces: Label | None = None
    ready_when: list[RichText] = Field(
        default_factory=list, description="Signs that a learner is ready to book the exam."
    )


class Resource(Strict):
    id: ItemId
    name: Label
    note: RichText | None = None
    free: bool = True
    url: WebAddress | None = None


class Preparation(Strict):
    study_weeks: Range
    resources: list[Resource] = Field(default_factory=list)
    hands_on: list[RichText] = Field(default_factory=list)


class StudyStep(Strict):
    id: ItemId
    weeks: Range
    focus: RichText


class StudyPath(Strict):
    id: ItemId
    title: Label
    audience: RichText
    steps: list[StudyStep] = Field(min_length=1)


# An author's say over the cheat sheet, without changing what the tier means for the cards and the book.
SheetPlacement = Literal["always", "never"]
SHEET_PLACEMENT_HELP = ("On the cheat sheet: `always` puts it there before any ranked item, `never` keeps it off; "
                        "leave it out to let its tier and how often the questions test it decide.")


class SheetOptions(Strict):
    """The cheat sheet's paper."""

    pages: Literal[2, 4] = Field(
        default=2, description="Pages of the cheat sheet: 2 (one sheet, both sides) or 4 (two sheets, both sides).")


class TierInfo(Strict):
    level: Tier
    name: Label
    meaning: RichText


class Figure(Strict):
    """A picture that teaches: a file beside the guide (SVG, PNG or JPEG) or a
    Graphviz diagram drawn at build time. Checked and rendered when the guide
    is loaded (`figures.py`)."""

    id: ItemId
    file: Annotated[str, StringConstraints(min_length=1, max_length=500)] | None = Field(
        default=None, description="An SVG, PNG or JPEG file, relative to the guide file's folder.")
    graphviz: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT_LENGTH)] | None = Field(
        default=None, description="Instead of `file`: a diagram in Graphviz's DOT language, drawn with `dot`.")
    alt: AltText = Field(description="What the picture shows, in words, for a learner who cannot see it.")
    caption: Label | None = None
    credit: Label | None = Field(default=None, description="Who made it and under which licence.")

    @model_validator(mode="after")
    def _one_source(self) -> Figure:
        if (self.file is None) == (self.graphviz is None):
            raise ValueError("needs either file: (an SVG, PNG or JPEG beside the guide) or graphviz: "
                             "(a DOT diagram), " + ("not both" if self.file else "and has neither"))
        return self


class Concept(Strict):
    """One must-know fact: a card front (`term`) and its explanation (`text`)."""

    id: ItemId
    term: Label
    text: RichText
    tier: Tier
    glossary: list[ItemId] = Field(
        default_factory=list, description="Ids of glossary entries this concept uses."
    )
    sheet: SheetPlacement | None = Field(
        default=None, description=SHEET_PLACEMENT_HELP)
    figure: Figure | None = Field(default=None, description="A picture shown with the explanation.")


class Trap(Strict):
    """A misconception the exam likes to test, and the truth behind it."""

    id: ItemId
    myth: RichText = Field(description="The wrong belief, stated as a learner might hold it.")
    truth: RichText = Field(description="The correction.")
    tier: Tier = 1
    sheet: SheetPlacement | None = Field(
        default=None, description=SHEET_PLACEMENT_HELP)


class Option(Strict):
    id: OptionId
    text: RichText
    why: RichText = Field(description="Why this option is right or wrong.")


class Question(Strict):
    id: ItemId
    domain: DomainRef | None = Field(
        default=None, description="Required for practice-exam questions; quick checks take their domain's."
    )
    kind: Literal["single", "multiple"] = "single"
    scenario: bool = False
    stem: RichText
    options: list[Option] = Field(min_length=3, max_length=6)
    answer: list[OptionId] = Field(min_length=1)
    explanation: RichText
    tests: list[ItemId] = Field(min_length=1, description="Ids of the concepts or traps it rests on.")
    figure: Figure | None = Field(default=None, description="A picture the question asks about, shown with its stem.")

    @property
    def correct(self) -> list[Option]:
        return [option for option in self.options if option.id in self.answer]


class Domain(Strict):
    id: ItemId
    number: int = Field(ge=1, le=MAX_DOMAIN_NUMBER)
    title: Label
    weight: int = Field(gt=0, le=100, description="Share of the exam, in percent: the one number the weight bars use.")
    weight_range: Range | None = Field(
        default=None, description="The share as the vendor publishes it, where that is a range (15–20 for "
        "'15–20 %'); learners read this, and `weight` must lie within it.")
    summary: RichText
    key_topics: list[Label] = Field(min_length=1)
    concepts: list[Concept] = Field(default_factory=list)
    traps: list[Trap] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list, description="Quick-check questions.")
    figures: list[Figure] = Field(default_factory=list, description="Pictures of the domain's chapter, after its overview.")


class PairSide(Strict):
    name: Label
    use_when: RichText


class Pair(Strict):
    """Two services or concepts that learners confuse."""

    id: ItemId
    domains: list[DomainRef] = Field(min_length=1)
    a: PairSide
    b: PairSide
    trap: RichText
    sheet: SheetPlacement | None = Field(
        default=None, description=SHEET_PLACEMENT_HELP)


class Mistake(Strict):
    id: ItemId
    title: Label
    text: RichText
    sheet: SheetPlacement | None = Field(
        default=None, description=SHEET_PLACEMENT_HELP)


class ChecklistItem(Strict):
    id: ItemId
    text: RichText
    sheet: SheetPlacement | None = Field(
        default=None, description=SHEET_PLACEMENT_HELP)


class Faq(Strict):
    id: ItemId
    question: RichText
    answer: RichText


class GlossaryEntry(Strict):
    id: ItemId
    term: Label
    definition: RichText


class LintThresholds(Strict):
    """Where `studyguide lint` draws its lines; every field has a default."""

    key_longest_ratio: float = Field(
        default=1.5, ge=1, description="SG101: the key is at least this many times as long as the next-longest option.")
    key_longest_min_extra: int = Field(
        default=15, ge=0, description="SG101: ...and longer by at least this many characters.")
    min_questions: int = Field(
        default=6, ge=2, description="Guide-level statistics (SG102-SG105) need at least this many questions.")
    significance: float = Field(
        default=0.01, gt=0, lt=1,
        description="Guide-level statistics report a pattern only if chance alone would give it less often than this.")
    echo_min_words: int = Field(
        default=2, ge=1, description="SG108: the key shares at least this many content words with the stem.")
    max_tests_per_item: int = Field(
        default=3, ge=1, description="SG202: an item tested by more questions than this, while items go untested.")
    max_same_options: int = Field(
        default=1, ge=1, description="SG206: how many other questions may share three or more options with a question.")
    untested_max_tier: int = Field(
        default=1, ge=1, le=3, description="SG201: concepts and traps of this tier or a lower number need a question.")
    weight_tolerance: float = Field(
        default=7, gt=0, le=100,
        description="SG203: percentage points a domain's share of the practice exam may be off its exam weight.")
    min_practice_questions: int = Field(
        default=20, ge=1, description="SG203 runs on practice exams of at least this many questions.")
    concept_max_words: int = Field(
        default=45, ge=1, description="SG301: most words in a concept's text (CJK: two characters count as a word).")


class LintException(Strict):
    """One rule switched off, for listed items or the whole guide, and why."""

    rule: Annotated[str, pattern(r"^(SG\d{3}|[a-z]+(-[a-z]+)*)$",
                                  "must be a rule's id such as SG101, or its name such as key-longest-option")] = Field(
        description="A rule's id (SG101) or name (key-longest-option).")
    items: list[ItemId] = Field(
        default_factory=list, description="Ids of the items it is off for; omit it to switch the rule off for the guide.")
    reason: RichText = Field(description="Why the finding is deliberate; reviewers read it.")


class LintSettings(Strict):
    thresholds: LintThresholds = Field(default_factory=LintThresholds)
    exceptions: list[LintException] = Field(default_factory=list)


class Guide(Strict):
    """A whole certification study guide."""

    id: ItemId = Field(description="Names the artifacts and seeds every stable identifier.")
    exam_code: Label
    title: Label
    certification: Label
    vendor: Label
    version: Version
    updated: Annotated[dt.datetime | dt.date, BeforeValidator(date_or_datetime), AfterValidator(releasable)] = Field(
        description="When this version was written; bump it with every change (it dates the artifacts)."
    )
    language: Annotated[str, pattern(TAG_SHAPE, "must be a language tag such as en or pt-BR"),
                        BeforeValidator(written_as_a_tag),  # before the pattern, to name the slip
                        AfterValidator(well_formed_language_tag), AfterValidator(known_language)] = Field(
        description="The guide's language (BCP 47, such as en, de or pt-BR): it picks the catalog of fixed "
                    "labels and the formats of dates and numbers."
    )
    publisher: Label
    authors: list[Label] = Field(min_length=1)
    license: Label
    homepage: WebAddress | None = None
    summary: RichText

    exam: Exam
    preparation: Preparation
    study_paths: list[StudyPath] = Field(default_factory=list)
    tiers: list[TierInfo] = Field(min_length=1)
    domains: list[Domain] = Field(min_length=1)
    pairs: list[Pair] = Field(default_factory=list)
    mistakes: list[Mistake] = Field(default_factory=list)
    checklist: list[ChecklistItem] = Field(default_factory=list)
    faq: list[Faq] = Field(default_factory=list)
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    practice_exam: list[Question] = Field(default_factory=list)
    sheet: SheetOptions = Field(default_factory=SheetOptions, description="Options of the cheat sheet.")
    lint: LintSettings = Field(
        default_factory=LintSettings, description="Tuning and deliberate exceptions for `studyguide lint`.")
    labels: dict[LabelId, LabelText] = Field(default_factory=dict, json_schema_extra=labels_schema)

    @field_validator("labels", mode="wrap")
    @classmethod
    def _labels_format(cls, labels: object, handler) -> dict[str, str]:
        """Each label's placeholders checked against its message, beside the other
        problems of `labels:` (an unknown id among them) and each at its own line."""
        return label_placeholders(labels, handler)

    # The release ledger beside the source (a `releases.ledgers.Ledger`), which the loader
    # attaches; None until the guide's first release. Typed loosely: the ledger is read
    # with this model's field types, so its module sits above the model's.
    _ledger: Any = PrivateAttr(default=None)
    # Each figure's rendered bytes by figure id (`model/figures.py`), which the loader
    # attaches: rendered once per build, shared by every exporter.
    _figures: dict[str, RenderedFigure] = PrivateAttr(default_factory=dict)

    # --- convenient views for exporters -------------------------------------------

    @property
    def ledger(self) -> Any:
        return self._ledger

    def with_ledger(self, ledger: Any) -> Guide:
        guide = self.model_copy()
        guide._ledger = ledger
        return guide

    def with_figures(self, rendered: dict[str, RenderedFigure]) -> Guide:
        guide = self.model_copy()
        guide._figures = dict(rendered)
        return guide

    def rendered(self, figure: Figure) -> RenderedFigure:
        """A figure's checked and rendered bytes, as the loader made them."""
        try:
            return self._figures[figure.id]
        except KeyError:
            raise LookupError(f"figure {figure.id!r} was not rendered: load the guide with loader.load_guide") from None

    def domain(self, domain_id: str) -> Domain:
        return self.domains_by_id[domain_id]

    def question_domain(self, question: Question) -> Domain:
        """The domain a question belongs to: its own field, else the domain holding it."""
        return self.domains_by_id[question.domain] if question.domain else self.quick_check_domains[question.id]

    @cached_property
    def domains_by_id(self) -> dict[str, Domain]:
        return {domain.id: domain for domain in self.domains}

    @cached_property
    def tiers_by_level(self) -> dict[int, TierInfo]:
        return {tier.level: tier for tier in self.tiers}

    @cached_property
    def glossary_by_id(self) -> dict[str, GlossaryEntry]:
        return {entry.id: entry for entry in self.glossary}

    @cached_property
    def quick_check_domains(self) -> dict[str, Domain]:
        """The domain holding each quick-check question, by question id."""
        return {question.id: domain for domain in self.domains for question in domain.questions}

    def pairs_for(self, domain: Domain) -> list[Pair]:
        return [p for p in self.pairs if domain.id in p.domains]

    @property
    def all_questions(self) -> list[Question]:
        return [q for d in self.domains for q in d.questions] + list(self.practice_exam)

    @property
    def direction(self) -> str:
        """"rtl" if the guide's language is written right to left, else "ltr"."""
        return languages.direction(self.language)

    @property
    def updated_datetime(self) -> dt.datetime:
        """`updated` as an aware UTC datetime (a bare date means midnight UTC)."""
        return as_utc(self.updated)

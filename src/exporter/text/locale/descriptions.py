# ruff: noqa: E501  (one line per description: Babel wraps it in the catalogs)
"""What every fixed label is, for its translators: the one place a message's description lives.

Never imported. `make messages` has Babel read the `# Translators:` comment above
each message id here and write it into `messages.pot` and every catalog, as the
`#.` comment translators see beside the message. Each says what the message is,
where a learner meets it, what each placeholder holds, and gives an example.
Describe a new message here when the code or a template gains it (a test checks
that every message has a description naming each of its placeholders); code
and templates carry no translator comments of their own.
"""

from exporter.text.i18n import N_

# Translators: Name of the comparison note's first card type (in Anki's browser and card list): it asks when to choose item A rather than item B. A and B are the letters of the two compared names, not placeholders. Example: "A rather than B".
N_("anki.card.a-rather-than-b")
# Translators: Name of the comparison note's second card type (Anki's browser and card list): it asks when to choose item B rather than item A. Example: "B rather than A".
N_("anki.card.b-rather-than-a")
# Translators: Name of the card type of a concept note (Anki's browser and card list): the card shows a term and asks for its explanation. Example: "Concept".
N_("anki.card.concept")
# Translators: Name of the card type of an exam-fact note (a cloze card about the exam's length, fee, pass mark...), in Anki's browser and card list. Example: "Exam fact".
N_("anki.card.fact")
# Translators: Name of the card type of a multiple-choice question note, in Anki's browser and card list. Example: "Question".
N_("anki.card.question")
# Translators: Name of the card type of a trap note (a false claim the learner must recognise as false), in Anki's browser and card list. Example: "Trap".
N_("anki.card.trap")
# Translators: Instruction under a question on its Anki card: how many options to choose. %(words)s is the count as a word from number.one ... number.six ("two"); it is given for every count, one included. Languages without plural forms have one form for every count: write it with %(words)s so that one answer reads like two ("정답을 %(words)s 고르세요."). Example: "Choose two answers." (singular: "Choose one answer.").
N_("anki.choose-answers")
# Translators: Heading on the back of a comparison card, before when to use the other item instead. %(name)s is the other item's name. Example: "Blob storage instead when".
N_("anki.comparison.instead-when")
# Translators: Question on the front of a comparison card. %(first)s and %(second)s are the names of two items that people confuse. Example: "When do you choose Blob storage rather than Data Lake Storage?".
N_("anki.comparison.prompt")
# Translators: Heading on the back of a comparison card, before the usual mistake between the two items. Example: "Trap".
N_("anki.comparison.trap")
# Translators: Name of the Anki subdeck (and field value) that holds the exam facts: duration, fee, pass mark, domain weights. Example: "Exam facts".
N_("anki.deck.exam-facts")
# Translators: Name of the Anki subdeck that holds the practice exam's questions. Example: "Practice exam".
N_("anki.deck.practice-exam")
# Translators: Line of the deck's description (Anki's deck overview screen) naming the authors and the licence. %(authors)s is the list of authors, %(license)s the licence. Example: "By Ana Silva, Tom Berg · CC BY 4.0".
N_("anki.description.by")
# Translators: Sentence of the deck's description (Anki's deck overview): how to search the deck by tag. %(tag)s is a tag search, kept as is. Example: "Filter by tag, for example tag:AI-300::tier::1.".
N_("anki.description.filter")
# Translators: Sentence of the deck's description (Anki's deck overview) saying how the deck is organised, for a guide without a practice exam. Example: "One subdeck per exam domain, in exam order, plus the exam facts.".
N_("anki.description.layout")
# Translators: Sentence of the deck's description (Anki's deck overview) saying how the deck is organised, for a guide with a practice exam. Example: "One subdeck per exam domain, in exam order, plus the exam facts and a practice exam.".
N_("anki.description.layout-with-exam")
# Translators: Sentence of the deck's description (Anki's deck overview). %(source)s is the deck's file name. Example: "Source: ai-300.apkg. Re-import a newer version of this file to update your cards; your review history stays.".
N_("anki.description.source")
# Translators: Sentence of the deck's description (Anki's deck overview). %(version)s is the guide's version number, %(date)s the date it was updated, in the locale's long format. Example: "Version 1.2.0, updated 30 November 2026.".
N_("anki.description.version")
# Translators: First sentence of the deck's description (Anki's deck overview). %(title)s is the guide's title, %(code)s the exam code, %(certification)s the certification's name, %(vendor)s the body that runs the exam. Example: "AI-300 Study Guide: flashcards for the AI-300 exam (Machine Learning Operations Engineer Associate, Microsoft).".
N_("anki.description.what")
# Translators: A domain of the exam, as the Domain field of every card shows it (at the foot of the card). %(number)s is the domain's number, %(title)s its title. Example: "Domain 2 · Train and deploy models".
N_("anki.domain")
# Translators: Exam-fact cloze card: the share of the exam a domain makes up. %(number)s is the domain's number, %(title)s its title, %(weight)s its share of the exam, a percentage or a range of them such as 20–25% (the hidden part of the cloze), %(code)s the exam code. Example: "Domain 2, Train and deploy models, makes up 25% of the AI-300 exam.".
N_("anki.fact.domain-weight")
# Translators: Exam-fact cloze card. %(code)s is the exam code, %(duration)s the exam's length (unit.minutes, hidden in the cloze). Example: "The AI-300 exam lasts 100 minutes.".
N_("anki.fact.duration")
# Translators: Exam-fact cloze card. %(code)s is the exam code, %(fee)s the fee with its currency (hidden in the cloze). Example: "The AI-300 exam costs US$165.".
N_("anki.fact.fee")
# Translators: Exam-fact cloze card for an exam that does not penalise wrong answers. %(code)s is the exam code, %(cost)s is anki.fact.guessing-free.cost (hidden in the cloze). Example: "A wrong answer on AI-300 costs no points, so answer every question.".
N_("anki.fact.guessing-free")
# Translators: The hidden part of anki.fact.guessing-free: what a wrong answer costs. Example: "costs no points".
N_("anki.fact.guessing-free.cost")
# Translators: Exam-fact cloze card for an exam that takes points off for wrong answers. %(code)s is the exam code, %(cost)s is anki.fact.guessing-penalty.cost (hidden in the cloze). Example: "A wrong answer on AI-300 costs points, so leave a question blank rather than guess.".
N_("anki.fact.guessing-penalty")
# Translators: The hidden part of anki.fact.guessing-penalty: what a wrong answer costs. Example: "costs points".
N_("anki.fact.guessing-penalty.cost")
# Translators: Exam-fact cloze card. %(code)s is the exam code, %(pass_mark)s the score needed (hidden in the cloze), %(low)s and %(high)s the ends of the score scale. Example: "To pass AI-300, you need a score of 700 on a scale of 1 to 1,000.".
N_("anki.fact.pass-mark")
# Translators: Exam-fact cloze card. %(code)s is the exam code, %(questions)s the number of questions (unit.question-range, hidden in the cloze). Example: "The AI-300 exam has 40–60 questions.".
N_("anki.fact.question-count")
# Translators: Exam-fact cloze card for an exam that replaces an older one. %(code)s is the exam code, %(exam)s the older exam's code (hidden in the cloze). Example: "AI-300 replaces DP-100.".
N_("anki.fact.replaces")
# Translators: Name of a field of the question note type (shown in Anki's editor and browser): the letters of the correct options. Example: "Answer".
N_("anki.field.answer")
# Translators: Name of a field of the trap note type (Anki's editor and browser): the false claim shown on the front. Example: "Claim".
N_("anki.field.claim")
# Translators: Name of a field of the trap note type (Anki's editor and browser): why the claim is false, shown on the back. Example: "Correction".
N_("anki.field.correction")
# Translators: Name of a field of every note type (Anki's editor and browser): the exam domain the card belongs to. Example: "Domain".
N_("anki.field.domain")
# Translators: Name of a field of the concept and question note types (Anki's editor and browser): the concept's explanation, or why the answer is right. Example: "Explanation".
N_("anki.field.explanation")
# Translators: Name of a field of the exam-fact note type (Anki's editor and browser): more about the fact, shown on the back (Anki's usual name for a cloze note's second field). Must differ from every other field name. Example: "Extra".
N_("anki.field.extra")
# Translators: Name of a field of the concept note type (Anki's editor and browser): glossary entries for words in the explanation. Must differ from anki.field.term and every other field name: Anki cannot have two fields of one name. Example: "Glossary".
N_("anki.field.glossary")
# Translators: Name of a field of the question note type (Anki's editor and browser): how many answers to choose. Example: "Instruction".
N_("anki.field.instruction")
# Translators: Name of the first field of every note type (Anki's editor and browser): a sort key such as "01 concept multi-az", which orders the notes in the browser. Not the answer key. Example: "Key" (better: a word for "sort key").
N_("anki.field.key")
# Translators: Name of a field of the comparison note type (Anki's editor and browser): the name of the first of two items people confuse. Example: "Name A".
N_("anki.field.name-a")
# Translators: Name of a field of the comparison note type (Anki's editor and browser): the name of the second of two items people confuse. Example: "Name B".
N_("anki.field.name-b")
# Translators: Name of a field of the question note type (Anki's editor and browser): the lettered options shown on the front. Example: "Options".
N_("anki.field.options")
# Translators: Name of a field of the question note type (Anki's editor and browser): the options on the back, each with why it is right or wrong. Example: "Options explained".
N_("anki.field.options-explained")
# Translators: Name of a field of the question note type (Anki's editor and browser): the question's text. Example: "Question".
N_("anki.field.question")
# Translators: Name of a field of the question note type (Anki's editor and browser): which set the question comes from (anki.set.quick-check or anki.set.practice-exam). Example: "Set".
N_("anki.field.set")
# Translators: Name of a field of the concept note type (Anki's editor and browser): the term the card asks about. Must differ from anki.field.glossary and every other field name. Example: "Term".
N_("anki.field.term")
# Translators: Name of a field of the exam-fact note type (Anki's editor and browser): the cloze sentence. Example: "Text".
N_("anki.field.text")
# Translators: Name of a field of the concept and trap note types (Anki's editor and browser): the priority tier (1 must know, 2 should know, 3 recognise). Example: "Tier".
N_("anki.field.tier")
# Translators: Name of a field of the exam-fact note type (Anki's editor and browser): what the fact is about (the exam facts, or a domain). Example: "Topic".
N_("anki.field.topic")
# Translators: Name of a field of the comparison note type (Anki's editor and browser): the usual mistake between the two items. Example: "Trap".
N_("anki.field.trap")
# Translators: Name of a field of the comparison note type (Anki's editor and browser): when to use the first item. Example: "Use A when".
N_("anki.field.use-a-when")
# Translators: Name of a field of the comparison note type (Anki's editor and browser): when to use the second item. Example: "Use B when".
N_("anki.field.use-b-when")
# Translators: Label before the letters of the correct options, on the back of a question card. Example: "Answer".
N_("anki.question.answer")
# Translators: Text of a retired exam-fact card (cloze note) after a new version of the guide dropped it. %(cloze)s is anki.retired.cloze-word, shown as the cloze, %(version)s the version that retired it, %(label)s what the card was about. Example: "Retired in version 1.3.0: The AI-300 exam lasts 100 minutes.".
N_("anki.retired.cloze")
# Translators: The hidden word of a retired exam-fact card (see anki.retired.cloze). Example: "Retired".
N_("anki.retired.cloze-word")
# Translators: Name of the Anki deck that holds cards a new version retired, beside the guide's deck. %(code)s is the exam code. Example: "AI-300 (retired cards)".
N_("anki.retired.deck")
# Translators: Description of the retired cards' deck (Anki's deck overview). %(search)s is a tag search, kept as is. Example: "Cards that a new version of the guide retired. ... find them with tag:AI-300::retired.".
N_("anki.retired.deck-description")
# Translators: Line on a retired card, above its notice. %(version)s is the version that retired it. Example: "Retired in version 1.3.0".
N_("anki.retired.meta")
# Translators: Text that replaces a retired card's content. Example: "This card is no longer part of the guide. Suspend or delete it; your review history stays.".
N_("anki.retired.notice")
# Translators: Line on a retired card giving the author's reason. %(reason)s is that reason, in the guide's language. Example: "Why: No longer on the exam.".
N_("anki.retired.reason")
# Translators: Value of a question card's Set field: the question is from the practice exam. Example: "Practice exam".
N_("anki.set.practice-exam")
# Translators: Value of a question card's Set field: the question is a quick check at the end of a domain. Example: "Quick check".
N_("anki.set.quick-check")
# Translators: Value of a question card's Set field for a scenario (case study) question. %(set)s is anki.set.quick-check or anki.set.practice-exam. Example: "Practice exam · Scenario".
N_("anki.set.scenario")
# Translators: A concept's or trap's priority tier, shown on its card, when the guide gives the tier no name. %(level)s is the tier's number (1 to 3). Example: "Tier 1".
N_("anki.tier")
# Translators: A concept's or trap's priority tier, shown on its card. %(level)s is the tier's number, %(name)s the tier's name from the guide. Example: "Tier 1 · Must know".
N_("anki.tier-named")
# Translators: Question above the claim on the front of a trap card. Example: "True or false?".
N_("anki.trap.prompt")
# Translators: Verdict on the back of a trap card: the claim is false. Example: "False: this is a trap.".
N_("anki.trap.verdict")
# Translators: Name of the note type of comparisons (Anki's note type list), after the exam code. Example: "Comparison" (shown as "AI-300 Comparison").
N_("anki.type.comparison")
# Translators: Name of the note type of concepts (Anki's note type list), after the exam code. Example: "Concept" (shown as "AI-300 Concept").
N_("anki.type.concept")
# Translators: Name of the note type of exam facts (Anki's note type list), after the exam code. Example: "Exam fact".
N_("anki.type.fact")
# Translators: Name of the note type of questions (Anki's note type list), after the exam code. Example: "Question".
N_("anki.type.question")
# Translators: Name of the note type of traps (Anki's note type list), after the exam code. Example: "Trap".
N_("anki.type.trap")
# Translators: Mark before a correct option's explanation on the back of a question card. Keep the check mark. Example: "✓ Correct:".
N_("anki.verdict.right")
# Translators: Mark before a wrong option's explanation on the back of a question card. Keep the cross. Example: "✗ Wrong:".
N_("anki.verdict.wrong")
# Translators: Sentence of the deck's description after an update. %(version)s is the new version, %(counts)s the counts joined by commas (anki.whats-new.added, .changed, .retired), %(changed_search)s and %(retired_search)s are tag searches, kept as is. Example: "What's new in 1.3.0: 2 new notes, 1 changed. Review the changed cards with tag:AI-300::changed::1.3.0; find the retired ones with tag:AI-300::retired.".
N_("anki.whats-new")
# Translators: Count in anki.whats-new. %(num)s is the number of notes added. Example: "2 new notes".
N_("anki.whats-new.added")
# Translators: Count in anki.whats-new. %(num)s is the number of notes changed. Example: "1 changed".
N_("anki.whats-new.changed")
# Translators: In anki.whats-new, when no note changed. Example: "no note changed".
N_("anki.whats-new.nothing")
# Translators: Count in anki.whats-new. %(num)s is the number of notes retired. Example: "3 retired".
N_("anki.whats-new.retired")
# Translators: The book's accessibility summary (EPUB metadata, read by e-reader stores and screen readers). Example: "All content is text with headings, lists and tables marked up for navigation. ...".
N_("book.accessibility-summary")
# Translators: Title of the book's answers chapter (contents, heading). Example: "Answers".
N_("book.answers")
# Translators: Link from an answer back to its question, in the answers chapter. %(question)s is the question's label (book.question-label or book.check-label). Example: "Back to question 12".
N_("book.answers.back-to")
# Translators: Introduction of the answers chapter. Example: "Each answer gives the key, the explanation and why every option is right or wrong, then links back to its question.".
N_("book.answers.intro")
# Translators: Line of an answer in the answers chapter. %(key)s is the letters of the correct options; %(num)s (not shown) is how many. Example: "Answer: B" / "Answers: A, C".
N_("book.answers.key")
# Translators: Heading before the list of all answers' letters, in the answers chapter. Example: "The key at a glance:".
N_("book.answers.key-at-a-glance")
# Translators: One entry of the key at a glance. %(number)s is the question's number, %(key)s its correct letters. Example: "12: B".
N_("book.answers.key-entry")
# Translators: Heading of a domain's quick-check answers in the answers chapter. %(domain)s is the domain's number and title (common.numbered-domain). Example: "Quick checks: 2. Train and deploy models".
N_("book.answers.quick-checks")
# Translators: Label before the links to the concepts an answer rests on, in the answers chapter. Example: "Review:".
N_("book.answers.review")
# Translators: Verdict after a correct option in the answers chapter. Example: "Right.".
N_("book.answers.right")
# Translators: Verdict after a wrong option in the answers chapter. Example: "Wrong.".
N_("book.answers.wrong")
# Translators: Label of a quick-check question in the book (its heading, and link texts). %(domain)s is the domain's number, %(number)s the question's number in it. Example: "Check 2.1".
N_("book.check-label")
# Translators: A quick-check question named inside a sentence of the book (lower case where the language has case). %(domain)s is the domain's number, %(number)s the question's number in it. Example: "check 2.1".
N_("book.check-reference")
# Translators: Introduction of the book's exam-ready checklist. Example: "Book the exam when you can say yes to every line.".
N_("book.checklist.intro")
# Translators: Title of the book's table of contents (nav, contents, EPUB 2 guide). Example: "Contents".
N_("book.contents")
# Translators: Name of the book's cover page (landmarks, EPUB 2 guide). Example: "Cover".
N_("book.cover")
# Translators: Text alternative of the cover image, read by screen readers. %(title)s is the guide's title, %(certification)s the certification, %(code)s the exam code, %(publisher)s the publisher, %(version)s the version, %(domains)s the domains by weight (book.cover.alt-domain entries joined by book.cover.alt-separator). Example: "Cover of AI-300 Study Guide: ..., exam AI-300, by Study Guide Compiler, version 1.2.0. Exam domains by weight: Train models 25%; ...".
N_("book.cover.alt")
# Translators: One domain in the cover's text alternative. %(title)s is the domain's number and title, %(weight)s its share (a percentage or a range of them). Example: "1. Design ML solutions 20%".
N_("book.cover.alt-domain")
# Translators: What separates the domains in the cover's text alternative (book.cover.alt). Example: "; ".
N_("book.cover.alt-separator")
# Translators: Last line of the cover's chart of domain weights, for the domains that did not fit. %(num)s is how many, %(weight)s their total share. Example: "and 2 more domains, 15% together".
N_("book.cover.other-domains")
# Translators: Heading of the cover's chart when it shows only the heaviest domains. %(count)s is how many it shows. Example: "Top 5 exam domains by weight".
N_("book.cover.top-weights-heading")
# Translators: Line on the cover. %(version)s is the guide's version, %(date)s the date it was updated. Example: "Version 1.2.0 · 30 November 2026".
N_("book.cover.version")
# Translators: Heading of the cover's chart of domain weights. Example: "Exam domains by weight".
N_("book.cover.weights-heading")
# Translators: Column heading "Domain" in the book's tables (exam format, tiers). Example: "Domain".
N_("book.domain")
# Translators: Heading of a domain chapter's section of concepts, grouped by tier. Example: "Concepts by tier".
N_("book.domain.concepts")
# Translators: Label before the glossary links under a concept, in a domain chapter. Example: "Glossary:".
N_("book.domain.glossary")
# Translators: Heading of a domain chapter's list of key topics. Example: "Key topics".
N_("book.domain.key-topics")
# Translators: Line above a domain chapter's title. %(number)s is the domain's number. Example: "Domain 2".
N_("book.domain.number")
# Translators: Heading of a domain chapter's overview section. Example: "Overview".
N_("book.domain.overview")
# Translators: Heading of a domain chapter's section of traps. Example: "Exam traps".
N_("book.domain.traps")
# Translators: A domain's weight at the top of its chapter. %(label)s is book.domain.weight-label in bold, %(weight)s the share, a percentage or a range of them. Example: "Weight: 20–25% of the exam".
N_("book.domain.weight")
# Translators: Label in book.domain.weight, set in bold. Example: "Weight:".
N_("book.domain.weight-label")
# Translators: Title of the book's chapter about the exam (contents, heading, links). Example: "The exam".
N_("book.exam")
# Translators: Row heading in the exam's format table: where and how the exam is taken. Example: "Delivery".
N_("book.exam.delivery")
# Translators: Heading of the exam chapter's frequently asked questions. Example: "Frequently asked questions".
N_("book.exam.faq")
# Translators: Row heading in the exam's format table: the fee. Example: "Fee".
N_("book.exam.fee")
# Translators: Heading of the exam chapter's format section. Example: "Format".
N_("book.exam.format")
# Translators: Row heading in the exam's format table: hands-on labs in the exam. Example: "Labs".
N_("book.exam.labs")
# Translators: Row heading in the exam's scoring table. Example: "Pass mark".
N_("book.exam.pass-mark")
# Translators: Row heading in the exam's format table. Example: "Question types".
N_("book.exam.question-types")
# Translators: Row heading in the exam's format table: how many questions. Example: "Questions".
N_("book.exam.questions")
# Translators: Heading of the exam chapter's "ready when" list. Example: "Are you ready?".
N_("book.exam.ready")
# Translators: Introduction of the "ready when" list. Example: "Book the exam when:".
N_("book.exam.ready.intro")
# Translators: Heading of the exam chapter's registration section. Example: "Registration".
N_("book.exam.registration")
# Translators: Row heading in the exam's format table: the older exam this one replaces. Example: "Replaces".
N_("book.exam.replaces")
# Translators: Row heading in the exam's scoring table. Example: "Score scale".
N_("book.exam.score-scale")
# Translators: Heading of the exam chapter's scoring section. Example: "Scoring".
N_("book.exam.scoring")
# Translators: Row heading in the exam's format table: the exam's duration. Example: "Time".
N_("book.exam.time")
# Translators: Row heading in the exam's scoring table: what a wrong answer costs. Example: "Wrong answers".
N_("book.exam.wrong-answers")
# Translators: Value of book.exam.wrong-answers when wrong answers cost nothing. Example: "Cost nothing: never leave a question blank".
N_("book.exam.wrong-answers.free")
# Translators: Value of book.exam.wrong-answers when wrong answers cost points. Example: "Cost points".
N_("book.exam.wrong-answers.penalty")
# Translators: Title of the book's glossary chapter. Example: "Glossary".
N_("book.glossary")
# Translators: Label before the links to the concepts that use a glossary entry. Example: "Used in:".
N_("book.glossary.used-in")
# Translators: Title of the book's "how to use this book" chapter. Example: "How to use this book".
N_("book.how-to-use")
# Translators: Bold start of a paragraph of "How to use this book". Example: "Book the exam when you are ready.".
N_("book.how.book")
# Translators: Link text inside book.how.book.text, to the exam-ready checklist. Example: "exam-ready checklist".
N_("book.how.book.checklist")
# Translators: Paragraph of "How to use this book". %(checklist)s is a link whose text is book.how.book.checklist. Example: "The exam-ready checklist tells you when that is.".
N_("book.how.book.text")
# Translators: Bold start of a paragraph of "How to use this book". Example: "Check yourself.".
N_("book.how.check")
# Translators: Paragraph of "How to use this book". Example: "Every question links to its answer at the back of the book, and every answer links back ...".
N_("book.how.check.text")
# Translators: Counted item in book.how.covers. %(num)s is the number of concepts. Example: "40 concepts".
N_("book.how.concepts")
# Translators: Sentence of "How to use this book". %(domains)s, %(concepts)s, %(traps)s and %(questions)s are counted items (book.how.domains ...), %(code)s the exam code. Example: "This book covers the 5 domains of the AI-300 exam with 40 concepts, 12 exam traps and 60 questions.".
N_("book.how.covers")
# Translators: Sentence of "How to use this book", for a guide with confusable pairs. %(domains)s, %(concepts)s, %(traps)s, %(pairs)s and %(questions)s are counted items (book.how.domains ... book.how.pairs), %(code)s the exam code. Example: "This book covers the 5 domains of the AI-300 exam with 40 concepts, 12 exam traps, 8 confusable pairs and 60 questions.".
N_("book.how.covers-with-pairs")
# Translators: Counted item in book.how.covers; in German they follow "mit", so write them in the dative ("4 Konzepten"). %(num)s is the number of domains. Example: "5 domains".
N_("book.how.domains")
# Translators: Bold start of a paragraph of "How to use this book". Example: "Work through the domains.".
N_("book.how.domains-step")
# Translators: Paragraph of "How to use this book". Example: "Each domain chapter gives its weight, a summary, its key topics, ...".
N_("book.how.domains-step.text")
# Translators: Paragraph of "How to use this book" about reading on an e-reader. Example: "On an e-reader, use the table of contents to jump between chapters ...".
N_("book.how.e-reader")
# Translators: Bold start of a paragraph of "How to use this book". Example: "Put first things first.".
N_("book.how.first-things")
# Translators: Paragraph of "How to use this book". %(tier)s is a link whose text is book.how.first-things.tier. Example: "Every concept has a priority tier. Learn tier 1 everywhere before tier 2 anywhere.".
N_("book.how.first-things.text")
# Translators: Link text inside book.how.first-things.text, to the priority tiers. Example: "priority tier".
N_("book.how.first-things.tier")
# Translators: Bold start of a paragraph of "How to use this book". Example: "Know the exam.".
N_("book.how.know-exam")
# Translators: Paragraph of "How to use this book". %(exam)s is a link with the text of book.exam, %(plans)s one with the text of book.study-plans. Example: "The exam explains the format, the scoring and how to register; Study plans lay out your weeks.".
N_("book.how.know-exam.text")
# Translators: Bold start of a paragraph of "How to use this book". Example: "Look words up.".
N_("book.how.look-up")
# Translators: Link text inside book.how.look-up.text, to the glossary. Example: "glossary".
N_("book.how.look-up.glossary")
# Translators: Paragraph of "How to use this book". %(glossary)s is a link whose text is book.how.look-up.glossary. Example: "Terms used in the concepts link to the glossary.".
N_("book.how.look-up.text")
# Translators: Counted item in book.how.covers-with-pairs. %(num)s is the number of confusable pairs. Example: "8 confusable pairs".
N_("book.how.pairs")
# Translators: Bold start of a paragraph of "How to use this book". Example: "Sit the practice exam.".
N_("book.how.practice")
# Translators: Link text, to the practice exam, that fills %(exam)s in book.how.practice.text. Example: "The practice exam".
N_("book.how.practice.link")
# Translators: Paragraph of "How to use this book". %(exam)s is a link whose text is book.how.practice.link, %(num)s the number of questions. Example: "The practice exam has 50 questions across all domains. Answer them all before you look at the answers.".
N_("book.how.practice.text")
# Translators: Counted item in book.how.covers. %(num)s is the number of questions. Example: "60 questions".
N_("book.how.questions")
# Translators: Counted item in book.how.covers. %(num)s is the number of traps. Example: "12 exam traps".
N_("book.how.traps")
# Translators: Heading of the book's landmarks list (EPUB navigation, usually hidden). Example: "Landmarks".
N_("book.landmarks")
# Translators: Heading of a confusable pair in the book. %(a)s and %(b)s are the two names. Example: "Blob storage or Data Lake Storage?".
N_("book.pair.heading")
# Translators: Label before a pair's usual mistake, in the book. Example: "Trap:".
N_("book.pair.trap")
# Translators: Introduction of the book's chapter of confusable pairs. Example: "Exam questions often offer two similar answers. For each pair: when to use which, and the trap.".
N_("book.pairs.intro")
# Translators: Line of a study plan. %(label)s is book.plan.audience-label in bold, %(audience)s who the plan is for, from the guide. Example: "For whom: people new to the cloud.".
N_("book.plan.audience")
# Translators: Label in book.plan.audience, in bold. Example: "For whom:".
N_("book.plan.audience-label")
# Translators: Column heading of a study plan's table: what to study. Example: "Focus".
N_("book.plan.focus")
# Translators: Column heading of a study plan's table: which weeks. Example: "Week".
N_("book.plan.week")
# Translators: Sentence of the practice exam chapter. %(answers)s is a link whose text is book.practice.the-answers. Example: "Note your answers, then check them in the answers.".
N_("book.practice.check")
# Translators: Sentence of the practice exam chapter. %(num)s is the number of questions. Example: "50 questions from all domains.".
N_("book.practice.count")
# Translators: Sentence of the practice exam chapter. %(questions)s is the real exam's question count (unit.question-range), %(minutes)s its length, %(allowed)s the time to allow for this practice exam (both unit.minutes). Example: "The real exam has 40–60 questions in 100 minutes; allow yourself about 83 minutes here.".
N_("book.practice.real-exam")
# Translators: Link text inside book.practice.check, to the answers chapter. Example: "the answers".
N_("book.practice.the-answers")
# Translators: Heading of the study plans chapter's preparation section. Example: "Preparation".
N_("book.preparation")
# Translators: Heading of the hands-on practice list. Example: "Hands-on practice".
N_("book.preparation.hands-on")
# Translators: Mark after a study resource that costs money. Example: "(paid)".
N_("book.preparation.paid")
# Translators: Heading of the list of study resources. Example: "Resources".
N_("book.preparation.resources")
# Translators: Sentence of the preparation section. %(weeks)s is the number of weeks, or a range such as "4–8"; the count chooses the form. Example: "Plan on 4–8 weeks of study.".
N_("book.preparation.weeks")
# Translators: Label of a practice exam question in the book (its heading, and link texts). %(number)s is its number. Example: "Question 12".
N_("book.question-label")
# Translators: A practice exam question named inside a sentence (lower case where the language has case). %(number)s is its number. Example: "question 12".
N_("book.question-reference")
# Translators: Link from a question to its answer. %(question)s is the question's label. Example: "Answer to question 12".
N_("book.question.answer-to")
# Translators: Line above a multiple-select question in the book: how many to choose. %(num)s is the count (2 or more). Example: "Choose 2".
N_("book.question.choose")
# Translators: Line above a practice exam question: its domain. %(number)s is the domain's number, %(title)s its title. Example: "Domain 2: Train and deploy models".
N_("book.question.domain")
# Translators: Mark above a scenario (case study) question in the book. Example: "Scenario".
N_("book.question.scenario")
# Translators: A trap named in an answer's review links and in "What's new". %(myth)s is the trap's false claim. Example: "Trap: Bigger models are always better.".
N_("book.review.trap")
# Translators: Name of the first chapter to read (landmarks, EPUB 2 guide). Example: "Start reading".
N_("book.start-reading")
# Translators: Title of the book's study plans chapter (contents, heading, links). Example: "Study plans".
N_("book.study-plans")
# Translators: Heading of a group of concepts in a domain chapter, and a row of the tiers table. %(level)s is the tier's number, %(name)s its name from the guide. Example: "Tier 1: Must know".
N_("book.tier-named")
# Translators: Title of the book's chapter about priority tiers. Example: "Priority tiers".
N_("book.tiers")
# Translators: Caption of the table of concepts per domain and tier. Example: "Concepts per domain and tier".
N_("book.tiers.caption")
# Translators: Introduction of the priority tiers chapter, before the list of tiers. Example: "Not every fact is worth the same. Each concept in this book carries a tier, ...".
N_("book.tiers.intro")
# Translators: Name of the book's title page (contents, landmarks). Example: "Title page".
N_("book.title-page")
# Translators: Heading before the authors' names on the title page. %(num)s (not shown) is how many authors. Example: "Authors".
N_("book.title.authors")
# Translators: Sentence on the title page. %(vendor)s is the body that runs the exam. Example: "An independent study aid. Exam details change: check them with Microsoft before you book.".
N_("book.title.disclaimer")
# Translators: Heading on the title page, before the guide's web address. Example: "Home page".
N_("book.title.home-page")
# Translators: Heading on the title page, before the licence. Example: "Licence".
N_("book.title.licence")
# Translators: Heading on the title page, before the publisher. Example: "Publisher".
N_("book.title.publisher")
# Translators: Heading on the title page, before the version. Example: "Version".
N_("book.title.version")
# Translators: The version and its date, on the title page. %(version)s is the version number, %(date)s the date it was updated. Example: "1.2.0, 30 November 2026".
N_("book.title.version-date")
# Translators: Label before a trap's false claim in the book. Example: "Myth:".
N_("book.trap.myth")
# Translators: Label before the correction of a trap in the book. Example: "Truth:".
N_("book.trap.truth")
# Translators: Column heading in the exam chapter's table of domains: the domain's share. Example: "Weight".
N_("book.weight")
# Translators: Title of the book's "What's new" chapter. %(version)s is the newest version. Example: "What's new in 1.3.0".
N_("book.whats-new")
# Translators: Heading, in "What's new", of the items a version added. Example: "New".
N_("book.whats-new.added")
# Translators: Heading, in "What's new", of the items a version changed. Example: "Changed".
N_("book.whats-new.changed")
# Translators: In "What's new", for the first version. Example: "The first release.".
N_("book.whats-new.first")
# Translators: Introduction of the "What's new" chapter. Example: "What each version of this guide added, changed and retired, the newest first. ...".
N_("book.whats-new.intro")
# Translators: In "What's new", for a version that changed no card. Example: "No card changed.".
N_("book.whats-new.nothing")
# Translators: A question named in "What's new". %(question)s is its label (book.question-label or book.check-label), %(stem)s its text. Example: "Question 12: Which service stores features?".
N_("book.whats-new.question")
# Translators: Heading of one version in "What's new". %(version)s is the version, %(date)s its date. Example: "Version 1.3.0, 30 November 2026".
N_("book.whats-new.release")
# Translators: Heading, in "What's new", of the items a version retired. Example: "Retired".
N_("book.whats-new.retired")
# Translators: Name of a version in "What's new" links and contents. %(version)s is the version number. Example: "Version 1.3.0".
N_("book.whats-new.version")
# Translators: Line after a retired item in "What's new". %(reason)s is the author's reason. Example: "Why: No longer on the exam.".
N_("book.whats-new.why")
# Translators: Title of the exam-ready checklist (sheet section, book chapter). Example: "Exam-ready checklist".
N_("common.checklist")
# Translators: Title of the list of domains with their weights (sheet, book). Example: "Domain weights".
N_("common.domain-weights")
# Translators: What separates the items of a list written on one line (question types, delivery, answer letters), in the book. Example: "; ".
N_("common.list-separator")
# Translators: A top mistake's title (sheet, book), followed by its text. %(title)s is the mistake's title. Example: "Skipping validation.".
N_("common.mistake-title")
# Translators: Title of the list of top mistakes (sheet section, book chapter). Example: "Top mistakes".
N_("common.mistakes")
# Translators: A domain with its number (sheet, book, cover). %(number)s is the domain's number, %(title)s its title. Example: "2. Train and deploy models".
N_("common.numbered-domain")
# Translators: Title of the confusable pairs (sheet section, book chapter). Example: "Confusable pairs".
N_("common.pairs")
# Translators: Title of the book's practice exam chapter (and sheet references). Example: "Practice exam".
N_("common.practice-exam")
# Translators: Heading of a domain's quick check in the book. Example: "Quick check".
N_("common.quick-check")
# Translators: A priority tier without a name (book). %(level)s is the tier's number. Example: "Tier 1".
N_("common.tier")
# Translators: A range of two numbers, everywhere (questions, weeks, score scales). %(low)s and %(high)s are the ends, already formatted. Example: "40–60".
N_("format.range")
# Translators: The number 5 as a word, for anki.choose-answers. Example: "five".
N_("number.five")
# Translators: The number 4 as a word, for anki.choose-answers. Example: "four".
N_("number.four")
# Translators: The number 1 as a word, for anki.choose-answers in languages whose one form serves every count. Example: "one".
N_("number.one")
# Translators: The number 6 as a word, for anki.choose-answers. Example: "six".
N_("number.six")
# Translators: The number 3 as a word, for anki.choose-answers. Example: "three".
N_("number.three")
# Translators: The number 2 as a word, for anki.choose-answers. Example: "two".
N_("number.two")
# Translators: A concept's term before its explanation, on the cheat sheet (in bold). %(term)s is the term. Example: "Feature store:".
N_("sheet.concept-term")
# Translators: Row heading of the sheet's exam box: where and how the exam is taken (test centre, online). Example: "Delivery".
N_("sheet.delivery")
# Translators: The cheat sheet PDF's subject (document properties). %(code)s is the exam code, %(certification)s the certification, %(version)s the guide's version. Example: "Two-page printable summary of the AI-300 exam (Machine Learning Operations Engineer Associate), version 1.2.0".
N_("sheet.description")
# Translators: Row heading of the sheet's exam box: the exam's length. Example: "Duration".
N_("sheet.duration")
# Translators: Row heading of the sheet's exam box: the fee. Example: "Fee".
N_("sheet.fee")
# Translators: The cheat sheet's footer, one short line. %(code)s is the exam code, %(version)s the version, %(date)s the ISO date (2026-11-30), %(license)s the licence. Example: "AI-300 cheat sheet · v1.2.0 · 2026-11-30 · CC BY 4.0".
N_("sheet.footer")
# Translators: Row heading of the sheet's exam box: questions and their types. Example: "Format".
N_("sheet.format")
# Translators: Value of the sheet's format row. %(questions)s is the question count (unit.question-range), %(types)s the question types. Example: "40–60 questions: single choice, multiple choice.".
N_("sheet.format.text")
# Translators: Heading of the sheet's exam box, on the front page. Example: "Exam at a glance".
N_("sheet.glance")
# Translators: Row heading of the sheet's exam box: whether guessing costs points. Example: "Guessing".
N_("sheet.guessing")
# Translators: Value of the sheet's guessing row when wrong answers cost nothing. %(no_penalty)s is sheet.guessing.free.no-penalty in bold. Example: "no penalty for guessing: answer every question".
N_("sheet.guessing.free")
# Translators: The bold part of sheet.guessing.free. Example: "no penalty".
N_("sheet.guessing.free.no-penalty")
# Translators: Value of the sheet's guessing row when wrong answers cost points. Example: "wrong answers cost points: skip what you cannot narrow down".
N_("sheet.guessing.penalty")
# Translators: The cheat sheet's heading, at the top of the front page. %(code)s is the exam code. Example: "AI-300 cheat sheet".
N_("sheet.heading")
# Translators: Label before a domain's key topics on the sheet (bold). Example: "Key topics:".
N_("sheet.key-topics")
# Translators: A keyword of the cheat sheet PDF (document properties). Example: "cheat sheet".
N_("sheet.keyword")
# Translators: Row heading of the sheet's exam box: hands-on labs in the exam. Example: "Labs".
N_("sheet.labs")
# Translators: Line on the sheet when some domains did not fit. %(domains)s lists their numbers; %(num)s (not shown) is how many. Example: "Not on this sheet, for want of room: domains 4, 5. The book and the deck have every domain.".
N_("sheet.omitted-domains")
# Translators: Line at the end of the sheet when some must-know (tier 1) items did not fit. %(num)s is how many were left out. Example: "3 more must-know items are in the book and the deck.".
N_("sheet.omitted-items")
# Translators: The page counter in the sheet's footer. %(page)s and %(pages)s become the page counters. Example: "page 1 of 2".
N_("sheet.page-of")
# Translators: Label before a pair's usual mistake, on the sheet. Example: "Trap:".
N_("sheet.pair-trap")
# Translators: Row heading of the sheet's exam box: the older exam this one replaces. Example: "Replaces".
N_("sheet.replaces")
# Translators: Row heading of the sheet's exam box: the score scale and pass mark. Example: "Scoring".
N_("sheet.scoring")
# Translators: Row heading of the sheet's exam box: the guide's own note on scoring. Example: "Note".
N_("sheet.scoring-note")
# Translators: Part of sheet.scoring.text, set in bold. %(mark)s is the pass mark. Example: "pass mark 700".
N_("sheet.scoring.pass-mark")
# Translators: Value of the sheet's scoring row. %(scale)s is the score range (format.range), %(pass_mark)s is sheet.scoring.pass-mark. Example: "scale 1–1,000, pass mark 700".
N_("sheet.scoring.text")
# Translators: Line under the sheet's heading. %(certification)s is the certification, %(vendor)s who runs the exam, %(version)s the version, %(date)s the date it was updated. Example: "Machine Learning Operations Engineer Associate · Microsoft · version 1.2.0, 30 November 2026".
N_("sheet.subtitle")
# Translators: The cheat sheet PDF's title (document properties, window title). %(code)s is the exam code, %(certification)s the certification. Example: "AI-300 cheat sheet: Machine Learning Operations Engineer Associate".
N_("sheet.title")
# Translators: Heading of a domain's traps on the sheet. Example: "Traps".
N_("sheet.traps")
# Translators: A duration in minutes (sheet, book, cards). %(num)s is the number of minutes. Example: "100 minutes".
N_("unit.minutes")
# Translators: A number of questions (sheet, book, cards). %(range)s is the number or range (format.range); %(num)s (not shown) is its upper end, which chooses the form. Example: "40–60 questions".
N_("unit.question-range")
# Translators: On a practice-exam card's header line, where the book answers this question (its practice exam chapter). Example: "Book: practice exam".
N_("anki.book-practice-exam")
# Translators: On a card's header line, the section of the book that teaches the card's item, so a learner who fails the card finds the page. %(number)s is the section number, domain then section ("2.3"). Example: "Book § 2.3".
N_("anki.book-section")
# Translators: Caption under a figure in the book. %(number)s is the figure's number, its domain then its place in the chapter ("2.3"); %(caption)s is the guide's caption for it. Example: "Figure 2.3: A blue/green rollout with a traffic split".
N_("figure.caption")
# Translators: A figure's number alone, under the picture on a card and on the cheat sheet (the book uses figure.caption). %(number)s is the number, domain then place in the chapter ("2.3"). Example: "Figure 2.3".
N_("figure.number")
# Translators: Line at the end of the cheat sheet naming figures too detailed to print legibly there. %(figures)s is the list of their numbers ("2.1, 3.4"), %(num)s how many there are (chooses the plural form). Example: "Figures 2.1, 3.4 are too detailed for this sheet; they are in the book.".
N_("sheet.figures-left-out")
# Translators: After a concept's text on the cheat sheet, when the sheet had no room for the concept's figure: where to find it. %(number)s is the figure's number, domain then place in the chapter ("2.3"). Keep it short. Example: "(Figure 2.3 in the book)".
N_("sheet.figure-in-book")

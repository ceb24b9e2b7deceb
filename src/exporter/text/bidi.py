"""Text direction: which guides read right to left, and keeping each source
text's own direction inside the labels around it.

A guide in Arabic, Hebrew, Persian or Urdu reads right to left in every
format that can say so (`dir="rtl"`, the EPUB's page progression). Within a
page, a source text whose letters run the other way than the page (an Arabic
term in an English guide, a product name alone in an Arabic one) is wrapped in
`<bdi dir="…">`, so its characters keep their order and the punctuation of the
label next to it ("Term:") stays where the page's direction puts it.
"""

from __future__ import annotations

import re
import unicodedata

from exporter.text.markup import Text

# Unicode bidi classes of right-to-left letters (Hebrew; Arabic and its kin).
RIGHT_TO_LEFT_CLASSES = frozenset({"R", "AL"})
# A phrase of right-to-left letters (with their marks and the spaces between
# words): Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan and their
# presentation forms, and the historic scripts of the right-to-left planes.
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff"
RIGHT_TO_LEFT_RUN = re.compile(f"[{_RTL}]+(?:[ \u00a0]+[{_RTL}]+)*")


def text_direction(text: str) -> str | None:
    """The direction of most of the text's letters, or None if it has none (digits, symbols)."""
    left = right = 0
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            left += 1
        elif kind in RIGHT_TO_LEFT_CLASSES:
            right += 1
    if left == right:
        return None
    return "rtl" if right > left else "ltr"


def isolated(text: Text, page_direction: str, in_link: bool = False) -> str:
    """The text's HTML, isolated in its own direction if that is not the page's; on a
    left-to-right page, each right-to-left phrase inside it is isolated too. With
    `in_link`, the HTML for inside a link of our own (`Text.html_in_link`)."""
    markup = text.html_in_link if in_link else text.html
    direction = text_direction(text.plain)
    if direction is not None and direction != page_direction:
        return f'<bdi dir="{direction}">{markup}</bdi>'
    if page_direction == "ltr" and RIGHT_TO_LEFT_RUN.search(text.plain):
        # Only between tags: attributes (link addresses) stay as they are.
        parts = re.split(r"(<[^>]*>)", markup)
        return "".join(part if part.startswith("<") else RIGHT_TO_LEFT_RUN.sub(_isolate_run, part)
                       for part in parts)
    return markup


def _isolate_run(match: re.Match) -> str:
    return f'<bdi dir="rtl">{match.group()}</bdi>'


def html_filter(in_link: bool = False):
    """The templates' `md` filter (`md_in_link` with `in_link`): a text's HTML, isolated
    against the page's direction (`direction` in the template's context or globals;
    left to right if unset).

    Made on demand: the model imports this module, and the CLI must start fast.
    """
    import jinja2
    from markupsafe import Markup

    @jinja2.pass_context
    def md(context, text: Text) -> Markup:
        return Markup(isolated(text, context.get("direction") or "ltr", in_link))

    return md

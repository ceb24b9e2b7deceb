"""Inline Markdown for source text, rendered once to safe HTML for every format.

Authors may use emphasis, strong, inline code, links and hard line breaks
(two spaces or a backslash at the end of a line). Anything else is shown as
the literal characters the author typed: raw HTML is escaped, and block
syntax (headings, lists, tables) is switched off, since every field is a
single paragraph of text. A backslash before a bracket or a parenthesis is
kept, so TeX-style `\\(x\\)` and `\\[x\\]` show as typed rather than as `(x)`.
"""

from __future__ import annotations

from functools import cached_property

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

# Only these link schemes survive; anything else (javascript:, data:, file:,
# relative paths) is rendered as plain text.
ALLOWED_LINK_SCHEMES = ("http://", "https://", "mailto:")

# Kept with their backslash: `\(` and `\[` open math in TeX and in Anki.
_LITERAL_AFTER_BACKSLASH = "()[]"


def _literal_backslash(state: StateInline, silent: bool) -> bool:
    """A backslash before a bracket or parenthesis is text, not a Markdown escape."""
    pos = state.pos
    if (state.src[pos] != "\\" or pos + 1 >= state.posMax
            or state.src[pos + 1] not in _LITERAL_AFTER_BACKSLASH):
        return False
    if not silent:
        state.pending += state.src[pos:pos + 2]
    state.pos = pos + 2
    return True


# xhtmlOut: a hard break is `<br />`, which XHTML (the book) can carry as well as HTML.
_md = (
    MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False, "xhtmlOut": True})
    .enable(["emphasis", "backticks", "link", "escape", "entity", "newline"])
)
_md.inline.ruler.before("escape", "literal_backslash", _literal_backslash)
_md.validateLink = lambda url: url.strip().lower().startswith(ALLOWED_LINK_SCHEMES)


class Text(str):
    """A source string that knows its rendered HTML and its plain text."""

    @cached_property
    def html(self) -> str:
        """Inline HTML (XHTML-compatible): escaped text plus em/strong/code/a."""
        return _md.renderInline(str(self)).strip()

    @cached_property
    def html_in_link(self) -> str:
        """The same HTML with its links shown as their text: for use inside a link
        of our own (a link inside a link is invalid, and EPUBCheck refuses it)."""
        tokens = _md.parseInline(str(self))
        for token in tokens:
            token.children = [child for child in token.children or ()
                              if child.type not in ("link_open", "link_close")]
        return _md.renderer.render(tokens, _md.options, {}).strip()

    @cached_property
    def plain(self) -> str:
        """The text with the Markdown marks removed, for PDF metadata and sort keys."""
        tokens = _md.parseInline(str(self))
        parts: list[str] = []
        for token in tokens:
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
        return "".join(parts).strip()

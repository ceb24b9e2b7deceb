"""Inline Markdown for source text, rendered once to safe HTML for every format.

Authors may use emphasis, strong, inline code and links. Anything else is
shown as the literal characters the author typed: raw HTML is escaped, and
block syntax (headings, lists, tables) is switched off, since every field is
a single paragraph of text.
"""

from __future__ import annotations

from functools import cached_property

from markdown_it import MarkdownIt

# Only these link schemes survive; anything else (javascript:, data:, file:,
# relative paths) is rendered as plain text.
ALLOWED_LINK_SCHEMES = ("http://", "https://", "mailto:")

_md = (
    MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    .enable(["emphasis", "backticks", "link", "escape", "entity", "newline"])
)
_md.validateLink = lambda url: url.strip().lower().startswith(ALLOWED_LINK_SCHEMES)


class Text(str):
    """A source string that knows its rendered HTML and its plain text."""

    @cached_property
    def html(self) -> str:
        """Inline HTML (XHTML-compatible): escaped text plus em/strong/code/a."""
        return _md.renderInline(str(self)).strip()

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

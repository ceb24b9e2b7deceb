"""Inline Markdown for source text, rendered once to safe HTML for every format.

Authors may use emphasis, strong, inline code, links and hard line breaks
(two spaces or a backslash at the end of a line). Anything else is shown as
the literal characters the author typed: raw HTML is escaped, and block
syntax (headings, lists, tables) is switched off, since every field is a
single paragraph of text. A backslash before a bracket or a parenthesis is
kept, so TeX-style `\\(x\\)` and `\\[x\\]` show as typed rather than as `(x)`.
"""

from __future__ import annotations

import re
import urllib.parse
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
# What an address may hold (RFC 3986): other characters must be percent-encoded.
_ADDRESS_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def address_problem(url: str) -> str | None:
    """Why an http, https or mailto address would be refused by the book's checker
    (and by readers), or None: only RFC 3986's characters, `%` only before two hex
    digits, and for the web a host that parses (`http://[::1` does not)."""
    if not url.lower().startswith(ALLOWED_LINK_SCHEMES):
        return "must start with http://, https:// or mailto:"
    if not _ADDRESS_CHARACTERS.fullmatch(url):
        bad = next(character for character in url if not _ADDRESS_CHARACTERS.fullmatch(character))
        return f"contains {bad!r}, which an address must percent-encode"
    if _BAD_PERCENT.search(url):
        return "has a '%' not followed by two hexadecimal digits; write a percent sign as %25"
    if url.lower().startswith(("http://", "https://")):
        try:
            host = urllib.parse.urlsplit(url).hostname
        except ValueError as error:
            return f"cannot be read as an address ({error})"
        if not host:
            return "names no host"
    return None


# A link the book could not carry is shown as its text, like one of another scheme.
_md.validateLink = lambda url: address_problem(url.strip()) is None


# Bidi controls that open a scope (embeddings and overrides, closed by U+202C; isolates,
# closed by U+2069). One an author leaves open would reach past the text, into what an
# exporter writes after it (the sheet's colon after a term); each text closes its own.
_EMBEDDINGS = "\u202a\u202b\u202d\u202e"
_ISOLATES = "\u2066\u2067\u2068"
_POP_EMBEDDING, _POP_ISOLATE = "\u202c", "\u2069"


def closing_bidi(text: str) -> str:
    """The closers of the bidi scopes the text leaves open, innermost first."""
    if text.isascii():
        return ""
    open_scopes: list[str] = []
    for character in text:
        if character in _EMBEDDINGS or character in _ISOLATES:
            open_scopes.append(character)
        elif character == _POP_EMBEDDING and open_scopes and open_scopes[-1] in _EMBEDDINGS:
            open_scopes.pop()
        elif character == _POP_ISOLATE and any(scope in _ISOLATES for scope in open_scopes):
            while open_scopes.pop() not in _ISOLATES:  # closing an isolate closes what it holds
                pass
    return "".join(_POP_ISOLATE if scope in _ISOLATES else _POP_EMBEDDING for scope in reversed(open_scopes))


class Text(str):
    """A source string that knows its rendered HTML and its plain text."""

    @cached_property
    def html(self) -> str:
        """Inline HTML (XHTML-compatible): escaped text plus em/strong/code/a."""
        return _md.renderInline(str(self)).strip() + closing_bidi(self.shown)

    @cached_property
    def html_in_link(self) -> str:
        """The same HTML with its links shown as their text: for use inside a link
        of our own (a link inside a link is invalid, and EPUBCheck refuses it)."""
        tokens = _md.parseInline(str(self))
        for token in tokens:
            token.children = [child for child in token.children or ()
                              if child.type not in ("link_open", "link_close")]
        return _md.renderer.render(tokens, _md.options, {}).strip() + closing_bidi(self.shown)

    @cached_property
    def emphasis_depth(self) -> int:
        """How deep emphasis and strong nest in it (`***a***` is 2)."""
        depth = deepest = 0
        for token in _md.parseInline(str(self)):
            for child in token.children or ():
                if child.type in ("em_open", "strong_open"):
                    depth += 1
                    deepest = max(deepest, depth)
                elif child.type in ("em_close", "strong_close"):
                    depth -= 1
        return deepest

    @cached_property
    def shown(self) -> str:
        """The characters the formats show of it, in order: its text and code with their
        character references read (`&#x202E;` is U+202E; a code span keeps `&` as typed),
        line breaks as line feeds; no Markdown marks, no link addresses. What the checks
        of characters and of bidi scopes read, since the raw source can spell a
        character it does not hold."""
        parts: list[str] = []
        for token in _md.parseInline(str(self)):
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append("\n")
        return "".join(parts)

    @cached_property
    def plain(self) -> str:
        """The text with the Markdown marks removed, for PDF metadata and sort keys."""
        return " ".join(self.shown.split("\n")).strip() + closing_bidi(self.shown)

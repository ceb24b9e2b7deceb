"""Inline Markdown for source text, rendered once to safe HTML for every format.

Authors may use emphasis, strong, inline code, links and hard line breaks
(two spaces or a backslash at the end of a line). Anything else is shown as
the literal characters the author typed: raw HTML is escaped, and block
syntax (headings, lists, tables) is switched off, since every field is a
single paragraph of text. A backslash before a bracket or a parenthesis is
kept, so TeX-style `\\(x\\)` and `\\[x\\]` show as typed rather than as `(x)`.
"""

from __future__ import annotations

import ipaddress
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
# What WHATWG's URL parser refuses in a host once its percent-escapes are read.
_FORBIDDEN_IN_HOST = re.compile(r"[\x00-\x20\x7f#%/:<>?@\[\\\]^|]")
# A last label WHATWG reads as a number (decimal or hexadecimal), making the host an IPv4 address.
_NUMBER = re.compile(r"[0-9]+|0[xX][0-9A-Fa-f]*")
MAX_PORT = 65535
# DNS's limits, which EPUBCheck holds a host to.
MAX_LABEL, MAX_HOST = 63, 253


def address_problem(url: str) -> str | None:
    """Why an http, https or mailto address would be refused by the book's checker
    (EPUBCheck, whose URL parser follows WHATWG's rules) or by readers, or None.

    Accepted: what RFC 3986's grammar and WHATWG's parser both read, as EPUBCheck
    takes it: RFC 3986's characters only, `%` only before two hex digits, brackets
    only around an IPv6 host, one `#`, a port up to 65535, a host of non-empty labels
    of at most 63 characters whose `xn--` labels decode (IDNA), and a host ending in
    a number only if it is an IPv4 address."""
    if not url.lower().startswith(ALLOWED_LINK_SCHEMES):
        return "must start with http://, https:// or mailto:"
    if not _ADDRESS_CHARACTERS.fullmatch(url):
        bad = next(character for character in url if not _ADDRESS_CHARACTERS.fullmatch(character))
        return f"contains {bad!r}, which an address must percent-encode"
    if _BAD_PERCENT.search(url):
        return "has a '%' not followed by two hexadecimal digits; write a percent sign as %25"
    before_fragment, _, fragment = url.partition("#")
    if "#" in fragment:
        return "has a second '#'; write it in the fragment as %23"
    if not url.lower().startswith(("http://", "https://")):
        if "[" in url or "]" in url:
            return "contains a bracket, which an address must percent-encode (%5B, %5D)"
        return None if before_fragment.partition(":")[2].partition("?")[0] else "names no address"
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as error:
        return f"cannot be read as an address ({error})"
    if "[" in parts.path + parts.query + parts.fragment:
        return "contains a bracket outside an IPv6 host, which an address must percent-encode (%5B, %5D)"
    user, _, host_and_port = parts.netloc.rpartition("@")
    if "[" in user or "]" in user:
        return "contains a bracket outside an IPv6 host, which an address must percent-encode (%5B, %5D)"
    if host_and_port.startswith("["):
        host, _, port = host_and_port[1:].partition("]")
        if port and not port.startswith(":"):
            return f"has {port!r} after its IPv6 host, where only ':' and a port may follow"
        problem = _ipv6_problem(host)
        port = port[1:]
    else:
        if "[" in host_and_port or "]" in host_and_port:
            return "contains a bracket outside an IPv6 host, which an address must percent-encode (%5B, %5D)"
        host, _, port = host_and_port.partition(":")
        problem = _host_problem(host)
    if problem:
        return problem
    if not port.isdigit() and port:
        return f"has the port {port!r}, which is not a number"
    if port and int(port) > MAX_PORT:
        return f"has the port {int(port)}, above the highest, {MAX_PORT}"
    return None


def _ipv6_problem(host: str) -> str | None:
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        return f"has [{host}] as its host, which is no IPv6 address (an IPv4 address goes without brackets)"
    if "%" in host:
        return f"has [{host}] as its host: a zone (%25...) is for one machine's own network, not an address"
    return None


def _host_problem(host: str) -> str | None:
    """Why a host that is not in brackets (a name, or an IPv4 address) would be refused."""
    if not host:
        return "names no host"
    try:
        name = urllib.parse.unquote(host, errors="strict") if "%" in host else host
    except UnicodeDecodeError:
        return f"has the host {host!r}, whose percent-escapes are not UTF-8"
    if match := _FORBIDDEN_IN_HOST.search(name):
        return f"has {match.group()!r} in its host"
    rooted = name.removesuffix(".")  # one final dot names the root: allowed
    labels = rooted.split(".")
    if _NUMBER.fullmatch(labels[-1]):
        # WHATWG reads a host that ends in a number as an IPv4 address, and refuses it if it is not one.
        try:
            ipaddress.IPv4Address(rooted)
        except ValueError:
            return f"has the host {host!r}, which ends in a number but is no IPv4 address such as 192.0.2.1"
        return None
    if len(rooted) > MAX_HOST:
        return f"has a host of {len(rooted)} characters; at most {MAX_HOST}"
    for label in labels:
        if not label:
            return f"has an empty label (two dots, or a dot first) in its host {host!r}"
        if len(label) > MAX_LABEL:
            return f"has a label of {len(label)} characters in its host; at most {MAX_LABEL}"
        try:  # IDNA: an `xn--` label must decode, a label of other letters must encode
            label.lower().encode("ascii").decode("idna") if label.isascii() else label.encode("idna")
        except UnicodeError:
            return f"has the label {label!r} in its host, which is no internationalised name (IDNA)"
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

"""The anchors the book and the sheet make of the model's ids, decided here for both.

Ids hold only lower-case letters, digits and hyphens (`fields.ItemId`), so the
dots of `anchor` keep every item's anchor apart from any other, whatever the ids
are: `path.a.title` and the anchor of a path `a-title` differ. Fixed anchors
(`sec-overview`, `answers-practice-exam`, a release's) never hold a dot, so no
item's anchor equals one.
"""

from __future__ import annotations


def anchor(kind: str, item_id: str, *part: str) -> str:
    """The anchor of an item, such as `concept.tls-basics` (or a part of it: `path.cloud.title`)."""
    return ".".join((kind, item_id, *part))


def heading_anchor(section: str) -> str:
    """The anchor of a section's heading, which labels the section: an item's section
    gets a part (`answers.d1.title`); a fixed one, a suffix that keeps it dotless."""
    return anchor(*section.split(".", 1), "title") if "." in section else f"{section}-title"


def release_anchor(version: str) -> str:
    """A release's section in the book: `release-1-2-0`, dotless like the fixed anchors."""
    return "release-" + version.replace(".", "-")

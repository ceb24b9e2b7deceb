"""The templates of every format (`templates/<format>/`, shipped in the package) and
the one Jinja environment that reads them: each exporter, and the preview's page,
asks `template_environment` for its folder and adds only its own filters and globals."""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

if TYPE_CHECKING:
    from exporter.text.i18n import Labels

# The project's templates/ folder, which the package ships as exporter/templates.
TEMPLATES_DIR = Path(str(importlib.resources.files("exporter.templates")))

# Anki reads `{{ }}` and `{{# }}` itself, so its card templates are Jinja written with brackets.
CARD_SYNTAX = dict(variable_start_string="[[", variable_end_string="]]",
                   block_start_string="[%", block_end_string="%]",
                   comment_start_string="[#", comment_end_string="#]")


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process, whichever environment asks (keyed by name and source):
    a process that builds again and again (`serve`) compiles each template once, not once per build.
    Environments differ only in their syntax, and each syntax has its cache, so a template's
    file and source decide its compiled code."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (compiled := self._compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = {False: CompiledTemplates(), True: CompiledTemplates()}  # by card syntax


def template_environment(folder: str, labels: Labels | None = None, *, card_syntax: bool = False) -> jinja2.Environment:
    """The environment for `templates/<folder>/`, with the guide's labels if given.

    Every format escapes HTML, stops at an undefined name and asks its labels for
    fixed texts (`jinja2.ext.i18n`). Page templates drop the line a block tag stands
    on; card templates (`card_syntax`) use Anki's brackets and keep every character
    as written, since the card's HTML is what Anki shows."""
    layout = dict(keep_trailing_newline=True)
    if card_syntax:
        layout |= CARD_SYNTAX
    else:
        layout |= dict(trim_blocks=True, lstrip_blocks=True)
    made = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR / folder),
        bytecode_cache=_COMPILED[card_syntax],
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        **layout,
    )
    if labels is not None:
        labels.install(made)
    return made

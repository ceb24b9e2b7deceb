"""Skip a wasted pass in WeasyPrint's multi-column layout.

WeasyPrint lays out the columns of a multi-column block twice: a trial pass
that only decides whether the columns must be balanced, then the real pass.
With `column-fill: auto` on the last run of columns, and no footnotes, the
trial cannot change anything (both of its outcomes end the loop with the same
height), yet it costs as much as the real pass. The cheat sheet is laid out
three times per paper, so this pass was about a third of a cold build.

The change is one loop condition in `weasyprint.layout.column.columns_layout`,
made on the upstream source text: it applies only when that text is exactly the
one it was written for, and otherwise leaves WeasyPrint as it is (slower, same
output). `tests/test_pdf.py` checks that it applies with the pinned WeasyPrint
and that the sheets come out byte for byte as without it.
"""

from __future__ import annotations

import inspect

import weasyprint.layout.block as block_module
import weasyprint.layout.column as column_module

ORIGINAL = column_module.columns_layout

TRIAL_LOOP = """        while True:
            # Remove extra excluded shapes introduced during the previous loop"""
# The same loop, entered only when its outcome can matter.
TRIAL_LOOP_WHEN_NEEDED = """        while not (
                style['column_fill'] == 'auto'
                and index == columns_and_blocks[-1][0]
                and context.current_footnote_area.height == 'auto'
                and not context.current_page_footnotes):
            # Remove extra excluded shapes introduced during the previous loop"""


def _patched():
    """The patched function, or None when upstream's source is not the expected one."""
    try:
        source = inspect.getsource(column_module)
    except OSError:  # no source shipped
        return None
    if source.count(TRIAL_LOOP) != 1:
        return None
    namespace = dict(vars(column_module))
    exec(compile(source.replace(TRIAL_LOOP, TRIAL_LOOP_WHEN_NEEDED), column_module.__file__, "exec"), namespace)
    return namespace["columns_layout"]


def apply() -> bool:
    """Install the faster columns layout; True if it is in place."""
    faster = _patched()
    if faster is None:
        return False
    # block.py imported the function by name: replace both references.
    column_module.columns_layout = block_module.columns_layout = faster
    return True


def undo() -> None:
    """Put WeasyPrint's own function back (for tests that compare the two)."""
    column_module.columns_layout = block_module.columns_layout = ORIGINAL


APPLIED = apply()

"""WeasyPrint as the cheat sheet uses it: two speed-ups, the same output.

Import this before anything else of WeasyPrint.

**Loading its libraries.** WeasyPrint opens GObject, Pango, HarfBuzz and
fontconfig through cffi, trying several names for each. For every name that is
not a file, cffi asks `ctypes.util.find_library`, which on Linux runs ldconfig,
gcc and ld in subprocesses: 0.2 s of a 0.45 s import, in every build. The names
WeasyPrint tries include each library's soname (`libpango-1.0.so.0`), which the
dynamic loader finds by itself; so on Linux the lookups answer "not found" at
once. Should no name load that way, WeasyPrint is imported again the usual way.

**A wasted pass in multi-column layout.** WeasyPrint lays out the columns of a
multi-column block twice: a trial pass that only decides whether the columns
must be balanced, then the real pass. With `column-fill: auto` on the last run
of columns, and no footnotes, the trial cannot change anything (both of its
outcomes end the loop with the same height), yet it costs as much as the real
pass. The change is one loop condition in
`weasyprint.layout.column.columns_layout`, made on the upstream source text: it
applies only when that text is exactly the one it was written for, and
otherwise leaves WeasyPrint as it is (slower, same output). `tests/test_pdf.py`
checks that it applies with the pinned WeasyPrint and that the sheets come out
byte for byte as without it.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import inspect
import io
import sys


def _import_weasyprint() -> None:
    if sys.platform.startswith("linux") and "weasyprint" not in sys.modules:
        find_library = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint prints its install help on failure
                importlib.import_module("weasyprint")
            return
        except OSError:
            for name in [name for name in sys.modules if name.split(".")[0] == "weasyprint"]:
                del sys.modules[name]
        finally:
            ctypes.util.find_library = find_library
    importlib.import_module("weasyprint")


_import_weasyprint()

import weasyprint.layout.block as block_module  # noqa: E402  (after the import above)
import weasyprint.layout.column as column_module  # noqa: E402

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

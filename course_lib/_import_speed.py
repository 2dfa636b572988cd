"""Keep an unused, slow import out of every notebook's start.

Why (measured for issue 14): building the first figure imports plotly's FigureWidget, plotly imports
``nbformat`` (for its notebook renderers), nbformat imports ``jsonschema``, and jsonschema imports
every format checker it can find. One of them, ``rfc3987_syntax`` (installed through JupyterLab's
``jupyter-events``, which asks for ``jsonschema[format-nongpl]``), builds some 35 Earley parsers when
it is imported: 1.1 s of the kernel's start, in every notebook, although nothing in the kernel ever
checks an IRI. Upstream: jsonschema issues #1392 and #1428, and PR #1521 (a lazily loading fork).

What this does: before anything imports jsonschema, :func:`defer_rfc3987_syntax` puts a stand-in
module under the name ``rfc3987_syntax``. Its ``is_valid_syntax`` (the one name jsonschema takes from
it) loads the real package on its first call and hands over to it, and any other attribute does the
same, so an IRI check still gives the real answer; it is only paid for when it happens. Nothing is
done if the package is absent or already imported, or if jsonschema is already imported (then the
cost is already paid).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

MODULE = "rfc3987_syntax"


class _DeferredModule(types.ModuleType):
    """Stands in for ``rfc3987_syntax`` until something uses it, then becomes a pointer to it."""

    def __init__(self, spec: importlib.machinery.ModuleSpec) -> None:
        super().__init__(spec.name, "deferred by course_lib._import_speed: loaded on first use")
        self.__spec__ = spec
        # a package's submodules ("rfc3987_syntax.utils") must stay importable meanwhile
        self.__path__ = list(spec.submodule_search_locations or [])

        self.is_valid_syntax = is_valid_syntax

    def __getattr__(self, name: str) -> Any:      # only for names the stand-in does not have
        return getattr(load_real(), name)


def is_valid_syntax(*args: Any, **kwargs: Any) -> Any:
    """The real ``rfc3987_syntax.is_valid_syntax``, loaded on this first call."""
    return load_real().is_valid_syntax(*args, **kwargs)


def load_real() -> types.ModuleType:
    """Import the real ``rfc3987_syntax`` (replacing the stand-in in ``sys.modules``) and return it."""
    current = sys.modules.get(MODULE)
    if isinstance(current, _DeferredModule):
        del sys.modules[MODULE]
    return importlib.import_module(MODULE)


def defer_rfc3987_syntax() -> bool:
    """Put the stand-in in place; True if it was put there by this call."""
    if MODULE in sys.modules or "jsonschema" in sys.modules:
        return False
    spec = importlib.util.find_spec(MODULE)
    if spec is None:
        return False
    sys.modules[MODULE] = _DeferredModule(spec)
    return True

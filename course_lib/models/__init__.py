"""The course's models (numpy and numba only; see each module's docstring for its science).

Importing this package first makes sure numba has somewhere to keep its compiled kernels.
Every kernel is compiled with ``@njit(cache=True)``, and numba refuses to even define such a
function ("cannot cache function ...: no locator available") when neither the package's own
``__pycache__`` folder nor the user's cache folder (``~/.cache/numba``) is writable: a
read-only install on a JupyterHub is exactly that. In that case the kernels are cached in a
fresh temporary folder instead (compiled once per session, about a second per model, rather
than once per install). A ``NUMBA_CACHE_DIR`` chosen by the user is always respected.
"""

from __future__ import annotations

import os
import tempfile

from numba.core import config as _numba_config

#: Where numba keeps this session's compiled kernels when it cannot use its usual places
#: (None when it can; then numba's own choice stands).
FALLBACK_CACHE_DIR: str | None = None


def _writable_dir(path: str) -> bool:
    """True if ``path`` exists (or can be made) and a file can be created in it, as numba checks."""
    try:
        os.makedirs(path, exist_ok=True)
        tempfile.TemporaryFile(dir=path).close()
    except OSError:
        return False
    return True


def _numba_user_cache_dir() -> str | None:
    try:
        from numba.misc.appdirs import AppDirs
    except ImportError:                      # a numba without it: rely on the fallback
        return None
    return AppDirs(appname="numba", appauthor=False).user_cache_dir


def ensure_numba_cache_dir() -> str | None:
    """Point numba at a temporary cache folder if neither of its usual places is writable.

    Returns the folder chosen (or None when numba's own choice stands). Must run before any
    ``@njit(cache=True)`` function is defined, which is why the package runs it on import.
    """
    global FALLBACK_CACHE_DIR
    if _numba_config.CACHE_DIR:              # NUMBA_CACHE_DIR set: the user decided
        return None
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__")
    if _writable_dir(here):
        return None
    user = _numba_user_cache_dir()
    if user is not None and _writable_dir(user):
        return None
    if FALLBACK_CACHE_DIR is None:
        FALLBACK_CACHE_DIR = tempfile.mkdtemp(prefix="course_lib-numba-")
    _numba_config.CACHE_DIR = FALLBACK_CACHE_DIR
    return FALLBACK_CACHE_DIR


ensure_numba_cache_dir()

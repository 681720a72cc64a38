"""A render through the Graphviz bundled in the pygraphviz wheel prints nothing unless something is wrong.

That Graphviz draws text through its own copy of fontconfig (2.13.1 in pygraphviz 2.0.4's
Linux wheels).  Left to itself, on the first render of every process it loads the system's
``/etc/fonts/fonts.conf`` and then also scans its compiled-in folder of sample
configurations, ``/usr/share/fontconfig/conf.avail``.  A newer system keeps samples there
that this copy does not understand, and it prints, for example::

    Fontconfig warning: "/usr/share/fontconfig/conf.avail/05-reset-dirs-sample.conf",
    line 6: unknown element "reset-dirs"

``quiet_bundled_fontconfig()`` loads the same system configuration into that copy itself
(``FcConfigParseAndLoad`` of the default file, then ``FcConfigSetCurrent``), which skips the
scan of the samples: the same fonts and rules, the same pictures (byte for byte here), no
warning.  Only the bundled copy is configured: a library of its own (its file name carries
a hash), used by nothing but that Graphviz; a system fontconfig is not touched, no
environment variable is set.  Where there is no bundled copy (a system Graphviz, macOS,
Windows) it does nothing.

This file imports nothing from glassgrad: the child process that lays out big graphs runs
it by path (see ``render.CHILD``).
"""

from __future__ import annotations

import ctypes
import sys
import threading
from pathlib import Path

_done = False
_lock = threading.Lock()


def bundled_library() -> Path | None:
    """The fontconfig library inside the pygraphviz wheel (Linux), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import pygraphviz
    except (ImportError, OSError):
        return None
    folder = Path(pygraphviz.__file__).resolve().parent.parent / "pygraphviz.libs"
    found = sorted(folder.glob("libfontconfig*.so*"))
    return found[0] if found else None


def quiet_bundled_fontconfig() -> bool:
    """Give the bundled fontconfig the system's configuration, once per process; True if done."""
    global _done
    with _lock:
        if _done:
            return True
        library = bundled_library()
        if library is None:
            return False
        try:
            fc = ctypes.CDLL(str(library))
            fc.FcConfigCreate.restype = ctypes.c_void_p
            fc.FcConfigCreate.argtypes = []
            fc.FcConfigParseAndLoad.restype = ctypes.c_int
            fc.FcConfigParseAndLoad.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
            fc.FcConfigSetCurrent.restype = ctypes.c_int
            fc.FcConfigSetCurrent.argtypes = [ctypes.c_void_p]
            fc.FcConfigDestroy.restype = None
            fc.FcConfigDestroy.argtypes = [ctypes.c_void_p]
        except (OSError, AttributeError):  # not loadable, or not the fontconfig we know
            return False
        config = fc.FcConfigCreate()
        if not config:
            return False
        # None: the default file (FONTCONFIG_FILE, else /etc/fonts/fonts.conf), as fontconfig's own init.
        if not fc.FcConfigParseAndLoad(config, None, 1) or not fc.FcConfigSetCurrent(config):
            fc.FcConfigDestroy(config)  # fontconfig then initialises itself, as before
            return False
        # Not destroyed: it is the library's current configuration now (one per process).
        _done = True
        return True

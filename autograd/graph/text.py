"""Every string a picture shows, made safe in ONE place: numbers, and the user's own names.

A label, group, op, layer or neuron name is the user's text.  It is drawn, never obeyed:

* ``visible(x)`` is ``str(x)`` (as a plain ``str``: a subclass's own methods never run)
  with control characters written out (``"a\\x01b"`` is
  drawn as ``a\\x01b``: Graphviz would drop the box or fail on the raw byte) and very
  long names cut to ``MAX_NAME`` characters;
* ``markup(x)`` is that text escaped for HTML (``markup_lines``: a text of several lines).
  The same escaping serves Graphviz's HTML-like labels (so no DOT syntax such as ``"``,
  ``\\`` or ``URL=`` can get out of a label), the SVG Graphviz writes from them, and the
  step-through HTML page.

Every user string reaches DOT only inside an HTML-like label built with ``label_markup``
(``markup`` with backslashes doubled, see there); no quoted DOT string ever carries one.
"""

from __future__ import annotations

import html
import unicodedata

MAX_NAME = 80  # characters of a user's name that are drawn; the rest becomes '…'

# Control characters, surrogates, unassigned code points (U+FFFE and U+FFFF are not even
# allowed in XML) and line/paragraph separators are written out as escapes.
_HIDDEN = {"Cc", "Cs", "Cn", "Zl", "Zp"}


def fmt(x: float) -> str:
    """A number in at most 4 significant digits: 0.7616, -1.5, 2e-06 (and never '-0')."""
    text = f"{x:.4g}"
    return "0" if text == "-0" else text


def visible(x: object, limit: int | None = MAX_NAME) -> str:
    """``str(x)`` with every invisible or line-breaking character written as an escape.

    At most ``limit`` characters are kept (None: all).
    """
    text = x if isinstance(x, str) else str(x)
    if type(text) is not str:  # a str subclass (a group, an op): a plain copy, so no method of it runs
        text = str.__str__(text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    if text.isprintable():
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in _HIDDEN else ch
        for ch in text
    )


def markup(x: object, limit: int | None = MAX_NAME) -> str:
    """The user's text ``x``, visible and escaped for HTML, SVG and Graphviz's HTML-like labels."""
    return html.escape(visible(x, limit), quote=True)


def label_markup(x: object, limit: int | None = MAX_NAME) -> str:
    """``markup(x)`` for a Graphviz HTML-like label, where backslashes are doubled.

    Graphviz expands ``\\N``, ``\\G``, ``\\E``, ... (node, graph, edge names) even in
    HTML-like labels, and reads ``\\\\`` as one backslash: so every backslash is doubled.
    A label ending in ``]`` is a syntax error to Graphviz: every ``]`` is written ``&#93;``.
    """
    return markup(x, limit).replace("\\", "\\\\").replace("]", "&#93;")


def markup_lines(text: str) -> str:
    """Several lines of our own text (which may quote the user's names): each line escaped, whole."""
    return "\n".join(markup(line, None) for line in text.split("\n"))

"""Marking text for translation, under the names Django code uses.

Integrations ported from Django say ``from django.utils.translation import
gettext_lazy as _``; here that line becomes ``from desktop_app.translation
import gettext_lazy as _``. The functions are the standard library's
:py:mod:`gettext` ones, which return the text unchanged until an
application installs translations with :py:func:`gettext.install`-style
calls; ``gettext_lazy`` is the same function, since a desktop process picks
its language once, before forms are defined.
"""

from __future__ import annotations

from gettext import gettext, ngettext, npgettext, pgettext

__all__ = [
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "npgettext",
    "pgettext",
    "pgettext_lazy",
    "ugettext",
    "ugettext_lazy",
]

gettext_lazy = gettext
ngettext_lazy = ngettext
pgettext_lazy = pgettext
#: Python 2 era names, still in older integrations.
ugettext = gettext
ugettext_lazy = gettext

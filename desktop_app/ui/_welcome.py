"""The first-start welcome, shown where the configurations would be.

Until the first configuration exists, a new user gets three sentences on
what an integration, a configuration and an event are, and the three steps
to a first delivery, with links that do them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

__all__ = ["WELCOME_HTML", "WelcomeLabel"]

WELCOME_HTML = """
<h2>Welcome to desktop-app</h2>
<p>An <b>integration</b> connects this app to a service: a chat room, a
web address, a file. A <b>configuration</b> is one use of it: where to
send, and which events. An <b>event</b> is something that happened, such
as a build finishing or a test you send by hand; each configuration passes
on the events it is set to.</p>
<p><b>Three steps to a first delivery:</b></p>
<ol>
<li><b>Pick a service</b> in the list on the left.</li>
<li><a href="add">Add a configuration</a> and <b>choose its events</b>
(tick "Test event" to start with).</li>
<li><a href="fire">Send a test event</a> and watch the Activity panel.</li>
</ol>
<p><a href="help">Getting started</a> explains more (Help menu).</p>
"""


class WelcomeLabel(QLabel):
    """The welcome text; its links are emitted as :py:attr:`action`
    (``"add"``, ``"fire"``, ``"help"``)."""

    #: A link was followed (keyboard or mouse).
    action = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setAccessibleName("Welcome")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setContentsMargins(12, 12, 12, 12)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setText(WELCOME_HTML)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.linkActivated.connect(self.action)

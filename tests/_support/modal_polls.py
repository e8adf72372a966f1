"""Which test is running, for the modal-dialog polls of ``qt_driving``
(Qt-free, so the autouse fixture that bumps it imports no Qt)."""

from __future__ import annotations

#: Bumped at the start of every test (tests/conftest.py): a poll left by an
#: earlier test whose modal never came stops instead of answering this
#: test's modal with the wrong button.
current_test = [0]

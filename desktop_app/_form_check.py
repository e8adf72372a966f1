"""Checking a configuration form's values off the UI thread.

A djblets form's ``clean()`` may ask a server whether credentials work.
The dialog still runs it as the user types (after a pause), so a problem
across fields shows before OK, but on the manager's worker under a time
limit: a slow or hanging ``clean()`` never freezes the window.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop_app.integration import Integration
    from desktop_app.manager import IntegrationManager

__all__ = ["FORM_CHECK_TIMEOUT", "check_form"]

#: Seconds a form's checks may run in the background before they are given
#: up on (OK runs them again).
FORM_CHECK_TIMEOUT = 10.0


def check_form(
    manager: IntegrationManager,
    integration: Integration,
    build: Callable[[], Any],
    timeout: float | None = None,
) -> Future[dict[str, list[str]]]:
    """Build a form with ``build()`` on the worker and validate it.

    Returns:
        Future: The form's errors by field name (``'__all__'`` for the
        form's own); it fails with what the form's code raised, or with
        ``BackgroundTimeoutError`` past ``timeout`` (default
        :py:data:`FORM_CHECK_TIMEOUT`). Nothing is saved or recorded.

    Raises:
        RuntimeError: The worker is shut down (the app is quitting).
    """

    def work() -> dict[str, list[str]]:
        form = build()
        return {name: list(messages) for name, messages in form.errors.items()}

    limit = FORM_CHECK_TIMEOUT if timeout is None else timeout
    return manager.worker.submit_job(integration, work, timeout=limit, record=False)

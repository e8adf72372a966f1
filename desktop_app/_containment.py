"""Keeping what plugin code does inside the plugin.

Plugins run in the app's process: at import, in ``initialize()`` and
``shutdown()``, and in hook callbacks. Whatever one of them raises or
leaves behind must not take the app down, so every place that calls plugin
code catches :py:class:`BaseException`, not only :py:class:`Exception`:

- ``SystemExit`` (``sys.exit()`` in a plugin) becomes that plugin's failure;
- ``KeyboardInterrupt`` *raised by plugin code* too, while the user's own
  Ctrl-C still stops the app: :py:func:`install_interrupt_marker` makes the
  SIGINT handler raise :py:class:`UserInterrupt`, which
  :py:func:`is_user_interrupt` tells apart;
- an exception whose ``__str__`` raises is still reported
  (:py:func:`describe_error` never raises).

At exit, a plugin's non-daemon thread would make the interpreter wait for
it, and its ``atexit`` handlers run after ours. :py:func:`bounded_exit`
lets the interpreter finish normally when it can, and otherwise ends the
process with the app's exit status after a short grace period, once
everything of ours is flushed.

The limit of in-process plugins is ``os._exit()`` (and anything else that
ends or corrupts the process, such as a segfault in a C extension): it
stops the interpreter at once, and no in-process guard can catch it. Code
that must survive that needs a separate process.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import traceback
from types import FrameType

__all__ = [
    "EXIT_GRACE",
    "UserInterrupt",
    "bounded_exit",
    "describe_error",
    "format_traceback",
    "install_interrupt_marker",
    "is_user_interrupt",
]

#: Seconds the interpreter gets after our own shutdown to join plugins'
#: threads and run their ``atexit`` handlers.
EXIT_GRACE = 1.0


class UserInterrupt(KeyboardInterrupt):
    """Ctrl-C from the user (raised by our SIGINT handler), as opposed to a
    ``KeyboardInterrupt`` that plugin code raised itself."""


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    raise UserInterrupt


def install_interrupt_marker() -> None:
    """Make Ctrl-C raise :py:class:`UserInterrupt`.

    Only when Python's default handler is installed (someone else's
    handler is left alone) and on the main thread (the only one allowed to
    set handlers).
    """
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)


def is_user_interrupt(error: BaseException) -> bool:
    """Whether an exception is the user's Ctrl-C, which must go through.

    Without :py:func:`install_interrupt_marker` (a library caller, a test),
    every ``KeyboardInterrupt`` counts as the user's, as Python would have
    it.
    """
    if isinstance(error, UserInterrupt):
        return True
    if not isinstance(error, KeyboardInterrupt):
        return False
    return signal.getsignal(signal.SIGINT) is not _on_sigint


def describe_error(error: BaseException) -> str:
    """``'Type: message'`` for any exception, even one whose ``__str__``
    raises (then the message says so instead of the error escaping)."""
    name = type(error).__name__
    try:
        text = str(error)
    except BaseException as e:  # noqa: B036 - plugin code in __str__
        try:
            kind = type(e).__name__
        except BaseException:  # noqa: B036
            kind = "error"
        return f"{name}: <its message could not be read: {kind} in __str__>"
    return f"{name}: {text}" if text else name


def format_traceback(error: BaseException) -> str:
    """The formatted traceback of ``error``, never raising.

    ``traceback`` already copes with a broken ``__str__``; this also copes
    with anything else plugin objects in the exception can do.
    """
    try:
        return "".join(traceback.format_exception(error))
    except BaseException:  # noqa: B036 - plugin code in the exception
        return describe_error(error) + "\n"


def bounded_exit(code: int, grace: float = EXIT_GRACE) -> int:
    """Flush everything of ours, then make sure the process ends soon.

    Call it after the app's own clean shutdown, with the exit status, right
    before returning it to the interpreter. A daemon thread ends the
    process with ``os._exit(code)`` if the interpreter has not finished
    ``grace`` seconds later, which happens only when a plugin left a
    non-daemon thread running or registered a slow ``atexit`` handler.

    Returns:
        int: ``code``, for ``sys.exit``.
    """
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass

    def end() -> None:
        threading.Event().wait(grace)
        for stream in (sys.stdout, sys.stderr):
            try:
                if stream is not None:
                    stream.flush()
            except BaseException:  # noqa: B036, S110 - best effort at exit
                pass
        os._exit(code)

    threading.Thread(target=end, name="desktop-app-exit", daemon=True).start()
    return code

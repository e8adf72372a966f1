"""The command line's subcommands: ``run``, ``list``, ``signals``, ``fire``.

Heavy imports (the store, SQLAlchemy, plugins, Qt) happen inside the
command functions, so ``--help`` and argument errors stay instant.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

from desktop_app._paths import DataPaths, resolve_data_dir

if TYPE_CHECKING:
    from desktop_app.manager import IntegrationManager
    from desktop_app.plugins import PluginManager

__all__ = ["CommandError", "cmd_fire", "cmd_list", "cmd_run", "cmd_signals"]

#: Exit status for a usage problem (bad signal name or value), as argparse.
EXIT_USAGE = 2


class CommandError(Exception):
    """A problem to report as one line on stderr, with an exit status."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status


@contextmanager
def open_app(
    data_dir: str | None,
    err: TextIO | None = None,
    *,
    safe_mode: bool = False,
    read_only: bool = False,
) -> Iterator[tuple[IntegrationManager, PluginManager]]:
    """Open the data folder's store, install the manager, load plugins;
    shut everything down afterwards.

    What the user must know about the start (a damaged database moved
    aside, a folder others can read) is printed on ``err`` (stderr by
    default), one paragraph each, and the command carries on: the store is
    usable either way (read-only, when the database cannot be written). In
    safe mode only the built-in integrations load.

    Raises:
        desktop_app.errors.StoreError: The data folder or database cannot be
            used at all; ``main`` prints it as one line and exits 1.
    """
    from desktop_app._startup import open_app_store
    from desktop_app.manager import IntegrationManager, set_integration_manager
    from desktop_app.plugins import PluginManager

    paths = DataPaths(resolve_data_dir(data_dir))
    store, notices = open_app_store(paths, read_only=read_only)
    for notice in notices:
        print(f"desktop-app: warning: {notice}", file=err or sys.stderr)
    manager = IntegrationManager(store, watch_interval=None)
    set_integration_manager(manager)
    plugins = PluginManager(manager, paths.plugins_dir, safe_mode=safe_mode)
    try:
        plugins.load_all()
        yield manager, plugins
    finally:
        try:
            plugins.unload_all()
        finally:
            manager.shutdown()


def cmd_run(
    data_dir: str | None,
    argv: Sequence[str] | None = None,
    *,
    safe_mode: bool = False,
    read_only: bool = False,
) -> int:
    """Open the window; plugins load once it is on screen.

    Loading plugins after the first paint keeps the user from looking at
    nothing while every plugin is imported; the window fills in as they
    register. ``safe_mode`` (or Shift held at start, or the user's answer
    after a start that did not finish) loads the built-ins only; see
    :py:mod:`desktop_app.ui._safe_mode`.

    Raises:
        CommandError: PySide6 cannot be imported, so there is no window.
    """
    try:
        from desktop_app.ui.app import run_app
    except ImportError as e:
        raise CommandError(f"the window is not available: {e}", 1) from e
    from desktop_app.ui._safe_mode import start_plugins

    # run_app creates the folders, and reports it when it cannot.
    paths = DataPaths(resolve_data_dir(data_dir))

    def after_show(window: Any) -> None:
        start_plugins(window, paths, safe_mode=safe_mode)

    return int(
        run_app(
            paths.data_dir,
            argv=list(argv) if argv is not None else None,
            after_show=after_show,
            read_only=read_only,
        )
        or 0
    )


def cmd_list(
    data_dir: str | None,
    out: TextIO = sys.stdout,
    *,
    safe_mode: bool = False,
    read_only: bool = False,
    verbose: bool = False,
) -> int:
    """Print every plugin and every integration. Failed plugins are listed
    with their error and where it happened (``verbose``: the traceback);
    that is information, not a failure of the command."""
    from desktop_app._cli_plugins import plugin_lines

    with open_app(data_dir, safe_mode=safe_mode, read_only=read_only) as (
        manager,
        plugins,
    ):
        print("Plugins:", file=out)
        if not plugins.plugins:
            print("  (none)", file=out)
        for info in plugins.plugins:
            for line in plugin_lines(info, verbose=verbose):
                print(line, file=out)
        print("Integrations:", file=out)
        counts = manager.count_configs()
        integrations = manager.get_integrations()
        if not integrations:
            print("  (none)", file=out)
        for integration in integrations:
            total, enabled = counts.get(integration.integration_id, (0, 0))
            print(
                f"  {_escaped(integration.integration_id)}  "
                f"{_escaped(integration.display_name)}  "
                f"{total} configurations, {enabled} enabled",
                file=out,
            )
        _print_unavailable(manager, plugins, out)
    return 0


def _print_unavailable(manager: Any, plugins: Any, out: TextIO) -> None:
    """List configurations whose integration is not loaded: they are the
    user's data, shown with why, never hidden."""
    from desktop_app._unavailable import describe

    unavailable = manager.get_unavailable_integrations(
        explain=plugins.why_not_loaded, names=plugins.former_name
    )
    if unavailable:
        print("Not loaded (configurations kept):", file=out)
        for entry in unavailable:
            for line in describe(entry):
                print(f"  {_escaped(line)}", file=out)


def cmd_signals(
    data_dir: str | None,
    out: TextIO = sys.stdout,
    *,
    safe_mode: bool = False,
    read_only: bool = False,
) -> int:
    """Print the registered signals (after loading plugins) and their
    payload fields."""
    from desktop_app import signals

    with open_app(data_dir, safe_mode=safe_mode, read_only=read_only):
        for info in sorted(signals.get_signal_infos(), key=signals.display_order):
            description = f"  {_escaped(info.description)}" if info.description else ""
            label = getattr(info, "label", "") or info.name
            group = getattr(info, "group", "")
            where = f"  [{_escaped(group)}{', internal' if info.internal else ''}]"
            print(
                f"{_escaped(info.name)}  {_escaped(label)}{where if group else ''}"
                f"{description}",
                file=out,
            )
            for key, field in info.payload.items():
                required = (
                    "required" if getattr(field, "required", False) else "optional"
                )
                print(
                    f"    {_escaped(key)}: {type(field).__name__}, {required}",
                    file=out,
                )
    return 0


def parse_assignments(pairs: Sequence[str]) -> dict[str, str]:
    """Turn ``key=value`` words into a dict (the value may contain ``=``)."""
    data: dict[str, str] = {}
    for pair in pairs:
        if _has_undecodable(pair):
            # Python turns bytes that are not UTF-8 into lone surrogates
            # (surrogateescape); sending them would fail later, or store
            # text no one typed.
            raise CommandError(f'not valid UTF-8 text: "{_shown(pair)}"')
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CommandError(f'expected key=value, got "{_shown(pair)}"')
        data[key.strip()] = value
    return data


def clean_payload(info: Any, raw: dict[str, str]) -> dict[str, Any]:
    """Clean command-line strings through the signal's payload fields.

    Raises:
        CommandError: An unknown key or a value a field rejects.
    """
    from desktop_app.signals import payload_form_class

    unknown = sorted(set(raw) - set(info.payload))
    if unknown:
        known = ", ".join(info.payload) or "none"
        raise CommandError(
            f'signal "{info.name}" has no payload field "{_shown(unknown[0])}" '
            f"(fields: {known})"
        )
    # The same form the window's Fire signal dialog uses.
    form = payload_form_class(info)(raw)
    if not form.is_valid():
        name, messages = next(iter(form.errors.items()))
        detail = _shown(" ".join(messages), limit=200)
        raise CommandError(f'bad value for "{name}": {detail}')
    return {key: value for key, value in form.cleaned_data.items() if key in raw}


def parse_payload(info: Any, pairs: Sequence[str]) -> dict[str, Any]:
    """Turn the ``fire`` command's ``key=value`` words into a payload.

    Whatever the words hold (unicode, NUL, megabytes, unknown keys, values
    a field rejects), the result is a cleaned payload or a
    :py:class:`CommandError` of one line: the command line must never show
    a traceback for something the user typed.

    Raises:
        CommandError: A word is not ``key=value``, a key is unknown, or a
            value is rejected by its payload field.
    """
    return clean_payload(info, parse_assignments(pairs))


def cmd_fire(
    data_dir: str | None,
    signal_name: str,
    pairs: Sequence[str],
    timeout: float,
    out: TextIO = sys.stdout,
    *,
    safe_mode: bool = False,
    read_only: bool = False,
) -> int:
    """Send a signal, wait for the work it started, print what ran.

    Returns:
        int: 0 if every delivery succeeded, 1 if any failed or timed out.
    """
    from desktop_app import signals
    from desktop_app.activity import get_activity_log

    raw = parse_assignments(pairs)
    with open_app(data_dir, safe_mode=safe_mode, read_only=read_only) as (
        manager,
        _plugins,
    ):
        try:
            info = signals.get_signal_info(signal_name)
        except KeyError:
            raise CommandError(f'unknown signal "{_shown(signal_name)}"') from None
        # Every declared field, None where not given, as a Django sender
        # passes them: a handler may take any of them as a plain keyword.
        given = clean_payload(info, raw)
        payload = {key: given.get(key) for key in info.payload}
        log = get_activity_log()
        before = max((r.seq for r in log.records()), default=0)
        deadline = time.monotonic() + timeout
        sent = _send_bounded(info.signal, payload, timeout)
        finished = sent and manager.wait_for_background_work(
            max(0.0, deadline - time.monotonic())
        )
        records = log.records(since=before)
        stuck = [] if sent else _unfinished_hooks(info.signal, records)
    failed = not finished
    if not records:
        print(f"No integration handled {_escaped(signal_name)}.", file=out)
    for record in records:
        config = (
            f"{_escaped(record.config_name or '')} (#{record.config_id})"
            if record.config_id is not None
            else "-"
        )
        line = f"{_escaped(record.integration_id)}  {config}  {record.outcome}"
        if record.error:
            line += f": {_escaped(record.error)}"
        print(line, file=out)
        failed = failed or record.failed
    for owner in stuck:
        print(f"{owner}  -  timeout: did not finish within {timeout:g} s", file=out)
    if not sent:
        print(
            f"Handlers of {signal_name} did not finish within {timeout:g} s.", file=out
        )
    elif not finished:
        print(f"Background work did not finish within {timeout:g} s.", file=out)
    return 1 if failed else 0


def _send_bounded(signal: Any, payload: dict[str, Any], timeout: float) -> bool:
    """Send a signal on a daemon thread and wait at most ``timeout``.

    A hook runs on the thread that sends; one that never returns would
    otherwise hold the command past its ``--timeout`` (and report "ok").
    The thread is left behind when the time is up; it is a daemon, so it
    does not keep the process alive.

    Returns:
        bool: Whether every handler returned in time.
    """
    done = threading.Event()

    def send() -> None:
        try:
            signal.send(None, **payload)
        finally:
            done.set()

    threading.Thread(target=send, name="desktop-app-fire", daemon=True).start()
    return done.wait(timeout)


def _unfinished_hooks(signal: Any, records: Sequence[Any]) -> list[str]:
    """Owners of the hooks on ``signal`` that recorded no delivery: the
    one still running and those it kept from running."""
    from desktop_app._dispatch import hooks_on

    seen = {r.integration_id for r in records}
    owners = [hook.owner_id for hook in hooks_on(signal)]
    return [o for o in dict.fromkeys(owners) if o not in seen]


def _shown(text: str, limit: int = 60) -> str:
    """Echo typed text in a one-line error: control characters (newlines,
    NUL) escaped so the message stays one line, long text shortened so a
    megabyte value does not flood the terminal."""
    head = _escaped(text[:limit])
    return head + "…" if len(text) > limit else head


def _escaped(text: str) -> str:
    """Text safe to print on a terminal, whoever wrote it.

    Names come from plugin files, signals and configurations others may
    have written: a control character could clear the screen, move the
    cursor or fake a line of output. Those are shown as escapes; bytes that
    were not UTF-8 (lone surrogates from ``surrogateescape``) as ``\\xNN``,
    the byte the user typed, which also keeps ``print`` from failing to
    encode them.
    """
    if text.isprintable():
        return text
    out = []
    for c in text:
        if c.isprintable():
            out.append(c)
        elif "\udc80" <= c <= "\udcff":
            out.append(f"\\x{ord(c) - 0xDC00:02x}")
        else:
            out.append(c.encode("unicode_escape", "backslashreplace").decode("ascii"))
    return "".join(out)


def _has_undecodable(text: str) -> bool:
    """True when the text holds a lone surrogate: bytes that were not UTF-8
    on the command line (POSIX), or broken UTF-16 (Windows)."""
    return any("\ud800" <= c <= "\udfff" for c in text)

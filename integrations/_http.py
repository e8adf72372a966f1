"""Kept-alive HTTP connections for the built-ins that post events.

``urllib.request`` opens and closes a connection for every request, so a
burst of events to one webhook paid a TCP (and TLS) handshake per event, and
the receiving server a new connection to accept for each. A
:py:class:`KeepAlive` keeps one sender's connections (one configuration's)
open between requests, as HTTP/1.1 intends.

A kept connection the server has closed meanwhile is noticed before it is
used when possible; when the server closes it just as a request goes out,
the request is sent once more on a new connection (what browsers and
``urllib3`` do too; webhook receivers drop duplicates by the message id).

Addresses that go through a proxy set in the environment (``http_proxy``,
``https_proxy``, ``no_proxy``, read once when a :py:class:`KeepAlive` is
made) are posted with ``urllib.request``, which honours those, one
connection per request as before.
"""

from __future__ import annotations

import functools
import http.client
import select
import socket
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import ssl

__all__ = ["Answer", "KeepAlive"]

#: Bytes of an answer's body read at most; a longer answer closes its
#: connection instead of being read to the end.
MAX_BODY = 1024 * 1024

#: Seconds a connection may have been idle and still be used without
#: first checking that the server has not closed it (servers keep idle
#: connections open for seconds; a rare late close is sent again anyway).
RECENT = 1.0

_Origin = tuple[str, str, int]


class Answer(NamedTuple):
    """The server's answer: its status, reason phrase and ``Location``."""

    status: int
    reason: str
    location: str = ""


class KeepAlive:
    """The kept-alive connections of one sender, safe to use from any thread.

    Args:
        max_idle (int): Connections kept open between requests (0: none,
            every request opens and closes its own).
        idle_seconds (float): An idle connection older than this is closed
            rather than used (servers close theirs after a while).
    """

    def __init__(self, max_idle: int = 2, idle_seconds: float = 30.0) -> None:
        self.max_idle = max_idle
        self.idle_seconds = idle_seconds
        self._lock = threading.Lock()
        self._idle: list[tuple[_Origin, http.client.HTTPConnection, float]] = []
        self._closed = False
        #: Connections opened so far (what a test of reuse reads).
        self.opened = 0
        # Read once: scanning the environment costs more than a request to
        # a local server.
        self._proxies = _environment_proxies()

    def post(
        self, url: str, data: bytes, headers: Mapping[str, str], timeout: float
    ) -> Answer:
        """POST ``data`` and read the answer.

        Raises:
            ValueError: Not an http or https address.
            OSError: The server could not be reached (``TimeoutError`` when
                it did not answer in time).
            http.client.HTTPException: The answer could not be read.
        """
        origin, path = _target(url)
        if self._proxies and _proxied(self._proxies, origin[0], origin[1]):
            return _post_through_proxy(url, data, headers, timeout)
        conn = self._take(origin, timeout)
        reused = conn is not None
        if conn is None:
            conn = self._open(origin, timeout)
        try:
            answer, keep = _exchange(conn, path, data, headers)
        except ConnectionError:
            conn.close()
            if not reused:
                raise
            # The server closed the kept connection as the request went out.
            conn = self._open(origin, timeout)
            try:
                answer, keep = _exchange(conn, path, data, headers)
            except BaseException:
                conn.close()
                raise
        except BaseException:
            conn.close()
            raise
        if keep:
            self._give_back(origin, conn)
        else:
            conn.close()
        return answer

    def close(self) -> None:
        """Close the idle connections; later requests close theirs after."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for _, conn, _ in idle:
            conn.close()

    def _open(self, origin: _Origin, timeout: float) -> http.client.HTTPConnection:
        scheme, host, port = origin
        with self._lock:
            self.opened += 1
        if scheme == "https":
            return http.client.HTTPSConnection(
                host, port, timeout=timeout, context=_tls_context()
            )
        return http.client.HTTPConnection(host, port, timeout=timeout)

    def _take(
        self, origin: _Origin, timeout: float
    ) -> http.client.HTTPConnection | None:
        now = time.monotonic()
        stale = []
        found = None
        idle_for = 0.0
        with self._lock:
            keep = []
            for entry in self._idle:
                if now - entry[2] > self.idle_seconds:
                    stale.append(entry[1])
                elif found is None and entry[0] == origin:
                    found = entry[1]
                    idle_for = now - entry[2]
                else:
                    keep.append(entry)
            self._idle = keep
        for conn in stale:
            conn.close()
        if found is not None:
            sock = found.sock
            if sock is None or (idle_for > RECENT and _closed_by_peer(sock)):
                found.close()
                return None
            if found.timeout != timeout:
                found.timeout = timeout
                sock.settimeout(timeout)
        return found

    def _give_back(self, origin: _Origin, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            if not self._closed and len(self._idle) < self.max_idle:
                self._idle.append((origin, conn, time.monotonic()))
                return
        conn.close()


@functools.lru_cache(maxsize=64)
def _target(url: str) -> tuple[_Origin, str]:
    """Where a URL's requests go: (scheme, host, port) and the path."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname
    if scheme not in ("http", "https") or not host:
        raise ValueError("only http:// and https:// addresses can be posted to")
    port = parts.port or (443 if scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return (scheme, host, port), path


def _exchange(
    conn: http.client.HTTPConnection,
    path: str,
    data: bytes,
    headers: Mapping[str, str],
) -> tuple[Answer, bool]:
    """One request and its answer; whether the connection can be kept."""
    conn.request("POST", path, body=data, headers=dict(headers))
    response = conn.getresponse()
    response.read(MAX_BODY)
    answer = Answer(
        response.status, response.reason, response.getheader("Location") or ""
    )
    # Read to the end (the connection is ready for the next request) and
    # not closing: keep it.
    return answer, response.isclosed() and not response.will_close


def _closed_by_peer(sock: socket.socket) -> bool:
    """An idle connection with something to read has been closed by the
    server (or sent what nobody asked for): either way, not usable."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # What urllib uses: the system's certificates, host names checked.
    import ssl

    return ssl.create_default_context()


def _environment_proxies() -> dict[str, str]:
    import urllib.request

    return urllib.request.getproxies()


def _proxied(proxies: dict[str, str], scheme: str, host: str) -> bool:
    import urllib.request

    return scheme in proxies and not urllib.request.proxy_bypass(host)


def _post_through_proxy(
    url: str, data: bytes, headers: Mapping[str, str], timeout: float
) -> Answer:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=data, headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, response.reason)
    except urllib.error.HTTPError as e:
        return Answer(e.code, str(e.reason), e.headers.get("Location") or "")
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, OSError):
            raise reason from e
        raise OSError(str(reason)) from e

"""The systemd notify protocol (``sd_notify``): READY, RELOADING, STOPPING, WATCHDOG, STATUS.

A thin wrapper over the ``sdnotify`` library: with no ``$NOTIFY_SOCKET`` (not under systemd,
or in tests that embed the daemon) every call is a no-op. The watchdog interval comes from
``$WATCHDOG_USEC`` (and ``$WATCHDOG_PID`` when set, which must be our pid); the daemon pings at
half of it from a scheduler job, so a wedged scheduler stops the pings and systemd restarts us.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Mapping

from sdnotify import SystemdNotifier

from autoreply.clock import monotonic_usec

SEND_TIMEOUT_SECONDS = 2.0


class _SocketNotifier(SystemdNotifier):
    """sdnotify's notifier, connected to the address we were given (``@name`` is abstract)
    instead of re-reading the process environment."""

    def __init__(self, address: str) -> None:
        self.debug = False
        self.socket: socket.socket | None = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        target = "\0" + address[1:] if address.startswith("@") else address
        # A receiver that stops reading must not wedge the daemon: a send waits at most this
        # long for room in the socket's queue, then the notification is dropped (sdnotify
        # swallows the error). systemd reads at once; a lost WATCHDOG=1 is sent again soon.
        self.socket.settimeout(SEND_TIMEOUT_SECONDS)
        try:
            self.socket.connect(target)
        except OSError:
            with contextlib.suppress(OSError):
                self.socket.close()
            self.socket = None  # notify() then does nothing, as sdnotify does


class Notifier:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self.socket_path = env.get("NOTIFY_SOCKET") or None
        self._notifier = _SocketNotifier(self.socket_path) if self.socket_path else None
        self.watchdog_seconds: float | None = None
        usec = env.get("WATCHDOG_USEC", "")
        pid = env.get("WATCHDOG_PID", "")
        if usec.isdigit() and int(usec) > 0 and (not pid or pid == str(os.getpid())):
            self.watchdog_seconds = int(usec) / 1_000_000

    @property
    def enabled(self) -> bool:
        return self._notifier is not None

    def send(self, *lines: str) -> None:
        if self._notifier is not None:
            self._notifier.notify("\n".join(lines))

    def ready(self, status: str | None = None) -> None:
        """Startup or a reload is complete."""
        self.send("READY=1", *([f"STATUS={status}"] if status else []))

    def reloading(self) -> None:
        """A reload begins; ``ready()`` must follow."""
        self.send("RELOADING=1", f"MONOTONIC_USEC={monotonic_usec()}")

    def stopping(self) -> None:
        self.send("STOPPING=1", "STATUS=stopping")

    def watchdog(self) -> None:
        self.send("WATCHDOG=1")

    def status(self, text: str) -> None:
        self.send(f"STATUS={text}")

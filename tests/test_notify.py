"""The systemd notify protocol over a real unix datagram socket standing in for systemd:
READY after everything is up, RELOADING/READY around reloads, watchdog pings, STOPPING."""

from __future__ import annotations

import contextlib
import queue
import re
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from autoreply.notify import Notifier
from tests.conftest import ConfigDir
from tests.servicekit import TOKEN, Service, embedded, service_config, service_env


class FakeSystemd:
    """The receiving end of $NOTIFY_SOCKET; like systemd, it reads every datagram as soon as it
    arrives (a thread), so a sender never waits on a full socket queue."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.2)
        self.inbox: queue.Queue[str] = queue.Queue()
        self._closed = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._closed.is_set():
            try:
                self.inbox.put(self.sock.recv(4096).decode())
            except TimeoutError:
                continue
            except OSError:
                return

    def next(self, timeout: float = 30) -> str:
        try:
            return self.inbox.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"no notification within {timeout} s") from None

    def until(self, prefix: str, timeout: float = 30) -> list[str]:
        """Every message up to and including the first that starts with ``prefix``; TimeoutError
        when none has come within ``timeout`` in all (other messages do not extend it)."""
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {prefix} within {timeout} s (last: {seen[-5:]})")
            message = self.next(left)
            seen.append(message)
            if message.startswith(prefix):
                return seen

    def drain(self, seconds: float) -> None:
        """Throw away what arrives during the next ``seconds``."""
        with contextlib.suppress(TimeoutError):
            while True:
                self.next(seconds)

    def close(self) -> None:
        self._closed.set()
        self._reader.join(5)
        self.sock.close()


@pytest.fixture
def systemd(tmp_path: Path) -> Iterator[FakeSystemd]:
    fake = FakeSystemd(tmp_path / "notify.sock")
    yield fake
    fake.close()


def test_each_notification_is_one_datagram_in_the_protocol_format(systemd: FakeSystemd) -> None:
    """READY, RELOADING (with MONOTONIC_USEC), WATCHDOG and STOPPING reach $NOTIFY_SOCKET as
    sd_notify lines."""
    notifier = Notifier({"NOTIFY_SOCKET": str(systemd.path), "WATCHDOG_USEC": "4000000"})
    assert notifier.enabled and notifier.watchdog_seconds == 4.0
    notifier.ready(status="running")
    notifier.reloading()
    notifier.watchdog()
    notifier.stopping()
    assert systemd.next() == "READY=1\nSTATUS=running"
    assert re.fullmatch(r"RELOADING=1\nMONOTONIC_USEC=\d+", systemd.next())
    assert systemd.next() == "WATCHDOG=1"
    assert systemd.next() == "STOPPING=1\nSTATUS=stopping"


@pytest.mark.parametrize(
    ("env", "enabled", "watchdog"),
    [
        ({}, False, None),
        ({"NOTIFY_SOCKET": "/nonexistent/sock"}, True, None),
        ({"NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}, True, None),
        ({"NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": "0"}, True, None),
    ],
)
def test_without_systemd_or_for_another_pid_it_stays_quiet(
    env: dict[str, str], enabled: bool, watchdog: float | None
) -> None:
    """No $NOTIFY_SOCKET makes every call a no-op; a watchdog meant for another pid is not ours."""
    notifier = Notifier(env)
    assert (notifier.enabled, notifier.watchdog_seconds) == (enabled, watchdog)
    notifier.ready()
    notifier.watchdog()  # never raises, whatever the socket


def test_the_scheduler_pings_the_watchdog_and_reloads_are_bracketed(
    systemd: FakeSystemd, cfgdir: ConfigDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An embedded daemon under a watchdog pings WATCHDOG=1 from its scheduler; a reload sends
    RELOADING=1 then READY=1."""
    monkeypatch.setenv("NOTIFY_SOCKET", str(systemd.path))
    monkeypatch.setenv("WATCHDOG_USEC", "300000")
    monkeypatch.setenv("AUTOREPLY_INTAKE_TOKEN", TOKEN)
    service_config(cfgdir)
    with embedded(cfgdir) as (daemon, _client):
        assert systemd.until("WATCHDOG=1", timeout=5)[-1] == "WATCHDOG=1"
        assert systemd.until("WATCHDOG=1", timeout=5)[-1] == "WATCHDOG=1"
        daemon.reload()
        messages = systemd.until("READY=1", timeout=5)
        reloading = [m for m in messages if m.startswith("RELOADING=1")]
        assert len(reloading) == 1 and "MONOTONIC_USEC=" in reloading[0]
        assert messages.index(reloading[0]) < len(messages) - 1
        daemon.intake.stop(5)  # a dead intake: the watchdog is no longer fed
        systemd.drain(0.5)  # a ping that may have been in flight
        with pytest.raises(TimeoutError):
            systemd.until("WATCHDOG=1", timeout=1.0)


@pytest.mark.slow
def test_the_service_is_ready_only_when_it_answers_and_says_when_it_stops(
    systemd: FakeSystemd, cfgdir: ConfigDir
) -> None:
    """`autoreply run` sends READY=1 once its intake answers; SIGHUP brackets a reload; SIGTERM
    sends STOPPING=1."""
    service_config(cfgdir)
    service = Service(cfgdir, service_env(NOTIFY_SOCKET=str(systemd.path)))
    try:
        service.start()
        first = systemd.next()
        assert first.startswith("READY=1\nSTATUS=running; intake http://127.0.0.1:")
        url = first.split("intake ", 1)[1]
        assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200
        service.send(signal.SIGHUP)
        assert systemd.next().startswith("RELOADING=1\nMONOTONIC_USEC=")
        assert systemd.next().startswith("READY=1")
        assert service.stop(signal.SIGTERM) == 0
        assert systemd.next() == "STOPPING=1\nSTATUS=stopping"
    finally:
        service.close()


def test_a_receiver_that_stops_reading_does_not_wedge_the_daemon(tmp_path: Path) -> None:
    """When nobody reads $NOTIFY_SOCKET and its queue is full, notifications are dropped after a
    short wait instead of blocking the sender forever."""
    deaf = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    deaf.bind(str(tmp_path / "deaf.sock"))
    notifier = Notifier({"NOTIFY_SOCKET": str(tmp_path / "deaf.sock")})
    sender = threading.Thread(target=lambda: [notifier.watchdog() for _ in range(40)], daemon=True)
    sender.start()
    sender.join(120)
    try:
        assert not sender.is_alive()
        assert deaf.recv(4096) == b"WATCHDOG=1"  # what fitted in the queue was delivered
    finally:
        deaf.close()

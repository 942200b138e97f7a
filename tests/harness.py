"""Daemons as subprocesses (`autoreply run`) around a webhook receiver, for the delivery tests
and the bench scripts: N messages due at once, count deliveries by message id."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from autoreply.clock import SystemClock
from autoreply.store import Store
from tests.conftest import ConfigDir
from tests.test_store import message

CLI = [sys.executable, "-m", "autoreply"]
SECRET = "bench-webhook-secret"


def wait_for(
    cond: Callable[[], Any],
    *,
    what: str,
    timeout: float = 120,
    proc: subprocess.Popen[Any] | None = None,
    procs: list[subprocess.Popen[Any]] | None = None,
) -> Any:
    """Poll ``cond`` until it is truthy and return its value; fail if a watched daemon exits
    or ``timeout`` passes. The timeout is generous (a loaded CI machine starts slowly): it only
    bounds a hang, it is not a performance assertion."""
    deadline = time.monotonic() + timeout
    watched = [*(procs or []), *([proc] if proc is not None else [])]
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        for p in watched:
            if p.poll() is not None:
                raise AssertionError(f"daemon exited with {p.returncode} while waiting for {what}")
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class DaemonProc:
    def __init__(self, cfg: ConfigDir, env: dict[str, str], name: str) -> None:
        self.cfg, self.env, self.name = cfg, env, name
        self.log = cfg.root / f"{name}.log"
        self.proc: subprocess.Popen[str] | None = None

    def launch(self) -> DaemonProc:
        self._from = self.log.stat().st_size if self.log.exists() else 0
        self.proc = subprocess.Popen(
            [*CLI, "--config", str(self.cfg.settings_file), "run"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.log, "a"),  # noqa: SIM115 - the daemon's stderr, open while it runs
            text=True,
        )
        return self

    def wait_ready(self) -> DaemonProc:
        assert self.proc is not None
        wait_for(
            lambda: '"event": "ready"' in self.log.read_text()[self._from :],
            what=f"{self.name} ready",
            procs=[self.proc],
        )
        return self

    def start(self) -> DaemonProc:
        return self.launch().wait_ready()

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        assert self.proc is not None
        self.proc.send_signal(sig)
        return self.proc.wait(timeout)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def configure(
    cfg: ConfigDir,
    *,
    db_url: str,
    webhook_url: str,
    lease_seconds: float = 60,
    workers: int = 2,
    chunk_size: int = 20,
) -> dict[str, str]:
    """Shipped rules and templates; every message goes to the webhook sender."""
    cfg.copy_shipped()
    cfg.write_settings(f"""
        [store]
        url = "{db_url}"
        sqlite_synchronous = "NORMAL"
        [senders]
        default = "webhook"
        [senders.webhook]
        url = "{webhook_url}"
        timeout_seconds = 10
        [worker]
        interval_seconds = 0.2
        [dispatch]
        interval_seconds = 0.1
        batch_size = 200
        chunk_size = {chunk_size}
        workers = {workers}
        lease_seconds = {lease_seconds}
        [log]
        level = "info"
    """)
    env = {**os.environ, "AUTOREPLY_WEBHOOK_SECRET": SECRET, "AUTOREPLY_LOG__FORMAT": "json"}
    env.pop("AUTOREPLY_CONFIG", None)
    env.pop("AUTOREPLY_CLOCK_START", None)
    return env


def enqueue(db_url: str, count: int) -> list[str]:
    """``count`` webhook messages, all due now, in one transaction; returns their message ids."""
    store = Store(db_url)
    store.migrate()
    now = SystemClock().now()
    with store.begin() as conn:
        for start in range(0, count, 1000):
            store.insert_messages(
                conn,
                [
                    message(
                        f"m{i}:bulk",
                        channel="webhook",
                        send_at=now - timedelta(seconds=1),
                        recipient=f"buyer-{i}",
                    )
                    for i in range(start, min(start + 1000, count))
                ],
                now,
            )
    rows = store.list_messages(limit=count + 10)
    store.close()
    return [r.message_id for r in rows if r.rule == "r"]


def sent_count(db_url: str) -> dict[str, int]:
    store = Store(db_url)
    try:
        return store.counts()
    finally:
        store.close()


def workers_of(db_url: str) -> dict[str, int]:
    """Attempts per daemon (the worker id without its dispatch-thread suffix)."""
    import sqlalchemy as sa

    from autoreply.store import attempts

    store = Store(db_url)
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(attempts.c.worker, sa.func.count()).group_by(attempts.c.worker)
        ).all()
    store.close()
    out: dict[str, int] = {}
    for worker, n in rows:
        daemon = str(worker).rsplit("/", 1)[0]
        out[daemon] = out.get(daemon, 0) + int(n)
    return out

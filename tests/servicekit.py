"""Helpers for the service tests: a daemon embedded with its real HTTP intake on a free port,
and `autoreply run` as a subprocess found through its runtime card (state_dir/daemon.json)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from autoreply.clock import OffsetClock
from autoreply.daemon import Daemon
from autoreply.runtime import read_runtime
from tests.conftest import NOW, ConfigDir
from tests.harness import wait_for

TOKEN = "test-intake-token-5f1c2a"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CLI = [sys.executable, "-m", "autoreply"]

SERVICE_SETTINGS = """
[intake]
enabled = true
port = 0
drain_seconds = {drain}
[worker]
interval_seconds = 0.1
[dispatch]
interval_seconds = 0.1
"""


def service_config(cfg: ConfigDir, extra: str = "", *, drain: float = 5) -> ConfigDir:
    """The shipped rules and templates, settings with the intake on a free port."""
    cfg.copy_shipped()
    text = cfg.settings_text().replace("[intake]\nenabled = false\n", "")
    cfg.settings_file.write_text(
        text + SERVICE_SETTINGS.format(drain=drain) + extra, encoding="utf-8"
    )
    return cfg


@contextmanager
def embedded(cfg: ConfigDir) -> Iterator[tuple[Daemon, httpx.Client]]:
    """A started daemon (real store, scheduler and uvicorn on a free port) and a client for it.

    The caller sets AUTOREPLY_INTAKE_TOKEN (monkeypatch) before calling."""
    daemon = Daemon(cfg.settings(), clock=OffsetClock(NOW))
    daemon.start()
    try:
        assert daemon.intake is not None
        with httpx.Client(base_url=daemon.intake.url, timeout=30) as client:
            yield daemon, client
    finally:
        daemon.stop(timeout=10)


def service_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("AUTOREPLY_CONFIG", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID")
    }
    env.update(
        {
            "AUTOREPLY_CLOCK_START": "2026-11-22T12:00:00Z",
            "AUTOREPLY_LOG__FORMAT": "json",
            "AUTOREPLY_INTAKE_TOKEN": TOKEN,
            **extra,
        }
    )
    return env


class Service:
    """`autoreply run` as a subprocess; stderr (the JSON log) goes to ``log``."""

    def __init__(self, cfg: ConfigDir, env: dict[str, str] | None = None) -> None:
        self.cfg = cfg
        self.env = env or service_env()
        self.proc: subprocess.Popen[str] | None = None
        self.log = cfg.root / "daemon.log"
        self.url = ""

    @property
    def state(self) -> Path:
        return self.cfg.root / "var"

    def start(self) -> Service:
        with open(self.log, "a") as err:
            self.proc = subprocess.Popen(
                [*CLI, "--config", str(self.cfg.settings_file), "run"],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=err,
                text=True,
            )
        pid = self.proc.pid
        card = wait_for(
            lambda: (c := read_runtime(self.state)) and c.get("pid") == pid and c,
            what="the daemon's card",
            proc=self.proc,
            timeout=60,
        )
        self.url = card["intake"]
        wait_for(
            lambda: (
                f'"pid": {pid}' in self.log.read_text()
                and '"event": "ready"' in self.log.read_text()
            ),
            what="ready",
            proc=self.proc,
        )
        return self

    def client(self, timeout: float = 30) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout)

    def send(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        assert self.proc is not None
        self.proc.send_signal(sig)
        return self.proc.wait(timeout)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(30)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*CLI, "--config", str(self.cfg.settings_file), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def log_lines(self) -> list[dict[str, Any]]:
        out = []
        for line in self.log.read_text().splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                out.append({"event": "<not json>", "raw": line})
        return out

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)


def sent_lines(cfg: ConfigDir) -> list[dict[str, Any]]:
    path = cfg.root / "var" / "outbox.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

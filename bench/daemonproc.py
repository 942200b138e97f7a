"""Run the real daemon (`autoreply run`) as a subprocess of a bench, and stop it again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


class DaemonProcess:
    """`python -m autoreply run` with the workspace's settings and extra environment."""

    def __init__(self, settings_file: Path, env: dict[str, str] | None = None) -> None:
        self.log_path = settings_file.parent.parent / "daemon.log"
        environ = {**os.environ, "AUTOREPLY_LOG__FORMAT": "json", **(env or {})}
        self.log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "autoreply", "--config", str(settings_file), "run"],
            stdout=self.log, stderr=subprocess.STDOUT, env=environ)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait_ready(self, timeout: float = 120.0) -> float:
        """Seconds until the daemon logged 'ready' (raises if it died or never got there)."""
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the daemon exited ({self.proc.returncode}): "
                                   + self.log_path.read_text()[-2000:])
            if '"ready"' in self.log_path.read_text(encoding="utf-8", errors="replace"):
                return time.perf_counter() - started
            time.sleep(0.1)
        raise RuntimeError("the daemon did not log 'ready' in time (log level above info?)")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def __enter__(self) -> DaemonProcess:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

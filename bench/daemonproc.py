"""Run the real daemon (`autoreply run`) as a subprocess of a bench, and stop it again.

``as_unit=True`` runs it as systemd/autoreply.service does: that unit's ``Environment=`` lines
(``MALLOC_ARENA_MAX=2``, ``PYTHONDONTWRITEBYTECODE=1``, JSON logs, …; its state directory is
the workspace's) and only the packages a production install has (bench/unit_launch.py).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


class DaemonProcess:
    """`python -m autoreply run` with the workspace's settings and extra environment."""

    def __init__(self, settings_file: Path, env: dict[str, str] | None = None, *,
                 as_unit: bool = False) -> None:
        self.log_path = settings_file.parent.parent / "daemon.log"
        unit = {**unit_environment(), "AUTOREPLY_BENCH_HIDDEN": ",".join(not_installed())} if as_unit else {}
        environ = {**os.environ, "AUTOREPLY_LOG__FORMAT": "json", **unit, **(env or {})}
        self.log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115
        start = [str(Path(__file__).with_name("unit_launch.py"))] if as_unit else ["-m", "autoreply"]
        self.proc = subprocess.Popen(
            [sys.executable, *start, "--config", str(settings_file), "run"],
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


UNIT_FILE = Path(__file__).resolve().parent.parent / "systemd" / "autoreply.service"


def unit_environment() -> dict[str, str]:
    """The ``Environment=`` settings of the systemd unit (not its state directory's path)."""
    out = {}
    for line in UNIT_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("Environment="):
            name, _, value = line.removeprefix("Environment=").partition("=")
            if name != "AUTOREPLY_STATE_DIR":
                out[name] = value
    return out


def not_installed() -> list[str]:
    """Top-level import names in this venv that ``pip install autoreply`` would not install:
    every distribution outside autoreply's runtime dependencies (extras left out)."""
    import importlib.metadata as md

    def key(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    needed: set[str] = set()
    todo: list[tuple[str, set[str]]] = [("autoreply", set())]
    while todo:
        name, extras = todo.pop()
        try:
            requires = md.distribution(name).requires or []
        except md.PackageNotFoundError:
            continue
        needed.add(key(name))
        for req in requires:
            spec, _, marker = req.partition(";")
            wanted = re.findall(r"extra\s*==\s*['\"]([^'\"]+)", marker)
            if wanted and not extras & set(wanted):
                continue
            m = re.match(r"\s*([A-Za-z0-9._-]+)\s*(?:\[([^\]]*)\])?", spec)
            assert m is not None
            if key(m.group(1)) not in needed:
                todo.append((m.group(1), {e.strip() for e in (m.group(2) or "").split(",") if e.strip()}))
    return sorted(top for top, dists in md.packages_distributions().items()
                  if not top.startswith("_") and all(key(d) not in needed for d in dists))
